// The Horizon-style demo theme's own script: the header's cart count and the product form. It knows nothing
// about kolkit. It keeps its count right the way Horizon does, from events: it reads /cart.js on load and
// after the de-facto cart events apps dispatch (cart:refresh on <html>, cart:update on document), and it
// announces its own adds with Horizon's cart:update, so apps (kolkit among them) can follow. (The Dawn-like
// page, ?theme=dawn, has its own script in dawn/.)
(() => {
  const root = () => window.Shopify?.routes?.root ?? '/';

  /** Shows `count` in the header's cart bubble (hidden at 0). */
  function showCount(count) {
    const bubble = document.querySelector('cart-icon .cart-bubble');
    if (!bubble) return;
    bubble.hidden = count === 0;
    bubble.querySelector('.cart-bubble__text-count').textContent = String(count);
    bubble.querySelector('#cart-bubble-text').textContent = `${count} ${count === 1 ? 'item' : 'items'}`;
    document.documentElement.dataset.cartCount = String(count);
  }

  async function readCart() {
    const response = await fetch(`${root()}cart.js`, {headers: {Accept: 'application/json'}});
    if (!response.ok) throw new Error(`cart.js answered ${response.status}`);
    return response.json();
  }

  let reading = 0;
  /** Re-reads the cart; only the latest read may set the count. */
  async function refreshCount() {
    const mine = ++reading;
    try {
      const cart = await readCart();
      if (mine === reading) showCount(cart.item_count);
    } catch (error) {
      console.warn('[theme] could not read the cart:', error);
    }
  }

  // What apps dispatch after they changed the cart. The theme's own announcements are skipped.
  document.documentElement.addEventListener('cart:refresh', () => refreshCount());
  document.addEventListener('cart:update', (event) => {
    if (event.detail?.sourceId !== 'product-form') refreshCount();
  });

  document.addEventListener('submit', async (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || form.dataset.type !== 'add-to-cart-form') return;
    event.preventDefault();
    const error = form.querySelector('.product-form__error');
    const button = form.querySelector('[type="submit"]');
    error.hidden = true;
    button.disabled = true;
    try {
      const id = Number(new FormData(form).get('id'));
      const response = await fetch(`${root()}cart/add.js`, {
        method: 'POST',
        headers: {'Content-Type': 'application/json', Accept: 'application/json'},
        body: JSON.stringify({items: [{id, quantity: 1}]}),
      });
      if (!response.ok) {
        error.textContent = (await response.json()).description ?? 'Could not add to cart.';
        error.hidden = false;
      }
      const cart = await readCart();
      showCount(cart.item_count);
      document.dispatchEvent(new CustomEvent('cart:update', {
        bubbles: true,
        detail: {resource: cart, sourceId: 'product-form', data: {source: 'product-form', itemCount: cart.item_count}},
      }));
    } catch (failure) {
      error.textContent = 'Could not add to cart.';
      error.hidden = false;
      console.warn('[theme] add to cart failed:', failure);
    } finally {
      button.disabled = false;
    }
  });

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', refreshCount);
  else refreshCount();
})();
