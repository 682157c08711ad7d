// The Dawn-like demo theme's cart components, written for the demo after the behaviour of Dawn's
// product-form.js, cart-drawer.js and cart.js. It knows nothing about kolkit and listens to no DOM cart event:
//
// - The product form adds with cart/add.js asking for the drawer and icon sections, publishes
//   PUB_SUB_EVENTS.cartUpdate {source: 'product-form', productVariantId, cartData}, then renders those sections
//   and opens the drawer (the shopper asked for this add).
// - <cart-drawer-items> subscribes to cartUpdate and, for any other source, re-renders the drawer's items and
//   footer from `cart?section_id=cart-drawer`. It does not open the drawer, and it leaves the header's
//   #cart-icon-bubble alone, as Dawn's does, unless <body data-cart-icon-on-update> (a variant some Dawn
//   descendants have): then it re-renders the icon too, from the same request.
// - On load the drawer and icon are rendered from `cart?sections=…`, standing in for the server-side Liquid
//   `cart` the demo page does not have.
(() => {
  const cartUrl = () => `${window.Shopify?.routes?.root ?? '/'}cart`;
  const parse = (html) => new DOMParser().parseFromString(html, 'text/html');

  /** Replaces the element `selector` picks on the page with the one it picks in `doc`, when both are there. */
  function swap(doc, selector) {
    const target = document.querySelector(selector);
    const source = doc.querySelector(selector);
    if (target && source) target.replaceWith(source);
  }

  /** Fills #cart-icon-bubble with a cart-icon-bubble section's content. */
  function renderIcon(html) {
    const content = html && parse(html).querySelector('.shopify-section');
    const icon = document.getElementById('cart-icon-bubble');
    if (content && icon) icon.replaceChildren(...content.childNodes);
  }

  class CartDrawer extends HTMLElement {
    connectedCallback() {
      this.addEventListener('click', (event) => {
        if (event.target.closest('.drawer__close, .drawer__overlay')) this.close();
      });
      document.getElementById('cart-icon-bubble')?.addEventListener('click', (event) => {
        event.preventDefault();
        this.open();
      });
    }

    /** The sections an add asks for, and where each goes. */
    get sectionsToRender() {
      return ['cart-drawer', 'cart-icon-bubble'];
    }

    open() {
      this.classList.add('active');
    }

    close() {
      this.classList.remove('active');
    }

    /** Renders an add's answer (its `sections`) and opens: what the product form does after the shopper's add. */
    renderContents(answer) {
      this.renderSections(answer.sections);
      this.open();
    }

    renderSections(sections) {
      const drawer = sections?.['cart-drawer'] && parse(sections['cart-drawer']);
      if (drawer) swap(drawer, '#CartDrawer');
      renderIcon(sections?.['cart-icon-bubble']);
    }
  }
  customElements.define('cart-drawer', CartDrawer);

  class CartDrawerItems extends HTMLElement {
    connectedCallback() {
      this.unsubscribe = subscribe(PUB_SUB_EVENTS.cartUpdate, (event) => {
        if (event.source === 'cart-items') return undefined;
        return this.onCartUpdate();
      });
    }

    disconnectedCallback() {
      this.unsubscribe?.();
    }

    /** Re-renders the drawer's items and footer (and the icon, on the variant that does) from the cart now. */
    async onCartUpdate() {
      const withIcon = document.body.hasAttribute('data-cart-icon-on-update');
      try {
        const url = withIcon ? `${cartUrl()}?sections=cart-drawer,cart-icon-bubble` : `${cartUrl()}?section_id=cart-drawer`;
        const response = await fetch(url);
        const sections = withIcon ? await response.json() : {'cart-drawer': await response.text()};
        const drawer = parse(sections['cart-drawer']);
        for (const selector of ['cart-drawer-items', '.cart-drawer__footer']) swap(drawer, selector);
        if (withIcon) renderIcon(sections['cart-icon-bubble']);
      } catch (error) {
        console.error('[theme] could not re-render the cart drawer:', error);
      }
    }
  }
  customElements.define('cart-drawer-items', CartDrawerItems);

  document.addEventListener('submit', async (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || form.dataset.type !== 'add-to-cart-form') return;
    event.preventDefault();
    const drawer = document.querySelector('cart-drawer');
    const error = form.querySelector('.product-form__error');
    const button = form.querySelector('[type="submit"]');
    error.hidden = true;
    button.disabled = true;
    const id = new FormData(form).get('id');
    try {
      const response = await fetch(`${cartUrl()}/add.js`, {
        method: 'POST',
        headers: {'Content-Type': 'application/json', Accept: 'application/json', 'X-Requested-With': 'XMLHttpRequest'},
        body: JSON.stringify({id: Number(id), quantity: 1, sections: drawer.sectionsToRender.join(','), sections_url: location.pathname}),
      });
      const answer = await response.json();
      if (answer.status) {
        publish(PUB_SUB_EVENTS.cartError, {source: 'product-form', productVariantId: id, errors: answer.description, message: answer.message});
        error.textContent = answer.description ?? 'Could not add to cart.';
        error.hidden = false;
        return;
      }
      publish(PUB_SUB_EVENTS.cartUpdate, {source: 'product-form', productVariantId: id, cartData: answer});
      drawer.renderContents(answer);
    } catch (failure) {
      error.textContent = 'Could not add to cart.';
      error.hidden = false;
      console.warn('[theme] add to cart failed:', failure);
    } finally {
      button.disabled = false;
    }
  });

  async function renderInitialCart() {
    try {
      const response = await fetch(`${cartUrl()}?sections=cart-drawer,cart-icon-bubble`);
      document.querySelector('cart-drawer')?.renderSections(await response.json());
      document.documentElement.dataset.cartReady = '';
    } catch (error) {
      console.warn('[theme] could not render the cart:', error);
    }
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', renderInitialCart);
  else renderInitialCart();
})();
