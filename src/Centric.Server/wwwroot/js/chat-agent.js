// The agent's side of a chat on the console ticket page, who else is on the ticket (collision warning), and live inbox updates.
const agentChat = document.querySelector('[data-agent-chat]');
const inbox = document.querySelector('[data-inbox-live]');
const ticketPage = document.querySelector('[data-ticket-page]');
if ((agentChat || inbox || ticketPage) && window.signalR) {
  const connection = new signalR.HubConnectionBuilder().withUrl('console/chat/hub').withAutomaticReconnect().build();
  const newId = () => crypto.randomUUID().replace(/-/g, '');

  if (inbox) {
    // Re-render the list in place when a chat arrives or a customer writes; no page reload.
    let refreshing = null;
    connection.on('inbox', () => {
      clearTimeout(refreshing);
      refreshing = setTimeout(async () => {
        const html = await (await fetch(location.href, { headers: { 'Accept': 'text/html' } })).text();
        const fresh = new DOMParser().parseFromString(html, 'text/html').querySelector('[data-inbox-live]');
        if (fresh) {
          inbox.innerHTML = fresh.innerHTML;
          document.dispatchEvent(new CustomEvent('inbox:refreshed'));
        }
      }, 300);
    });
  }

  if (ticketPage) {
    // Presence: who else has this ticket open, and who is writing; the page warns before two agents answer at once.
    const number = ticketPage.dataset.ticket;
    const status = ticketPage.querySelector('#ticket-presence');
    const watch = async () => show(await connection.invoke('Watch', number));
    const show = viewers => {
      const others = viewers.filter(v => v.connectionId !== connection.connectionId);
      const names = (list) => [...new Set(list.map(v => v.name))].join(', ');
      const typing = others.filter(v => v.composing), viewing = others.filter(v => !v.composing);
      status.textContent = [typing.length ? `${names(typing)} ${typing.length > 1 ? 'are' : 'is'} typing a reply` : '',
        viewing.length ? `${names(viewing)} ${viewing.length > 1 ? 'are' : 'is'} also viewing` : ''].filter(Boolean).join(' · ');
      status.classList.toggle('warning', typing.length > 0);
    };
    connection.on('presence', (n, viewers) => { if (n === number) show(viewers); });
    // Changes from before this page was rendered (such as the agent's own reply that reloaded it) are already shown.
    const utc = t => Date.parse(t.endsWith('Z') ? t : t + 'Z');
    const loaded = utc(ticketPage.dataset.loaded);
    connection.on('changed', (n, at) => { if (n === number && utc(at) > loaded) ticketPage.querySelector('#ticket-changed').hidden = false; });
    connection.onreconnected(() => watch());
    let composing = false, idle = null;
    const setComposing = on => {
      if (on === composing) return;
      composing = on;
      connection.invoke('Composing', on).catch(() => {});
    };
    document.querySelectorAll('#reply-text, #note-text, #agent-chat-input').forEach(field => {
      field.addEventListener('input', () => {
        setComposing(field.value.trim().length > 0);
        clearTimeout(idle);
        idle = setTimeout(() => setComposing(false), 15000);
      });
      field.form?.addEventListener('submit', () => setComposing(false));
    });
    ticketPage.watch = watch;
  }

  if (agentChat) {
    const number = agentChat.dataset.ticket;
    const list = agentChat.querySelector('#agent-chat-messages');
    const shown = new Map();
    let lastSeq = 0, customerRead = 0, typingTimer = null, lastTypingSent = 0;
    const label = m => m.kind === 'call'
      ? `phone call ${Math.floor((m.callSeconds || 0) / 60)}:${String((m.callSeconds || 0) % 60).padStart(2, '0')} · ${(m.callOutcome || '').replace(/_/g, ' ')}`
      : m.kind === 'callback_request' ? 'call-back requested' : m.kind === 'callback_offer' ? 'call-back offered' : m.from === 'note' ? 'internal note' : '';
    const render = m => {
      if (shown.has(m.sequence)) return;
      const li = document.createElement('li');
      li.className = `card msg chat ${m.from === 'customer' ? 'inbound' : m.from === 'agent' ? 'outbound' : 'note'} ${m.kind || ''}`;
      li.dataset.seq = m.sequence;
      const meta = Object.assign(document.createElement('p'), { className: 'muted' });
      meta.textContent = [m.author, label(m), m.channel, new Date(m.at + (m.at.endsWith('Z') ? '' : 'Z')).toLocaleString()].filter(Boolean).join(' · ');
      const body = Object.assign(document.createElement('p'), { className: 'body', textContent: m.text });
      li.append(meta, body);
      if (m.attachment) li.append(Object.assign(document.createElement('a'), { href: `chat/api/attachments/${m.attachment.id}`, target: '_blank', textContent: '📎 ' + m.attachment.fileName }));
      if (m.recordingUrl && /^https?:/.test(m.recordingUrl)) li.append(Object.assign(document.createElement('a'), { href: m.recordingUrl, target: '_blank', rel: 'noopener', textContent: ' Recording' }));
      const after = [...shown.keys()].filter(s => s > m.sequence).sort((a, b) => a - b)[0];
      if (after !== undefined) list.insertBefore(li, shown.get(after)); else list.append(li);
      shown.set(m.sequence, li);
      lastSeq = Math.max(lastSeq, m.sequence);
      list.scrollTop = list.scrollHeight;
      connection.invoke('Read', number, lastSeq).catch(() => {});
      receipt();
    };
    const receipt = () => {
      const mine = [...shown.entries()].filter(([, li]) => li.classList.contains('outbound')).map(([s]) => s);
      const last = Math.max(0, ...mine);
      agentChat.querySelector('#agent-chat-read').textContent = last > 0 && customerRead >= last ? 'Seen by the customer' : '';
    };
    const join = async () => {
      const state = await connection.invoke('Join', number, lastSeq);
      customerRead = state.customerReadSequence;
      state.messages.forEach(render);
      receipt();
    };
    connection.on('message', (n, m) => { if (n === number) render(m); });
    connection.on('typing', (who, on) => {
      if (who !== 'customer') return;
      const el = agentChat.querySelector('#agent-chat-typing');
      el.hidden = !on;
      clearTimeout(typingTimer);
      if (on) typingTimer = setTimeout(() => el.hidden = true, 6000);
    });
    connection.on('read', (who, seq) => { if (who === 'customer') { customerRead = Math.max(customerRead, seq); receipt(); } });
    connection.onreconnected(() => join());
    const input = agentChat.querySelector('#agent-chat-input');
    const error = agentChat.querySelector('#agent-chat-error');
    const fail = e => { error.textContent = String(e?.message || e).replace(/^.*HubException: [a-z-]+: /, ''); };
    const send = async (method, text) => {
      try { render(await connection.invoke(method, number, newId(), text)); } catch (e) { fail(e); }
    };
    agentChat.querySelector('#agent-chat-form').addEventListener('submit', e => {
      e.preventDefault();
      const text = input.value.trim();
      if (!text) return;
      input.value = '';
      lastTypingSent = 0;
      send(e.submitter?.id === 'agent-chat-note' ? 'Note' : 'Send', text);
    });
    agentChat.querySelector('#agent-chat-offer').addEventListener('click', () => send('OfferCallback', null));
    input.addEventListener('input', () => {
      if (Date.now() - lastTypingSent > 3000) { lastTypingSent = Date.now(); connection.invoke('Typing', number, true).catch(() => {}); }
    });
    connection.start().then(() => Promise.all([join(), ticketPage?.watch()])).catch(fail);
  } else {
    connection.start().then(() => ticketPage?.watch()).catch(() => {});
  }
}
