import {expect, fixture, html, waitUntil} from '@open-wc/testing';
import '../../src/index.js';
import type {KolLivePlayer, KolShow} from '../../src/index.js';
import type {KolErrorEvent} from '../../src/elements/events.js';
import {pin} from '../fixtures/events.js';
import {hostAct, uniqueId} from '../fixtures/host.js';

const hlsRequested = () => performance.getEntriesByType('resource').some((e) => /\/hls\.js\//.test(e.name) || /hls[-.]/.test(new URL(e.name).pathname));

async function livePlayer(): Promise<{show: KolShow; player: KolLivePlayer}> {
  const show = await fixture<KolShow>(html`<kol-show><kol-live-player src="/live/index.m3u8" muted autoplay></kol-live-player></kol-show>`);
  const player = show.querySelector('kol-live-player')!;
  return {show, player};
}

describe('<kol-live-player>', function () {
  this.timeout(40000);

  it('loads hls.js only when a player has a source', async () => {
    const player = await fixture<KolLivePlayer>(html`<kol-live-player muted></kol-live-player>`);
    expect(player.status).to.equal('idle');
    expect(hlsRequested(), 'hls.js fetched before any player needed it').to.equal(false);
    player.src = '/live/index.m3u8';
    await waitUntil(() => player.engineKind !== null, 'engine never started', {timeout: 10000});
    expect(player.engineKind).to.equal('hls.js');
    expect(hlsRequested()).to.equal(true);
  });

  it('plays the live stream muted with autoplay, shows LIVE, and reports program time near the live edge', async () => {
    const {show, player} = await livePlayer();
    await waitUntil(() => player.status === 'live', `status stayed ${player.status}`, {timeout: 20000});
    expect(player.shadowRoot!.querySelector('[part~=badge]')!.textContent).to.equal('LIVE');
    const programTime = show.programTime!.getTime();
    const behind = (Date.now() - programTime) / 1000;
    expect(behind, 'latency in seconds').to.be.within(1, 20);
    expect(player.shadowRoot!.querySelector('[part~=unmute]'), 'muted autoplay offers unmute').to.exist;
  });

  it('releases an SSE-style event when the viewer reaches its program time, not on arrival', async () => {
    const {show, player} = await livePlayer();
    await waitUntil(() => show.programTime !== null && !player.paused, 'no program time', {timeout: 20000});
    const productId = uniqueId('aligned');
    const hostTime = Date.now(); // the host acts now, at the live edge
    const arrivedAt = performance.now();
    show.push(pin(productId, hostTime));
    expect(show.state.pinned.some((p) => p.productId === productId), 'shown on arrival: too early').to.equal(false);
    const release = await new Promise<{programTime: number; waited: number}>((resolve) =>
      show.addEventListener('kol-show-event', function on(e) {
        if ((e.detail.event as {productId?: string}).productId !== productId) return;
        show.removeEventListener('kol-show-event', on);
        resolve({programTime: show.programTime!.getTime(), waited: performance.now() - arrivedAt});
      }),
    );
    const skew = release.programTime - hostTime;
    console.log(`[sync] waited ${(release.waited / 1000).toFixed(2)} s for the viewer; skew ${skew} ms`);
    expect(skew, 'released at the frame the host acted').to.be.within(0, 250);
    expect(release.waited, 'waited about the stream latency').to.be.greaterThan(1000);
  });

  it('tells no program time before the first frame: a joining viewer\'s events show with the picture, once', async () => {
    const {show, player} = await livePlayer();
    const video = player.shadowRoot!.querySelector('video')!;
    const told: Array<{readyState: number}> = [];
    let sampling = true;
    const sample = () => {
      if (player.programTime() !== null) told.push({readyState: video.readyState});
      if (sampling) requestAnimationFrame(sample);
    };
    sample();
    // Already on air when the viewer joins (a snapshot): due at once, but not before there is a picture.
    const productId = uniqueId('joined');
    const releases: Array<{readyState: number}> = [];
    show.addEventListener('kol-show-event', (e) => {
      if ((e.detail.event as {productId?: string}).productId === productId) releases.push({readyState: video.readyState});
    });
    show.push(pin(productId, Date.now() - 60_000));
    await waitUntil(() => player.status === 'live', `status stayed ${player.status}`, {timeout: 20000});
    await waitUntil(() => releases.length > 0, 'never released', {timeout: 10000});
    // A second release would come on a later check: watch 30 more frames with program time known.
    const seen = told.length;
    await waitUntil(() => told.length >= seen + 30, 'program time stopped being told', {timeout: 20000});
    sampling = false;
    expect(told.length, 'program time was told once playing').to.be.greaterThan(0);
    expect(told.filter((t) => t.readyState < HTMLMediaElement.HAVE_CURRENT_DATA), 'program time told with no frame').to.deep.equal([]);
    expect(releases.length, 'released once').to.equal(1);
    expect(releases[0].readyState, 'released with a frame on screen').to.be.at.least(HTMLMediaElement.HAVE_CURRENT_DATA);
  });

  it('reads show events carried in the stream (EXT-X-DATERANGE) without any socket', async () => {
    const {show} = await livePlayer();
    const productId = uniqueId('in-stream');
    const sent = await hostAct({type: 'product.pin', productId});
    await waitUntil(() => show.state.pinned.some((p) => p.productId === productId), 'in-stream pin never released', {timeout: 25000});
    expect(show.programTime!.getTime()).to.be.at.least(Date.parse(sent.at) - 250);
  });

  it('shows a visible error with a retry button and fires kol-error for a dead stream', async () => {
    const errors: string[] = [];
    const listener = (e: KolErrorEvent) => errors.push(e.detail.code);
    document.addEventListener('kol-error', listener);
    try {
      const player = await fixture<KolLivePlayer>(html`<kol-live-player src="/live/missing.m3u8" muted></kol-live-player>`);
      await waitUntil(() => player.status === 'error', `status stayed ${player.status}`, {timeout: 30000});
      expect(player.getAttribute('error')).to.equal('player-network');
      const state = player.shadowRoot!.querySelector('[part~=state]')!;
      expect(state.getAttribute('role')).to.equal('alert');
      expect(state.querySelector('[part~=retry]')).to.exist;
      expect(errors).to.include('player-network');
    } finally {
      document.removeEventListener('kol-error', listener);
    }
  });
});

describe('<kol-live-player> moved in the page', function () {
  this.timeout(40000);
  it('stops loading when removed and plays again when re-inserted', async () => {
    const {show, player} = await livePlayer();
    await waitUntil(() => player.status === 'live', 'never live', {timeout: 20000});
    const parent = player.parentElement!;
    player.remove();
    // Unloaded once it is still out of the page a task later (a move in the same task keeps the stream).
    await waitUntil(() => player.engineKind === null, 'still loaded after its removal');
    parent.append(player);
    await waitUntil(() => player.status === 'live' && show.programTime !== null, `status ${player.status} after re-insertion`, {timeout: 20000});
  });
});
