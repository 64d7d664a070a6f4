// Search suggestions as you type: fills the input's <datalist> from /shop/suggest. The page works without it.
for (const input of document.querySelectorAll('input[data-suggest]')) {
  const list = document.getElementById(input.getAttribute('list'));
  let timer;
  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      if (input.value.trim().length < 2) return;
      const response = await fetch(`${input.dataset.suggest}?q=${encodeURIComponent(input.value)}`);
      if (!response.ok) return;
      const suggestions = await response.json();
      list.replaceChildren(...suggestions.map(s => Object.assign(document.createElement('option'), { value: s })));
    }, 150);
  });
}
