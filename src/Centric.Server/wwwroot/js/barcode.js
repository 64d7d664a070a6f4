// Scan a product barcode with the camera or from a photo. The browser's own BarcodeDetector is used where it exists
// (Android, macOS); everywhere else ZXing (lib/zxing, from npm) is loaded on the first scan, so the shop page stays light.
// Typing the digits always works.
const form = document.querySelector('[data-barcode]');
if (form) {
  const open = code => { window.location.href = `shop/gtin/${encodeURIComponent(code)}`; };
  const scanButton = form.querySelector('[data-scan]');
  const photo = form.querySelector('[data-photo]');
  const video = form.querySelector('video');
  const status = form.querySelector('[data-scan-status]');
  const say = text => { if (status) status.textContent = text; };
  // Some browsers define BarcodeDetector but support no format on this system: only a working one counts.
  const nativeReady = 'BarcodeDetector' in window
    ? BarcodeDetector.getSupportedFormats()
      .then(formats => formats.includes('ean_13') ? new BarcodeDetector({ formats: ['ean_13', 'ean_8', 'upc_a', 'upc_e', 'qr_code'] }) : null)
      .catch(() => null)
    : Promise.resolve(null);

  let zxing = null;
  const loadZxing = () => zxing ??= new Promise((resolve, reject) => {
    if (window.ZXingBrowser) return resolve(window.ZXingBrowser);
    const script = Object.assign(document.createElement('script'), { src: 'lib/zxing/zxing-browser.min.js' });
    script.onload = () => resolve(window.ZXingBrowser);
    script.onerror = () => { zxing = null; reject(new Error('scanner unavailable')); };
    document.head.append(script);
  });

  // A camera needs a secure page (https or localhost) and a device; a photo works anywhere.
  if (scanButton && navigator.mediaDevices?.getUserMedia) scanButton.hidden = false;
  form.querySelectorAll('[data-photo-option]').forEach(el => el.hidden = false);

  scanButton?.addEventListener('click', async () => {
    say('Starting the camera…');
    try {
      const native = await nativeReady;
      if (native) {
        const stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' } });
        video.hidden = false;
        video.srcObject = stream;
        await video.play();
        say('Point the camera at the barcode.');
        const tick = async () => {
          const codes = await native.detect(video).catch(() => []);
          if (codes.length > 0) { stream.getTracks().forEach(t => t.stop()); open(codes[0].rawValue); }
          else requestAnimationFrame(tick);
        };
        tick();
        return;
      }
      const { BrowserMultiFormatReader } = await loadZxing();
      video.hidden = false;
      say('Point the camera at the barcode.');
      await new BrowserMultiFormatReader().decodeFromConstraints({ video: { facingMode: 'environment' } }, video, (result, _error, controls) => {
        if (result) { controls.stop(); open(result.getText()); }
      });
    } catch {
      video.hidden = true;
      say('The camera could not be started. Take a photo instead, or type the digits.');
    }
  });

  photo?.addEventListener('change', async () => {
    const file = photo.files?.[0];
    if (!file) return;
    say('Reading the barcode…');
    try {
      const native = await nativeReady;
      if (native) {
        const codes = await native.detect(await createImageBitmap(file));
        if (codes.length > 0) return open(codes[0].rawValue);
      } else {
        const { BrowserMultiFormatReader } = await loadZxing();
        const url = URL.createObjectURL(file);
        try { return open((await new BrowserMultiFormatReader().decodeFromImageUrl(url)).getText()); }
        finally { URL.revokeObjectURL(url); }
      }
    } catch { /* nothing found: said below */ }
    say('No barcode found in that photo. Try again closer, or type the digits.');
  });
}
