// Help centre: results as you type, "was this helpful?", and articles suggested while a customer writes a request.
// The pages work without it (search is a GET form); this only makes them live. Loaded once by the portal layout, it binds
// each page's elements on load and again after every enhanced navigation (Blazor swaps the page without reloading scripts).
const api = path => new URL(`help/api/${path}`, document.baseURI);
const post = (path, body) => fetch(api(path), { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

async function search(query, place, record) {
  const url = api('search');
  url.search = new URLSearchParams({ q: query, limit: '8', place, record: record ? 'true' : 'false' });
  const response = await fetch(url);
  return response.ok ? response.json() : [];
}

function el(tag, props, ...children) {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
}

// Runs `show` 150 ms after typing stops, and records the search once the visitor has paused for a while.
function asYouType(inputs, place, show) {
  let timer, recordTimer, latest = 0;
  const query = () => inputs.map(i => i.value).join(' ').trim();
  for (const input of inputs) {
    input.addEventListener('input', () => {
      clearTimeout(timer); clearTimeout(recordTimer);
      timer = setTimeout(async () => {
        const q = query(), seq = ++latest;
        const hits = q.length < 2 ? null : await search(q, place, false);
        if (seq === latest) show(hits, q);
      }, 150);
      recordTimer = setTimeout(() => { if (query().length >= 2) search(query(), place, true); }, 1500);
    });
  }
}

function bind() {
  const helpSearch = document.querySelector('input[data-help-search]');
  if (helpSearch && !helpSearch.dataset.bound) {
    helpSearch.dataset.bound = 'true';
    const results = document.getElementById('results');
    const empty = document.getElementById('no-results');
    asYouType([helpSearch], 'help-centre', hits => {
      if (hits === null) return;
      results.replaceChildren(...hits.map(h => el('li', { className: 'card' },
        el('a', { href: `help/${h.slug}` }, el('b', { textContent: h.title })), ' ',
        el('span', { className: 'tag', textContent: h.category }),
        el('p', { className: 'muted', textContent: h.snippet }))));
      if (empty) empty.hidden = hits.length > 0;
    });
  }

  const feedback = document.getElementById('feedback');
  if (feedback && !feedback.dataset.bound) {
    feedback.dataset.bound = 'true';
    for (const button of feedback.querySelectorAll('button[data-helpful]')) {
      button.addEventListener('click', async () => {
        const response = await post(`articles/${feedback.dataset.slug}/feedback`, { helpful: button.dataset.helpful === 'true' });
        const status = document.getElementById('feedback-status');
        status.textContent = response.ok ? 'Thanks for telling us.' : 'Sorry, that did not work. Please try again.';
      });
    }
  }

  const suggestions = document.getElementById('live-suggestions');
  if (suggestions && !suggestions.dataset.bound) {
    suggestions.dataset.bound = 'true';
    const subject = document.getElementById('subject');
    const text = document.getElementById('text');
    asYouType([subject, text], 'new-ticket', (hits, question) => {
      if (hits === null || hits.length === 0) { suggestions.hidden = true; return; }
      const list = suggestions.querySelector('ul');
      list.replaceChildren(...hits.slice(0, 5).map(h => {
        const answered = el('button', { type: 'button', className: 'answered', textContent: 'This answered my question' });
        answered.addEventListener('click', async () => {
          const response = await post(`articles/${h.slug}/deflected`, { question });
          if (!response.ok) return;
          document.getElementById('new-ticket-form').hidden = true;
          suggestions.replaceChildren(el('p', { id: 'deflected', textContent: 'Glad that helped — no request was sent. ' },
            el('a', { href: `help/${h.slug}`, textContent: `Read “${h.title}” again` })));
        });
        return el('li', {}, el('a', { href: `help/${h.slug}`, target: '_blank', textContent: h.title }), ' ',
          el('span', { className: 'muted', textContent: h.snippet }), ' ', answered);
      }));
      suggestions.hidden = false;
    });
  }
}

bind();
window.Blazor?.addEventListener?.('enhancedload', bind);
