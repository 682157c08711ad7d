/**
 * The demo origin's low-latency HLS (/live-ll/, demo/lib/ll-hls.mjs): a valid LL playlist, blocking reloads
 * held until the asked part is published (and refused when too far ahead), and <kol-live-player> playing it
 * from parts, closer to the host than the regular stream can be, with pins still at the host's moment.
 */
import {expect, fixture, html, waitUntil} from '@open-wc/testing';
import '../../src/index.js';
import type {KolProductPin, KolShow} from '../../src/index.js';
import {MemoryAdapter} from '../../src/adapters/memory.js';
import {freshCatalog} from '../fixtures/catalog.js';
import {uniqueId} from '../fixtures/host.js';
import {releaseSkew} from '../fixtures/release-skew.js';

const LL = '/live-ll/index.m3u8';

const text = async (url: string) => {
  const response = await fetch(url, {cache: 'no-store'});
  return {status: response.status, body: await response.text()};
};

/** The attributes of a tag line: `#EXT-X-PART:DURATION=0.400,URI="…"` → {DURATION: '0.400', URI: '…'}. */
const attributes = (line: string) =>
  Object.fromEntries([...line.slice(line.indexOf(':') + 1).matchAll(/([A-Z-]+)=("[^"]*"|[^,]*)/g)].map(([, k, v]) => [k, v.replace(/^"|"$/g, '')]));

/** A live playlist's segments (sequence numbers from EXT-X-MEDIA-SEQUENCE), their parts, and the trailing ones. */
function parse(playlist: string) {
  const lines = playlist.trim().split('\n');
  let seq = Number(attributes(`X:V=${lines.find((l) => l.startsWith('#EXT-X-MEDIA-SEQUENCE:'))!.split(':')[1]}`).V);
  const segments: Array<{seq: number; duration: number; uri: string; pdt: string | null; parts: Array<Record<string, string>>}> = [];
  let parts: Array<Record<string, string>> = [];
  let pdt: string | null = null;
  let extinf: number | null = null;
  for (const line of lines) {
    if (line.startsWith('#EXT-X-PROGRAM-DATE-TIME:')) pdt = line.slice(25);
    else if (line.startsWith('#EXT-X-PART:')) parts.push(attributes(line));
    else if (line.startsWith('#EXTINF:')) extinf = Number(line.slice(8).split(',')[0]);
    else if (!line.startsWith('#') && extinf !== null) {
      segments.push({seq: seq++, duration: extinf, uri: line, pdt, parts});
      parts = [];
      pdt = null;
      extinf = null;
    }
  }
  const tag = (name: string) => {
    const line = lines.find((l) => l.startsWith(`#${name}:`));
    return line ? attributes(line) : null;
  };
  return {segments, trailing: {seq, pdt, parts}, tag, lines};
}

/** The part the playlist's preload hint names, as [segment, part]. */
const hinted = (playlist: string): [number, number] => {
  const uri = parse(playlist).tag('EXT-X-PRELOAD-HINT')!.URI;
  const [, msn, part] = /^part\/(\d+)\.(\d+)\.m4s/.exec(uri)!;
  return [Number(msn), Number(part)];
};

/** Whether the playlist lists part `k` of segment `msn` (as a part, or as the whole segment). */
const lists = (playlist: string, msn: number, k: number) =>
  playlist.split('\n').some((l) => l.startsWith('#EXT-X-PART:') && l.includes(`URI="part/${msn}.${k}.m4s`)) ||
  parse(playlist).segments.some((s) => s.seq >= msn);

describe('low-latency HLS (demo origin)', function () {
  this.timeout(60000);

  it('serves a valid LL playlist: server control, part target, parts and a preload hint', async () => {
    const {status, body} = await text(LL);
    expect(status).to.equal(200);
    const playlist = parse(body);
    const control = playlist.tag('EXT-X-SERVER-CONTROL')!;
    const partTarget = Number(playlist.tag('EXT-X-PART-INF')!['PART-TARGET']);
    expect(control['CAN-BLOCK-RELOAD']).to.equal('YES');
    expect(partTarget).to.be.within(0.33, 0.5);
    // RFC 8216bis §4.4.3.8: PART-HOLD-BACK at least twice, and should be three times, the part target.
    expect(Number(control['PART-HOLD-BACK'])).to.be.at.least(3 * partTarget - 1e-9);
    expect(body).to.contain('#EXT-X-MAP:URI="init.mp4"');

    const withParts = playlist.segments.filter((s) => s.parts.length);
    expect(withParts.length, 'complete segments listed with their parts').to.be.at.least(1);
    for (const segment of withParts) {
      const total = segment.parts.reduce((n, p) => n + Number(p.DURATION), 0);
      expect(total, `segment ${segment.seq}: its parts add up to it`).to.be.closeTo(segment.duration, 0.001);
      for (const p of segment.parts) expect(Number(p.DURATION)).to.be.at.most(partTarget);
      // The first part starts with the segment's keyframe: a player may start there.
      expect(segment.parts[0].INDEPENDENT).to.equal('YES');
      expect(segment.pdt, `segment ${segment.seq} has a program date`).to.be.a('string');
    }
    // The hint names the part right after the last one listed.
    const next = playlist.trailing.parts.length ? [playlist.trailing.seq, playlist.trailing.parts.length] : [playlist.trailing.seq, 0];
    expect(hinted(body)).to.deep.equal(next);

    // Its media is there: the init segment, a listed part and a listed segment (CMAF: moof + mdat).
    const lastPart = withParts.at(-1)!.parts.at(-1)!.URI;
    for (const uri of ['init.mp4', lastPart, withParts.at(-1)!.uri]) {
      const response = await fetch(`/live-ll/${uri}`);
      expect(response.status, uri).to.equal(200);
      expect((await response.arrayBuffer()).byteLength, uri).to.be.greaterThan(100);
    }
  });

  it('holds a blocking reload until the asked part is published, and serves the hinted part when it is', async () => {
    const first = (await text(LL)).body;
    const [msn, k] = hinted(first);
    expect(lists(first, msn, k), 'the hinted part is not listed yet').to.equal(false);
    // Both wait on the origin; neither is answered before the part exists.
    const [reload, part] = await Promise.all([text(`${LL}?_HLS_msn=${msn}&_HLS_part=${k}`), fetch(`/live-ll/part/${msn}.${k}.m4s`)]);
    expect(reload.status).to.equal(200);
    expect(lists(reload.body, msn, k), 'the answer lists the asked part').to.equal(true);
    expect(part.status).to.equal(200);
    expect((await part.arrayBuffer()).byteLength).to.be.greaterThan(100);

    // _HLS_msn alone waits for the whole segment.
    const [next] = hinted(reload.body);
    const whole = await text(`${LL}?_HLS_msn=${next}`);
    expect(parse(whole.body).segments.some((s) => s.seq === next), `segment ${next} complete`).to.equal(true);
  });

  it('refuses a reload too far ahead with 400 (RFC 8216bis §6.2.5.2), and an unhinted future part with 404', async () => {
    const body = (await text(LL)).body;
    const [msn, k] = hinted(body);
    expect((await text(`${LL}?_HLS_msn=${msn + 3}`)).status, 'more than two segments ahead').to.equal(400);
    expect((await text(`${LL}?_HLS_msn=${msn}&_HLS_part=${k + 9}`)).status, 'past the Advance Part Limit').to.equal(400);
    expect((await text(`${LL}?_HLS_part=${k}`)).status, '_HLS_part without _HLS_msn').to.equal(400);
    expect((await text(`${LL}?_HLS_msn=x`)).status).to.equal(400);
    expect((await fetch(`/live-ll/part/${msn + 2}.0.m4s`)).status, 'a part nobody was told about').to.equal(404);
    // An old segment's reload is answered at once with the current playlist.
    expect((await text(`${LL}?_HLS_msn=${msn - 1}`)).status).to.equal(200);
  });

  async function showOn(src: string, productId: string) {
    const products = freshCatalog();
    // A product of this test's own: other tests pin on the same demo show.
    products.push({...products[0], id: productId, title: `LL ${productId}`});
    const show = await fixture<KolShow>(html`<kol-show .adapter=${new MemoryAdapter({products})}>
      <kol-live-player src=${src} muted autoplay></kol-live-player><kol-product-pin></kol-product-pin></kol-show>`);
    await waitUntil(() => show.programTime !== null, `no program time on ${src}`, {timeout: 20000});
    return show;
  }

  for (const [name, query] of [['EXT-X-DATERANGE', ''], ['ID3 in the parts (emsg)', '?id3=1&daterange=0']]) {
    it(`<kol-live-player> plays it from parts near the live edge, and a pin by ${name} shows at the host's moment`, async () => {
      const productId = uniqueId('ll-pin');
      const show = await showOn(LL + query, productId);
      // Played from parts, not whole segments.
      await waitUntil(() => performance.getEntriesByType('resource').some((e) => e.name.includes('/live-ll/part/')), 'no part was loaded', {timeout: 10000});
      // Behind the host by less than the regular stream's hold back (three 2-s target durations).
      await waitUntil(() => Date.now() - show.programTime!.getTime() < 6000, 'not nearer the host than regular HLS', {timeout: 20000});

      const skew = await releaseSkew(show, productId);
      const pin = show.querySelector<KolProductPin>('kol-product-pin')!;
      await waitUntil(() => pin.shadowRoot!.querySelector('[part~="title"]')?.textContent?.trim() === `LL ${productId}`, 'the pin never showed the product');
      console.log(`[ll-hls] ${name}: skew ${skew} ms, ${Date.now() - show.programTime!.getTime()} ms behind the host`);
      expect(skew).to.be.within(0, 250);
    });
  }
});
