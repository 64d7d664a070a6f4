// Keeps the portal's notification bell current: a signed-in customer's open page hears new notices over SignalR.
// Enhanced navigation re-renders the bell with the server's count; the connection stays open across pages.
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

    const bind = () => {
        const bell = document.getElementById('notification-bell');
        // The notifications page knows the count after its own mark-read form ran; the header may have been drawn before.
        const pageCount = document.getElementById('notifications-unread')?.dataset.count;
        if (pageCount !== undefined) setCount(parseInt(pageCount, 10) || 0);
        if (!bell || connection || !window.signalR) return;
        connection = new signalR.HubConnectionBuilder().withUrl(bell.dataset.hub).withAutomaticReconnect().build();
        connection.on('notification', n => {
            const badge = document.getElementById('notification-count');
            setCount((parseInt(badge?.dataset.count || '0', 10) || 0) + 1);
            const link = document.getElementById('notification-bell');
            if (link) link.title = n.title;
            announce(n.title);
        });
        connection.start()
            .then(() => document.documentElement.dataset.notificationsLive = 'true')
            .catch(() => { connection = null; /* the count still updates on the next page load */ });
    };

    bind();
    window.Blazor?.addEventListener?.('enhancedload', bind);
})();
