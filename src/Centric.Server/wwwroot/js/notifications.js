// Keeps the portal's notification bell current: a signed-in customer's open page hears new notices over SignalR.
// Enhanced navigation re-renders the bell with the server's count; the connection stays open across pages.
// On the notifications page a new notice also joins the top of the list, with its own "Mark as read" button.
(() => {
    let connection = null;

    const setCount = count => {
        const link = document.getElementById('notification-bell');
        const badge = document.getElementById('notification-count');
        if (!link || !badge) return;
        badge.dataset.count = String(count);
        badge.textContent = String(count);
        badge.hidden = count === 0;
        link.setAttribute('aria-label', count === 0 ? 'Notifications' : `Notifications, ${count} unread`);
    };

    const announce = text => {
        let live = document.getElementById('notification-announce');
        if (!live) {
            live = document.createElement('div');
            live.id = 'notification-announce';
            live.className = 'visually-hidden';
            live.setAttribute('aria-live', 'polite');
            document.body.appendChild(live);
        }
        live.textContent = text;
    };

    const element = (tag, className, text) => {
        const e = document.createElement(tag);
        if (className) e.className = className;
        if (text !== undefined) e.textContent = text;
        return e;
    };

    const list = n => {
        const items = document.getElementById('notification-list');
        if (!items) {
            // The page said there was nothing yet: draw it again, now with the notice and its form.
            if (document.getElementById('notifications-empty')) location.reload();
            return;
        }
        if (items.querySelector(`li[data-id="${n.id}"]`)) return;
        const item = element('li', 'card unread');
        item.dataset.id = n.id;
        const title = element('b');
        if (n.link) {
            const a = element('a', null, n.title);
            a.href = n.link.replace(/^\/+/, '');
            title.append(a);
        } else title.textContent = n.title;
        const when = new Date(n.createdAt);
        const time = element('time', 'muted', when.toLocaleString(undefined, { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' }));
        time.dateTime = when.toISOString();
        const mark = element('button', 'link', 'Mark as read');
        Object.assign(mark, { type: 'submit', name: 'Read', value: n.id });
        mark.append(element('span', 'visually-hidden', `: ${n.title}`));
        item.append(title, ' ', time, element('p', null, n.body), mark);
        items.prepend(item);

        const unread = document.getElementById('notifications-unread');
        if (!unread) return;
        const count = (parseInt(unread.dataset.count || '0', 10) || 0) + 1;
        unread.dataset.count = String(count);
        unread.textContent = `${count} unread`;
        if (!document.getElementById('mark-all-read')) {
            const all = element('button', 'link', 'Mark all as read');
            Object.assign(all, { type: 'submit', name: 'Read', value: 'all', id: 'mark-all-read' });
            unread.after(' ', all);
        }
    };

    const bind = () => {
        const bell = document.getElementById('notification-bell');
        // The notifications page knows the count after its own mark-read form ran; the header may have been drawn before.
        const pageCount = document.getElementById('notifications-unread')?.dataset.count;
        if (pageCount !== undefined) setCount(parseInt(pageCount, 10) || 0);
        if (!bell || connection || !window.signalR) return;
        connection = new signalR.HubConnectionBuilder().withUrl(bell.dataset.hub).withAutomaticReconnect().build();
        // Both messages carry the unread count itself: a notice written while the page connected may arrive in both.
        connection.on('unread', setCount);
        connection.on('notification', n => {
            setCount(n.unread);
            const link = document.getElementById('notification-bell');
            if (link) link.title = n.title;
            announce(n.title);
            list(n);
        });
        connection.start()
            .then(() => document.documentElement.dataset.notificationsLive = 'true')
            .catch(() => { connection = null; /* the count still updates on the next page load */ });
    };

    bind();
    window.Blazor?.addEventListener?.('enhancedload', bind);
})();
