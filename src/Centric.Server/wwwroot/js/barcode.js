// Scan a product barcode with the phone camera or from a photo, where the browser has BarcodeDetector.
// Without it the page still offers typing the digits.
const form = document.querySelector('[data-barcode]');
if (form && 'BarcodeDetector' in window) {
  const detector = new BarcodeDetector({ formats: ['ean_13', 'ean_8', 'upc_a', 'upc_e', 'qr_code'] });
  const open = code => { window.location.href = `shop/gtin/${encodeURIComponent(code)}`; };
  const scanButton = form.querySelector('[data-scan]');
  const photo = form.querySelector('[data-photo]');
  const video = form.querySelector('video');
  form.querySelectorAll('[data-needs-detector]').forEach(el => el.hidden = false);

  scanButton?.addEventListener('click', async () => {
    const stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' } });
    video.hidden = false;
    video.srcObject = stream;
    await video.play();
    const tick = async () => {
      const codes = await detector.detect(video).catch(() => []);
      if (codes.length > 0) {
        stream.getTracks().forEach(t => t.stop());
        open(codes[0].rawValue);
      } else requestAnimationFrame(tick);
    };
    tick();
  });

  photo?.addEventListener('change', async () => {
    const file = photo.files?.[0];
    if (!file) return;
    const codes = await detector.detect(await createImageBitmap(file)).catch(() => []);
    if (codes.length > 0) open(codes[0].rawValue);
    else alert('No barcode found in that photo. Try again or type the digits.');
  });
}
