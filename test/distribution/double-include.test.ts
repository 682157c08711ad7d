/**
 * Two copies of kolkit on one page define each element once, throw nothing, and log one warning that names
 * both versions: demo/double.html (an older build from "another app" plus the loader twice), and the npm
 * copy (the source, served by the dev server) beside the CDN build in this very page.
 */
import {expect, waitUntil} from '@open-wc/testing';
import {KolShow} from '../../src/index.js';
import {VERSION as SOURCE_VERSION} from '../../src/core/version.js';
import {fetchedScripts, openPage, pinAndAddToCart, reported, whenDefined} from './helpers.js';

const TAGS = ['kol-show', 'kol-live-player', 'kol-product-pin', 'kol-countdown-deal', 'kol-cart-button'];
type Versioned = CustomElementConstructor & {version: string};

describe('kolkit included twice (demo/double.html)', function () {
  this.timeout(60000);
  let frame: HTMLIFrameElement;
  let doc: Document;
  let win: Window & {Kolkit?: {VERSION: string}};
  let release: string;

  before(async () => {
    frame = await openPage('/demo/double.html');
    doc = frame.contentDocument!;
    win = frame.contentWindow!;
    await whenDefined(frame);
    release = (win as unknown as Record<symbol, {version: string}>)[Symbol.for('kolkit.loader')].version;
    // Both copies have run once the page has kolkit.js from the loader and the other copy.
    await waitUntil(() => ['/dist/cdn/kolkit.js', '/dist/cdn-as/0.0.9/kolkit.js'].every((path) => fetchedScripts(win).includes(path)),
      'both copies were not fetched', {timeout: 15000});
    await waitUntil(() => reported(doc, 'warning').length > 0, 'no warning', {timeout: 5000});
  });
  after(() => frame.remove());

  it('fetches kolkit.js once for two loaders, and logs one warning naming both versions', () => {
    expect(release).to.match(/^\d+\.\d+\.\d+/).and.not.equal('0.0.9');
    expect(fetchedScripts(win).filter((path) => path === '/dist/cdn/kolkit.js')).to.have.length(1);
    const warnings = reported(doc, 'warning');
    expect(warnings, warnings.join('\n')).to.have.length(1);
    expect(warnings[0]).to.include('0.0.9').and.include(release);
    expect(reported(doc, 'error')).to.deep.equal([]);
  });

  it('defines every element from one copy, the one window.Kolkit belongs to', () => {
    const versions = TAGS.map((tag) => (win.customElements.get(tag) as Versioned).version);
    expect(new Set(versions).size, versions.join()).to.equal(1);
    expect([release, '0.0.9']).to.include(versions[0]);
    expect(win.Kolkit!.VERSION).to.equal(versions[0]);
  });

  it('works: a pin appears and adds to the cart', async () => {
    await pinAndAddToCart(doc, 'p-cap');
  });
});

describe('kolkit from npm beside the CDN build, in one page', () => {
  it('keeps the npm copy’s elements and logs one warning naming both versions', async () => {
    const warnings: string[] = [];
    const warn = console.warn;
    console.warn = (...args: unknown[]) => warnings.push(args.map(String).join(' '));
    try {
      // This file imported the npm copy (the source) above: its elements are defined. Now the CDN copy.
      const cdn = '/dist/cdn/kolkit.js';
      await import(/* @vite-ignore */ cdn);
      await Promise.resolve();
    } finally {
      console.warn = warn;
    }
    expect(customElements.get('kol-show')).to.equal(KolShow);
    const ours = warnings.filter((text) => text.startsWith('[kolkit]'));
    expect(ours, ours.join('\n')).to.have.length(1);
    expect(ours[0]).to.include(SOURCE_VERSION).and.match(/\d+\.\d+\.\d+/);
  });
});
