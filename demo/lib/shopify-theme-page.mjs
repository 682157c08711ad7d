/**
 * A Shopify product page built from kolkit's theme app extension (integrations/shopify-app/extensions/kolkit-theme/), its
 * blocks' Liquid rendered by liquidjs the way a storefront renders them, so the extension can be seen and
 * tested without a Shopify store. It talks to the local Ajax Cart API under /shopify/ (lib/shopify-ajax.mjs),
 * which is the page's `Shopify.routes.root`.
 *
 *   GET /demo/shopify-theme/                    the page, in a Horizon-style theme (its cart UI follows DOM events:
 *                                                demo/shopify-theme/theme.js). Query: `theme=dawn` renders it in a
 *                                                Dawn-like theme instead (demo/shopify-theme/dawn/: Dawn's pub/sub
 *                                                globals, a drawer and a #cart-icon-bubble the store's sections
 *                                                re-render, no DOM cart events), and `cart_icon=on-update` makes that
 *                                                theme's cartUpdate subscriber re-render the icon too (as some Dawn
 *                                                descendants do); `design_mode=1` renders it as the theme editor
 *                                                does (request.design_mode, Shopify.designMode, editor attributes);
 *                                                `layout=long` puts two tall sections between the product and
 *                                                the live section (below the fold); `embed=floating` drops the
 *                                                live section and floats the player, pin and deal from the app
 *                                                embed instead
 *   GET /demo/shopify-theme/?section_id=<id>    one section's HTML, as Shopify's Section Rendering API answers it
 *                                                (what the theme editor swaps in when a setting changes)
 *   GET /demo/shopify-theme/assets/<file>       the extension's assets/ folder: what `asset_url` points to
 *   /demo/shopify-theme/theme.css|theme.js      the theme's own files (served as demo files; dawn/ the Dawn-like's)
 *
 * What a storefront provides and this emulates: the `{% schema %}` tag (its JSON gives the settings' defaults,
 * and its "javascript"/"stylesheet" are put in the head once, the script deferred, as Shopify does),
 * `{% render block %}` for app blocks, `{% doc %}`, the filters `t` (the extension's locales), `asset_url`,
 * `image_url` and `money`, and the objects `block` (settings, id, shopify_attributes), `section`, `shop`,
 * `request` (design_mode, locale), `localization`, `routes` and `product`. The theme's `cart` object is not:
 * the theme reads the cart with /cart.js (theme.js), so the page needs no access to the store's sessions.
 * Unknown filters, undefined variables and unknown settings are errors, so a typo in a block fails the page
 * (and its test).
 */
import {randomBytes} from 'node:crypto';
import {existsSync, readFileSync, statSync} from 'node:fs';
import {join} from 'node:path';
import {Drop, Liquid, RenderTag, Tag} from 'liquidjs';
import {NO_STORE, sendText} from './http.mjs';
import {createStatic} from './static.mjs';

const PREFIX = '/demo/shopify-theme';
/** The local store's root (lib/shopify-ajax.mjs), `Shopify.routes.root` on this page. */
const STORE_ROOT = '/shopify';
/** The show the demo's live server runs: its events, its live stream. */
const DEMO_SHOW = {events: '/v1/shows/demo/events', stream: '/live/index.m3u8'};

/**
 * The product the page is about: Lune Cap as the local store sells it (its handle and variant ids are the
 * store's; test/distribution/shopify-theme.test.ts checks them against /shopify/products/lune-cap.js).
 * Prices in cents, as Liquid has them.
 */
const PRODUCT = {
  handle: 'lune-cap',
  title: 'Lune Cap',
  vendor: 'Maison Lune',
  description: '<p>Washed cotton twill, an adjustable strap and an embroidered crescent.</p>',
  featured_image: '/demo/img/cap.svg',
  price: 2400,
  compare_at_price: 3000,
  variants: [{id: 47001, title: 'Navy'}, {id: 47002, title: 'Sand'}],
};

/**
 * Creates the page's routes.
 * @param {object} options
 * @param {string} options.extensionDir the theme app extension (blocks/, snippets/, locales/, assets/)
 * @param {string} options.themeDir the demo themes: the Horizon-style one (layout/theme.liquid, sections/*.liquid), and
 *   dawn/ with the Dawn-like one's own layout and sections (the others are shared)
 */
export function createShopifyThemePage({extensionDir, themeDir}) {
  const assets = createStatic(join(extensionDir, 'assets'), ['.js', '.css']);
  const liquid = createEngine(extensionDir);

  /** Reads a Liquid file at each render: the demo shows the extension as it is now. */
  const source = (path) => readFileSync(path, 'utf8');

  /** A theme file: the Dawn-like theme's own (dawn/) when it has one, else the Horizon-style theme's. */
  function themeFile(theme, ...path) {
    const own = theme === 'dawn' ? join(themeDir, 'dawn', ...path) : null;
    return own && existsSync(own) ? own : join(themeDir, ...path);
  }

  /** An app block's Liquid and its schema. */
  function appBlock(name) {
    const text = source(join(extensionDir, 'blocks', `${name}.liquid`));
    const match = /{%-?\s*schema\s*-?%}([\s\S]*?){%-?\s*endschema\s*-?%}/.exec(text);
    if (!match) throw new Error(`blocks/${name}.liquid has no {% schema %}`);
    return {text, schema: JSON.parse(match[1])};
  }

  /**
   * Everything one page render shares: the Liquid globals and the assets the rendered app blocks asked for.
   * @param {{designMode: boolean, theme: string, cartIconOnUpdate: boolean}} options
   */
  function createRender({designMode, theme, cartIconOnUpdate}) {
    const headAssets = {stylesheets: new Set(), scripts: new Set()};
    const globals = {
      shop: {name: 'Maison Lune', permanent_domain: 'maison-lune.myshopify.com', currency: 'EUR'},
      request: {design_mode: designMode, locale: {iso_code: 'en', primary: true, root_url: STORE_ROOT}, page_type: 'product'},
      localization: {country: {iso_code: 'FR', currency: {iso_code: 'EUR'}}, language: {iso_code: 'en'}},
      routes: {
        root_url: STORE_ROOT,
        cart_url: `${STORE_ROOT}/cart`,
        cart_add_url: `${STORE_ROOT}/cart/add`,
        all_products_collection_url: `${STORE_ROOT}/collections/all`,
      },
      product: PRODUCT,
      settings: {cart_icon_on_update: cartIconOnUpdate},
    };

    /**
     * Renders one app block (or the app embed) as a storefront does: its settings are the schema's defaults
     * with the merchant's values over them; its schema's assets go in the head.
     */
    async function renderAppBlock(name, {id, settings = {}}) {
      const {text, schema} = appBlock(name);
      const values = Object.fromEntries(
        schema.settings.filter((s) => s.id).map((s) => [s.id, s.id in settings ? settings[s.id] : s.default ?? null]),
      );
      if (schema.stylesheet) headAssets.stylesheets.add(schema.stylesheet);
      if (schema.javascript) headAssets.scripts.add(schema.javascript);
      const type = `shopify://apps/kolkit/blocks/${name}/0b8f5c4e-6b8e-4e5a-9a55-kolkit`;
      const block = {
        id,
        type: '@app',
        settings: new Known(values, `blocks/${name}.liquid's settings`),
        // The theme editor finds blocks by this attribute; the storefront renders nothing.
        shopify_attributes: designMode ? `data-shopify-editor-block="${escapeAttribute(JSON.stringify({id, type}))}"` : '',
      };
      const html = await liquid.parseAndRender(text, {block}, {globals});
      return `<div id="shopify-block-${id}" class="shopify-block shopify-app-block">${html}</div>`;
    }

    /** Renders one theme section inside the wrapper Shopify gives every section. */
    async function renderSection(id, {type, settings = {}, blocks = []}) {
      const section = {
        id,
        settings,
        // App blocks render through `{% render block %}` (the engine's render tag, below).
        blocks: blocks.map((block) => ({...block, type: '@app', render: () => renderAppBlock(block.app, block)})),
      };
      const html = await liquid.parseAndRender(source(themeFile(theme, 'sections', `${type}.liquid`)), {section}, {globals});
      return `<div id="shopify-section-${id}" class="shopify-section section-${type}">${html}</div>`;
    }

    /** What Shopify's content_for_header carries that matters here: the Shopify global and the blocks' assets. */
    function contentForHeader(nonce) {
      const shopify = {
        shop: globals.shop.permanent_domain,
        locale: 'en',
        country: 'FR',
        currency: {active: 'EUR', rate: '1.0'},
        routes: {root: `${STORE_ROOT}/`},
        designMode,
      };
      const lines = [
        `<script nonce="${nonce}">window.Shopify = Object.assign(window.Shopify || {}, ${JSON.stringify(shopify).replaceAll('<', '\\u003c')});</script>`,
        ...[...headAssets.stylesheets].map((name) => `<link rel="stylesheet" href="${assetUrl(name)}" media="all">`),
        ...[...headAssets.scripts].map((name) => `<script src="${assetUrl(name)}" defer></script>`),
      ];
      return lines.join('\n    ');
    }

    return {theme, globals, renderAppBlock, renderSection, contentForHeader};
  }

  /** `asset_url`: the extension's assets folder, with a version query as Shopify's CDN URLs carry. */
  function assetUrl(name) {
    let version = 0;
    try {
      version = Math.floor(statSync(join(extensionDir, 'assets', name)).mtimeMs / 1000);
    } catch {
      // Not built yet: the URL still names the file, and the page shows what a missing asset does.
    }
    return `${PREFIX}/assets/${encodeURIComponent(name)}?v=${version}`;
  }
  liquid.registerFilter('asset_url', assetUrl);

  /** The page's sections, in order, for the query's layout. */
  function sectionsFor(query) {
    const floating = query.get('embed') === 'floating';
    const tall = query.get('layout') === 'long';
    const filler = (heading, text) => ({type: 'rich-text', settings: {heading, text: `<p>${text}</p>`}});
    return {
      'main-product': {type: 'main-product'},
      ...(tall ? {
        'rich-text-story': filler('Made slowly', 'Every cap is washed twice and finished by hand in our Lisbon workshop.'),
        'rich-text-care': filler('Care', 'Hand wash cold, reshape while damp, and let it dry in the shade.'),
      } : {}),
      ...(floating ? {} : {
        'kolkit-live': {
          type: 'apps',
          settings: {heading: 'Live now', anchor: 'live'},
          blocks: [
            {id: 'kolkit-player', app: 'live-player', settings: {stream_url: DEMO_SHOW.stream}},
            {id: 'kolkit-pin', app: 'product-pin'},
            {id: 'kolkit-deal', app: 'countdown-deal'},
            {id: 'kolkit-cart', app: 'cart-button'},
          ],
        },
      }),
    };
  }

  /** The app embed's settings: the demo show; floating elements only when asked for. */
  function embedSettings(query) {
    const floating = query.get('embed') === 'floating';
    return {
      events_url: DEMO_SHOW.events,
      stream_url: floating ? DEMO_SHOW.stream : '',
      float_player: floating,
      float_pin: floating,
      float_deal: floating,
    };
  }

  async function servePage(req, res, url) {
    const query = url.searchParams;
    const problem = checkQuery(query);
    if (problem) return sendText(res, 400, problem);
    const render = createRender({
      designMode: query.get('design_mode') === '1',
      theme: query.get('theme') ?? 'horizon',
      cartIconOnUpdate: query.get('cart_icon') === 'on-update',
    });
    const sections = sectionsFor(query);
    const nonce = randomBytes(16).toString('base64');
    const headers = {...NO_STORE, 'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': pageCsp(nonce)};

    const sectionId = query.get('section_id');
    if (sectionId !== null) {
      if (!Object.hasOwn(sections, sectionId)) return sendText(res, 404, `no section ${sectionId} on this page`);
      res.writeHead(200, headers);
      return res.end(await render.renderSection(sectionId, sections[sectionId]));
    }

    const main = [];
    for (const [id, section] of Object.entries(sections)) main.push(await render.renderSection(id, section));
    const embed = await render.renderAppBlock('kolkit-embed', {id: 'kolkit-embed', settings: embedSettings(query)});
    const html = await liquid.parseAndRender(source(themeFile(render.theme, 'layout', 'theme.liquid')), {
      sections: {
        header: await render.renderSection('header', {type: 'header'}),
        footer: await render.renderSection('footer', {type: 'footer'}),
      },
      content_for_layout: main.join('\n'),
      content_for_app_embeds: embed,
      content_for_header: render.contentForHeader(nonce),
    }, {globals: render.globals});
    res.writeHead(200, headers);
    res.end(html);
  }

  return {
    /**
     * The handler for `path` if it is one of the page's, else null. Decides without side effects.
     * @param {string} method
     * @param {string} path
     */
    route(method, path) {
      if (path !== PREFIX && !path.startsWith(`${PREFIX}/`)) return null;
      const read = (run) => (req, res, url) =>
        method === 'GET' || method === 'HEAD' ? run(req, res, url) : sendText(res, 405, 'method not allowed', {Allow: 'GET, HEAD'});
      if (path === PREFIX || path === `${PREFIX}/`) return read(servePage);
      const asset = path.slice(`${PREFIX}/assets/`.length);
      if (path.startsWith(`${PREFIX}/assets/`) && assets.accepts(asset)) return read((req, res) => assets.serve(res, asset));
      return null;
    },
  };
}

/** The query's problem, or null. */
function checkQuery(query) {
  const allowed = {
    design_mode: ['0', '1'], layout: ['product', 'long'], embed: ['section', 'floating'], theme: ['horizon', 'dawn'], cart_icon: ['on-update'],
  };
  for (const [name, values] of Object.entries(allowed)) {
    const value = query.get(name);
    if (value !== null && !values.includes(value)) return `${name}: one of ${values.join(', ')}`;
  }
  return null;
}

/**
 * The page's policy: the demo's strict one, plus a nonce for the one inline script a storefront has (the
 * Shopify global in content_for_header). kolkit itself needs no inline script or style.
 */
function pageCsp(nonce) {
  return [
    "default-src 'self'", `script-src 'self' 'nonce-${nonce}'`, "style-src 'self'", "img-src 'self' data:",
    "media-src 'self' blob: data:", "worker-src 'self' blob:", "connect-src 'self'",
    "object-src 'none'", "base-uri 'none'", "frame-ancestors 'self'",
  ].join('; ');
}

/** The Liquid engine of a storefront, as far as the extension and the demo theme use it. */
function createEngine(extensionDir) {
  const liquid = new Liquid({
    root: [join(extensionDir, 'snippets')],
    extname: '.liquid',
    strictFilters: true,
    strictVariables: true,
    lenientIf: true,
    ownPropertyOnly: true,
  });
  const locales = JSON.parse(readFileSync(join(extensionDir, 'locales', 'en.default.json'), 'utf8'));

  // Tags whose body is not Liquid output: {% schema %} (the block's JSON) and {% doc %} (a snippet's contract).
  for (const name of ['schema', 'doc']) liquid.registerTag(name, skippedBody(name));

  // `{% render block %}` renders an app block (Shopify's syntax in an app section); any other render is liquidjs's.
  liquid.registerTag('render', class extends RenderTag {
    constructor(token, remainTokens, engine, parser) {
      super(token, remainTokens, engine, parser);
      this.appBlock = token.args.trim() === 'block';
    }

    * render(ctx, emitter) {
      if (!this.appBlock) return yield* super.render(ctx, emitter);
      const block = ctx.getSync(['block']);
      if (typeof block?.render !== 'function') throw new Error('{% render block %} outside a section\'s app blocks');
      emitter.write(yield block.render());
    }
  });

  liquid.registerFilter('t', (key, ...args) => {
    const value = String(key).split('.').reduce((node, part) => (node && typeof node === 'object' ? node[part] : undefined), locales);
    if (typeof value !== 'string') throw new Error(`translation missing: ${key}`);
    const named = Object.fromEntries(args.filter(Array.isArray));
    return value.replace(/{{\s*(\w+)\s*}}/g, (all, name) => (name in named ? String(named[name]) : all));
  });
  liquid.registerFilter('money', (cents) => new Intl.NumberFormat('en', {style: 'currency', currency: 'EUR'}).format(Number(cents) / 100));
  liquid.registerFilter('image_url', (image, ...args) => {
    const width = Object.fromEntries(args.filter(Array.isArray)).width;
    const src = typeof image === 'string' ? image : image?.src;
    return src && width ? `${src}${src.includes('?') ? '&' : '?'}width=${width}` : src ?? '';
  });
  return liquid;
}

/** A block tag whose body is skipped, up to `{% end<name> %}`. */
function skippedBody(name) {
  return class extends Tag {
    constructor(token, remainTokens, engine) {
      super(token, remainTokens, engine);
      for (;;) {
        const next = remainTokens.shift();
        if (!next) throw new Error(`{% ${name} %} without {% end${name} %}`);
        if (next.name === `end${name}`) break;
      }
    }

    * render() {}
  };
}

/**
 * An object whose unknown properties are an error when Liquid reads them. A storefront renders them as
 * nothing, which would hide a misspelt setting id: here the page (and its test) fails instead.
 */
class Known extends Drop {
  #what;

  constructor(values, what) {
    super();
    Object.assign(this, values);
    this.#what = what;
  }

  liquidMethodMissing(key) {
    throw new Error(`${this.#what} have no ${String(key)}`);
  }
}

function escapeAttribute(text) {
  return text.replaceAll('&', '&amp;').replaceAll('"', '&quot;').replaceAll('<', '&lt;');
}
