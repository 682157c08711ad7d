/**
 * A Storefront API for the shopify-storefront adapter's tests, answering from the schema Shopify ships in
 * `@shopify/hydrogen-react` (API 2026-04). Every incoming document is VALIDATED against that schema, so a
 * misspelt field or a wrong argument fails as it would on Shopify (HTTP 200, top-level `errors`, no data),
 * then EXECUTED by graphql-js against a small in-memory store (test/fixtures/storefront-catalog.mjs).
 *
 * Behaviour copied from Shopify where the adapter depends on it:
 * - `X-Shopify-Storefront-Access-Token` is required (401 without, or with a wrong one).
 * - `@inContext(country:, language:)` picks the presentment currency (US → USD, else EUR) and the title.
 * - Since 2024-10, stock problems are cart *warnings*, not userErrors: an add beyond the stock is clamped
 *   to what is left (MERCHANDISE_NOT_ENOUGH_STOCK), a sold-out variant gets a line of quantity 0
 *   (MERCHANDISE_OUT_OF_STOCK); the warning's target is the cart line.
 * - A quantity rule's maximum is a userError (MAXIMUM_EXCEEDED) and changes nothing.
 * - Unknown merchandise is a userError (INVALID on `…merchandiseId`); an unknown cart reads as null and
 *   mutations on it answer INVALID on `cartId` with a null cart; a cart id that is not a cart GID fails
 *   the mutation field itself (null payload, "Invalid global id" error at its path).
 * - Lines with the same merchandise and the same attributes merge.
 * - Amounts are decimal strings the way Shopify writes them ("29.0", "26.1").
 * - Product discount codes (the catalog's) lower the lines they apply to: the line's `cost.totalAmount` and
 *   the cart's `subtotalAmount`. An order discount code (TAKE5, 5 off the items) is a cart-level
 *   `discountAllocations` entry: `subtotalAmount` is before it, `totalAmount` after it. A code that applies
 *   to nothing in the cart stays on it with `applicable: false`; an unknown one also warns DISCOUNT_NOT_FOUND.
 *
 * Routes (all under /storefront/):
 * - POST /storefront/api/2026-04/graphql.json   the API
 * - POST /storefront/validate                   `{query}` → `{errors: [message…]}`, validation only
 * - POST /storefront/down/api/2026-04/graphql.json   a store that is down (503, Retry-After: 0)
 * - POST /storefront/down/log                   the operation names the down store received since the last
 *                                               call, in order: how a test sees what was (re)sent
 * - POST /storefront/fault                      `{operation: 'KolCartDiscountCodesUpdate', mode: 'status' |
 *                                               'hang', status?}`: the next request running that operation
 *                                               answers `status` (default 503) or never answers, and runs nothing
 * - POST /storefront/fault/held                 `{held}`: the operation names of the requests hung so far
 */
import {readFileSync} from 'node:fs';
import {createRequire} from 'node:module';
import {randomUUID} from 'node:crypto';
import {
  buildClientSchema, execute, getDirectiveValues, getOperationAST, getVariableValues, GraphQLError, parse, validate,
} from 'graphql';
import {STOREFRONT_API_VERSION, STOREFRONT_TOKEN, discounts, products} from '../fixtures/storefront-catalog.mjs';

const PREFIX = '/storefront/';
const API_PATH = `${PREFIX}api/${STOREFRONT_API_VERSION}/graphql.json`;
const DOWN_PATH = `${PREFIX}down/api/${STOREFRONT_API_VERSION}/graphql.json`;
const DOWN_LOG_PATH = `${PREFIX}down/log`;
const VALIDATE_PATH = `${PREFIX}validate`;
const FAULT_PATH = `${PREFIX}fault`;
/** Faults armed by POST /storefront/fault, by operation name, each used once. */
const faults = new Map();
/** Operation names of the requests a 'hang' fault has held, in order. */
let held = [];
/** How long a hung request is held before its socket is dropped, if the client never gives up. */
const HANG_MS = 60_000;
/** Operation names the down store received (`KolCartCreate`…), until the next read of the log. */
let downLog = [];
const CHECKOUT_ORIGIN = 'https://kolkit-test.myshopify.com';

/** The shipped schema, built on first use (789 KB of introspection JSON). */
let schema;
function storefrontSchema() {
  if (!schema) {
    const require = createRequire(import.meta.url);
    const path = require.resolve('@shopify/hydrogen-react/storefront.schema.json');
    schema = buildClientSchema(JSON.parse(readFileSync(path, 'utf8')));
  }
  return schema;
}

/** Parses and validates `query`: the document, or the GraphQL errors Shopify would answer. */
function checkDocument(query) {
  let document;
  try {
    document = parse(String(query ?? ''));
  } catch (error) {
    return {errors: [error]};
  }
  const errors = validate(storefrontSchema(), document);
  return errors.length ? {errors} : {document};
}

// ---------------------------------------------------------------------------------------------------------
// The store: catalog lookups and carts by id.

const productsById = new Map(products.map((p) => [p.id, p]));
const variantsById = new Map(products.flatMap((p) => p.variants.map((v) => [v.id, {...v, product: p}])));
/** Carts by id: `{id, lines: [{id, variantId, quantity, attributes}], discountCodes, createdAt, updatedAt}`. */
const carts = new Map();

const GID = /^gid:\/\/shopify\/[A-Za-z]+\/[^/?#]+(\?.*)?$/;

/** `minor` units as Shopify writes a Decimal: "29.0", "26.1", "12.5", "3.99". */
function decimal(minor) {
  const whole = Math.trunc(minor / 100);
  const cents = Math.abs(minor % 100);
  return cents === 0 ? `${whole}.0` : cents % 10 === 0 ? `${whole}.${cents / 10}` : `${whole}.${String(cents).padStart(2, '0')}`;
}

/** What `@inContext` asked for on this request: presentment currency and language. */
function buyerContext(inContext) {
  const country = inContext?.country ?? 'ZZ';
  return {country, currency: country === 'US' ? 'USD' : 'EUR', language: inContext?.language ?? 'EN'};
}

const money = (pricesByCurrency, ctx) => ({amount: decimal(pricesByCurrency[ctx.currency]), currencyCode: ctx.currency});

function productView(p, ctx) {
  return {
    __typename: 'Product',
    id: p.id,
    handle: p.handle,
    title: p.title[ctx.language] ?? p.title.EN,
    description: p.description,
    descriptionHtml: `<p>${p.description}</p>`,
    onlineStoreUrl: `${CHECKOUT_ORIGIN}/products/${p.handle}`,
    availableForSale: p.variants.some((v) => v.stock === undefined || v.stock > 0),
    featuredImage: p.image && {...p.image, id: `gid://shopify/ProductImage/${p.handle}`},
    variants: (args) => connection(p.variants.map((v) => variantView({...v, product: p}, ctx)), args),
  };
}

function variantView(v, ctx) {
  return {
    __typename: 'ProductVariant',
    id: v.id,
    title: v.title,
    availableForSale: v.stock === undefined || v.stock > 0,
    currentlyNotInStock: v.stock === 0,
    quantityAvailable: v.stock ?? null,
    price: money(v.price, ctx),
    compareAtPrice: v.compareAtPrice ? money(v.compareAtPrice, ctx) : null,
    quantityRule: {minimum: 1, maximum: v.maximum ?? null, increment: 1},
    selectedOptions: [{name: 'Title', value: v.title}],
    product: () => productView(v.product, ctx),
    image: null,
  };
}

/** A Relay connection over `items` honouring `first` (enough for the adapter's `first:` reads). */
function connection(items, {first} = {}) {
  const page = first === undefined ? items : items.slice(0, first);
  return {
    nodes: page,
    edges: page.map((node, i) => ({node, cursor: String(i)})),
    pageInfo: {hasNextPage: page.length < items.length, hasPreviousPage: false, startCursor: '0', endCursor: String(page.length - 1)},
  };
}

/** Order discount codes: an amount off the items, by currency, allocated at the cart level. */
const ORDER_DISCOUNTS = {TAKE5: {amountOff: {EUR: 500, USD: 500}}};

const isKnownCode = (code) => Boolean(discounts[code.toUpperCase()] || ORDER_DISCOUNTS[code.toUpperCase()]);

/** The percentage a line gets from the cart's codes (the best one). */
function linePercentOff(cart, variant) {
  let best = 0;
  for (const code of cart.discountCodes) {
    const discount = discounts[code.toUpperCase()];
    if (discount && (!discount.productIds || discount.productIds.includes(variant.product.id))) best = Math.max(best, discount.percent);
  }
  return best;
}

function cartView(cart, ctx) {
  const lines = cart.lines.map((line) => {
    const v = variantsById.get(line.variantId);
    const unit = v.price[ctx.currency];
    const subtotal = unit * line.quantity;
    const total = Math.round((subtotal * (100 - linePercentOff(cart, v))) / 100);
    return {
      __typename: 'CartLine',
      id: line.id,
      quantity: line.quantity,
      attributes: line.attributes.map((a) => ({...a})),
      attribute: ({key}) => line.attributes.find((a) => a.key === key) ?? null,
      merchandise: variantView(v, ctx),
      cost: {
        amountPerQuantity: {amount: decimal(unit), currencyCode: ctx.currency},
        compareAtAmountPerQuantity: v.compareAtPrice ? money(v.compareAtPrice, ctx) : null,
        subtotalAmount: {amount: decimal(subtotal), currencyCode: ctx.currency},
        totalAmount: {amount: decimal(total), currencyCode: ctx.currency},
      },
      discountAllocations: [],
      _total: total,
    };
  });
  const itemsTotal = lines.reduce((sum, l) => sum + l._total, 0);
  const hasItems = cart.lines.some((l) => l.quantity > 0);
  // Cart-level allocations of the order codes, each at most what is left of the items.
  let left = itemsTotal;
  const allocations = cart.discountCodes.flatMap((code) => {
    const order = ORDER_DISCOUNTS[code.toUpperCase()];
    if (!order || !hasItems) return [];
    const off = Math.min(order.amountOff[ctx.currency], left);
    left -= off;
    return [{
      __typename: 'CartCodeDiscountAllocation',
      code,
      discountedAmount: {amount: decimal(off), currencyCode: ctx.currency},
      targetType: 'LINE_ITEM',
    }];
  });
  const subtotal = {amount: decimal(itemsTotal), currencyCode: ctx.currency};
  const total = {amount: decimal(left), currencyCode: ctx.currency};
  return {
    id: cart.id,
    checkoutUrl: `${CHECKOUT_ORIGIN}/cart/c/${cart.token}?key=${cart.key}`,
    createdAt: cart.createdAt,
    updatedAt: cart.updatedAt,
    note: null,
    attributes: cart.attributes ?? [],
    totalQuantity: cart.lines.reduce((n, l) => n + l.quantity, 0),
    discountCodes: cart.discountCodes.map((code) => ({
      code,
      applicable: ORDER_DISCOUNTS[code.toUpperCase()]
        ? hasItems
        : cart.lines.some((l) => linePercentOff({discountCodes: [code]}, variantsById.get(l.variantId)) > 0),
    })),
    discountAllocations: allocations,
    buyerIdentity: {countryCode: ctx.country === 'ZZ' ? null : ctx.country, email: null, phone: null},
    cost: {
      subtotalAmount: subtotal,
      totalAmount: total,
      checkoutChargeAmount: total,
      totalTaxAmount: null,
      totalDutyAmount: null,
      subtotalAmountEstimated: false,
      totalAmountEstimated: false,
      totalTaxAmountEstimated: false,
      totalDutyAmountEstimated: false,
    },
    lines: (args) => connection(lines, args),
  };
}

// ---------------------------------------------------------------------------------------------------------
// Cart mutations, each on a working copy of the cart lines: a mutation with userErrors changes nothing.

const sameAttributes = (a, b) =>
  a.length === b.length && a.every((x) => b.some((y) => y.key === x.key && y.value === x.value));

/** Sets `line.quantity` to `wanted`, clamped to the stock the other lines leave; answers a warning if clamped. */
function settleStock(lines, line, wanted, v) {
  line.quantity = wanted;
  if (v.stock === undefined) return null;
  const others = lines.filter((l) => l !== line && l.variantId === v.id).reduce((n, l) => n + l.quantity, 0);
  const left = Math.max(v.stock - others, 0);
  if (wanted <= left) return null;
  line.quantity = left;
  const title = v.product.title.EN;
  return left === 0
    ? {code: 'MERCHANDISE_OUT_OF_STOCK', message: `The product '${title}' is already sold out.`, target: line.id}
    : {code: 'MERCHANDISE_NOT_ENOUGH_STOCK', message: `Only ${left} items were added to your cart due to availability.`, target: line.id};
}

function maximumError(v, quantity, field) {
  return v.maximum !== undefined && quantity > v.maximum
    ? {field, code: 'MAXIMUM_EXCEEDED', message: `The maximum quantity of ${v.product.title.EN} per order is ${v.maximum}.`}
    : null;
}

function addLines(cart, inputs, path) {
  const lines = cart.lines.map((l) => ({...l}));
  const userErrors = [];
  const warnings = [];
  inputs.forEach((input, i) => {
    const field = [...path, 'lines', String(i)];
    const v = variantsById.get(input.merchandiseId);
    if (!v) {
      userErrors.push({field: [...field, 'merchandiseId'], code: 'INVALID', message: `The merchandise with id ${input.merchandiseId} does not exist.`});
      return;
    }
    const quantity = input.quantity ?? 1;
    if (quantity < 1) {
      userErrors.push({field: [...field, 'quantity'], code: 'INVALID', message: 'The quantity must be at least 1.'});
      return;
    }
    const attributes = (input.attributes ?? []).map(({key, value}) => ({key, value}));
    let line = lines.find((l) => l.variantId === v.id && sameAttributes(l.attributes, attributes));
    const wanted = (line?.quantity ?? 0) + quantity;
    const tooMany = maximumError(v, wanted, [...field, 'quantity']);
    if (tooMany) {
      userErrors.push(tooMany);
      return;
    }
    if (!line) {
      line = {id: `gid://shopify/CartLine/${randomUUID()}?cart=${cart.token}`, variantId: v.id, quantity: 0, attributes};
      lines.push(line);
    }
    const warning = settleStock(lines, line, wanted, v);
    if (warning) warnings.push(warning);
  });
  return {lines, userErrors, warnings};
}

function updateLines(cart, inputs) {
  let lines = cart.lines.map((l) => ({...l}));
  const userErrors = [];
  const warnings = [];
  inputs.forEach((input, i) => {
    const field = ['lines', String(i)];
    const line = lines.find((l) => l.id === input.id);
    if (!line) {
      userErrors.push({field: [...field, 'id'], code: 'INVALID', message: `The merchandise line with id ${input.id} does not exist.`});
      return;
    }
    const quantity = input.quantity ?? line.quantity;
    if (quantity < 0) {
      userErrors.push({field: [...field, 'quantity'], code: 'INVALID', message: 'The quantity must be at least 0.'});
      return;
    }
    if (quantity === 0) {
      lines = lines.filter((l) => l !== line);
      return;
    }
    const v = variantsById.get(line.variantId);
    const tooMany = maximumError(v, quantity, [...field, 'quantity']);
    if (tooMany) {
      userErrors.push(tooMany);
      return;
    }
    if (input.attributes) line.attributes = input.attributes.map(({key, value}) => ({key, value}));
    const warning = settleStock(lines, line, quantity, v);
    if (warning) warnings.push(warning);
  });
  return {lines, userErrors, warnings};
}

function removeLines(cart, lineIds) {
  const userErrors = lineIds.flatMap((id, i) =>
    cart.lines.some((l) => l.id === id)
      ? []
      : [{field: ['lineIds', String(i)], code: 'INVALID', message: `The merchandise line with id ${id} does not exist.`}],
  );
  return {lines: cart.lines.filter((l) => !lineIds.includes(l.id)), userErrors, warnings: []};
}

function discountWarnings(cart) {
  return cart.discountCodes
    .filter((code) => !isKnownCode(code))
    .map((code) => ({code: 'DISCOUNT_NOT_FOUND', message: `Enter a valid discount code. ${code} is not valid.`, target: cart.id}));
}

/** Applies `change` (a function of the cart answering `{lines, userErrors, warnings}`) to the cart `cartId`. */
function mutateCart(cartId, ctx, change) {
  // As Shopify: an id that is not a cart GID fails the field (null, with an error at its path).
  if (!/^gid:\/\/shopify\/Cart\//.test(cartId)) throw new GraphQLError(`Invalid global id '${cartId}'`);
  const cart = carts.get(cartId);
  if (!cart) {
    return {cart: null, userErrors: [{field: ['cartId'], code: 'INVALID', message: 'The specified cart does not exist.'}], warnings: []};
  }
  const {lines, userErrors, warnings} = change(cart);
  if (userErrors.length) return {cart: cartView(cart, ctx), userErrors, warnings: []};
  cart.lines = lines;
  cart.updatedAt = new Date().toISOString();
  return {cart: cartView(cart, ctx), userErrors, warnings: [...warnings, ...soldOutWarnings(cart, warnings)]};
}

/** Every mutation warns again about lines left sold out (quantity 0), as Shopify does. */
function soldOutWarnings(cart, already) {
  return cart.lines
    .filter((l) => l.quantity === 0 && !already.some((w) => w.target === l.id))
    .map((l) => ({code: 'MERCHANDISE_OUT_OF_STOCK', message: `The product '${variantsById.get(l.variantId).product.title.EN}' is already sold out.`, target: l.id}));
}

function newCart() {
  const token = randomUUID().replaceAll('-', '');
  const key = randomUUID().slice(0, 8);
  const now = new Date().toISOString();
  return {id: `gid://shopify/Cart/${token}?key=${key}`, token, key, lines: [], discountCodes: [], createdAt: now, updatedAt: now};
}

const uniqueCodes = (codes) => [...new Map(codes.map((c) => [c.toUpperCase(), c])).values()];

/** The root resolvers: graphql-js calls `root[field](args, context)`. */
const root = {
  nodes: ({ids}, ctx) =>
    ids.map((id) => {
      if (!GID.test(id)) throw new GraphQLError(`Invalid global id '${id}'`, {extensions: {code: 'argumentLiteralsIncompatible'}});
      const p = productsById.get(id);
      if (p) return productView(p, ctx);
      const v = variantsById.get(id);
      return v ? variantView(v, ctx) : null;
    }),
  node: ({id}, ctx) => root.nodes({ids: [id]}, ctx)[0],
  product: ({id, handle}, ctx) => {
    const p = id ? productsById.get(id) : products.find((x) => x.handle === handle);
    return p ? productView(p, ctx) : null;
  },
  cart: ({id}, ctx) => {
    const cart = carts.get(id);
    return cart ? cartView(cart, ctx) : null;
  },
  cartCreate: ({input = {}}, ctx) => {
    const cart = newCart();
    const {lines, userErrors, warnings} = addLines(cart, input.lines ?? [], ['input']);
    if (userErrors.length) return {cart: null, userErrors, warnings: []};
    cart.lines = lines;
    cart.discountCodes = uniqueCodes(input.discountCodes ?? []);
    carts.set(cart.id, cart);
    return {cart: cartView(cart, ctx), userErrors, warnings: [...warnings, ...discountWarnings(cart)]};
  },
  cartLinesAdd: ({cartId, lines}, ctx) => mutateCart(cartId, ctx, (cart) => addLines(cart, lines, [])),
  cartLinesUpdate: ({cartId, lines}, ctx) => mutateCart(cartId, ctx, (cart) => updateLines(cart, lines)),
  cartLinesRemove: ({cartId, lineIds}, ctx) => mutateCart(cartId, ctx, (cart) => removeLines(cart, lineIds)),
  // Replaces the whole set, as Shopify does.
  cartAttributesUpdate: ({cartId, attributes}, ctx) => {
    const cart = carts.get(cartId);
    if (cart) cart.attributes = attributes.map(({key, value}) => ({key, value}));
    return mutateCart(cartId, ctx, (c) => ({lines: c.lines, userErrors: [], warnings: []}));
  },
  cartDiscountCodesUpdate: ({cartId, discountCodes}, ctx) => {
    const cart = carts.get(cartId);
    if (cart) cart.discountCodes = uniqueCodes(discountCodes);
    const result = mutateCart(cartId, ctx, (c) => ({lines: c.lines, userErrors: [], warnings: discountWarnings(c)}));
    return result;
  },
};

// ---------------------------------------------------------------------------------------------------------
// HTTP.

async function readJson(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    return undefined;
  }
}

const errorJson = (error) => ({message: error.message, ...(error.locations ? {locations: error.locations} : {}), ...(error.path ? {path: error.path} : {}), ...(error.extensions && Object.keys(error.extensions).length ? {extensions: error.extensions} : {})});

/** Runs one GraphQL request the way Shopify answers it: validation errors are 200 with `errors` only. */
function runGraphQL(body) {
  const checked = checkDocument(body?.query);
  if (checked.errors) return {errors: checked.errors.map(errorJson)};
  const operation = getOperationAST(checked.document, body.operationName);
  if (!operation) return {errors: [{message: 'An operation name is required when the document has several.'}]};
  const variables = getVariableValues(storefrontSchema(), operation.variableDefinitions ?? [], body.variables ?? {});
  if (variables.errors) return {errors: variables.errors.map(errorJson)};
  const inContext = getDirectiveValues(storefrontSchema().getDirective('inContext'), operation, variables.coerced);
  const result = execute({
    schema: storefrontSchema(),
    document: checked.document,
    rootValue: root,
    contextValue: buyerContext(inContext),
    variableValues: body.variables ?? {},
    operationName: body.operationName,
  });
  return {...(result.errors ? {errors: result.errors.map(errorJson)} : {}), data: result.data};
}

/** Koa middleware serving /storefront/ (see the file comment); every other path goes on. */
export async function middleware(ctx, next) {
  if (!ctx.path.startsWith(PREFIX)) return next();
  ctx.set('cache-control', 'no-store');
  if (ctx.method !== 'POST') {
    ctx.status = 405;
    ctx.body = {errors: 'Method not allowed'};
    return;
  }
  if (ctx.path === VALIDATE_PATH) {
    const body = await readJson(ctx.req);
    const checked = checkDocument(body?.query);
    ctx.body = {errors: (checked.errors ?? []).map((e) => e.message)};
    return;
  }
  if (ctx.path === `${FAULT_PATH}/held`) {
    ctx.body = {held};
    return;
  }
  if (ctx.path === FAULT_PATH) {
    const body = await readJson(ctx.req);
    if (typeof body?.operation !== 'string' || !['status', 'hang'].includes(body.mode)) {
      ctx.status = 400;
      ctx.body = {errors: 'operation: an operation name; mode: status or hang'};
      return;
    }
    faults.set(body.operation, {mode: body.mode, status: body.status ?? 503});
    held = held.filter((name) => name !== body.operation); // a new fault: its hang is not held yet
    ctx.status = 201;
    ctx.body = {ok: true};
    return;
  }
  if (ctx.path === DOWN_LOG_PATH) {
    ctx.body = {operations: downLog};
    downLog = [];
    return;
  }
  if (ctx.path === DOWN_PATH) {
    // A store that is down: reads retry at once (Retry-After: 0) and then give up, mutations give up.
    const query = (await readJson(ctx.req))?.query;
    downLog.push(/(?:query|mutation)\s+(\w+)/.exec(String(query))?.[1] ?? 'anonymous');
    ctx.status = 503;
    ctx.set('retry-after', '0');
    ctx.body = {errors: 'Service Unavailable'};
    return;
  }
  if (ctx.path !== API_PATH) {
    ctx.status = 404;
    ctx.body = {errors: 'Not Found'};
    return;
  }
  if (ctx.get('x-shopify-storefront-access-token') !== STOREFRONT_TOKEN) {
    ctx.status = 401;
    ctx.body = {errors: '[API] Invalid API key or access token (unrecognized login or wrong password)'};
    return;
  }
  const body = await readJson(ctx.req);
  const operation = /(?:query|mutation)\s+(\w+)/.exec(String(body?.query))?.[1];
  const fault = operation && faults.get(operation);
  if (fault) {
    faults.delete(operation);
    if (fault.mode === 'hang') {
      held.push(operation);
      ctx.respond = false;
      const timer = setTimeout(() => ctx.res.destroy(), HANG_MS);
      ctx.res.once('close', () => clearTimeout(timer));
      return;
    }
    ctx.status = fault.status;
    ctx.body = {errors: [{message: `${operation} answered ${fault.status} by request`}]};
    return;
  }
  ctx.status = 200;
  ctx.body = body && typeof body === 'object' ? runGraphQL(body) : {errors: [{message: 'The request body is not JSON.'}]};
}
