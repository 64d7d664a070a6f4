// The rule builder's live count: as the marketer edits, the form is posted to the preview endpoint and the count shown.
// Changing what a condition looks at (or its interaction) redraws the row's fields. The page works without this script.
function bindSegmentBuilder() {
  const form = document.getElementById('segment-builder');
  if (!form || form.dataset.bound) return;
  form.dataset.bound = 'true';
  const output = document.getElementById('live-count');
  form.querySelector('[data-no-script]')?.remove();
  let timer;
  let latest = 0;
  const count = async () => {
    const ask = ++latest;
    const body = new FormData(form);
    body.delete('action');
    try {
      const response = await fetch(form.dataset.preview, { method: 'POST', body, headers: { Accept: 'application/json' } });
      const answer = await response.json();
      if (ask !== latest) return;
      if (response.ok) {
        output.textContent = answer.members === 1 ? '1 customer matches now.' : `${answer.members.toLocaleString('en')} customers match now.`;
      } else {
        output.textContent = 'Not counted yet: ' + (answer.detail || answer.title || 'the rule is incomplete.');
      }
    } catch {
      if (ask === latest) output.textContent = 'The count could not be fetched; it is shown again when you save.';
    }
  };
  form.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(count, 300); });
  form.addEventListener('change', (event) => {
    if (event.target.matches('[data-refresh]')) {
      // A different kind of condition needs different fields: redraw the form with what was typed so far.
      form.append(Object.assign(document.createElement('input'), { type: 'hidden', name: 'action', value: 'refresh' }));
      form.noValidate = true;
      form.submit();
      return;
    }
    clearTimeout(timer);
    timer = setTimeout(count, 300);
  });
}

bindSegmentBuilder();
window.Blazor?.addEventListener?.('enhancedload', bindSegmentBuilder);
