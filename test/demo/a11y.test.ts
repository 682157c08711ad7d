// axe-core on every demo page, as a shopper gets it: each page loads in an iframe (same origin, its own CSP
// and scripts), its kolkit elements come alive (the lazy page's after scrolling to them, as a shopper does),
// then axe-core runs inside the page on the whole document, the elements' shadow roots included. The rules:
// WCAG 2.0, 2.1 and 2.2 A and AA, and axe's best practices, none disabled (docs/accessibility.md). Then, on
// the store page, reflow (WCAG 1.4.10): no horizontal scrolling at 320 CSS px.
// Any engine: an iframe, a script element and axe-core; nothing Chromium-only.
import {expect, waitUntil} from '@open-wc/testing';
import type {AxeResults, Result} from 'axe-core';
import {deepElements} from '../fixtures/deep-elements.js';
import {hostTokenFor, uniqueId} from '../fixtures/host.js';

/** What axe checks: every WCAG A/AA tag up to 2.2, and the best practices. No rule is turned off. */
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];

type AxeWindow = Window & {axe?: {run(context: Document, options: object): Promise<AxeResults>}};

/** Loads `path` in an iframe of `width`×`height` CSS px; answers its window once loaded. */
async function load(path: string, {width = 1280, height = 900, srcdoc = false} = {}): Promise<{frame: HTMLIFrameElement; win: AxeWindow; doc: Document}> {
  const frame = document.createElement('iframe');
  frame.width = String(width);
  frame.height = String(height);
  const loaded = new Promise((resolve) => frame.addEventListener('load', resolve, {once: true}));
  if (srcdoc) frame.srcdoc = await (await fetch(path)).text();
  else frame.src = path;
  // At the top of the test page and in its viewport: a page's IntersectionObservers (kolkit's loader loads
  // the SDK when the show comes near) measure against the top-level viewport.
  document.body.prepend(frame);
  frame.scrollIntoView();
  await loaded;
  return {frame, win: frame.contentWindow as AxeWindow, doc: frame.contentDocument!};
}

/** Every kolkit element of `root` and of the shadow roots under it. */
const kolElements = (root: Document | ShadowRoot): Element[] => deepElements(root).filter((e) => e.localName.startsWith('kol-'));

/** Waits until every kolkit element on the page is defined and has rendered (a shadow root with content). */
async function alive(doc: Document, path: string) {
  const pending = () => kolElements(doc).filter((e) => !e.matches(':defined') || (e.localName !== 'kol-show' && !e.shadowRoot?.firstElementChild));
  try {
    await waitUntil(() => kolElements(doc).length > 0 && pending().length === 0, '', {timeout: 15000});
  } catch {
    throw new Error(`${path}: these kolkit elements never rendered: ${pending().map((e) => e.localName).join(', ') || '(none on the page)'}`);
  }
}

/** Runs axe-core inside the page (loaded from node_modules, a same-origin script its CSP allows). */
async function axe(win: AxeWindow, doc: Document): Promise<AxeResults> {
  if (!win.axe) {
    const script = doc.createElement('script');
    const loaded = new Promise((resolve, reject) => {
      script.addEventListener('load', resolve, {once: true});
      script.addEventListener('error', () => reject(new Error('axe-core did not load in the page')), {once: true});
    });
    script.src = '/node_modules/axe-core/axe.min.js';
    doc.head.append(script);
    await loaded;
  }
  return win.axe!.run(doc, {runOnly: {type: 'tag', values: TAGS}, resultTypes: ['violations']});
}

/**
 * Scrolls each kolkit element into view in turn, as a shopper reading down the page does: a page with kolkit's
 * loader (the lazy page, the Shopify theme) loads the SDK only when an element comes near. (Not `<kol-show>`
 * itself: it has no box of its own.)
 */
function scrollThrough(doc: Document) {
  for (const el of doc.querySelectorAll('*')) if (el.localName.startsWith('kol-') && el.localName !== 'kol-show') el.scrollIntoView();
}

/** One line per violation and node: rule, impact, where, and axe's summary of what is wrong. */
const describe_ = (violations: Result[]) =>
  violations.flatMap((v) => v.nodes.map((n) => `${v.id} (${v.impact}) at ${JSON.stringify(n.target)}: ${n.failureSummary?.replace(/\s+/g, ' ')}`)).join('\n');

/**
 * The demo pages, and how to know one is ready: its kolkit elements rendered, unless it says otherwise.
 */
const PAGES: {path: string | (() => Promise<string>); ready?: (doc: Document) => unknown; srcdoc?: boolean}[] = [
  {path: '/demo/store.html'},
  {path: '/demo/browse.html?item=p-tee'}, // the multi-page store's other pages, the show floating in the corner
  {path: '/demo/lazy.html'},
  // Its markup and scripts as they are, but loaded as the frame's srcdoc, without its CSP header: the page
  // enforces Trusted Types (its point), which refuse axe-core's script from a string URL, and both policy
  // names it allows are kolkit's and Lit's. (axe cannot run from this page on the frame's document either:
  // it checks nodes against its own window's Node.) What runs under the CSP is tested by the CSP tests.
  {path: '/demo/strict.html', srcdoc: true},
  {path: '/demo/double.html'},
  {path: '/demo/themed.html'},
  {path: '/demo/react/index.html'},
  {path: '/demo/shopify-theme/'},
  {path: '/demo/shopify-theme/?theme=dawn'},
  // The host's studio (no kolkit elements): without a token (it says what to do), then signed in for a show
  // of the test's own, its panels shown once its host stream is open.
  {path: '/studio', ready: (doc) => doc.querySelector('main.refusal, form')},
  {path: async () => {
    const show = uniqueId('a11y-studio');
    return `/studio?show=${show}#token=${await hostTokenFor(show)}`;
  }, ready: (doc) => doc.querySelector('#connection[data-status="open"]')},
];

describe('demo pages: axe-core (WCAG 2.2 A/AA and best practices, no rule disabled)', function () {
  this.timeout(60000);
  let frame: HTMLIFrameElement | null = null;
  // The studio keeps its host token for the tab, which the frames share with this page (and its earlier tests).
  beforeEach(() => sessionStorage.removeItem('kolkit-studio-token'));
  afterEach(() => {
    frame?.remove();
    frame = null;
    sessionStorage.removeItem('kolkit-studio-token');
  });

  for (const page of PAGES) {
    const name = typeof page.path === 'string' ? page.path : '/studio (signed in)';
    it(`${name} has no violations`, async () => {
      const path = typeof page.path === 'string' ? page.path : await page.path();
      const loaded = await load(path, {srcdoc: page.srcdoc});
      frame = loaded.frame;
      scrollThrough(loaded.doc);
      if (page.ready) await waitUntil(() => page.ready!(loaded.doc), `${name} was never ready: ${loaded.doc.body?.outerHTML.slice(0, 300)}`, {timeout: 15000});
      else await alive(loaded.doc, name);
      const results = await axe(loaded.win, loaded.doc);
      expect(describe_(results.violations), 'axe violations').to.equal('');
    });
  }
});

describe('demo store page: reflow (WCAG 1.4.10), left to right and right to left', function () {
  this.timeout(60000);

  for (const dir of ['ltr', 'rtl']) {
    it(`needs no horizontal scrolling at 320 CSS px wide, with every element shown (dir="${dir}")`, async () => {
      const path = dir === 'rtl' ? '/demo/store.html?lang=ar' : '/demo/store.html';
      const {frame, doc} = await load(path, {width: 320, height: 640});
      try {
        expect(doc.documentElement.dir || 'ltr').to.equal(dir);
        await alive(doc, path);
        const overflowing = kolElements(doc).filter((e) => {
          const r = e.getBoundingClientRect();
          return r.width > 0 && (r.left < -0.5 || r.right > 320 + 0.5);
        }).map((e) => e.localName);
        expect(overflowing, 'elements outside the 320 px viewport').to.deep.equal([]);
        expect(doc.documentElement.scrollWidth, 'the page scrolls sideways').to.be.at.most(320);
      } finally {
        frame.remove();
      }
    });
  }

  it('is axe-clean in Arabic, right to left (/demo/store.html?lang=ar)', async () => {
    const {frame, win, doc} = await load('/demo/store.html?lang=ar');
    try {
      expect([doc.documentElement.lang, doc.documentElement.dir]).to.deep.equal(['ar', 'rtl']);
      await alive(doc, '/demo/store.html?lang=ar');
      const results = await axe(win, doc);
      expect(describe_(results.violations), 'axe violations').to.equal('');
    } finally {
      frame.remove();
    }
  });
});
