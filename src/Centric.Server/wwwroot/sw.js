// Centric's service worker: static assets from the cache first; pages from the network, falling back to the
// last copy seen, so a customer's order list and order pages stay readable offline; and the customer's push notifications.
const CACHE = 'centric-v1';
const OFFLINE_PAGES = ['/orders'];

self.addEventListener('install', event => {
  event.waitUntil(caches.open(CACHE).then(cache => cache.addAll(['/icon.svg', '/manifest.webmanifest'])));
  self.skipWaiting();
});

self.addEventListener('activate', event => {
  event.waitUntil(caches.keys().then(keys => Promise.all(keys.filter(k => k !== CACHE).map(k => caches.delete(k)))));
  self.clients.claim();
});

self.addEventListener('fetch', event => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin || url.pathname.startsWith('/_blazor') || url.pathname.startsWith('/api/')) return;
  const isPage = request.mode === 'navigate';
  const keep = isPage && (OFFLINE_PAGES.includes(url.pathname) || url.pathname.startsWith('/orders/'));
  if (isPage) {
    event.respondWith(fetch(request).then(response => {
      if (keep && response.ok) {
        const copy = response.clone();
        caches.open(CACHE).then(cache => cache.put(request, copy));
      }
      return response;
    }).catch(() => caches.match(request).then(cached => cached || new Response(
      '<!doctype html><meta name=viewport content="width=device-width"><title>Offline</title><p style="font-family:sans-serif;padding:1rem">You are offline. Pages you opened before, like your orders, are still available.</p>',
      { headers: { 'Content-Type': 'text/html' } }))));
    return;
  }
  if (url.pathname.startsWith('/_framework/') || /\.(css|js|svg|png|woff2?)$/.test(url.pathname)) {
    event.respondWith(caches.match(request).then(cached => cached || fetch(request).then(response => {
      if (response.ok) {
        const copy = response.clone();
        caches.open(CACHE).then(cache => cache.put(request, copy));
      }
      return response;
    })));
  }
});

// Signing out forgets the pages kept for offline reading (they may show personal data) and turns push notifications off on
// this device: the next message for it is answered "gone" by the push service, and the server forgets the device.
self.addEventListener('message', event => {
  if (event.data === 'signout') event.waitUntil(Promise.all([
    caches.delete(CACHE),
    self.registration.pushManager.getSubscription().then(s => s && s.unsubscribe()),
  ]));
});

// A push message from the server ({title, body, url, tag}, decrypted by the browser): shown as a notification. The tag is the
// message's, so a message the push service delivered twice is shown once.
self.addEventListener('push', event => {
  let message = {};
  try { message = event.data ? event.data.json() : {}; } catch { message = { body: event.data ? event.data.text() : '' }; }
  event.waitUntil(self.registration.showNotification(message.title || 'Centric', {
    body: message.body || '', icon: '/icon.svg', badge: '/icon.svg', tag: message.tag, data: { url: message.url || '/' },
  }));
});

// A click opens the message's page, or focuses a tab already on it; only pages of this site, so a message cannot send anyone elsewhere.
self.addEventListener('notificationclick', event => {
  event.notification.close();
  let target;
  try { target = new URL(event.notification.data?.url || '/', self.location.origin); } catch { target = new URL('/', self.location.origin); }
  const url = target.origin === self.location.origin ? target.href : self.location.origin + '/';
  event.waitUntil(self.clients.matchAll({ type: 'window', includeUncontrolled: true }).then(windows => {
    const open = windows.find(w => w.url === url);
    return open ? open.focus() : self.clients.openWindow(url);
  }));
});
