// Fuzzes the player's ID3 reader (src/sources/id3-events.ts) with 20,000 seeded-random and mutated tags:
// it never throws, and the well-formed tags mixed in with broken ones still yield their show events.
// @svta/cml-id3's getId3Frames threw RangeError on about one in six such tags, out of the hls.js event
// handler, and the fragment's other events were lost (issue 10, finding 12).
// The TypeScript source is bundled with esbuild into a temp file, so this runs without `npm run build`.
import {after, before, test} from 'node:test';
import assert from 'node:assert/strict';
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath, pathToFileURL} from 'node:url';
import {build} from 'esbuild';
import {getId3Frames} from '@svta/cml-id3';
import {id3Txxx} from '../../demo/lib/id3.mjs';
import {random} from '../fixtures/random.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CASES = 20_000;
const SEED = 0x6b6f6c; // fixed: every run feeds the same inputs

let work;
/** @type {typeof import('../../src/sources/id3-events.ts')} */
let id3;

before(async () => {
  work = await mkdtemp(join(tmpdir(), 'kolkit-id3-'));
  const outfile = join(work, 'id3-events.mjs');
  await build({entryPoints: [join(ROOT, 'src/sources/id3-events.ts')], bundle: true, format: 'esm', platform: 'neutral', outfile, logLevel: 'error'});
  id3 = await import(pathToFileURL(outfile).href);
});

after(() => work && rm(work, {recursive: true, force: true}));


const concat = (...parts) => Uint8Array.from(parts.flatMap((p) => [...p]));
const synchsafe = (n) => [(n >> 21) & 0x7f, (n >> 14) & 0x7f, (n >> 7) & 0x7f, n & 0x7f];

/** A generator of inputs: valid tags (whose event is known), broken ones, and samples mixing both. */
function inputs(rand) {
  const int = (n) => Math.floor(rand() * n);
  const bytes = (n) => Uint8Array.from({length: n}, () => int(256));
  let serial = 0;
  const valid = () => {
    const event = {type: 'product.pin', id: `e${serial++}`, productId: `p${int(1000)}`, at: '2026-11-20T19:00:00.000Z'};
    return {event, tag: new Uint8Array(id3Txxx('kolkit', JSON.stringify(event)))};
  };
  /** A tag whose header (and so its length) is intact but whose inside is broken. */
  const brokenInside = () => {
    const {tag} = valid();
    const mutated = tag.slice();
    switch (int(6)) {
      case 0: { // the TXXX description never ends: @svta/cml-id3's RangeError
        const body = mutated.subarray(21);
        body.set(body.map((b) => (b === 0 ? 0x41 : b)));
        break;
      }
      case 1: // random bytes over the frames
        mutated.set(bytes(mutated.length - 10), 10);
        break;
      case 2: // a frame size larger than the tag
        mutated.set(synchsafe(int(1 << 28)), 14);
        break;
      case 3: // a frame id that is not one
        mutated.set(bytes(4), 10);
        break;
      case 4: // flipped bits anywhere after the header
        for (let i = 0; i < 1 + int(8); i++) mutated[10 + int(mutated.length - 10)] ^= 1 << int(8);
        break;
      default: { // extended-header or footer flags with nothing behind them, or another version
        mutated[5] = [0x40, 0x10, 0x50, 0xf0][int(4)];
        mutated[3] = [2, 3, 4, 5][int(4)];
      }
    }
    return mutated;
  };
  /** Anything at all: the header may lie about the size, or be no header. */
  const anything = () => {
    switch (int(5)) {
      case 0: return bytes(int(64));
      case 1: return concat([0x49, 0x44, 0x33, int(6), int(2), int(256)], synchsafe(int(1 << 28)), bytes(int(80)));
      case 2: { // a valid tag cut short
        const {tag} = valid();
        return tag.subarray(0, int(tag.length));
      }
      case 3: return concat([0x49, 0x44, 0x33, 4, 0, 0], synchsafe(200), [0x54, 0x58, 0x58, 0x58], bytes(int(200)));
      default: return brokenInside();
    }
  };
  return {int, valid, brokenInside, anything};
}

test(`${CASES} random and mutated ID3 samples: no throw, and valid tags beside broken ones keep their events`, () => {
  const rand = random(SEED);
  const {valid, brokenInside, anything} = inputs(rand);
  let libraryThrew = 0;
  let malformed = 0;
  for (let i = 0; i < CASES; i++) {
    const kind = i % 4;
    let sample;
    let expected = []; // events that must come out
    if (kind === 0) {
      sample = anything();
    } else if (kind === 1) {
      sample = brokenInside();
    } else {
      // Valid tags around a broken one whose header is intact: every valid one must still be read.
      const before = valid();
      const afterTag = valid();
      const broken = kind === 2 ? brokenInside() : anything();
      // With `anything`, the broken tag may claim any length: only the tags before it are sure to be read.
      sample = concat(before.tag, broken, afterTag.tag);
      expected = kind === 2 ? [before.event, afterTag.event] : [before.event];
    }
    // Only where the tag's declared size is true: a tag claiming up to 256 MB keeps getId3Frames walking
    // empty frames for seconds (the reader here stops at the bytes that are there).
    if (kind === 1) {
      try {
        getId3Frames(sample);
      } catch {
        libraryThrew++;
      }
    }
    let reading;
    assert.doesNotThrow(() => (reading = id3.eventsFromId3(sample)), `case ${i} threw`);
    malformed += reading.malformed.length;
    for (const event of reading.events) assert.equal(typeof event?.type, 'string', `case ${i}: a non-event came out`);
    for (const event of expected) {
      assert.ok(reading.events.some((e) => e.id === event.id), `case ${i}: the valid tag ${event.id} beside a broken one was lost`);
    }
    for (const tag of reading.malformed) {
      assert.ok(tag.bytes instanceof Uint8Array && tag.reason && !/product\.pin|kolkit/.test(tag.reason), `case ${i}: the reason quotes the payload`);
    }
  }
  // The fuzz reaches the failure it guards against, and the reader notices the broken tags.
  assert.ok(libraryThrew > CASES / 40, `getId3Frames threw on only ${libraryThrew} inputs`);
  assert.ok(malformed > CASES / 2, `only ${malformed} malformed tags noticed`);
});

test('well-formed tags: every event, nothing reported, other metadata ignored', () => {
  const events = [{type: 'product.pin', id: 'a', productId: 'p1'}, {type: 'deal.end', id: 'b', dealId: 'd', reason: 'expired'}];
  const foreign = new Uint8Array(id3Txxx('other', 'not json'));
  const sample = concat(new Uint8Array(id3Txxx('kolkit', JSON.stringify(events[0]))), foreign, new Uint8Array(id3Txxx('kolkit', JSON.stringify(events[1]))), [0, 0, 0]);
  const reading = id3.eventsFromId3(sample);
  assert.deepEqual(reading.events, events);
  assert.deepEqual(reading.malformed, []);
});

test('a broken tag is reported once with a reason, and recognised again by its fingerprint', () => {
  const event = {type: 'product.pin', id: 'c', productId: 'p2'};
  const good = new Uint8Array(id3Txxx('kolkit', JSON.stringify(event)));
  const bad = new Uint8Array(id3Txxx('kolkit', 'x')).map((b, i) => (i > 20 && b === 0 ? 0x41 : b));
  assert.throws(() => getId3Frames(concat(bad, good)), RangeError); // what the player used to let escape
  const reading = id3.eventsFromId3(concat(bad, good));
  assert.deepEqual(reading.events, [event]);
  assert.equal(reading.malformed.length, 1);
  assert.match(reading.malformed[0].reason, /TXXX could not be decoded \(RangeError\)/);
  assert.equal(id3.tagFingerprint(reading.malformed[0].bytes), id3.tagFingerprint(bad.slice()));
  assert.notEqual(id3.tagFingerprint(bad), id3.tagFingerprint(good));
});
