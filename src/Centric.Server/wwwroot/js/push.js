// "Notifications on this device" on /account/push: asks the browser for permission, subscribes its push manager with the
// server's VAPID key and hands the subscription to the page's form (which stores it for the signed-in customer); turning off
// unsubscribes and tells the server. The device list marks the row of this browser's subscription.
(() => {
  'use strict';
  if (window.centricPush) return;
  window.centricPush = true;

  const supported = () => 'serviceWorker' in navigator && 'PushManager' in window && 'Notification' in window;

  const keyBytes = base64url => {
    const text = atob(base64url.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - base64url.length % 4) % 4));
    return Uint8Array.from(text, c => c.charCodeAt(0));
  };

  const sameKey = (buffer, base64url) => {
    if (!buffer) return true;
    const a = new Uint8Array(buffer), b = keyBytes(base64url);
    return a.length === b.length && a.every((x, i) => x === b[i]);
  };

  const current = async () => {
    const registration = await navigator.serviceWorker.ready;
    return { registration, subscription: await registration.pushManager.getSubscription() };
  };

  const show = (status, on, off) => {
    document.getElementById('push-status').textContent = status;
    document.getElementById('push-on').hidden = !on;
    document.getElementById('push-off').hidden = !off;
  };

  const refresh = async () => {
    const card = document.getElementById('push-device');
    if (!card) return;
    if (!supported()) return show('This browser cannot show notifications from websites.', false, false);
    if (Notification.permission === 'denied') return show('Notifications from this site are blocked in this browser’s settings. Allow them there to turn them on.', false, false);
    const { subscription } = await current();
    const rows = [...document.querySelectorAll('#push-device-list tr[data-endpoint]')];
    const mine = subscription && rows.find(r => r.dataset.endpoint === subscription.endpoint);
    for (const row of rows) row.querySelector('.push-this-device')?.remove();
    if (mine) {
      const badge = Object.assign(document.createElement('span'), { className: 'badge success push-this-device', textContent: 'This device' });
      mine.cells[0].append(' ', badge);
      return show('Notifications are on for this device.', false, true);
    }
    show('Notifications are off for this device.', true, false);
  };

  const turnOn = async () => {
    const key = document.getElementById('push-device').dataset.key;
    show('Asking your browser…', false, false);
    if (await Notification.requestPermission() !== 'granted') return refresh();
    try {
      const { registration } = await current();
      let subscription = await registration.pushManager.getSubscription();
      // A subscription made for another key (the server's keys changed) cannot take this server's messages.
      if (subscription && !sameKey(subscription.options?.applicationServerKey, key)) {
        await subscription.unsubscribe();
        subscription = null;
      }
      subscription ??= await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(key) });
      const json = subscription.toJSON();
      const form = document.getElementById('push-subscribe-form');
      form.elements.Endpoint.value = json.endpoint;
      form.elements.P256dh.value = json.keys?.p256dh ?? '';
      form.elements.Auth.value = json.keys?.auth ?? '';
      form.submit();
    } catch (e) {
      show('Notifications could not be turned on in this browser (' + (e?.message || e) + ').', true, false);
    }
  };

  const turnOff = async () => {
    show('Turning off…', false, false);
    const { subscription } = await current();
    const form = document.getElementById('push-unsubscribe-form');
    form.elements.OffEndpoint.value = subscription?.endpoint ?? '';
    await subscription?.unsubscribe();
    form.submit();
  };

  document.addEventListener('click', e => {
    if (e.target.closest('#push-on')) turnOn();
    else if (e.target.closest('#push-off')) turnOff();
  });
  refresh();
  window.Blazor?.addEventListener?.('enhancedload', refresh);
})();
