// Registers the offline service worker and tells it when the user signs out (so cached pages are dropped).
// A file rather than inline script: the Content-Security-Policy allows scripts from this site only.
if ('serviceWorker' in navigator) navigator.serviceWorker.register('/sw.js');
document.addEventListener('submit', e => {
  if (e.target instanceof HTMLFormElement && e.target.matches('form[action$="Account/Logout"]'))
    navigator.serviceWorker?.controller?.postMessage('signout');
});
