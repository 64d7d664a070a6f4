// Keyboard shortcuts in the staff console (docs/support.md lists them; "?" shows them). Listeners sit on the document and look
// the page up when a key is pressed, so they keep working after Blazor's enhanced navigation swaps the page.
(() => {
  const shortcuts = [
    ['j / k', 'Next / previous ticket in the inbox'],
    ['Enter or o', 'Open the selected ticket'],
    ['/', 'Filter the inbox list'],
    ['r', 'Reply (on a ticket)'],
    ['n', 'Internal note (on a ticket)'],
    ['s', 'Solve the ticket'],
    ['g then i', 'Go to the inbox'],
    ['?', 'Show or hide this help'],
    ['Esc', 'Leave a text field, close this help'],
  ];
  let pendingG = 0;

  const inConsole = () => document.querySelector('.console') !== null;
  const typingIn = el => el instanceof HTMLElement && (el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName));
  // The rows the inbox's quick filter lets through, judged from the field itself rather than the rows' hidden flags,
  // so a list re-rendered underneath (live updates) never lets j/k land on a row the filter hides.
  const filterWords = () => (document.getElementById('inbox-search')?.value ?? '').toLowerCase().split(/\s+/).filter(Boolean);
  const passes = (row, words) => words.every(w => row.textContent.toLowerCase().includes(w));
  const rows = () => { const words = filterWords(); return [...document.querySelectorAll('#inbox tbody tr')].filter(r => passes(r, words)); };

  const select = (row) => {
    document.querySelectorAll('#inbox tbody tr.selected').forEach(r => { r.classList.remove('selected'); r.removeAttribute('aria-selected'); });
    if (!row) return;
    row.classList.add('selected');
    row.setAttribute('aria-selected', 'true');
    row.scrollIntoView({ block: 'nearest' });
    sessionStorage.setItem('inbox-selected', row.querySelector('a')?.textContent ?? '');
  };
  const move = step => {
    const list = rows();
    if (list.length === 0) return;
    const at = list.findIndex(r => r.classList.contains('selected'));
    select(list[Math.min(list.length - 1, Math.max(0, at < 0 ? 0 : at + step))]);
  };

  const help = () => {
    let dialog = document.getElementById('shortcut-help');
    if (!dialog) {
      // The design system's modal (Components/Ui/Modal.razor) built here, since the console has no page for it.
      dialog = document.createElement('dialog');
      dialog.id = 'shortcut-help';
      dialog.className = 'modal';
      dialog.setAttribute('aria-labelledby', 'shortcut-help-title');
      const header = Object.assign(document.createElement('div'), { className: 'modal-header' });
      const title = Object.assign(document.createElement('h2'), { id: 'shortcut-help-title', textContent: 'Keyboard shortcuts' });
      header.append(title);
      const body = Object.assign(document.createElement('div'), { className: 'modal-body' });
      const list = document.createElement('dl');
      list.className = 'facts';
      for (const [keys, what] of shortcuts) list.append(Object.assign(document.createElement('dt'), { textContent: keys }), Object.assign(document.createElement('dd'), { textContent: what }));
      const close = Object.assign(document.createElement('button'), { type: 'button', textContent: 'Close' });
      close.addEventListener('click', () => dialog.close());
      body.append(list, close);
      dialog.append(header, body);
      document.body.append(dialog);
    }
    if (dialog.open) dialog.close(); else dialog.showModal();
  };

  const focus = selector => {
    const field = document.querySelector(selector);
    if (!field) return false;
    field.scrollIntoView({ block: 'center' });
    field.focus();
    return true;
  };

  document.addEventListener('keydown', e => {
    if (!inConsole() || e.ctrlKey || e.metaKey || e.altKey) return;
    if (typingIn(e.target)) {
      if (e.key === 'Escape') {
        // Esc leaves the field; in the inbox's quick filter it keeps the words (a search field would clear them),
        // so j and k then move through what the filter shows.
        if (e.target.id === 'inbox-search') e.preventDefault();
        e.target.blur();
      }
      return;
    }
    // Enter on a focused link or button keeps its usual meaning.
    if (e.key === 'Enter' && e.target instanceof Element && e.target.closest('a, button, summary')) return;
    const gThen = Date.now() - pendingG < 1500;
    pendingG = 0;
    let handled = true;
    switch (e.key) {
      case '?': help(); break;
      case 'j': move(1); break;
      case 'k': move(-1); break;
      case 'Enter': case 'o': {
        // The selected row, or the one remembered if a live refresh has just replaced the rows.
        const number = sessionStorage.getItem('inbox-selected');
        const link = document.querySelector('#inbox tbody tr.selected a')
          ?? (number ? rows().map(r => r.querySelector('a')).find(a => a?.textContent === number) : null);
        if (link) location.assign(link.href); else handled = false;
        break;
      }
      case '/': handled = focus('[data-search]'); break;
      case 'r': handled = focus('#reply-text') || focus('#agent-chat-input'); break;
      case 'n': handled = focus('#note-text') || focus('#agent-chat-input'); break;
      case 's': {
        const status = document.getElementById('status'), save = document.getElementById('save-ticket');
        if (status && save && document.querySelector('[data-ticket-page]')) { status.value = 'Solved'; save.click(); } else handled = false;
        break;
      }
      case 'g': pendingG = Date.now(); break;
      case 'i': if (gThen) location.href = document.baseURI.replace(/\/?$/, '/') + 'console/inbox'; else handled = false; break;
      default: handled = false;
    }
    if (handled) e.preventDefault();
  });

  // The inbox's quick filter narrows the rows shown; it is applied again when the live list re-renders.
  const applyFilter = () => {
    if (!document.getElementById('inbox-search')) return;
    const words = filterWords();
    document.querySelectorAll('#inbox tbody tr').forEach(r => { r.hidden = !passes(r, words); });
    if (document.querySelector('#inbox tbody tr.selected[hidden]')) select(null);
  };
  document.addEventListener('input', e => { if (e.target instanceof HTMLElement && e.target.id === 'inbox-search') applyFilter(); });
  document.addEventListener('inbox:refreshed', () => {
    applyFilter();
    const number = sessionStorage.getItem('inbox-selected');
    if (number) select(rows().find(r => r.querySelector('a')?.textContent === number) ?? null);
  });
})();
