// Behaviour of the design-system components (docs/design.md). Pages are server-rendered and Blazor's enhanced
// navigation swaps their content, so everything here listens on the document once instead of binding elements.
(() => {
    'use strict';
    if (window.centricUi) return;

    const root = document.documentElement;
    const systemDark = window.matchMedia('(prefers-color-scheme: dark)');
    const isDark = () => root.dataset.theme ? root.dataset.theme === 'dark' : systemDark.matches;

    // Theme: the server renders <html data-theme> from the cookie, so the first paint is right; without a
    // cookie the stylesheet follows the system. Enhanced navigation may re-sync <html>, so re-apply after it.
    const storedTheme = () => (document.cookie.match(/(?:^|; )centric-theme=(light|dark)/) || [])[1];
    const syncThemeToggle = () => {
        const stored = storedTheme();
        if (stored && root.dataset.theme !== stored) root.dataset.theme = stored;
        for (const b of document.querySelectorAll('[data-theme-toggle]')) {
            b.setAttribute('aria-pressed', String(isDark()));
        }
    };
    const setTheme = theme => {
        root.dataset.theme = theme;
        document.cookie = `centric-theme=${theme}; path=/; max-age=31536000; samesite=lax`;
        syncThemeToggle();
    };

    // Menu buttons (the console's side navigation on phones): aria-expanded mirrors the open state.
    const setMenu = (button, open) => {
        const target = document.getElementById(button.getAttribute('data-menu-toggle'));
        if (!target) return;
        button.setAttribute('aria-expanded', String(open));
        target.classList.toggle('open', open);
        if (open) target.querySelector('a, button')?.focus();
    };

    // Toasts: transient, polite messages; each can be dismissed and leaves on its own after a while.
    const toast = (message, tone) => {
        let region = document.getElementById('toasts');
        if (!region) {
            region = document.createElement('div');
            region.id = 'toasts';
            region.className = 'toasts';
            region.setAttribute('role', 'status');
            region.setAttribute('aria-live', 'polite');
            document.body.append(region);
        }
        const item = document.createElement('div');
        item.className = `toast ${tone || ''}`.trim();
        const text = document.createElement('p');
        text.textContent = message;
        const close = document.createElement('button');
        close.type = 'button';
        close.setAttribute('aria-label', 'Dismiss');
        close.setAttribute('data-toast-dismiss', '');
        close.textContent = '×';
        item.append(text, close);
        region.append(item);
        setTimeout(() => item.remove(), 6000);
    };
    const armServerToasts = () => {
        for (const t of document.querySelectorAll('.toast[data-autohide]:not([data-armed])')) {
            t.setAttribute('data-armed', '');
            setTimeout(() => t.remove(), 6000);
        }
    };

    // Form fields: inline validation from the browser's constraint checks, shown under the field once the
    // person leaves it (or submits), and announced through aria-describedby.
    const describe = (input, id) => {
        const ids = new Set((input.getAttribute('aria-describedby') || '').split(/\s+/).filter(Boolean));
        if (ids.has(id)) return;
        ids.add(id);
        input.setAttribute('aria-describedby', [...ids].join(' '));
    };
    const showFieldError = input => {
        const field = input.closest('.field');
        const slot = field?.querySelector('.field-error[data-client]');
        if (!slot) return;
        const message = input.validity.valid ? '' : input.validationMessage;
        slot.textContent = message;
        if (message) { input.setAttribute('aria-invalid', 'true'); describe(input, slot.id); }
        else if (!field.classList.contains('invalid')) input.removeAttribute('aria-invalid');
    };
    // Hints and server-side messages belong to their control for screen readers.
    const linkFields = () => {
        for (const field of document.querySelectorAll('.field')) {
            const control = field.querySelector('input, select, textarea');
            if (!control) continue;
            const hint = field.querySelector(':scope > .hint[id]');
            if (hint) describe(control, hint.id);
            const error = field.querySelector(':scope > .field-error[id]:not([data-client])');
            if (error) { describe(control, error.id); control.setAttribute('aria-invalid', 'true'); }
        }
    };

    document.addEventListener('click', e => {
        const target = e.target instanceof Element ? e.target : null;
        if (!target) return;
        if (target.closest('[data-theme-toggle]')) { setTheme(isDark() ? 'light' : 'dark'); return; }
        const menu = target.closest('[data-menu-toggle]');
        if (menu) { setMenu(menu, menu.getAttribute('aria-expanded') !== 'true'); return; }
        const open = target.closest('[data-modal-open]');
        if (open) {
            const dialog = document.getElementById(open.getAttribute('data-modal-open'));
            if (dialog instanceof HTMLDialogElement) {
                dialog.showModal();
                dialog.querySelector('[autofocus], input, select, textarea, button:not([data-modal-close])')?.focus();
            }
            return;
        }
        const close = target.closest('[data-modal-close]');
        if (close) { close.closest('dialog')?.close(); return; }
        if (target instanceof HTMLDialogElement && target.classList.contains('modal')) { target.close(); return; } // backdrop
        const dismiss = target.closest('[data-toast-dismiss]');
        if (dismiss) dismiss.closest('.toast')?.remove();
    });

    document.addEventListener('keydown', e => {
        // Tab wraps around inside an open modal instead of leaving for the browser's own controls.
        const dialog = e.key === 'Tab' && e.target instanceof Element ? e.target.closest('dialog.modal[open]') : null;
        if (dialog) {
            const focusable = [...dialog.querySelectorAll('a[href], button:not([disabled]), input:not([disabled]):not([type=hidden]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])')]
                .filter(el => el.getClientRects().length > 0);
            const first = focusable[0], last = focusable[focusable.length - 1];
            if (e.shiftKey && document.activeElement === first) { e.preventDefault(); last?.focus(); }
            else if (!e.shiftKey && document.activeElement === last) { e.preventDefault(); first?.focus(); }
            return;
        }
        if (e.key !== 'Escape') return;
        for (const b of document.querySelectorAll('[data-menu-toggle][aria-expanded="true"]')) { setMenu(b, false); b.focus(); }
    });

    // A modal gives focus back to the button that opened it.
    document.addEventListener('close', e => {
        const dialog = e.target;
        if (dialog instanceof HTMLDialogElement && dialog.id) document.querySelector(`[data-modal-open="${dialog.id}"]`)?.focus();
    }, true);

    document.addEventListener('focusout', e => {
        if (e.target instanceof HTMLInputElement || e.target instanceof HTMLTextAreaElement || e.target instanceof HTMLSelectElement) showFieldError(e.target);
    });
    document.addEventListener('invalid', e => {
        if (e.target instanceof HTMLElement) showFieldError(e.target);
    }, true);
    document.addEventListener('input', e => {
        if (e.target instanceof HTMLInputElement && e.target.getAttribute('aria-invalid') === 'true') showFieldError(e.target);
    });

    // Charts: Chart.js (lib/chartjs, from npm) and js/charts.js load only on a page that has one.
    let chartsLoading = null;
    const loadScript = src => new Promise((resolve, reject) =>
        document.head.appendChild(Object.assign(document.createElement('script'), { src, onload: resolve, onerror: reject })));
    const drawCharts = () => {
        if (!document.querySelector('canvas[data-chart]')) return;
        if (window.centricCharts) window.centricCharts.drawAll();
        else chartsLoading ??= loadScript('lib/chartjs/chart.umd.min.js').then(() => loadScript('js/charts.js')).catch(() => { chartsLoading = null; });
    };

    // A table wider than its box scrolls sideways; keyboard users reach the scroll by focusing it (WCAG 2.1.1).
    const markScrollingTables = () => {
        for (const wrap of document.querySelectorAll('.table-wrap')) {
            if (wrap.scrollWidth > wrap.clientWidth + 1) {
                wrap.tabIndex = 0;
                wrap.setAttribute('role', 'region');
                if (!wrap.hasAttribute('aria-label')) wrap.setAttribute('aria-label', wrap.querySelector('table')?.getAttribute('aria-label') || 'Table');
            } else if (wrap.getAttribute('role') === 'region') {
                wrap.removeAttribute('tabindex');
                wrap.removeAttribute('role');
            }
        }
    };

    const refresh = () => { syncThemeToggle(); armServerToasts(); linkFields(); drawCharts(); markScrollingTables(); };
    systemDark.addEventListener('change', syncThemeToggle);
    let resizing = 0;
    window.addEventListener('resize', () => { clearTimeout(resizing); resizing = setTimeout(markScrollingTables, 150); });
    if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', refresh); else refresh();
    // Blazor's enhanced navigation replaces the page without a load event.
    const hookBlazor = () => window.Blazor?.addEventListener?.('enhancedload', refresh);
    if (window.Blazor) hookBlazor(); else window.addEventListener('load', hookBlazor);

    window.centricUi = { toast, setTheme };
})();
