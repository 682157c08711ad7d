// Shared by the demo-app tests: host actions (through the show server's API, with a host token), playlist parsing, and the in-stream carriers' decoders (what a
// player has to do with what the origin writes: base64url JSON in a DATERANGE, TXXX frames in ID3).
import {expect} from '@open-wc/testing';
import {postHostEvent} from '../fixtures/host.js';

export type Json = Record<string, unknown>;
export interface ShowEvent extends Json {
  v: 1;
  id: string;
  type: string;
  at: string;
}

export const SEGMENT_MS = 2000; // web-test-runner.config.mjs: createDemoApp({segmentDuration: 2})
export const unique = (prefix: string) => `${prefix}-${Math.random().toString(36).slice(2, 8)}`;
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Status of a request expected to fail; without a Referer, web-test-runner does not list it as a stray 404. */
export const statusOf = async (url: string) => (await fetch(url, {referrerPolicy: 'no-referrer'})).status;

/** Posts a host event to the demo show with the host token (test/fixtures/host.ts). */
export const post = (body: unknown) => postHostEvent(body);

export async function hostEvent(body: Json): Promise<ShowEvent> {
  const {status, json} = await post(body);
  expect(status, JSON.stringify(json)).to.equal(201);
  return json as ShowEvent;
}

export async function playlist(url = '/live/index.m3u8'): Promise<{text: string; res: Response}> {
  const res = await fetch(url, {referrerPolicy: 'no-referrer'});
  return {text: await res.text(), res};
}

/** `KEY="value"` and `KEY=value` attributes of one tag line. */
export function attributes(line: string): Record<string, string> {
  const list = line.slice(line.indexOf(':') + 1);
  return Object.fromEntries([...list.matchAll(/([A-Z0-9-]+)=("[^"]*"|[^,]*)/g)].map(([, k, v]) => [k, v.replace(/^"|"$/g, '')]));
}

export function base64urlJson(text: string): unknown {
  const base64 = text.replace(/-/g, '+').replace(/_/g, '/');
  const bytes = Uint8Array.from(atob(base64.padEnd(Math.ceil(base64.length / 4) * 4, '=')), (c) => c.charCodeAt(0));
  return JSON.parse(new TextDecoder().decode(bytes));
}

export const mediaSequence = (text: string) => Number(/#EXT-X-MEDIA-SEQUENCE:(\d+)/.exec(text)![1]);
export const segmentUris = (text: string) => text.trim().split('\n').filter((l) => l && !l.startsWith('#'));
export const programDates = (text: string) =>
  text.split('\n').filter((l) => l.startsWith('#EXT-X-PROGRAM-DATE-TIME:')).map((l) => Date.parse(l.slice(25)));

/** The TXXX frames of an ID3v2.3/2.4 tag, as {description, value}. */
export function readTxxx(tag: Uint8Array): Array<{description: string; value: string}> {
  const synchsafe = (i: number) => ((tag[i] & 0x7f) << 21) | ((tag[i + 1] & 0x7f) << 14) | ((tag[i + 2] & 0x7f) << 7) | (tag[i + 3] & 0x7f);
  if (tag.length < 10 || String.fromCharCode(tag[0], tag[1], tag[2]) !== 'ID3') return [];
  const version = tag[3];
  const end = Math.min(tag.length, 10 + synchsafe(6));
  const frames = [];
  for (let offset = 10; offset + 10 <= end; ) {
    const id = String.fromCharCode(...tag.subarray(offset, offset + 4));
    if (!/^[A-Z0-9]{4}$/.test(id)) break;
    const size = version === 4 ? synchsafe(offset + 4) : new DataView(tag.buffer, tag.byteOffset).getUint32(offset + 4);
    const body = tag.subarray(offset + 10, offset + 10 + size);
    if (id === 'TXXX' && body[0] === 3) {
      const text = new TextDecoder().decode(body.subarray(1));
      const nul = text.indexOf('\0');
      frames.push({description: text.slice(0, nul), value: text.slice(nul + 1).replace(/\0$/, '')});
    }
    offset += 10 + size;
  }
  return frames;
}
