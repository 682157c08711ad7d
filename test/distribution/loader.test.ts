/**
 * dist/cdn/kolkit-loader.js on demo/lazy.html, whose show is far below the fold: the loader alone is fetched
 * until the show comes near the viewport, is touched, or a kolkit element is added where the shopper is.
 */
import {expect, waitUntil} from '@open-wc/testing';
import {fetchedScripts, openHtml, openPage, reported, whenDefined} from './helpers.js';

type LoaderRecord = {version: string; src: string; load(): Promise<void>};
const loaderOf = (win: Window) => (win as unknown as Record<symbol, LoaderRecord | undefined>)[Symbol.for('kolkit.loader')];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const kolkitLoads = (win: Window) => fetchedScripts(win).filter((path) => path === '/dist/cdn/kolkit.js').length;

/**
 * Resolves once the frame has laid out and told its intersection observers where the elements are (ours,
 * created after the loader's, reports after it), plus a moment for a request the loader would have made.
 */
async function settled(frame: HTMLIFrameElement): Promise<void> {
  const win = frame.contentWindow as Window & typeof globalThis;
  const target = frame.contentDocument!.querySelector('kol-live-player')!;
  await new Promise<void>((resolve) => {
    const observer = new win.IntersectionObserver(() => {
      observer.disconnect();
      resolve();
    });
    observer.observe(target);
  });
  await sleep(500);
}

/** Own string-keyed properties of `win` that a blank page's window does not have. */
function addedGlobals(win: Window): string[] {
  const blank = document.createElement('iframe');
  document.body.append(blank);
  const base = new Set(Object.getOwnPropertyNames(blank.contentWindow!));
  blank.remove();
  return Object.getOwnPropertyNames(win).filter((name) => !base.has(name));
}

describe('kolkit-loader.js (demo/lazy.html: the show far below the fold)', function () {
  this.timeout(30000);
  let frame: HTMLIFrameElement;
  afterEach(() => frame?.remove());

  it('fetches only itself while no kolkit element is near, then kolkit.js once the show is scrolled near', async () => {
    frame = await openPage('/demo/lazy.html', {width: 800, height: 600});
    const win = frame.contentWindow!;
    await settled(frame);
    expect(fetchedScripts(win)).to.deep.equal(['/dist/cdn/kolkit-loader.js']);
    expect(win.customElements.get('kol-show')).to.equal(undefined);
    expect(loaderOf(win)!.src).to.equal(new URL('/dist/cdn/kolkit.js', location.href).href);

    frame.contentDocument!.getElementById('live-title')!.scrollIntoView();
    await whenDefined(frame);
    expect(kolkitLoads(win)).to.equal(1);
    const player = frame.contentDocument!.querySelector('kol-live-player')!;
    await waitUntil(() => player.getAttribute('status') === 'live', 'the player did not start once loaded', {timeout: 20000});
  });

  it('adds no string-named global before kolkit.js, and then only window.Kolkit and Lit’s own', async () => {
    frame = await openPage('/demo/lazy.html', {width: 800, height: 600});
    const win = frame.contentWindow!;
    await settled(frame);
    expect(addedGlobals(win)).to.deep.equal([]);
    expect(loaderOf(win)).to.exist;
    await loaderOf(win)!.load();
    await whenDefined(frame);
    // Lit's are shared by every copy of Lit on a page (its version lists, its decorators' metadata).
    const lit = ['litElementVersions', 'litHtmlVersions', 'litPropertyMetadata', 'reactiveElementVersions'];
    expect(addedGlobals(win).sort()).to.deep.equal(['Kolkit', ...lit]);
  });

  it('loads kolkit.js when a far element is touched (pointerdown)', async () => {
    frame = await openPage('/demo/lazy.html', {width: 800, height: 600});
    const win = frame.contentWindow as Window & typeof globalThis;
    await settled(frame);
    expect(win.customElements.get('kol-show')).to.equal(undefined);
    const pin = frame.contentDocument!.querySelector('kol-product-pin')!;
    pin.dispatchEvent(new win.PointerEvent('pointerdown', {bubbles: true, composed: true}));
    await whenDefined(frame);
    expect(kolkitLoads(win)).to.equal(1);
  });

  it('loads kolkit.js when a kolkit element is added later where the shopper is', async () => {
    frame = await openPage('/demo/lazy.html', {width: 800, height: 600});
    const win = frame.contentWindow!;
    const doc = frame.contentDocument!;
    await settled(frame);
    expect(win.customElements.get('kol-show')).to.equal(undefined);
    const cart = doc.createElement('kol-cart-button');
    cart.setAttribute('show', 'live');
    doc.querySelector('.site-header')!.append(cart);
    await whenDefined(frame);
    expect(kolkitLoads(win)).to.equal(1);
  });

  it('leaves the work to the first loader: a second one (another release, another folder) imports nothing and warns once', async () => {
    frame = await openHtml(`<!doctype html>
      <script src="/demo/report.js"></script>
      <script src="/dist/cdn/kolkit-loader.js"></script>
      <script src="/dist/cdn-as/0.0.9/kolkit-loader.js"></script>
      <kol-cart-button show="live"></kol-cart-button>
      <ol id="report"></ol>`, {width: 800, height: 600});
    const win = frame.contentWindow!;
    await whenDefined(frame);
    const release = loaderOf(win)!.version;
    expect(release).not.to.equal('0.0.9');
    expect(fetchedScripts(win).filter((path) => path.endsWith('/kolkit.js'))).to.deep.equal(['/dist/cdn/kolkit.js']);
    const warnings = reported(frame.contentDocument!, 'warning');
    expect(warnings, warnings.join('\n')).to.have.length(1);
    expect(warnings[0]).to.include('0.0.9').and.include(release);
  });
});
