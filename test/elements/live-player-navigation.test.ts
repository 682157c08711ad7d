/**
 * The player follows the shopper. Across pages of a multi-page store (with the show's consent): the next page's
 * player resumes at the live edge with the sound the shopper chose, muted with "Tap to unmute" where the
 * browser refuses sound. In a single-page app: moving the player keeps the same stream playing, no reload.
 *
 * Order matters in this file: the tests that need the browser to refuse sound run before the first click on
 * the page (a click gives the page its sticky user activation, after which Chromium allows sound).
 */
import {expect, fixture, fixtureCleanup, html, waitUntil} from '@open-wc/testing';
import {sendMouse} from '@web/test-runner-commands';
import '../../src/index.js';
import type {KolLivePlayer, KolShow} from '../../src/index.js';
import {HANDOFF_KEY, type PlayerHandoff} from '../../src/page/player-handoff.js';
import {countRequests} from '../fixtures/wait.js';

const SRC = '/live/index.m3u8';
const note = (): PlayerHandoff | null => JSON.parse(sessionStorage.getItem(HANDOFF_KEY) ?? 'null') as PlayerHandoff | null;
const part = (el: HTMLElement, name: string) => el.shadowRoot!.querySelector<HTMLElement>(`[part~="${name}"]`);
const videoOf = (player: KolLivePlayer) => player.shadowRoot!.querySelector('video')!;

/** A page's show and floating player; `markup` muted and autoplaying, as a store page would have it. */
async function storePage(consent: 'granted' | 'denied', {autoplay = true} = {}): Promise<{show: KolShow; player: KolLivePlayer}> {
  const show = await fixture<KolShow>(html`<kol-show adapter="memory" products="/demo/catalog.json" consent=${consent}>
    <kol-live-player src=${SRC} muted ?autoplay=${autoplay}></kol-live-player>
  </kol-show>`);
  return {show, player: show.querySelector('kol-live-player')!};
}

/** Waits until `player` plays on (its playhead moves). */
async function playsOn(player: KolLivePlayer, message: string): Promise<void> {
  await waitUntil(() => !player.paused, `${message}: paused (${player.status})`, {timeout: 20000});
  const from = player.currentTime;
  await waitUntil(() => player.currentTime > from + 0.3, `${message}: the playhead stood still`, {timeout: 10000});
}

/** The shopper leaves the page (what a link click does to the page's window). */
const leavePage = () => window.dispatchEvent(new PageTransitionEvent('pagehide', {persisted: false}));

describe('<kol-live-player> across navigation', function () {
  this.timeout(60000);

  beforeEach(() => sessionStorage.removeItem(HANDOFF_KEY));
  after(() => sessionStorage.removeItem(HANDOFF_KEY));

  it('leaves a note for the next page only with the show\'s consent', async () => {
    const denied = await storePage('denied');
    await playsOn(denied.player, 'page');
    leavePage();
    expect(sessionStorage.getItem(HANDOFF_KEY), 'stored without consent').to.equal(null);
    fixtureCleanup();

    const granted = await storePage('granted');
    await playsOn(granted.player, 'page');
    // Sound is the shopper's tap, later in this file; here, the volume they chose.
    videoOf(granted.player).volume = 0.35;
    leavePage();
    expect(note()).to.include({src: new URL(SRC, location.href).href, muted: true, volume: 0.35, playing: true});

    // Consent withdrawn before the next leave: the note goes.
    granted.show.consent = 'denied';
    await granted.show.updateComplete;
    leavePage();
    expect(sessionStorage.getItem(HANDOFF_KEY), 'kept after consent was withdrawn').to.equal(null);
  });

  it('a next page whose sound the browser refuses plays muted, with "Tap to unmute"', async () => {
    const handoff: PlayerHandoff = {src: new URL(SRC, location.href).href, muted: false, volume: 0.5, playing: true, savedAt: Date.now()};
    sessionStorage.setItem(HANDOFF_KEY, JSON.stringify(handoff));
    // The next page's markup has no autoplay: the note alone makes it play.
    const {player} = await storePage('granted', {autoplay: false});
    await playsOn(player, 'next page');
    expect(player.muted).to.equal(true);
    expect(part(player, 'unmute'), '"Tap to unmute" shown').to.exist;
    // At the live edge; a busy machine may show a moment of buffering first.
    await waitUntil(() => player.status === 'live', `not at the live edge: ${player.status}`);
  });

  it('ignores a note without consent, for another stream, or from long ago', async () => {
    const src = new URL(SRC, location.href).href;
    const cases: Array<[string, 'granted' | 'denied', PlayerHandoff]> = [
      ['without consent', 'denied', {src, muted: false, volume: 0.2, playing: true, savedAt: Date.now()}],
      ['another stream', 'granted', {src: new URL('/live-fmp4/index.m3u8', location.href).href, muted: false, volume: 0.2, playing: true, savedAt: Date.now()}],
      ['from long ago', 'granted', {src, muted: false, volume: 0.2, playing: true, savedAt: Date.now() - 60 * 60_000}],
    ];
    for (const [name, consent, handoff] of cases) {
      sessionStorage.setItem(HANDOFF_KEY, JSON.stringify(handoff));
      const {player} = await storePage(consent);
      await playsOn(player, name);
      expect(player.muted, `${name}: started as the markup says (muted)`).to.equal(true);
      expect(videoOf(player).volume, name).to.equal(1);
      fixtureCleanup();
    }
  });

  describe('moved in a single-page app', () => {
    /** Plays, moves the player with `move`, and checks the same stream played on: no new load, no refetch. */
    async function movesWithoutReload(move: (player: KolLivePlayer, to: HTMLElement) => void): Promise<void> {
      const since = performance.now(); // earlier tests' players fetched the same stream: only this one's count
      const {show, player} = await storePage('denied');
      const elsewhere = document.createElement('aside');
      show.after(elsewhere);
      await playsOn(player, 'before the move');
      const video = videoOf(player);
      const reloads: string[] = [];
      for (const type of ['emptied', 'loadstart']) video.addEventListener(type, () => reloads.push(type));
      // Every segment fetched so far: a reload would fetch the ones around the live edge again.
      const fetched = new Set(performance.getEntriesByType('resource').filter((e) => e.startTime >= since)
        .map((e) => e.name).filter((n) => /\/live\/seg\//.test(n)));
      const segments = countRequests(/\/live\/seg\//);
      const refetched: string[] = [];
      const observer = new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) if (fetched.has(entry.name)) refetched.push(entry.name);
      });
      observer.observe({type: 'resource'});
      try {
        const at = player.currentTime;
        move(player, elsewhere);
        expect(player.parentElement).to.equal(elsewhere);
        await playsOn(player, 'after the move');
        // Long enough for a reload to have shown itself: the stream goes on past a new segment.
        const before = segments.count;
        await waitUntil(() => segments.count > before, 'no new segment after the move', {timeout: 20000});
        expect(player.currentTime, 'the playhead went on from where it was').to.be.greaterThan(at);
        expect(videoOf(player), 'the same video element').to.equal(video);
        expect(reloads, 'the video was loaded again').to.deep.equal([]);
        expect(refetched, 'segments fetched again').to.deep.equal([]);
        await waitUntil(() => player.status === 'live', `not at the live edge: ${player.status}`);
      } finally {
        observer.disconnect();
        segments.stop();
      }
    }

    it('removed and inserted in the same task (a router re-parenting it)', async () => {
      await movesWithoutReload((player, to) => to.append(player));
    });

    it('moved with moveBefore() (an atomic move)', async () => {
      const parent = document.body as HTMLElement & {moveBefore?: (node: Node, child: Node | null) => void};
      expect(typeof parent.moveBefore, 'this browser has moveBefore()').to.equal('function');
      await movesWithoutReload((player, to) => (to as typeof parent).moveBefore!(player, null));
    });

  });

  // After these, the page has the shopper's gesture (sticky user activation): sound is allowed from here on.
  it('a real navigation between two store pages resumes the show at the live edge, with the sound the shopper turned on', async () => {
    // Two pages of a store in a frame of this test (the store itself has no frame): a real page load each.
    const frame = document.createElement('iframe');
    frame.width = '480';
    frame.height = '320';
    document.body.prepend(frame);
    try {
      const player = () => frame.contentDocument?.querySelector('kol-live-player') as KolLivePlayer | null;
      frame.src = '/test/fixtures/store-page.html?page=1';
      await waitUntil(() => player()?.status === 'live', 'page 1 never played live', {timeout: 30000});
      const first = player()!;
      // The shopper taps "Tap to unmute" (a real click: the frame's user activation), and lowers the volume.
      await first.updateComplete;
      const unmute = part(first, 'unmute')!.getBoundingClientRect();
      const at = frame.getBoundingClientRect();
      await sendMouse({type: 'click', position: [Math.round(at.x + unmute.x + unmute.width / 2), Math.round(at.y + unmute.y + unmute.height / 2)]});
      await waitUntil(() => !first.muted && !first.paused, 'the tap did not turn the sound on');
      videoOf(first).volume = 0.6;

      frame.contentWindow!.location.href = '/test/fixtures/store-page.html?page=2';
      await waitUntil(() => player() && player() !== first, 'page 2 never loaded', {timeout: 20000});
      const next = player()!;
      await waitUntil(() => next.status === 'live', `page 2 stayed ${next.status}`, {timeout: 30000});
      // Chromium lets a same-origin page play with sound when the page before it had the shopper's gesture.
      expect(next.muted, 'with the sound on').to.equal(false);
      expect(videoOf(next).volume, 'the volume the shopper chose').to.be.closeTo(0.6, 0.001);
      expect(part(next, 'unmute'), 'no "Tap to unmute"').to.equal(null);
      expect(frame.contentWindow!.sessionStorage.getItem(HANDOFF_KEY), 'the note was taken').to.equal(null);
    } finally {
      frame.remove();
    }
  });

  it('with the shopper\'s gesture on the site, the next page plays with the sound they chose', async () => {
    // A click anywhere on the page: the sticky user activation that lets Chromium play with sound.
    await sendMouse({type: 'click', position: [2, 2]});
    const handoff: PlayerHandoff = {src: new URL(SRC, location.href).href, muted: false, volume: 0.4, playing: true, savedAt: Date.now()};
    sessionStorage.setItem(HANDOFF_KEY, JSON.stringify(handoff));
    const {player} = await storePage('granted');
    await playsOn(player, 'next page');
    expect(player.muted, 'with sound').to.equal(false);
    expect(videoOf(player).volume).to.be.closeTo(0.4, 0.001);
    expect(part(player, 'unmute'), 'no "Tap to unmute"').to.equal(null);
    await waitUntil(() => player.status === 'live', `not at the live edge: ${player.status}`);
  });

});
