// Fault injection on the live origin (demo/lib/faults.mjs, contract in demo/README.md): each kind is
// observable on its own faultId and nowhere else — another faultId, or no fault, is served normally — so
// tests running against the one shared server cannot disturb each other.
import {expect, waitUntil} from '@open-wc/testing';
import {mediaSequence, playlist, SEGMENT_MS, segmentUris, sleep, statusOf, unique} from './helpers.js';

/** A live playlist URL with a fault of `kind` under a fresh faultId. */
function faulty(kind: string, {after, length, path = '/live/index.m3u8'}: {after: number; length?: number; path?: string}) {
  const id = unique(kind);
  const query = new URLSearchParams({fault: kind, faultId: id, faultAfter: String(after), ...(length ? {faultFor: String(length)} : {})});
  return {id, url: `${path}?${query}`};
}

/** Resolves once `seconds` have passed since `t0` (performance.now() ms). */
const at = (t0: number, seconds: number) => sleep(Math.max(0, t0 + seconds * 1000 - performance.now()));

/** The absolute URL of the newest segment of a playlist fetched from `url`. */
const newestSegment = (url: string, text: string) => new URL(segmentUris(text).at(-1)!, new URL(url, location.href)).href;

describe('demo: fault injection', function () {
  this.timeout(30000);

  it('carries the fault parameters onto every segment URI, and rejects malformed ones', async () => {
    for (const path of ['/live/index.m3u8', '/live-fmp4/index.m3u8']) {
      const {url, id} = faulty('drop', {after: 60, length: 2, path});
      const {text, res} = await playlist(`${url}&id3=1`);
      expect(res.status).to.equal(200);
      for (const uri of segmentUris(text)) {
        const params = new URL(uri, 'http://x/').searchParams;
        expect(Object.fromEntries(params), uri).to.deep.equal({id3: '1', fault: 'drop', faultId: id, faultAfter: '60', faultFor: '2'});
      }
    }
    for (const query of ['fault=bogus&faultId=a', 'fault=stall', 'fault=stall&faultId=a%20b', 'fault=end&faultId=a&faultAfter=-1',
      'fault=drop&faultId=a&faultFor=0', 'faultId=a', 'id3=yes']) {
      expect(await statusOf(`/live/index.m3u8?${query}`), query).to.equal(400);
    }
  });

  it('segment-404: segments answer 404 during the window, then 200 again; other streams are unaffected', async () => {
    const t0 = performance.now();
    const {url} = faulty('segment-404', {after: 1, length: 2.5});
    const {text} = await playlist(url); // starts this faultId's clock
    const segment = newestSegment(url, text);
    expect(await statusOf(segment), 'before').to.equal(200);

    await at(t0, 1.4);
    expect(await statusOf(segment), 'during').to.equal(404);
    // The same segment under another faultId (its clock starts now) and without a fault.
    expect(await statusOf(segment.replace(/faultId=[^&]+/, `faultId=${unique('other')}`)), 'other faultId').to.equal(200);
    expect(await statusOf(segment.replace(/\?.*$/, '')), 'no fault').to.equal(200);

    await at(t0, 4);
    expect(await statusOf(segment), 'after').to.equal(200);
  });

  it('stall: the playlist stops advancing during the window, then jumps to the live window', async () => {
    const t0 = performance.now();
    const {url} = faulty('stall', {after: 0.5, length: 5});
    const {text: before} = await playlist(url);

    await at(t0, 0.9);
    const {text: stalled} = await playlist(url);
    await at(t0, 0.9 + (SEGMENT_MS + 500) / 1000);
    const {text: still} = await playlist(url);
    const {text: live} = await playlist();
    expect(still, 'same playlist while stalled').to.equal(stalled);
    expect(mediaSequence(stalled)).to.be.at.least(mediaSequence(before));
    expect(mediaSequence(live), 'the live stream went on').to.be.above(mediaSequence(stalled));
    // Another faultId with the same kind and window has its own clock: not stalled yet.
    const other = faulty('stall', {after: 0.5, length: 5});
    expect(mediaSequence((await playlist(other.url)).text)).to.be.closeTo(mediaSequence(live), 1);

    await at(t0, 6);
    const {text: after} = await playlist(url);
    expect(mediaSequence(after), 'back at the live edge').to.be.closeTo(mediaSequence((await playlist()).text), 1);
    expect(mediaSequence(after)).to.be.above(mediaSequence(stalled));
  });

  it('drop: segment bodies are cut off mid-way during the window; other streams get whole segments', async () => {
    const t0 = performance.now();
    const {url} = faulty('drop', {after: 0.5, length: 3, path: '/live-fmp4/index.m3u8'});
    const {text} = await playlist(url);
    const segment = newestSegment(url, text);
    const whole = async (href: string) => {
      const res = await fetch(href, {referrerPolicy: 'no-referrer'});
      return (await res.arrayBuffer()).byteLength === Number(res.headers.get('content-length'));
    };
    expect(await whole(segment), 'before').to.equal(true);

    await at(t0, 0.9);
    const res = await fetch(segment, {referrerPolicy: 'no-referrer'});
    expect(res.status, 'headers arrive').to.equal(200);
    let error: unknown;
    await res.arrayBuffer().catch((e: unknown) => (error = e));
    expect(error, 'the body read fails').to.be.an.instanceOf(TypeError);
    expect(await whole(segment.replace(/faultId=[^&]+/, `faultId=${unique('other')}`)), 'other faultId').to.equal(true);
    expect(await whole(segment.replace(/\?.*$/, '')), 'no fault').to.equal(true);

    await at(t0, 4);
    expect(await whole(segment), 'after').to.equal(true);
  });

  it('playlist-500: playlist requests answer 500 during the window only, for that faultId only', async () => {
    const t0 = performance.now();
    const {url} = faulty('playlist-500', {after: 0.5, length: 2, path: '/live-fmp4/index.m3u8'});
    expect(await statusOf(url), 'before').to.equal(200);
    await at(t0, 0.9);
    expect(await statusOf(url), 'during').to.equal(500);
    expect(await statusOf(faulty('playlist-500', {after: 0.5, length: 2}).url), 'other faultId').to.equal(200);
    expect(await statusOf('/live-fmp4/index.m3u8'), 'no fault').to.equal(200);
    await at(t0, 3);
    expect(await statusOf(url), 'after').to.equal(200);
  });

  it('end: after faultAfter the playlist gets EXT-X-ENDLIST and stops advancing; nothing else ends', async () => {
    const t0 = performance.now();
    const {url} = faulty('end', {after: 0.5});
    const {text: before} = await playlist(url);
    expect(before).not.to.contain('#EXT-X-ENDLIST');

    await at(t0, 0.9);
    const {text: ended} = await playlist(url);
    expect(ended.trimEnd().endsWith('#EXT-X-ENDLIST'), ended).to.equal(true);
    // The segments listed are still there to play out.
    expect(await statusOf(newestSegment(url, ended))).to.equal(200);
    await waitUntil(async () => mediaSequence((await playlist()).text) > mediaSequence(ended), 'the live stream did not advance', {
      timeout: 2 * SEGMENT_MS + 1000,
      interval: 250,
    });
    expect((await playlist(url)).text, 'no longer advancing').to.equal(ended);
    expect((await playlist(faulty('end', {after: 0.5}).url)).text, 'other faultId').not.to.contain('#EXT-X-ENDLIST');
    expect((await playlist()).text, 'no fault').not.to.contain('#EXT-X-ENDLIST');
  });
});
