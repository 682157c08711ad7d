/**
 * The script-tag build starts hls.js on a player's source, into the video the player will take, before the
 * player is defined (cdn/early-engine.ts; issue 16: the first frame as soon as bare hls.js's). Here the same
 * two calls are made for a player that has not had its first update yet: what a shopper must get is the
 * same show as without them: it plays in the player, no event hls.js read meanwhile is lost, and the stream
 * is not loaded twice.
 */
import {expect, waitUntil} from '@open-wc/testing';
import '../../src/index.js';
import type {KolLivePlayer, KolShow} from '../../src/index.js';
import {makeEarlyVideo} from '../../src/player/early-video.js';
import {prestartEngine} from '../../src/player/engine.js';
import {hostAct, uniqueId} from '../fixtures/host.js';
import {countRequests} from '../fixtures/wait.js';

/** A show and its player, made but not yet in the page (no first update: as before the elements are defined). */
function unattachedShow(src: string): {show: KolShow; player: KolLivePlayer} {
  const show = document.createElement('kol-show') as KolShow;
  const player = document.createElement('kol-live-player') as KolLivePlayer;
  player.setAttribute('src', src);
  player.setAttribute('muted', '');
  player.setAttribute('autoplay', '');
  show.append(player);
  return {show, player};
}

/** The demo stream's segments downloaded from now on, by name, in order. */
function segmentsFetched(): {readonly names: string[]; stop(): void} {
  const names: string[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const name = /\/live\/seg\/(\d+\.ts)$/.exec(entry.name)?.[1];
      if (name) names.push(name);
    }
  });
  observer.observe({type: 'resource'});
  return {names, stop: () => observer.disconnect()};
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('hls.js started before the player is defined', function () {
  this.timeout(60000);
  let show: KolShow | undefined;
  afterEach(() => show?.remove());

  it('plays in the player, delivers the date range hls.js read before the player existed, and loads the stream once', async () => {
    const productId = uniqueId('early');
    const {id} = await hostAct({type: 'product.pin', productId});
    const src = `/live/index.m3u8?daterange=1&early=${uniqueId('s')}`;
    await waitUntil(async () => (await (await fetch(src, {cache: 'no-store'})).text()).includes(`ID="${id}"`),
      'the pin was never listed', {timeout: 10000, interval: 100});
    const playlists = countRequests(new RegExp(`${escape(src)}$`));
    const segments = segmentsFetched();
    const made = unattachedShow(src);
    show = made.show;
    const video = makeEarlyVideo(made.player);
    prestartEngine(src, video);
    // hls.js has the playlist (and its date range) and a segment before the player has rendered at all.
    await waitUntil(() => playlists.count >= 1 && segments.names.length >= 1, 'hls.js never started early', {timeout: 15000});
    expect(made.player.shadowRoot?.querySelector('video') ?? null).to.equal(null);

    document.body.append(show);
    await waitUntil(() => made.player.programTime() !== null, 'the player never played', {timeout: 20000});
    expect(made.player.shadowRoot!.querySelector('video')).to.equal(video);
    expect(made.player.engineKind).to.equal('hls.js');
    await waitUntil(() => show!.state.lineup.some((l) => l.productId === productId),
      'the date range of the playlist read before the player existed was lost', {timeout: 10000});
    // A second hls.js would have downloaded the live edge's segments again.
    const names = segments.names;
    expect(names.length).to.be.greaterThan(1);
    expect(new Set(names).size, `a segment was downloaded twice: ${names.join(' ')}`).to.equal(names.length);
    playlists.stop();
    segments.stop();
  });

  it('a player whose source changed meanwhile plays the new one, and the early stream stops', async () => {
    const early = `/live/index.m3u8?early=${uniqueId('old')}`;
    const later = `/live/index.m3u8?early=${uniqueId('new')}`;
    const oldLoads = countRequests(new RegExp(`${escape(early)}$`));
    const made = unattachedShow(early);
    show = made.show;
    const video = makeEarlyVideo(made.player);
    prestartEngine(early, video);
    await waitUntil(() => oldLoads.count >= 1, 'hls.js never started early', {timeout: 15000});

    made.player.src = later;
    document.body.append(show);
    await waitUntil(() => made.player.programTime() !== null, 'the new source never played', {timeout: 20000});
    expect(made.player.shadowRoot!.querySelector('video')).to.equal(video);
    const oldLoadsAtTakeOver = oldLoads.count;
    // Past two of the old stream's reload intervals (2 s each) of playback: it would have been asked for again.
    const start = made.player.programTime()!;
    await waitUntil(() => made.player.programTime()! - start > 5000, 'playback stopped', {timeout: 20000});
    expect(oldLoads.count, 'the early stream still loads').to.equal(oldLoadsAtTakeOver);
    expect(made.player.status).to.equal('live');
    oldLoads.stop();
  });
});
