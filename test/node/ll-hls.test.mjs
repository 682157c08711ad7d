// The demo origin's low-latency HLS without a browser: parts cut from the fixture keep every sample as it
// was, an event shows up (as DATERANGE and as emsg ID3) only once the part it falls in is published, and
// blocking reloads follow RFC 8216bis §6.2.5.2. The browser side is test/player/ll-hls.test.ts.
import assert from 'node:assert/strict';
import {join} from 'node:path';
import {describe, it} from 'node:test';
import {fileURLToPath} from 'node:url';
import {loadFmp4Fixture} from '../../demo/lib/fixtures.mjs';
import {createLowLatencyStream, PUBLISH_DELAY_MS} from '../../demo/lib/ll-hls.mjs';
import {cutParts} from '../../demo/lib/ll-hls-parts.mjs';
import {initTracks, readSamples} from '../../demo/lib/fmp4.mjs';

const fixture = loadFmp4Fixture(join(fileURLToPath(new URL('../../demo/media/live-fmp4', import.meta.url))));
const tracks = initTracks(fixture.init);
const startAt = Date.parse('2026-12-01T12:00:00.000Z');
const stream = createLowLatencyStream({fixture, segmentDuration: 2, windowSize: 6, startAt});
/** Wall-clock ms just after stream-wide part `g` is published. */
const after = (g) => stream.publishedAt(g) + 1;

describe('low-latency HLS parts', () => {
  it('keeps every sample of every fixture segment, once, in order, with its timestamps and flags', () => {
    fixture.names.forEach((name, index) => {
      const segment = fixture.bytes(index);
      const parts = cutParts(segment, tracks, 5);
      assert.equal(parts.length, 5);
      assert.deepEqual(parts.map((p) => p.independent), [true, false, false, false, false], name);
      assert.ok(Math.abs(parts.reduce((n, p) => n + p.duration, 0) - 2) < 1e-9, `${name}: the parts add up to 2 s`);
      const again = parts.flatMap((p) => readSamples(p.bytes, tracks));
      for (const run of readSamples(segment, tracks)) {
        const samples = again.filter((r) => r.trackId === run.trackId).flatMap((r) => r.samples);
        assert.equal(samples.length, run.samples.length, `${name} track ${run.trackId}`);
        run.samples.forEach((s, i) => {
          const t = samples[i];
          assert.ok(s.dts === t.dts && s.cts === t.cts && s.duration === t.duration && s.flags === t.flags && s.data.equals(t.data), `${name} track ${run.trackId} sample ${i}`);
        });
      }
    });
  });

  it('lists an event, and writes it into its part, only once that part is published', () => {
    const seq = 100;
    const segmentStart = startAt + seq * 2000;
    // In part 2 of segment 100 (0.8–1.2 s into it).
    const event = {v: 1, id: 'evt-ll-1', type: 'product.pin', productId: 'p-cap', at: new Date(segmentStart + 1000).toISOString()};
    const g = seq * 5 + 2;
    const before = stream.render(after(g - 1), [event]);
    assert.ok(!before.includes('ID="evt-ll-1"'), 'listed before its part is out');
    assert.match(before, /#EXT-X-PRELOAD-HINT:TYPE=PART,URI="part\/100\.2\.m4s"/);
    assert.equal(stream.media(after(g - 1), seq, 2, [event]), null, 'the part is served before it is published');
    const published = stream.render(after(g), [event]);
    assert.ok(published.includes('ID="evt-ll-1"'), 'not listed once its part is out');
    assert.match(published, /#EXT-X-PART:DURATION=0\.400,URI="part\/100\.2\.m4s"\n#EXT-X-PRELOAD-HINT:TYPE=PART,URI="part\/100\.3\.m4s"/);
    const part = stream.media(after(g), seq, 2, [event]);
    assert.ok(part.includes(Buffer.from('"id":"evt-ll-1"')), 'the part carries the event as ID3');
    assert.ok(!stream.media(after(g), seq, 1, [event]).includes(Buffer.from('evt-ll-1')), 'an earlier part carries it too');
    // The whole segment is its parts back to back.
    const whole = stream.media(after(seq * 5 + 4), seq, null, [event]);
    const parts = [0, 1, 2, 3, 4].map((k) => stream.media(after(seq * 5 + 4), seq, k, [event]));
    assert.ok(whole.equals(Buffer.concat(parts)));
  });

  it('answers blocking reloads as RFC 8216bis §6.2.5.2 says', () => {
    const g = 100 * 5 + 2; // the newest part: 100.2
    const now = after(g);
    assert.deepEqual(stream.reload(now, 100, 2), {ready: true});
    assert.deepEqual(stream.reload(now, 99, null), {ready: true});
    assert.deepEqual(stream.reload(now, 100, 3), {waitUntil: stream.publishedAt(g + 1)});
    // A part past the segment's last is the next segment's first.
    assert.deepEqual(stream.reload(now, 100, 7), {waitUntil: stream.publishedAt(101 * 5)});
    // _HLS_msn alone: the whole segment.
    assert.deepEqual(stream.reload(now, 100, null), {waitUntil: stream.publishedAt(100 * 5 + 4)});
    assert.ok('error' in stream.reload(now, 103, null), 'more than two segments ahead');
    assert.ok('error' in stream.reload(now, 100, 2 + 8), 'past the Advance Part Limit (7.5 parts)');
    assert.equal(stream.publishedAt(g) - (startAt + (g + 1) * 400), PUBLISH_DELAY_MS);
  });
});
