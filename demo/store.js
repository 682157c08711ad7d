// Maison Lune's own page script (no inline script, so the page runs under a strict CSP):
//  - its own cart drawer: it vetoes kolkit's default "open cart" and lists the cart itself;
//  - a status line that shows every kol-error, so failures are visible while demoing.
const drawer = document.getElementById('cart-drawer');
const lines = document.getElementById('cart-lines');
const empty = document.getElementById('cart-empty');
const subtotal = document.getElementById('cart-subtotal');
const status = document.getElementById('status');

/** Display only: the amount stays a decimal string everywhere else. */
const formatMoney = ({amount, currencyCode}) =>
  new Intl.NumberFormat('en-IE', {style: 'currency', currency: currencyCode}).format(Number(amount));

/** Fills the drawer from a kolkit Cart (or null before the first add), with text nodes only. */
function renderCart(cart) {
  const items = cart?.lines ?? [];
  lines.replaceChildren(
    ...items.map((line) => {
      const item = document.createElement('li');
      const name = document.createElement('span');
      name.textContent = line.title;
      const meta = document.createElement('span');
      meta.className = 'cart-line__meta';
      meta.textContent = `${line.quantity} × ${formatMoney(line.price)}`;
      item.append(name, meta);
      return item;
    }),
  );
  empty.hidden = items.length > 0;
  subtotal.textContent = cart ? formatMoney(cart.subtotal) : '—';
}

// kol-cart-open-request is cancelable: preventing it tells kolkit the page shows the cart itself.
document.addEventListener('kol-cart-open-request', (event) => {
  event.preventDefault();
  renderCart(event.detail.cart);
  drawer.showModal();
});

document.addEventListener('kol-cart-change', (event) => {
  if (drawer.open) renderCart(event.detail.cart);
});

document.addEventListener('kol-error', (event) => {
  const {code, message} = event.detail;
  status.textContent = `kolkit error ${code}: ${message}`;
});

// The elements come from /dist/cdn/kolkit.js, which exists only after a build.
setTimeout(() => {
  if (!customElements.get('kol-show')) status.textContent = 'kolkit did not load: run `npm run build` (npm start does).';
}, 5000);

// `?server=<url>&show=<id>` follows a show on another kolkit server (a merchant's page on one origin, the
// show server on another: what the cross-origin end-to-end test opens). Set before kolkit connects.
const params = new URLSearchParams(location.search);
const show = document.getElementById('live');
if (show && params.get('server') && params.get('show')) {
  show.setAttribute('server', params.get('server'));
  show.setAttribute('show-id', params.get('show'));
}

// `?lang=<tag>` shows the store in that language (kolkit's elements follow <html lang>), right to left for a
// right-to-left script: `?lang=ar` is the store as a shopper in Cairo has it. `?dir=rtl|ltr` alone sets the
// direction (as a page's own markup would: kolkit never guesses it from the language).
const RTL_LANGUAGES = new Set(['ar', 'he', 'fa', 'ur']);
const lang = params.get('lang');
if (lang) document.documentElement.lang = lang;
const dir = params.get('dir') ?? (lang && RTL_LANGUAGES.has(lang.split('-')[0].toLowerCase()) ? 'rtl' : null);
if (dir === 'rtl' || dir === 'ltr') document.documentElement.dir = dir;

// `?stream=ll` plays the show as low-latency HLS (/live-ll/: parts and blocking reloads, about 2 s behind the
// host instead of about 7). The pins keep their sync: the stream's program time is the same.
const player = show?.querySelector('kol-live-player');
if (player && params.get('stream') === 'll') player.setAttribute('src', '/live-ll/index.m3u8');
