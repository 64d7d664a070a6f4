// Centric chat widget: a launcher button and a chat panel, for the portal and for any website that embeds
//   <script src="https://support.shop.example/chat/widget.js" data-title="Chat with us" defer></script>
// The visitor token lives in localStorage (cookies do not cross sites); messages carry client ids so a resend after
// a dropped connection is stored once, and after reconnecting the widget asks for what came after the last sequence it saw.
(() => {
  if (window.__centricChat) return;
  window.__centricChat = true;
  const script = document.currentScript;
  const host = (script?.dataset.host || new URL(script?.src || location.href).origin).replace(/\/$/, '');
  const sameOrigin = host === location.origin;
  const title = script?.dataset.title || 'Chat with us';
  const storeKey = 'centric-chat:' + host;
  const store = () => { try { return JSON.parse(localStorage.getItem(storeKey)) || {}; } catch { return {}; } };
  const save = patch => localStorage.setItem(storeKey, JSON.stringify({ ...store(), ...patch }));
  const newId = () => (crypto.randomUUID ? crypto.randomUUID() : Date.now().toString(36) + Math.random().toString(36).slice(2)).replace(/-/g, '');

  const root = document.getElementById('centric-chat') || document.body.appendChild(Object.assign(document.createElement('div'), { id: 'centric-chat' }));
  root.innerHTML = `
    <style>
      /* The host page's design tokens when it has them (Centric's own pages), these colours elsewhere. */
      #centric-chat { font: 15px/1.4 var(--font-sans, system-ui, sans-serif); }
      #chat-launcher { position: fixed; right: 1rem; bottom: 1rem; z-index: 1000; border: 0; border-radius: 999px; padding: .75rem 1.1rem; background: var(--color-primary, #1f4e79); color: var(--color-on-primary, #fff); font-weight: 600; cursor: pointer; box-shadow: 0 2px 8px rgba(0,0,0,.25); }
      #chat-panel { position: fixed; right: 1rem; bottom: 4.5rem; z-index: 1000; width: min(24rem, calc(100vw - 2rem)); height: min(32rem, calc(100vh - 6rem)); display: flex; flex-direction: column; background: var(--color-surface, #fff); color: var(--color-text, #1b2733); border: 1px solid var(--color-border, #c9d3dd); border-radius: 10px; box-shadow: 0 4px 18px rgba(0,0,0,.2); }
      #chat-panel[hidden], #centric-chat [hidden] { display: none; }
      #chat-panel header { padding: .6rem .8rem; background: var(--color-primary, #1f4e79); color: var(--color-on-primary, #fff); border-radius: 10px 10px 0 0; font-weight: 600; display: flex; justify-content: space-between; }
      #chat-panel header button { background: none; border: 0; color: #fff; cursor: pointer; font-size: 1.1rem; }
      #chat-messages { flex: 1; overflow-y: auto; list-style: none; margin: 0; padding: .6rem; display: flex; flex-direction: column; gap: .4rem; }
      #chat-messages li { max-width: 85%; padding: .4rem .6rem; border-radius: 8px; background: var(--color-surface-2, #eef2f6); align-self: flex-start; white-space: pre-wrap; overflow-wrap: anywhere; }
      #chat-messages li.customer { align-self: flex-end; background: var(--color-primary-soft, #dbe9f6); }
      #chat-messages li.call, #chat-messages li.callback_request, #chat-messages li.callback_offer { border: 1px dashed var(--color-primary, #1f4e79); }
      #chat-messages li.pending { opacity: .6; }
      #chat-messages small { display: block; color: var(--color-text-muted, #5b6b7a); font-size: .75rem; }
      #chat-panel form { display: flex; gap: .3rem; padding: .5rem; border-top: 1px solid var(--color-border, #e1e7ed); flex-wrap: wrap; }
      #chat-panel input, #chat-panel textarea { flex: 1 1 8rem; font: inherit; padding: .35rem; border: 1px solid var(--color-border-strong, #8a96a3); border-radius: 6px; background: var(--color-surface, #fff); color: inherit; }
      #chat-panel form button { font: inherit; padding: .35rem .7rem; border: 1px solid var(--color-primary, #1f4e79); border-radius: 6px; background: var(--color-primary, #1f4e79); color: var(--color-on-primary, #fff); cursor: pointer; }
      #chat-panel .status { padding: 0 .8rem; min-height: 1.2rem; color: var(--color-text-muted, #5b6b7a); font-size: .8rem; }
      #chat-panel .tools { display: flex; gap: .5rem; padding: 0 .5rem .5rem; font-size: .85rem; }
      #chat-panel .tools button, #chat-panel .tools label { background: none; border: 0; color: var(--color-link, #1f4e79); text-decoration: underline; cursor: pointer; padding: 0; font: inherit; }
    </style>
    <button type="button" id="chat-launcher" aria-expanded="false" aria-controls="chat-panel">${title}</button>
    <section id="chat-panel" hidden aria-label="${title}">
      <header><span>${title}</span><button type="button" id="chat-close" aria-label="Close chat">×</button></header>
      <ol id="chat-messages" aria-live="polite"></ol>
      <div class="status"><span id="chat-typing" hidden>Support is typing…</span> <span id="chat-read"></span> <span id="chat-error" role="alert"></span></div>
      <form id="chat-form"><input id="chat-input" autocomplete="off" maxlength="4000" placeholder="Type a message" aria-label="Message"><button type="submit" id="chat-send">Send</button></form>
      <div class="tools">
        <label>Attach<input type="file" id="chat-file" accept="image/png,image/jpeg,image/gif,image/webp,application/pdf" hidden></label>
        <button type="button" id="chat-callback-open">Call me back</button>
        <button type="button" id="chat-email-open">Add my email</button>
      </div>
      <form id="chat-callback" hidden>
        <input id="chat-phone" type="tel" required placeholder="Phone number" aria-label="Phone number">
        <input id="chat-when" placeholder="Best time (e.g. after 5pm)" aria-label="Preferred time">
        <button type="submit" id="chat-callback-send">Request call</button>
      </form>
      <form id="chat-email" hidden>
        <input id="chat-email-input" type="email" required placeholder="you@example.com" aria-label="Email">
        <button type="submit">Save</button>
      </form>
      <form id="chat-code" hidden>
        <label for="chat-code-input" id="chat-code-hint">We sent a code to that address. Enter it to link this chat to your account.</label>
        <input id="chat-code-input" inputmode="numeric" autocomplete="one-time-code" required maxlength="6" placeholder="6-digit code" aria-label="Code from the email">
        <button type="submit" id="chat-code-send">Confirm</button>
      </form>
    </section>`;
  const $ = id => root.querySelector('#' + id);
  const panel = $('chat-panel'), list = $('chat-messages'), launcher = $('chat-launcher'), errorBox = $('chat-error');

  let connection = null, lastSeq = 0, ticket = null, agentRead = 0, typingTimer = null, lastTypingSent = 0;
  const shown = new Map(); // sequence -> element
  const pending = new Map(); // client id -> {text, el}

  const label = m => m.kind === 'call'
    ? `Phone call · ${Math.floor((m.callSeconds || 0) / 60)}:${String((m.callSeconds || 0) % 60).padStart(2, '0')} · ${(m.callOutcome || '').replace(/_/g, ' ')}`
    : m.kind === 'callback_request' ? 'Call-back requested' : m.kind === 'callback_offer' ? 'Call-back offered' : '';

  // A closed chat is followed by a new one whose sequences start again at 1.
  function follow(number) {
    if (!number || number === ticket) return;
    if (ticket) { shown.clear(); list.querySelectorAll('li:not(.pending)').forEach(li => li.remove()); lastSeq = 0; }
    ticket = number;
  }

  function render(m) {
    if (shown.has(m.sequence)) return;
    const waiting = m.clientMessageId && pending.get(m.clientMessageId);
    const li = waiting ? waiting.el : document.createElement('li');
    if (waiting) pending.delete(m.clientMessageId);
    li.className = [m.from, m.kind || ''].join(' ').trim();
    li.dataset.seq = m.sequence;
    li.textContent = m.text;
    if (m.attachment) {
      const a = document.createElement('a');
      a.textContent = ' 📎 ' + m.attachment.fileName;
      a.href = '#';
      a.onclick = e => { e.preventDefault(); download(m.attachment); };
      li.append(a);
    }
    if (m.recordingUrl && /^https?:/.test(m.recordingUrl)) {
      const a = Object.assign(document.createElement('a'), { href: m.recordingUrl, textContent: ' Recording', target: '_blank', rel: 'noopener' });
      li.append(a);
    }
    const meta = document.createElement('small');
    meta.textContent = [m.from === 'customer' ? 'You' : m.author, label(m)].filter(Boolean).join(' · ');
    li.prepend(meta);
    if (m.kind === 'callback_offer') $('chat-callback').hidden = false;
    // Keep the thread in sequence order even if a resync and a live push cross.
    const after = [...shown.keys()].filter(s => s > m.sequence).sort((a, b) => a - b)[0];
    if (after !== undefined) list.insertBefore(li, shown.get(after)); else if (!waiting) list.append(li);
    shown.set(m.sequence, li);
    lastSeq = Math.max(lastSeq, m.sequence);
    list.scrollTop = list.scrollHeight;
    markRead();
    showReceipt();
  }

  function showReceipt() {
    const mine = [...shown.entries()].filter(([, el]) => el.classList.contains('customer')).map(([s]) => s);
    const last = Math.max(0, ...mine);
    $('chat-read').textContent = last > 0 && agentRead >= last ? 'Seen' : '';
  }

  function markRead() {
    if (!panel.hidden && connection?.state === 'Connected' && lastSeq > 0) connection.invoke('Read', lastSeq).catch(() => {});
  }

  async function token() {
    const saved = store().token;
    const r = await fetch(host + '/chat/api/visitor', { method: 'POST', headers: saved ? { 'X-Chat-Visitor': saved } : {}, credentials: sameOrigin ? 'include' : 'omit' });
    if (!r.ok) throw new Error('chat unavailable');
    const t = (await r.json()).visitorToken;
    save({ token: t });
    return t;
  }

  async function resync() {
    const state = await connection.invoke('Resume', null, shown.size ? lastSeq : 0);
    follow(state.ticketNumber);
    agentRead = state.agentReadSequence;
    state.messages.forEach(render);
    // Anything typed while offline goes now, with the same client ids.
    for (const [id, p] of pending) await sendText(p.text, id);
    showReceipt();
  }

  async function connect() {
    if (connection) return;
    const t = await token();
    connection = new signalR.HubConnectionBuilder()
      .withUrl(host + '/chat/hub', { accessTokenFactory: () => store().token || t, withCredentials: sameOrigin })
      .withAutomaticReconnect([0, 1000, 2000, 5000, 10000, 10000, 30000])
      .build();
    connection.on('message', (number, m) => { follow(number); render(m); });
    connection.on('typing', (who, on) => {
      if (who !== 'agent') return;
      $('chat-typing').hidden = !on;
      clearTimeout(typingTimer);
      if (on) typingTimer = setTimeout(() => $('chat-typing').hidden = true, 6000);
    });
    connection.on('read', (who, seq) => { if (who === 'agent') { agentRead = Math.max(agentRead, seq); showReceipt(); } });
    connection.onreconnected(() => resync().catch(showError));
    connection.onclose(() => { connection = null; setTimeout(() => connect().catch(showError), 3000); });
    await connection.start();
    await resync();
  }

  function showError(e) {
    const text = String(e?.message || e);
    errorBox.textContent = text.includes('rate-limited') ? 'Slow down a little, please.' : text.replace(/^.*HubException: [a-z-]+: /, '');
    setTimeout(() => errorBox.textContent = '', 6000);
  }

  async function sendText(text, id = newId()) {
    if (!pending.has(id)) {
      const li = Object.assign(document.createElement('li'), { className: 'customer pending', textContent: text });
      list.append(li);
      pending.set(id, { text, el: li });
    }
    if (connection?.state !== 'Connected') return;
    const m = await connection.invoke('Send', id, text);
    if (!ticket) follow((await connection.invoke('Resume', null, lastSeq)).ticketNumber);
    render(m);
  }

  async function download(file) {
    const r = await fetch(`${host}/chat/api/attachments/${file.id}`, { headers: { 'X-Chat-Visitor': store().token }, credentials: sameOrigin ? 'include' : 'omit' });
    if (!r.ok) return showError('Could not open the file.');
    const url = URL.createObjectURL(await r.blob());
    window.open(url, '_blank', 'noopener');
  }

  launcher.onclick = async () => {
    panel.hidden = !panel.hidden;
    launcher.setAttribute('aria-expanded', String(!panel.hidden));
    if (!panel.hidden) {
      $('chat-input').focus();
      if (!window.signalR) await new Promise((ok, fail) => document.head.append(Object.assign(document.createElement('script'), { src: host + '/lib/signalr/signalr.min.js', onload: ok, onerror: fail })));
      connect().then(markRead).catch(showError);
    }
  };
  $('chat-close').onclick = () => launcher.click();
  $('chat-form').onsubmit = e => {
    e.preventDefault();
    const text = $('chat-input').value.trim();
    if (!text) return;
    $('chat-input').value = '';
    lastTypingSent = 0; // the next keystroke announces typing again
    sendText(text).catch(showError);
  };
  $('chat-input').oninput = () => {
    const now = Date.now();
    if (connection?.state === 'Connected' && now - lastTypingSent > 3000) {
      lastTypingSent = now;
      connection.invoke('Typing', true).catch(() => {});
    }
  };
  $('chat-callback-open').onclick = () => { $('chat-callback').hidden = !$('chat-callback').hidden; $('chat-phone').focus(); };
  $('chat-email-open').onclick = () => { $('chat-email').hidden = !$('chat-email').hidden; $('chat-email-input').focus(); };
  $('chat-callback').onsubmit = async e => {
    e.preventDefault();
    try {
      render(await connection.invoke('RequestCallback', newId(), $('chat-phone').value, $('chat-when').value));
      $('chat-callback').hidden = true;
    } catch (err) { showError(err); }
  };
  $('chat-email').onsubmit = async e => {
    e.preventDefault();
    try {
      // The address joins the chat only once proven: by the sign-in, or by the code mailed to it.
      const identity = await connection.invoke('Identify', $('chat-email-input').value);
      identity.conversation.messages.forEach(render);
      $('chat-email').hidden = true;
      $('chat-code').hidden = identity.verified;
      if (!identity.verified) $('chat-code-input').focus();
    } catch (err) { showError(err); }
  };
  $('chat-code').onsubmit = async e => {
    e.preventDefault();
    try {
      (await connection.invoke('ConfirmEmail', $('chat-code-input').value)).conversation.messages.forEach(render);
      $('chat-code').hidden = true;
      $('chat-code-input').value = '';
    } catch (err) { showError(err); }
  };
  $('chat-file').onchange = async () => {
    const file = $('chat-file').files[0];
    if (!file) return;
    const form = new FormData();
    form.append('file', file);
    form.append('clientMessageId', newId());
    const r = await fetch(host + '/chat/api/attachments', { method: 'POST', body: form, headers: { 'X-Chat-Visitor': store().token }, credentials: sameOrigin ? 'include' : 'omit' });
    $('chat-file').value = '';
    if (r.ok) render(await r.json()); else showError((await r.json().catch(() => ({}))).title || 'Could not send the file.');
  };
})();
