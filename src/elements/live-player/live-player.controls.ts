import {msg, str} from '@lit/localize';
import {plural} from '../../i18n/plural.js';
import {html, nothing, svg, type ReactiveController, type ReactiveControllerHost} from 'lit';
import {formatClock} from '../../player/media-time.js';
import {formatCompact} from '../../page/compact-count.js';
import {captionTracks} from './live-player.actions.js';
import type {PlacedChapter} from '../../player/playhead.js';

/** Arrow keys seek by this many seconds. */
const SEEK_STEP_SECONDS = 5;

/** What the viewer can ask of `<kol-live-player>`, from its control bar or its keyboard: one set of intents. */
export interface PlayerActions {
  togglePlay(): void;
  toggleMute(): void;
  /** Unmutes and plays (the "Tap to unmute" button). */
  unmute(): void;
  toggleCaptions(): void;
  togglePip(): void;
  toggleFullscreen(): void;
  goLive(): void;
  /** Moves the playhead by `seconds` (negative: back). */
  seekBy(seconds: number): void;
  /** Moves the playhead to `time` seconds of media time. */
  seekTo(time: number): void;
  /** Moves the playhead to the frame whose program time is `at` (ms). */
  seekToProgramTime(at: number): void;
}

/** The keyboard map (when the player is focused): key → intent, as listed in the element's JSDoc. */
export const KEY_ACTIONS: Record<string, (actions: PlayerActions) => void> = {
  ' ': (a) => a.togglePlay(),
  k: (a) => a.togglePlay(),
  m: (a) => a.toggleMute(),
  f: (a) => a.toggleFullscreen(),
  c: (a) => a.toggleCaptions(),
  l: (a) => a.goLive(),
  ArrowLeft: (a) => a.seekBy(-SEEK_STEP_SECONDS),
  ArrowRight: (a) => a.seekBy(SEEK_STEP_SECONDS),
};

/**
 * The keyboard map at work: the player is focusable (unless the page set a `tabindex`), and a mapped key
 * pressed on it runs its intent. Its listener is registered and unregistered with the player's connection.
 */
export class KeyboardController implements ReactiveController {
  readonly #host: ReactiveControllerHost & HTMLElement;
  readonly #actions: PlayerActions;

  constructor(host: ReactiveControllerHost & HTMLElement, actions: PlayerActions) {
    this.#host = host;
    this.#actions = actions;
    host.addController(this);
  }

  hostConnected(): void {
    if (!this.#host.hasAttribute('tabindex')) this.#host.tabIndex = 0;
    this.#host.addEventListener('keydown', this.#onKeyDown);
  }

  hostDisconnected(): void {
    this.#host.removeEventListener('keydown', this.#onKeyDown);
  }

  readonly #onKeyDown = (event: KeyboardEvent): void => {
    const target = event.composedPath()[0] as HTMLElement;
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    // Space and arrows belong to a focused button or slider.
    if (target !== this.#host && /^(BUTTON|INPUT|SELECT|TEXTAREA|A)$/.test(target.tagName) && /^( |Arrow)/.test(event.key)) return;
    const action = KEY_ACTIONS[event.key];
    if (!action) return;
    event.preventDefault();
    action(this.#actions);
  };
}

/**
 * The LIVE badge, and beside it the show's viewer count (`viewers`, null while unknown: then nothing), compact
 * in `locale` (the player's language). No live region: a count that changes every few seconds must not
 * interrupt a screen reader, which reads it where it stands.
 */
export function renderLiveBadge(viewers: number | null, locale: string) {
  return html`<div class="live-info"><span part="badge">${liveText()}</span>${
    viewers === null ? nothing : html`<span part="viewers">${watchingText(viewers, formatCompact(viewers, locale))}</span>`}</div>`;
}

/**
 * Makes the viewer count's formatter ahead of the first count: the first compact formatter of a page loads
 * locale data, a long task on a phone if it came inside a render (issue 16).
 */
export function warmLiveBadge(locale: string): void {
  formatCompact(0, locale);
}

/** What the control bar shows, read from the player at render time. */
export interface ControlsView {
  video: HTMLVideoElement;
  muted: boolean;
  isLive: boolean;
  /** Far enough behind the live edge to offer "back to live". */
  behind: boolean;
  /** The seekable range in seconds, or null (then a spacer instead of the seek bar). */
  range: [number, number] | null;
  /** The replay's chapters on the seek bar (none while live). */
  chapters: PlacedChapter[];
  /** The latency readout's seconds, or null for no readout. */
  latency: number | null;
  fullscreen: boolean;
  /** The picture-in-picture button: null without one (the browser has none), else whether it is open. */
  pip: boolean | null;
  actions: PlayerActions;
}

/** The control bar and the chapter list of `<kol-live-player>`: a pure template of `view`. */
export function renderControls(view: ControlsView) {
  const {video, muted, isLive, behind, range, chapters, latency, actions} = view;
  const tracks = captionTracks(video);
  return html`<div part="controls">
      <button part="play" type="button" aria-label=${video.paused ? msg('Play', {id: 'player.play'}) : msg('Pause', {id: 'player.pause'})} @click=${actions.togglePlay}>
        ${video.paused ? '▶' : '❚❚'}</button>
      <button part="mute" type="button" aria-label=${muted ? msg('Unmute', {id: 'player.unmute'}) : msg('Mute', {id: 'player.mute'})} aria-pressed=${muted ? 'true' : 'false'}
        @click=${actions.toggleMute}>${muted ? '🔇' : '🔊'}</button>
      ${range ? html`<div class="seek">
        <input part="seek" type="range" aria-label=${msg('Seek', {id: 'player.seek'})} min=${range[0]} max=${range[1]} step="0.1"
          .value=${String(video.currentTime)} aria-valuetext=${formatClock(video.currentTime - range[0])}
          @input=${(e: Event) => actions.seekTo(Number((e.target as HTMLInputElement).value))} />
        ${chapters.length ? svg`<svg class="marks" viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true">
          ${chapters.map((c) => svg`<rect x=${c.percent} y="0" width="0.8" height="10"></rect>`)}</svg>` : nothing}
      </div>` : html`<span class="spacer"></span>`}
      ${isLive ? html`<button part="live" type="button" class=${behind ? 'behind' : ''} ?disabled=${!behind}
        aria-label=${`${liveText()}: ${behind ? msg('Back to live', {id: 'player.go-live'}) : msg('At the live edge', {id: 'player.at-live'})}`}
        @click=${actions.goLive}>● ${liveText()}</button>` : nothing}
      ${latency !== null ? html`<span part="latency">${msg(str`${latency.toFixed(1)} s behind`, {id: 'player.latency'})}</span>` : nothing}
      ${tracks.length ? html`<button part="captions" type="button" aria-label=${msg('Captions', {id: 'player.captions'})}
        aria-pressed=${tracks.some((t) => t.mode === 'showing') ? 'true' : 'false'} @click=${actions.toggleCaptions}>CC</button>` : nothing}
      ${view.pip === null ? nothing : html`<button part="pip" type="button" aria-label=${msg('Picture in picture', {id: 'player.pip'})}
        aria-pressed=${view.pip ? 'true' : 'false'} @click=${actions.togglePip}>⧉</button>`}
      ${document.fullscreenEnabled ? html`<button part="fullscreen" type="button"
        aria-label=${view.fullscreen ? msg('Exit fullscreen', {id: 'player.exit-fullscreen'}) : msg('Fullscreen', {id: 'player.fullscreen'})} @click=${actions.toggleFullscreen}>⛶</button>` : nothing}
    </div>
    ${chapters.length ? html`<ol part="chapters" aria-label=${msg('Products in this show', {id: 'player.chapters'})}>
      ${chapters.map((c) => html`<li><button part="chapter" type="button" @click=${() => actions.seekToProgramTime(c.at)}>
        ${c.label ?? c.productId} <span>${formatClock(c.time - (range?.[0] ?? 0))}</span></button></li>`)}
    </ol>` : nothing}`;
}

/** The LIVE badge's word. */
const liveText = () => msg('LIVE', {id: 'player.live'});

/** "1.2K watching": `count` is the viewer count as shown (compact, in the player's language). */
function watchingText(viewers: number, count: string): string {
  return plural(viewers, {
    '=1': () => msg('1 watching', {id: 'player.watching.=1'}),
    '=2': () => msg('2 watching', {id: 'player.watching.=2'}),
    one: () => msg(str`${count} watching`, {id: 'player.watching.one'}),
    few: () => msg(str`${count} watching`, {id: 'player.watching.few'}),
    many: () => msg(str`${count} watching`, {id: 'player.watching.many'}),
    other: () => msg(str`${count} watching`, {id: 'player.watching.other'}),
  });
}
