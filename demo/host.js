// The host console: every control POSTs one show event to /api/host/event. The server stamps it (`at`),
// broadcasts it on /events and writes it into the live playlist; this page only shows what it sent and the
// resulting show state. All DOM is built with text nodes (no innerHTML): product data is not markup.

const $ = (id) => document.getElementById(id);

/** Creates an element with properties (textContent, className, type…) and children. */
function el(tag, props = {}, ...children) {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
}

const button = (text, onClick, className = '') => el('button', {type: 'button', textContent: text, className, onclick: onClick});

const timeOf = (iso) =>
  new Date(iso).toLocaleTimeString('en-GB', {hour: '2-digit', minute: '2-digit', second: '2-digit', fractionalSecondDigits: 3});
const priceOf = (money) => `${money.amount} ${money.currencyCode}`;

/** Optional numeric form fields: empty means "leave it out of the event". */
const optionalNumber = (value) => (value === '' ? undefined : Number(value));
const optionalText = (value) => value.trim() || undefined;

/** @type {Map<string, {id: string, title: string, variants: any[]}>} */
const catalog = new Map();

/** POSTs one host action; logs the stamped event or the server's refusal, then refreshes the state panel. */
async function send(action) {
  let result;
  try {
    const res = await fetch('/api/host/event', {
      method: 'POST',
      headers: {'Content-Type': 'application/json'},
      body: JSON.stringify(action),
    });
    result = {ok: res.ok, body: await res.json()};
  } catch (error) {
    result = {ok: false, body: {error: error.message}};
  }
  log(action, result);
  await refreshState();
  return result.ok ? result.body : null;
}

function log(action, {ok, body}) {
  const text = ok
    ? `${timeOf(body.at)}  ${body.type}  ${summary(body)}`
    : `refused  ${action.type ?? '?'}  ${body.error}`;
  $('log').prepend(el('li', {className: ok ? 'ok' : 'error', textContent: text, title: JSON.stringify(body)}));
}

/** One line about an event, for the log. */
function summary(event) {
  const title = (id) => catalog.get(id)?.title ?? id;
  switch (event.type) {
    case 'product.pin': return `${title(event.productId)} ${event.label ?? ''}`;
    case 'product.unpin': return title(event.productId);
    case 'deal.start': return `${event.dealId}: ${title(event.productId)} at ${priceOf(event.price)} until ${timeOf(event.endsAt)}`;
    case 'deal.end': return `${event.dealId} (${event.reason})`;
    case 'stock.update': return `${title(event.productId ?? event.dealId)}: ${event.available} left`;
    case 'viewers.update': return `${event.count} watching`;
    case 'show.status': return event.status;
    case 'chat.message': return `${event.author}: ${event.text}`;
    default: return '';
  }
}

function productRow(product, index) {
  const label = el('input', {name: 'label', value: `#${index + 1}`, maxLength: 32});
  const stock = el('input', {name: 'stock', type: 'number', min: 0, step: 1, required: true});
  stock.placeholder = String(product.variants.reduce((sum, v) => sum + (v.quantityAvailable ?? 0), 0));
  const price = product.variants[0] ? priceOf(product.variants[0].price) : '';
  return el('li', {className: 'product'},
    el('img', {src: product.image?.url ?? '', alt: '', width: 48, height: 48}),
    el('div', {className: 'product__info'},
      el('strong', {textContent: product.title}),
      el('span', {textContent: `${product.id} · ${price} · ${product.variants.length} variant(s)`}),
    ),
    el('div', {className: 'row'},
      el('label', {}, 'Label', label),
      button('Pin', () => send({type: 'product.pin', productId: product.id, label: optionalText(label.value)})),
      button('Unpin', () => send({type: 'product.unpin', productId: product.id}), 'secondary'),
      el('label', {}, 'Stock', stock),
      button('Set stock', () => stock.reportValidity() && send({type: 'stock.update', productId: product.id, available: Number(stock.value)}), 'secondary'),
    ),
  );
}

function fillVariants() {
  const product = catalog.get($('deal-product').value);
  $('deal-variant').replaceChildren(
    el('option', {value: '', textContent: 'Any variant'}),
    ...(product?.variants ?? []).map((v) => el('option', {value: v.id, textContent: `${v.title} (${priceOf(v.price)})`})),
  );
}

async function startDeal(event) {
  event.preventDefault();
  const form = new FormData(event.target);
  const product = catalog.get(form.get('productId'));
  const variant = product.variants.find((v) => v.id === form.get('variantId')) ?? product.variants[0];
  await send({
    type: 'deal.start',
    productId: product.id,
    variantId: optionalText(form.get('variantId')),
    price: form.get('price'),
    compareAtPrice: variant.price, // the regular price, struck through next to the deal price
    durationSeconds: Number(form.get('durationSeconds')),
    stock: optionalNumber(form.get('stock')),
    limitPerCustomer: optionalNumber(form.get('limitPerCustomer')),
    code: optionalText(form.get('code')),
  });
}

/** Ends the most recently started deal that is still open. */
async function endDeal() {
  const {state} = await (await fetch('/api/host/state')).json();
  const open = Object.values(state.deals)
    .filter((d) => !d.ended && Date.parse(d.endsAt) > Date.now())
    .sort((a, b) => Date.parse(b.startsAt) - Date.parse(a.startsAt));
  if (open.length) await send({type: 'deal.end', dealId: open[0].dealId, reason: 'cancelled'});
  else log({type: 'deal.end'}, {ok: false, body: {error: 'no deal is open'}});
}

async function refreshState() {
  const {state, count} = await (await fetch('/api/host/state')).json();
  const title = (id) => catalog.get(id)?.title ?? id;
  const deals = Object.values(state.deals).map((d) =>
    `${d.dealId}: ${title(d.productId)} at ${priceOf(d.price)}, ${d.ended ? `ended (${d.ended})` : `until ${timeOf(d.endsAt)}`}` +
      (d.stock !== undefined ? `, stock ${d.stock}` : ''));
  const rows = [
    ['Status', state.status],
    ['Pinned', state.pinned.map((p) => `${p.label ?? ''} ${title(p.productId)}`.trim()).join(', ') || 'nothing'],
    ['Deals', deals.join('\n') || 'none'],
    ['Stock', Object.entries(state.stock).map(([id, n]) => `${title(id)}: ${n}`).join(', ') || 'as in the catalog'],
    ['Viewers', state.viewers ?? 'not set'],
    ['Events sent', count],
  ];
  $('state').replaceChildren(...rows.flatMap(([term, value]) => [el('dt', {textContent: term}), el('dd', {textContent: String(value)})]));
}

async function init() {
  const products = await (await fetch('/demo/catalog.json')).json();
  for (const product of products) catalog.set(product.id, product);
  $('products').replaceChildren(...products.map(productRow));
  $('deal-product').replaceChildren(...products.map((p) => el('option', {value: p.id, textContent: p.title})));
  fillVariants();

  $('deal-product').addEventListener('change', fillVariants);
  $('deal-form').addEventListener('submit', startDeal);
  $('end-deal').addEventListener('click', endDeal);
  for (const statusButton of document.querySelectorAll('[data-status]')) {
    statusButton.addEventListener('click', () => send({type: 'show.status', status: statusButton.dataset.status}));
  }
  $('viewers-form').addEventListener('submit', (event) => {
    event.preventDefault();
    send({type: 'viewers.update', count: Number(new FormData(event.target).get('count'))});
  });
  $('chat-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const form = new FormData(event.target);
    send({type: 'chat.message', author: form.get('author'), text: form.get('text')});
    event.target.elements.text.value = '';
  });
  await refreshState();
}

init().catch((error) => log({type: 'init'}, {ok: false, body: {error: `could not start: ${error.message}`}}));
