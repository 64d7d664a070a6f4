// "Pay with wallet" on the payment page. Where the browser can pay with a card through the Payment Request API, its own
// payment sheet collects the card and this posts what it answered to the server, which tokenises it at the gateway and
// charges the order total it computed itself (the amount shown in the sheet is for the customer's eyes only).
// Everywhere else the button stays hidden and the card form is the way to pay.
(() => {
  const methods = [{ supportedMethods: 'basic-card', data: { supportedNetworks: ['visa', 'mastercard'] } }];

  const bind = async () => {
    const box = document.getElementById('wallet');
    if (!box || box.dataset.bound) return;
    box.dataset.bound = 'true';
    if (!window.PaymentRequest) return;
    const details = () => ({ total: { label: box.dataset.label, amount: { currency: box.dataset.currency, value: box.dataset.total } } });
    try {
      if (!await new PaymentRequest(methods, details()).canMakePayment()) return;
    } catch {
      return;
    }
    box.hidden = false;
    const button = document.getElementById('pay-wallet');
    const error = document.getElementById('wallet-error');
    const form = document.getElementById('pay-form');
    const fail = text => { error.textContent = text; error.hidden = false; button.disabled = false; };

    button.addEventListener('click', async () => {
      error.hidden = true;
      let response;
      try {
        response = await new PaymentRequest(methods, details()).show();
      } catch {
        return; // closed by the customer, or the sheet could not open
      }
      button.disabled = true;
      // The same key as the card form: whichever submit reaches the server first pays, a repeat finds that payment.
      const idempotency = form.querySelector('input[name=IdempotencyKey]');
      let answer;
      let body = {};
      try {
        answer = await fetch(box.dataset.endpoint, {
          method: 'POST',
          headers: {
            'Content-Type': 'application/json',
            RequestVerificationToken: form.querySelector('input[name=__RequestVerificationToken]').value,
          },
          body: JSON.stringify({ key: box.dataset.key, idempotencyKey: idempotency.value, methodName: response.methodName, details: response.details }),
        });
        body = await answer.json().catch(() => ({}));
      } catch {
        await response.complete('fail');
        fail('The payment could not be sent. Check your connection and try again.');
        return;
      }
      if (answer.ok) {
        await response.complete('success');
        location.assign(new URL(body.redirect, document.baseURI));
        return;
      }
      await response.complete('fail');
      if (body.idempotencyKey) idempotency.value = body.idempotencyKey;
      fail(body.title || 'The payment did not go through. Try again or enter a card below.');
    });
  };

  bind();
  window.Blazor?.addEventListener?.('enhancedload', bind);
})();
