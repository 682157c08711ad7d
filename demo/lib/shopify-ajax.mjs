/**
 * A local Shopify storefront that answers the Ajax Cart API in its documented shapes
 * (https://shopify.dev/docs/api/ajax/reference/cart, .../product), under `/shopify/` (its `Shopify.routes.root`):
 *
 *   GET  /shopify/products/<handle>.js   a product: variants with prices in cents, `available`, `featured_image`
 *   GET  /shopify/cart.js                the shopper's cart (created on first sight, `cart` cookie, Path=/shopify/)
 *   POST /shopify/cart/add.js            `{items: [{id, quantity, properties}]}` (or one `{id, quantity}`)
 *   POST /shopify/cart/change.js         `{id: <line key | variant id> | line: <1-based>, quantity, properties?}`
 *   POST /shopify/cart/update.js         `{updates: {<key | variant id>: qty}, note, attributes, discount: "A,B"}`
 *   POST /shopify/cart/clear.js
 *   GET  /shopify/cart                   a plain cart page (where "open cart" goes without a drawer)
 *   GET  /shopify/?sections=a,b          the Section Rendering API: `{"a": "<div id=\"shopify-section-a\" …>", "b": null}`
 *                                        (also on /shopify/cart); the sections are lib/shopify-sections.mjs's
 *   GET  /shopify/cart?section_id=a      one section's HTML
 *
 * add.js, change.js and update.js also take `sections` (and `sections_url`) in their body, as Shopify's bundled
 * section rendering does: the answer then carries `sections: {id: html | null}` rendered after the change.
 *
 * Refusals are Shopify's: 422 `{"status":422,"message":"Cart Error","description":…}`. The inventory wording is
 * the documented one (changelog "Cart AJAX API inventory error message updates", 2025-03): asking for more than
 * is left adds what is left and answers "Only N items were added to your cart."; asking for more when all of it
 * is already in the cart adds nothing and answers "The maximum quantity of this item is already in your cart.".
 * A sold-out variant answers "The product '…' is already sold out.", an unknown variant "Cannot find variant".
 * A variant's `quantity_rule.max` is enforced the same way but never partly: the add is refused whole (this
 * wording is the fixture's own; Shopify does not document one for quantity rules).
 * `discount` on update.js replaces the cart's codes with the comma-separated list and `discount_codes` reports
 * each one's `applicable` (changelog "[Cart AJAX API] Discounts support on /cart/update.js", 2025-05).
 *
 * Test-only hooks, under /shopify/__test/ (never in a real store):
 *   POST /shopify/__test/fault  `{path: '/cart/add.js', mode: 'apply-then-hang' | 'hang' | 'status', status?,
 *                                retryAfter?, times?}`: the next `times` requests to `path` (any method) apply
 *                               and never answer, never answer, or answer `status` (default 503; a 429 carries
 *                               `Retry-After: retryAfter`, default 1) without applying.
 *   POST /shopify/__test/reset  forgets every cart, fault and logged request, and drops the caller's cookie.
 *   GET  /shopify/__test/log    `{requests: [{method, path}]}`: every store request since the last reset (a
 *                               section request's path keeps its query: `/?sections=cart-icon-bubble`).
 */
import {createHash, randomBytes} from 'node:crypto';
import {BodyError, readJson, sendJson, sendText} from './http.mjs';
import {escapeHtml, renderSection, renderSections, sectionIds} from './shopify-sections.mjs';

/** Where the store lives: its `Shopify.routes.root` is `${SHOPIFY_PREFIX}/`. */
export const SHOPIFY_PREFIX = '/shopify';
const CURRENCY = 'EUR';
/** Carts remembered at once (a demo server is public): the oldest is forgotten first. */
const MAX_CARTS = 1000;
/** A hung request is let go after this long even if the client never gives up. */
const HANG_MS = 120_000;
const CART_COOKIE = 'cart';

/**
 * The catalog. Prices in cents, as the Ajax API gives them. Each product exists for one behaviour: several
 * variants, a sold-out one, a short stock (3), a per-order maximum (2), hostile data.
 */
const PRODUCTS = [
  {
    id: 8001, handle: 'lune-cap', title: 'Lune Cap', type: 'Hats', image: '/demo/img/cap.svg',
    description: '<p>Washed cotton twill, <strong>adjustable</strong> strap &amp; an embroidered crescent.</p>',
    variants: [
      {id: 47001, title: 'Navy', price: 2400, compare_at_price: 3000, inventory: 40},
      {id: 47002, title: 'Sand', price: 2400, compare_at_price: 3000, inventory: 25},
    ],
  },
  {
    id: 8002, handle: 'crescent-tee', title: 'Crescent Tee', type: 'Shirts', image: '/demo/img/tee.svg',
    description: '<p>Heavy organic cotton, relaxed fit.</p>',
    variants: [
      {id: 47011, title: 'S', price: 2900, compare_at_price: 3900, inventory: 12},
      {id: 47012, title: 'M', price: 2900, compare_at_price: 3900, inventory: 20},
      {id: 47013, title: 'XL', price: 3100, compare_at_price: null, inventory: 0},
    ],
  },
  {
    id: 8003, handle: 'moonrise-mug', title: 'Moonrise Mug', type: 'Homeware', image: '/demo/img/mug.svg',
    description: '<p>Hand-glazed stoneware, 350&nbsp;ml. Three left from this firing.</p>',
    variants: [{id: 47021, title: 'Default Title', price: 1990, compare_at_price: null, inventory: 3}],
  },
  {
    id: 8004, handle: 'star-socks', title: 'Star Socks', type: 'Socks', image: '/demo/img/socks.svg',
    description: '<p>Limited to two pairs per order.</p>',
    variants: [{id: 47031, title: 'Default Title', price: 900, compare_at_price: null, inventory: 500, max: 2}],
  },
  {
    id: 8005, handle: 'evil-bag', title: 'Evil Bag', type: 'Bags', image: 'javascript:alert(1)',
    description: '<p onclick="alert(1)">A bag<script>alert(1)</script> <img src=x onerror="alert(1)">for everything.</p>',
    variants: [{id: 47041, title: 'Default Title', price: 4900, compare_at_price: null, inventory: 10}],
  },
];

/** Discount codes the store knows: `LIVE10` takes 10% off; `SPRING` has ended, so it never applies. */
const DISCOUNTS = {LIVE10: {percent: 10, active: true}, SPRING: {percent: 20, active: false}};

const variantsById = new Map(PRODUCTS.flatMap((product) => product.variants.map((variant) => [variant.id, {product, variant}])));
const productsByHandle = new Map(PRODUCTS.map((product) => [product.handle, product]));

/** A refusal, in Shopify's 422 body. */
class CartError extends Error {
  /** @param {string} description @param {number} [status] */
  constructor(description, status = 422) {
    super(description);
    this.status = status;
  }

  get body() {
    return {status: this.status, message: 'Cart Error', description: this.message};
  }
}

/**
 * Creates the store. `route(method, path)` answers the handler for a path under `/shopify/`, or null.
 */
export function createShopifyAjax() {
  /** @type {Map<string, {token: string, items: any[], note: string | null, attributes: Record<string, string>, discountCodes: string[]}>} */
  const carts = new Map();
  /** @type {Array<{path: string, mode: string, status: number, retryAfter: number, times: number}>} */
  let faults = [];
  /** @type {Array<{method: string, path: string}>} */
  let log = [];

  /** The caller's cart, created (and its cookie set on `headers`) when it has none the store knows. */
  function cartOf(req, headers) {
    const token = cookie(req, CART_COOKIE);
    const known = token && carts.get(token);
    if (known) return known;
    const cart = {token: `kol${randomBytes(12).toString('hex')}`, items: [], note: null, attributes: {}, discountCodes: []};
    carts.set(cart.token, cart);
    if (carts.size > MAX_CARTS) carts.delete(carts.keys().next().value);
    headers['Set-Cookie'] = `${CART_COOKIE}=${cart.token}; Path=${SHOPIFY_PREFIX}/; SameSite=Lax`;
    return cart;
  }

  /** Store endpoints: each gets the request, its parsed body and the cart, and returns [status, body]. */
  const endpoints = {
    'GET /cart.js': (body, cart) => [200, renderCart(cart)],
    'POST /cart/add.js': (body, cart) => {
      const single = !Array.isArray(body?.items);
      const requested = single ? [body] : body.items;
      const added = [];
      for (const item of requested) {
        const line = addItem(cart, item);
        if (line) added.push(renderItem(line));
      }
      return [200, single ? added[0] : {items: added}];
    },
    'POST /cart/change.js': (body, cart) => {
      changeLine(cart, body ?? {});
      return [200, renderCart(cart)];
    },
    'POST /cart/update.js': (body, cart) => {
      const updates = body?.updates;
      const pairs = Array.isArray(updates)
        ? updates.map((quantity, index) => [{line: index + 1}, quantity])
        : Object.entries(updates ?? {}).map(([id, quantity]) => [{id}, quantity]);
      for (const [which, quantity] of pairs) changeLine(cart, {...which, quantity}, {missingIsError: false});
      if (typeof body?.note === 'string') cart.note = body.note;
      if (body?.attributes && typeof body.attributes === 'object') Object.assign(cart.attributes, body.attributes);
      if (typeof body?.discount === 'string') {
        cart.discountCodes = [...new Set(body.discount.split(',').map((code) => code.trim()).filter(Boolean))];
      }
      return [200, renderCart(cart)];
    },
    'POST /cart/clear.js': (body, cart) => {
      cart.items = [];
      return [200, renderCart(cart)];
    },
  };

  /** A cart mutation's answer with the `sections` its body asked for, rendered after the change. */
  const withSections = (endpoint) => (body, cart) => {
    const answer = endpoint(body, cart);
    const ids = sectionIds(body?.sections);
    if (!ids || answer[0] !== 200) return answer;
    return [200, {...answer[1], sections: renderSections(ids, renderCart(cart), SECTION_CONTEXT)}];
  };
  for (const key of ['POST /cart/add.js', 'POST /cart/change.js', 'POST /cart/update.js']) endpoints[key] = withSections(endpoints[key]);

  /**
   * Answers one store request, through the fault hook: 'hang' answers nothing and changes nothing,
   * 'apply-then-hang' makes the change and answers nothing, 'status' answers the status and changes nothing.
   */
  async function serveStore(req, res, endpoint, subpath, {withCart = true} = {}) {
    const body = req.method === 'POST'
      ? await jsonBody(req, res, (error) => ({status: error.status, message: 'Bad Request', description: error.message}))
      : null;
    if (body === NO_BODY) return;
    // Logged once the request is fully received: from then on, what it does happens at once (no await).
    log.push({method: req.method ?? 'GET', path: subpath});
    const fault = takeFault(subpath);
    if (fault?.mode === 'hang') return hang(res);
    if (fault?.mode === 'status') {
      const extra = fault.status === 429 ? {'Retry-After': String(fault.retryAfter)} : {};
      return sendJson(res, fault.status, {status: fault.status, message: 'Injected fault', description: `${subpath} answered ${fault.status} by request`}, extra);
    }
    const headers = {};
    let answer;
    try {
      answer = endpoint(body, withCart ? cartOf(req, headers) : null);
    } catch (error) {
      if (!(error instanceof CartError)) throw error;
      answer = [error.status, error.body];
    }
    if (fault?.mode === 'apply-then-hang') return hang(res);
    sendJson(res, answer[0], answer[1], headers);
  }

  /** The next fault for `subpath`, used up. */
  function takeFault(subpath) {
    const fault = faults.find((f) => f.path === subpath);
    if (!fault) return null;
    fault.times--;
    faults = faults.filter((f) => f.times > 0);
    return fault;
  }

  /**
   * The Section Rendering API on a page: `?sections=a,b` answers JSON, `?section_id=a` the one section's HTML
   * (404 for a section the store does not have). Logged with the query, so tests can tell who asked for what.
   */
  function serveSections(req, res, subpath, query) {
    log.push({method: 'GET', path: `${subpath}?${[...query].map(([name, value]) => `${name}=${value}`).join('&')}`});
    const headers = {};
    const cart = renderCart(cartOf(req, headers));
    if (query.has('section_id')) {
      const html = renderSection(query.get('section_id'), cart, SECTION_CONTEXT);
      if (html === null) return sendText(res, 404, 'Not Found', headers);
      return sendText(res, 200, html, {...headers, 'Content-Type': 'text/html; charset=utf-8'});
    }
    const ids = sectionIds(query.get('sections'));
    if (!ids) return sendJson(res, 400, {status: 400, message: 'Bad Request', description: 'sections: 1 to 5 section ids'}, headers);
    sendJson(res, 200, renderSections(ids, cart, SECTION_CONTEXT), headers);
  }

  const testHooks = {
    async 'POST /__test/fault'(req, res) {
      const body = await jsonBody(req, res, (error) => ({error: error.message}));
      if (body === NO_BODY) return;
      const modes = ['apply-then-hang', 'hang', 'status'];
      if (typeof body?.path !== 'string' || !body.path.startsWith('/')) return sendJson(res, 400, {error: 'path: a store path such as /cart/add.js'});
      if (!modes.includes(body.mode)) return sendJson(res, 400, {error: `mode: one of ${modes.join(', ')}`});
      const times = body.times ?? 1;
      const status = body.status ?? 503;
      if (!Number.isInteger(times) || times < 1 || times > 100) return sendJson(res, 400, {error: 'times: 1 to 100'});
      if (!Number.isInteger(status) || status < 400 || status > 599) return sendJson(res, 400, {error: 'status: 400 to 599'});
      faults.push({path: body.path, mode: body.mode, status, retryAfter: body.retryAfter ?? 1, times});
      sendJson(res, 201, {ok: true});
    },
    'POST /__test/reset'(req, res) {
      carts.clear();
      faults = [];
      log = [];
      sendJson(res, 200, {ok: true}, {'Set-Cookie': `${CART_COOKIE}=; Path=${SHOPIFY_PREFIX}/; Max-Age=0`});
    },
    'GET /__test/log'(req, res) {
      sendJson(res, 200, {requests: log});
    },
  };

  /** Never answers; lets the socket go when the client gives up (or after `HANG_MS`). */
  function hang(res) {
    const timer = setTimeout(() => res.destroy(), HANG_MS);
    res.once('close', () => clearTimeout(timer));
  }

  return {
    /**
     * The handler for `path` if it is one of the store's, else null. Decides without side effects.
     * @param {string} method
     * @param {string} path
     */
    route(method, path) {
      if (!path.startsWith(`${SHOPIFY_PREFIX}/`)) return null;
      const subpath = path.slice(SHOPIFY_PREFIX.length);
      const hook = testHooks[`${method} ${subpath}`];
      if (hook) return (req, res) => hook(req, res);
      const endpoint = endpoints[`${method} ${subpath}`];
      if (endpoint) return (req, res) => serveStore(req, res, endpoint, subpath);
      const product = /^\/products\/([^/]+)\.js$/.exec(subpath);
      if (product && method === 'GET') {
        return (req, res) => serveStore(req, res, () => {
          const found = productsByHandle.get(safeDecode(product[1]));
          if (!found) throw new CartError('Not Found', 404);
          return [200, renderProduct(found)];
        }, subpath, {withCart: false});
      }
      if ((subpath === '/' || subpath === '/cart') && method === 'GET') {
        return (req, res, url) => {
          const query = url.searchParams;
          if (query.has('sections') || query.has('section_id')) return serveSections(req, res, subpath, query);
          if (subpath === '/') return sendText(res, 404, 'Not Found');
          const headers = {'Content-Security-Policy': "default-src 'none'"};
          const cart = cartOf(req, headers);
          sendText(res, 200, cartPage(cart), {...headers, 'Content-Type': 'text/html; charset=utf-8'});
        };
      }
      return null;
    },
  };
}

/** What `jsonBody` answers when it has already answered the request with an error. */
const NO_BODY = Symbol('no body');

/**
 * The request's JSON body, or `NO_BODY` after answering a malformed or oversized one with `errorBody(error)`.
 * @param {import('node:http').IncomingMessage} req
 * @param {import('node:http').ServerResponse} res
 * @param {(error: BodyError) => unknown} errorBody
 */
async function jsonBody(req, res, errorBody) {
  try {
    return await readJson(req);
  } catch (error) {
    if (!(error instanceof BodyError)) throw error;
    sendJson(res, error.status, errorBody(error));
    return NO_BODY;
  }
}

/** Adds one requested item to `cart`, with Shopify's refusals; answers the line it went to. */
function addItem(cart, item) {
  const found = variantsById.get(Number(item?.id));
  if (!found) throw new CartError('Cannot find variant');
  const {product, variant} = found;
  const quantity = item.quantity === undefined ? 1 : Number(item.quantity);
  if (!Number.isInteger(quantity) || quantity < 1) throw new CartError('Quantity must be a positive whole number.', 400);
  const properties = item.properties && typeof item.properties === 'object' ? item.properties : {};
  const inCart = cart.items.filter((l) => l.variantId === variant.id).reduce((n, l) => n + l.quantity, 0);
  if (variant.max !== undefined && inCart + quantity > variant.max) {
    if (inCart >= variant.max) throw new CartError('The maximum quantity of this item is already in your cart.');
    throw new CartError(`You can only add ${variant.max} of this item to your cart.`);
  }
  if (variant.inventory <= 0) throw new CartError(`The product '${itemTitle(product, variant)}' is already sold out.`);
  if (inCart >= variant.inventory) throw new CartError('The maximum quantity of this item is already in your cart.');
  const granted = Math.min(quantity, variant.inventory - inCart);
  const key = lineKey(variant.id, properties);
  let line = cart.items.find((l) => l.key === key);
  if (line) line.quantity += granted;
  else {
    line = {key, variantId: variant.id, quantity: granted, properties: {...properties}};
    cart.items.unshift(line); // Shopify lists the latest add first
  }
  if (granted < quantity) throw new CartError(`Only ${granted} items were added to your cart.`);
  return line;
}

/** Sets one line's quantity (change.js / update.js), with the same stock and quantity rules as an add. */
function changeLine(cart, {id, line, quantity, properties}, {missingIsError = true} = {}) {
  const target = line !== undefined
    ? cart.items[Number(line) - 1]
    : cart.items.find((l) => l.key === String(id)) ?? cart.items.find((l) => l.variantId === Number(id));
  if (!target) {
    if (missingIsError) throw new CartError(`No line item with ${line !== undefined ? `line ${line}` : `id ${id}`} in this cart.`, 400);
    return;
  }
  const wanted = Number(quantity);
  if (!Number.isInteger(wanted) || wanted < 0) throw new CartError('Quantity must be a whole number.', 400);
  if (properties && typeof properties === 'object') target.properties = {...properties};
  if (wanted === 0) {
    cart.items = cart.items.filter((l) => l !== target);
    return;
  }
  const {variant} = variantsById.get(target.variantId);
  const others = cart.items.filter((l) => l !== target && l.variantId === target.variantId).reduce((n, l) => n + l.quantity, 0);
  if (variant.max !== undefined && others + wanted > variant.max) {
    throw new CartError(others + target.quantity >= variant.max
      ? 'The maximum quantity of this item is already in your cart.'
      : `You can only add ${variant.max} of this item to your cart.`);
  }
  const allowed = Math.max(variant.inventory - others, 0);
  if (wanted > allowed) {
    if (target.quantity >= allowed) throw new CartError('The maximum quantity of this item is already in your cart.');
    target.quantity = allowed;
    throw new CartError(`Only ${allowed} items were added to your cart.`);
  }
  target.quantity = wanted;
}

/** Shopify's line key: the variant id, then a digest of the line's properties. */
function lineKey(variantId, properties) {
  const sorted = Object.keys(properties).sort().map((k) => [k, properties[k]]);
  return `${variantId}:${createHash('md5').update(JSON.stringify(sorted)).digest('hex')}`;
}

const itemTitle = (product, variant) => (variant.title === 'Default Title' ? product.title : `${product.title} - ${variant.title}`);

/** A product as `/products/<handle>.js` answers it. */
function renderProduct(product) {
  const prices = product.variants.map((v) => v.price);
  const compare = product.variants.map((v) => v.compare_at_price ?? 0);
  const defaultOnly = product.variants.length === 1 && product.variants[0].title === 'Default Title';
  return {
    id: product.id,
    title: product.title,
    handle: product.handle,
    description: product.description,
    published_at: '2026-10-01T09:00:00+02:00',
    created_at: '2026-09-20T09:00:00+02:00',
    vendor: 'Kolkit Demo',
    type: product.type,
    tags: [],
    price: Math.min(...prices),
    price_min: Math.min(...prices),
    price_max: Math.max(...prices),
    available: product.variants.some((v) => v.inventory > 0),
    price_varies: new Set(prices).size > 1,
    compare_at_price: Math.min(...compare) || null,
    compare_at_price_min: Math.min(...compare),
    compare_at_price_max: Math.max(...compare),
    compare_at_price_varies: new Set(compare).size > 1,
    variants: product.variants.map((v) => ({
      id: v.id,
      title: v.title,
      option1: v.title,
      option2: null,
      option3: null,
      sku: `KOL-${v.id}`,
      requires_shipping: true,
      taxable: true,
      featured_image: null,
      available: v.inventory > 0,
      name: itemTitle(product, v),
      public_title: v.title === 'Default Title' ? null : v.title,
      options: [v.title],
      price: v.price,
      weight: 200,
      compare_at_price: v.compare_at_price,
      inventory_management: 'shopify',
      barcode: null,
      quantity_rule: {min: 1, max: v.max ?? null, increment: 1},
      requires_selling_plan: false,
      selling_plan_allocations: [],
    })),
    images: [product.image],
    featured_image: product.image,
    options: [{name: defaultOnly ? 'Title' : 'Size', position: 1, values: product.variants.map((v) => v.title)}],
    url: `${SHOPIFY_PREFIX}/products/${product.handle}`,
    media: [{
      alt: product.title, id: product.id * 10, position: 1, media_type: 'image', src: product.image, width: 320, height: 320,
      aspect_ratio: 1, preview_image: {aspect_ratio: 1, height: 320, width: 320, src: product.image},
    }],
    requires_selling_plan: false,
    selling_plan_groups: [],
  };
}

/** One line as cart.js (and add.js) answer it. */
function renderItem(line) {
  const {product, variant} = variantsById.get(line.variantId);
  const linePrice = variant.price * line.quantity;
  return {
    id: variant.id,
    properties: {...line.properties},
    quantity: line.quantity,
    variant_id: variant.id,
    key: line.key,
    title: itemTitle(product, variant),
    price: variant.price,
    original_price: variant.price,
    discounted_price: variant.price,
    line_price: linePrice,
    original_line_price: linePrice,
    total_discount: 0,
    discounts: [],
    sku: `KOL-${variant.id}`,
    grams: 200,
    vendor: 'Kolkit Demo',
    taxable: true,
    product_id: product.id,
    product_has_only_default_variant: variant.title === 'Default Title',
    gift_card: false,
    final_price: variant.price,
    final_line_price: linePrice,
    url: `${SHOPIFY_PREFIX}/products/${product.handle}?variant=${variant.id}`,
    featured_image: {aspect_ratio: 1, alt: product.title, height: 320, url: product.image, width: 320},
    image: product.image,
    handle: product.handle,
    requires_shipping: true,
    product_type: product.type,
    product_title: product.title,
    product_description: product.description,
    variant_title: variant.title === 'Default Title' ? null : variant.title,
    variant_options: [variant.title],
    options_with_values: [{name: 'Title', value: variant.title}],
    line_level_discount_allocations: [],
    line_level_total_discount: 0,
    quantity_rule: {min: 1, max: variant.max ?? null, increment: 1},
    has_components: false,
  };
}

/** The cart as cart.js answers it, with the applicable codes' discounts taken off the total. */
function renderCart(cart) {
  const items = cart.items.map(renderItem);
  const subtotal = items.reduce((sum, item) => sum + item.final_line_price, 0);
  const codes = cart.discountCodes.map((code) => {
    const discount = DISCOUNTS[code.toUpperCase()];
    return {code, applicable: Boolean(discount?.active && items.length), percent: discount?.percent ?? 0};
  });
  const applications = codes.filter((c) => c.applicable).map((c) => ({
    type: 'discount_code', key: c.code, title: c.code, description: null, value: `${c.percent}.0`,
    created_at: '2026-10-01T09:00:00+02:00', value_type: 'percentage', allocation_method: 'across',
    target_selection: 'all', target_type: 'line_item', total_allocated_amount: Math.round((subtotal * c.percent) / 100),
  }));
  const discount = applications.reduce((sum, a) => sum + a.total_allocated_amount, 0);
  return {
    token: cart.token,
    note: cart.note,
    attributes: {...cart.attributes},
    original_total_price: subtotal,
    total_price: subtotal - discount,
    total_discount: discount,
    total_weight: items.reduce((sum, item) => sum + item.grams * item.quantity, 0),
    item_count: items.reduce((sum, item) => sum + item.quantity, 0),
    items,
    requires_shipping: items.length > 0,
    currency: CURRENCY,
    items_subtotal_price: subtotal,
    cart_level_discount_applications: applications,
    discount_codes: codes.map(({code, applicable}) => ({code, applicable})),
  };
}

/** What the sections need besides the cart: the cart page and the store's money format. */
const SECTION_CONTEXT = {
  cartUrl: `${SHOPIFY_PREFIX}/cart`,
  money: (cents) => new Intl.NumberFormat('en', {style: 'currency', currency: CURRENCY}).format(cents / 100),
};

/** The /cart page: a plain list, every value escaped. */
function cartPage(cart) {
  const {items, item_count: count, total_price: total} = renderCart(cart);
  const rows = items.map((i) => `<li>${escapeHtml(i.title)} × ${i.quantity}</li>`).join('');
  return `<!doctype html><html lang="en"><meta charset="utf-8"><title>Your cart</title>` +
    `<h1>Your cart (${count})</h1><ul>${rows}</ul><p>Total: ${(total / 100).toFixed(2)} ${CURRENCY}</p></html>`;
}


/** A cookie's value from the request, or null. */
function cookie(req, name) {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return null;
}

/** `decodeURIComponent`, or the raw text when it is not valid percent-encoding. */
function safeDecode(text) {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
