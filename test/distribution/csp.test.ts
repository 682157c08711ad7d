/**
 * demo/strict.html: the loader, the live player with hls.js in its worker, a pin and an add to cart, on a
 * page served with a strict CSP and Trusted Types enforced. The page reports every violation itself
 * (demo/report.js); none may happen.
 */
import {expect, waitUntil} from '@open-wc/testing';
import {engine} from '../fixtures/engine.js';
import {fetchedScripts, openHtml, openPage, pinAndAddToCart, reported, whenDefined} from './helpers.js';

describe('strict CSP and Trusted Types (demo/strict.html)', function () {
  this.timeout(60000);
  let frame: HTMLIFrameElement;
  let doc: Document;

  before(async () => {
    frame = await openPage('/demo/strict.html');
    doc = frame.contentDocument!;
    await whenDefined(frame);
  });
  after(() => frame.remove());

  it('is served with the strict policy: no unsafe-inline, no unsafe-eval, Trusted Types required', async () => {
    const csp = (await fetch('/demo/strict.html')).headers.get('content-security-policy')!;
    expect(csp).to.include("require-trusted-types-for 'script'");
    expect(csp).to.include('trusted-types lit-html kolkit');
    expect(csp).to.include("script-src 'self'");
    expect(csp).not.to.match(/unsafe-(inline|eval)/);
  });

  it('plays the live stream with hls.js transmuxing in its worker', async () => {
    const player = doc.querySelector('kol-live-player')!;
    await waitUntil(() => player.getAttribute('status') === 'live', `player status ${player.getAttribute('status')}`, {timeout: 20000});
    const video = player.shadowRoot!.querySelector('video')!;
    const start = video.currentTime;
    await waitUntil(() => video.currentTime > start + 0.5, 'the video did not advance', {timeout: 10000});
    expect(fetchedScripts(frame.contentWindow!)).to.include('/dist/cdn/hls.worker.js');
  });

  it('shows a pin and adds it to the cart', async () => {
    await pinAndAddToCart(doc, 'p-tee');
  });

  it('has had no policy violation, warning or error', () => {
    expect(reported(doc, 'violation')).to.deep.equal([]);
    expect(reported(doc, 'error')).to.deep.equal([]);
    expect(reported(doc, 'warning')).to.deep.equal([]);
  });

  it('would have reported one: the page really refuses a plain string as a Worker URL (what hls.js passes)', async () => {
    const win = frame.contentWindow as Window & typeof globalThis;
    // Engine-specific message: Chromium's names the missing TrustedScriptURL, Firefox's calls it a "sink type
    // mismatch". Both refuse, and both report the violation below.
    expect(() => new win.Worker('/dist/cdn/hls.worker.js')).to.throw(engine === 'firefox' ? /Sink type mismatch/ : /TrustedScriptURL/);
    await waitUntil(() => reported(doc, 'violation').length === 1, 'the violation was not reported');
    expect(reported(doc, 'violation')[0]).to.match(/require-trusted-types-for/);
  });
});

describe('a nonce-based CSP', () => {
  it('lets the loader import kolkit.js: import() carries the loader tag’s nonce', async function () {
    this.timeout(20000);
    const frame = await openHtml(`<!doctype html>
      <meta http-equiv="Content-Security-Policy" content="script-src 'nonce-k0lk1t'; object-src 'none'; base-uri 'none'">
      <script nonce="k0lk1t" src="/dist/cdn/kolkit-loader.js"></script>
      <kol-cart-button show="live"></kol-cart-button>`);
    try {
      await whenDefined(frame);
      expect(fetchedScripts(frame.contentWindow!)).to.include('/dist/cdn/kolkit.js');
    } finally {
      frame.remove();
    }
  });
});
