import {html, nothing, type PropertyValues} from 'lit';
import {property, state} from 'lit/decorators.js';
import {KolElement} from '../kol-element.js';
import {msg} from '@lit/localize';
import {ShowLink} from '../../controllers/show-link.js';
import {KolPipChangeEvent, KolPlayerStatsEvent, type PlayerStats} from '../events.js';
import type {ProgramTimeSource} from '../../core/scheduler.js';
import type {PlayerShowHandle} from '../show-handle.js';
import {nextTask} from '../../page/next-task.js';
import {preloadEngine} from '../../player/engine.js';
import {takeEarlyVideo} from '../../player/early-video.js';
import {seekableRange} from '../../player/media-time.js';
import {PlaybackStats} from '../../player/playback-stats.js';
import {Playhead} from '../../player/playhead.js';
import {ReleaseLoop} from '../../player/release-loop.js';
import {StreamLoader} from '../../player/stream-loader.js';
import {livePlayerStyles} from './live-player.styles.js';
import {KeyboardController, renderControls, renderLiveBadge, warmLiveBadge} from './live-player.controls.js';
import {elementLocale} from '../../page/compact-count.js';
import {ShowAttachment} from './live-player.attachment.js';
import {playerActions} from './live-player.actions.js';
import {PlayerStatusController, type PlayerStatus} from './live-player.status.js';
import {PictureInPicture, pipAvailable, type PipMode} from './live-player.pip.js';
import {consentAllows, consentOf} from '../../adapters/consent.js';
import {forgetHandoff, saveHandoff, takeHandoff} from '../../page/player-handoff.js';

export type {PlayerStatus} from './live-player.status.js';
export type {PipMode} from './live-player.pip.js';

/**
 * The live video. Plays an HLS stream (hls.js, loaded only when a player is on the page), reads the show
 * events carried in the stream, and reports the viewer's program time to its `<kol-show>` on every
 * frame, so each pin appears at the moment the host acted, whatever this viewer's latency. It keeps
 * playing through network faults and stalls, rejoins the live edge, and plays recorded shows with
 * product chapters.
 *
 * Keyboard (when focused): Space or K play/pause, M mute, F fullscreen, C captions, ← → seek 5 s,
 * L back to live. The control bar fades out during playback and comes back on hover, focus or pause, so it
 * does not sit over the captions.
 *
 * Picture-in-picture (the `pip` button, or `togglePictureInPicture()`): where the browser has Document
 * Picture-in-Picture (Chromium, Firefox 151+), a small always-on-top window with the live video and the pinned product card
 * (a `<kol-product-pin>` of the same show: same cart, same styles and `--kol-*` theme); closing it brings the
 * video back, still playing. Elsewhere the browser's video-only picture-in-picture.
 *
 * It follows the shopper: moved in the page (a single-page app's route change, `moveBefore()` or a remove and
 * insert in the same task) it keeps playing without reloading; on a multi-page store, with the show's consent,
 * the player of the same stream on the next page of the tab resumes at the live edge with the sound the
 * shopper chose (a note in sessionStorage, docs/design.md §6). Where the browser refuses to play that page with
 * sound, it plays muted and shows "Tap to unmute".
 *
 * @summary The live video, in sync with the show.
 * @slot - Overlay content (a pin, a deal) shown over the video, also in fullscreen.
 * @fires kol-player-stats - Playback figures, every 5 s while playing and at the first frame.
 * @fires kol-pip-change - Picture-in-picture opened (`detail.mode`: `document` with the product card, `video` alone) or closed (`null`).
 * @fires kol-error - The stream or the engine failed (see docs/errors.md).
 * @csspart base - The player's box.
 * @csspart video - The video element.
 * @csspart badge - The "LIVE" badge.
 * @csspart viewers - Beside the LIVE badge, how many watch ("1.2K watching", compact in the language of its nearest `lang`, else the browser's), once the show's server has counted them (`viewers.update`); not announced as it changes.
 * @csspart state - The loading, reconnecting or error overlay, and "playing in picture-in-picture" while the video is in that window.
 * @csspart retry - The retry button of the error overlay.
 * @csspart unmute - The tap-to-unmute button.
 * @csspart controls - The control bar.
 * @csspart play - The play/pause button.
 * @csspart mute - The mute button.
 * @csspart seek - The seek bar (replays and the live DVR window).
 * @csspart chapters - The list of product chapters of a replay.
 * @csspart chapter - One chapter button ("jump to when #7 was shown").
 * @csspart live - The "back to live" button.
 * @csspart latency - The latency readout (with `show-latency`).
 * @csspart captions - The captions on/off button (when the stream has captions or subtitles).
 * @csspart pip - The picture-in-picture button (pressed while open).
 * @csspart pip-return - The button that brings the video back from the picture-in-picture window.
 * @csspart fullscreen - The fullscreen button.
 * @cssprop [--kol-live-player-aspect-ratio=16 / 9] - The player's box, reserved before the video loads.
 * @cssprop [--kol-live-player-background=#000] - Behind the video.
 * @cssprop [--kol-live-player-badge-background=#e0245e] - The LIVE badge.
 * @cssprop [--kol-live-player-viewers-background=rgb(0 0 0 / 0.6)] - The viewer count beside it.
 */
export class KolLivePlayer extends KolElement implements ProgramTimeSource {
  static override styles = livePlayerStyles;

  /** The HLS playlist URL (live, or a recorded show). */
  @property() src = '';

  /** A poster image shown before the first frame. */
  @property() poster = '';

  /** Start muted (needed for autoplay in every browser). */
  @property({type: Boolean}) muted = false;

  /** Start playing as soon as possible (muted autoplay always works; with sound it may be refused). */
  @property({type: Boolean}) autoplay = false;

  /** Show how far behind the live edge this viewer is. */
  @property({type: Boolean, attribute: 'show-latency'}) showLatency = false;

  /** Hide the control bar (the page brings its own controls through the element's API). */
  @property({type: Boolean, attribute: 'no-controls'}) noControls = false;

  /** The id of the `<kol-show>` this player reports to, when it is not inside it. */
  @property() show: string | null = null;

  /** Reflected playback status. */
  @property({reflect: true}) status: PlayerStatus = 'idle';

  /** Reflected: which picture-in-picture is open (`document`, `video`), or none. Read-only. */
  @property({reflect: true}) pip: PipMode | null = null;

  @state() private isLive = false;
  /**
   * The player's video, its own for good (it may stand in a picture-in-picture window for a while), made at
   * the first update: the one kolkit.js made ahead for this player (player/early-video.ts), else a new one.
   */
  #videoElement?: HTMLVideoElement;
  private get video(): HTMLVideoElement {
    return this.#videoElement!;
  }

  // The wiring: each job is a field named for it (src/player/ holds the ones that know no element).
  /** The `<kol-show>` this player feeds, seen as a player sees it. */
  readonly #link = new ShowLink<PlayerShowHandle>(this);
  /** The stream from load to unload; only the current load's reports arrive. */
  readonly #stream = new StreamLoader({
    onStreamEvents: (events) => this.#link.show?.push(events, {recorded: true}),
    onBadMetadata: (message) => this.fail('bad-event', message),
    onFatal: (code, message, cause) => {
      this.#unload();
      this.#statusController.failed(code, message, cause);
    },
    onRecovering: (recovering, code, message) => (recovering ? this.#statusController.recovering(code, message) : this.#statusController.recovered()),
    onLevel: ({live}) => (this.isLive = live),
    onStarted: (signal) => this.#started(signal),
    onLiveResumed: () => this.goLive(),
  });
  /** Where the playhead stands: program time, the live edge, the DVR window. */
  readonly #playhead = new Playhead(() => this.video, () => this.#stream.engine, () => this.isLive);
  /** Releases the show's events as this viewer's program time reaches them. */
  readonly #releaseLoop = new ReleaseLoop(
    () => this.#link.show,
    () => (this.#stream.engine && this.video && !this.video.paused ? this.video : null),
    () => this.programTime(),
  );
  readonly #playback = new PlaybackStats(() => this.dispatchEvent(new KolPlayerStatsEvent(this.stats)), () => this.video.paused);
  /** The reflected status, the overlay's words and the errors, from the video's events and the stream's. */
  readonly #statusController = new PlayerStatusController(this, {
    video: () => this.video,
    loaded: () => !!this.#stream.engine,
    atLiveEdge: () => this.isLive && !this.#playhead.isBehindLive(),
    fail: (code, message, cause) => this.fail(code, message, cause),
    changed: (wasBuffering) => {
      this.#playback.track(this.status === 'buffering', wasBuffering);
      this.#releaseLoop.run();
    },
  });
  /** The viewer's intents, shared by the control bar and the keyboard map. */
  readonly #actions = playerActions(this, () => this.video);
  /** Picture-in-picture: the window with the video and the product card, else the video alone. */
  readonly #pip = new PictureInPicture(this, {
    video: () => this.video,
    show: () => this.#link.show,
    changed: (mode) => {
      this.pip = mode;
      this.dispatchEvent(new KolPipChangeEvent(mode));
    },
  });
  /** Once the stream plays: play it (a handoff), falling back to muted if sound is refused. */
  #resumePlaying = false;
  /** The volume the last page's note asked for, set on the video at the load. */
  #handoffVolume: number | null = null;

  constructor() {
    super();
    // Controllers that work through the element's lifecycle alone (nothing else calls them):
    new ShowAttachment(this, () => this.#link.show); // this player as its show's program-time source
    new KeyboardController(this, this.#actions); // the keyboard map at work
  }

  /** Program time (ms) of the frame on screen, or null while unknown (before the first frame, too). */
  programTime(): number | null {
    return this.#playhead.programTime();
  }

  /** True once the stream is known to carry no program time (events then show on arrival). */
  get lacksProgramTime(): boolean {
    return this.#stream.engine?.lacksProgramTime ?? false;
  }

  /** The live DVR window in ms (what the viewer can still seek back to), or null for a replay. */
  seekableSpan(): number | null {
    return this.#playhead.seekableSpan();
  }

  /** Seconds behind the live edge, or null when not live or not known. */
  get latency(): number | null {
    return this.#stream.engine?.latency() ?? null;
  }

  /** Which engine plays the stream: `hls.js`, `native`, or null before loading. */
  get engineKind(): 'hls.js' | 'native' | null {
    return this.#stream.engine?.kind ?? null;
  }

  /** Playback figures: time to first frame, latency, rebuffering, pin skew. */
  get stats(): PlayerStats {
    const show = this.#link.show;
    return this.#playback.figures(this.latency, this.#playhead.behindHost(show?.clock.now() ?? null), show?.pinSkew() ?? null);
  }

  /** The position in seconds; setting it seeks. */
  get currentTime(): number {
    return this.video?.currentTime ?? 0;
  }
  set currentTime(value: number) {
    if (this.video) this.video.currentTime = value;
  }

  /** The media duration in seconds (Infinity for a live stream). */
  get duration(): number {
    return this.video?.duration ?? NaN;
  }

  /** True while paused. */
  get paused(): boolean {
    return this.video?.paused ?? true;
  }

  /** Starts playback. */
  play(): Promise<void> {
    return this.video?.play() ?? Promise.resolve();
  }

  /** Pauses playback. */
  pause(): void {
    this.video?.pause();
  }

  /** Seeks to the frame whose program time is `date`, when the stream has program time. */
  seekToProgramTime(date: Date): void {
    const target = this.#playhead.seekTarget(date.getTime());
    if (target !== null) this.video.currentTime = target;
  }

  /** Jumps to the moment a product was pinned: by label ("#7") or product id; false when never pinned. */
  seekToChapter(labelOrProductId: string): boolean {
    const chapter = this.#link.show?.chapters().find((c) => c.label === labelOrProductId || c.productId === labelOrProductId);
    if (chapter) this.seekToProgramTime(new Date(chapter.at));
    return !!chapter;
  }

  /**
   * Opens picture-in-picture (the window with the video and the product card where the browser has Document
   * Picture-in-Picture, else the video alone), or closes it. Call it from the shopper's click or key press.
   */
  togglePictureInPicture(): Promise<void> {
    return this.#pip.toggle();
  }

  /** Goes back to the live edge. */
  goLive(): void {
    const edge = this.#playhead.liveEdge();
    if (edge !== null) this.video.currentTime = edge;
    void this.video.play().catch(() => undefined);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('pagehide', this.#onPageHide);
    // Re-inserted after a removal (which unloaded the stream): load it again.
    if (this.hasUpdated && this.src && !this.#stream.engine) {
      this.status = 'loading';
      void this.#load();
    } else if (this.#playingWhenRemoved) {
      // Moved in the page: the same stream plays on (a removal may have paused the video).
      void this.video.play().catch(() => undefined);
    }
    this.#playingWhenRemoved = false;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('pagehide', this.#onPageHide);
    this.#playingWhenRemoved = !!this.video && !this.video.paused;
    // A move (a router re-parenting the player, remove then insert) reconnects it before the next task: the
    // stream, its buffer and hls.js stay. Only a player still out of the page then is unloaded.
    void nextTask().then(() => {
      if (!this.isConnected) {
        this.#playingWhenRemoved = false;
        this.#unload();
      }
    });
  }

  /**
   * Moved with `moveBefore()` (an atomic move: no disconnect, no connect, the video plays on): only its show
   * may have changed.
   * @internal
   */
  connectedMoveCallback(): void {
    this.#link.resolve();
  }

  #playingWhenRemoved = false;

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('show')) this.#link.resolve();
    if (changed.has('src')) {
      this.#statusController.reset(!!this.src);
      if (this.src) preloadEngine();
      if (this.src) this.#takeHandoff();
    }
    // Last: the handoff may have set `muted` just now.
    this.#updateVideo(changed);
  }

  /**
   * The video is a node of the player's own (it may have been made, and its stream started, before the player
   * was defined), so its attributes are set here rather than bound in the template.
   */
  #updateVideo(changed: PropertyValues<this>): void {
    let video = this.#videoElement;
    const first = !video;
    if (!video) {
      video = this.#videoElement = takeEarlyVideo(this) ?? document.createElement('video');
      video.setAttribute('part', 'video');
      video.playsInline = true;
      video.addEventListener('volumechange', this.#onVolumeChange);
    }
    if (first || changed.has('muted')) video.muted = this.muted;
    if (first || changed.has('poster')) {
      if (this.poster) video.poster = this.poster;
      else video.removeAttribute('poster');
    }
    // Each update, as a template binding would: the words follow isLive and the page's language.
    const label = this.isLive ? msg('Live video', {id: 'player.video.live'}) : msg('Video', {id: 'player.video'});
    if (video.getAttribute('aria-label') !== label) video.setAttribute('aria-label', label);
  }

  protected override render() {
    return html`<div part="base">
      ${this.video}
      ${this.status === 'live' ? renderLiveBadge(this.#link.show?.state.viewers ?? null, elementLocale(this)) : nothing}
      <div class="overlays"><slot></slot></div>
      ${this.pip === 'document' ? this.#renderPipOverlay() : this.#statusController.renderOverlay(this.#retry)}
      ${this.muted && this.status !== 'error' ? html`<button part="unmute" type="button" @click=${this.#actions.unmute}>${msg('Tap to unmute', {id: 'player.tap-to-unmute'})}</button>` : nothing}
      ${this.noControls || !this.hasUpdated ? nothing : this.#renderControls()}
    </div>`;
  }

  /** Where the video was, while it plays in the picture-in-picture window: a way to bring it back. */
  #renderPipOverlay() {
    return html`<div part="state" role="status"><span>${msg('Playing in picture-in-picture', {id: 'player.pip.playing'})}</span>
      <button part="pip-return" type="button" @click=${() => this.#pip.close()}>${msg('Bring it back', {id: 'player.pip.return'})}</button></div>`;
  }

  #renderControls() {
    const range = seekableRange(this.video);
    return renderControls({
      video: this.video,
      muted: this.muted,
      isLive: this.isLive,
      behind: this.#playhead.isBehindLive(),
      range,
      chapters: this.isLive ? [] : this.#playhead.placeChapters(this.#link.show?.chapters() ?? [], range),
      latency: this.showLatency ? this.latency : null,
      fullscreen: document.fullscreenElement === this,
      pip: pipAvailable() ? this.pip !== null : null,
      actions: this.#actions,
    });
  }

  protected override firstUpdated(): void {
    // A player with a show will show its viewer count: its formatter is made now, in a task of its own.
    if (this.#link.show) void nextTask().then(() => warmLiveBadge(elementLocale(this)));
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('src')) void this.#load();
  }

  /** The error overlay's button: load the stream again. */
  #retry = (): void => {
    this.#statusController.reset(true);
    void this.#load();
  };

  /** (Re)loads `src` into the video element. */
  async #load(): Promise<void> {
    this.#unload();
    if (this.src) {
      this.#playback.restart();
      this.#statusController.clearMessage();
      if (this.#handoffVolume !== null) this.video.volume = this.#handoffVolume;
      this.#handoffVolume = null;
    }
    await this.#stream.load(this.video, this.src);
  }

  /** The engine plays this load's stream: release what is due, time the first frame, autoplay. */
  #started(signal: AbortSignal): void {
    this.#link.show?.syncTime();
    this.#playback.timeFirstFrame(this.video, () => !signal.aborted);
    if (this.#resumePlaying) this.#resume();
    else if (this.autoplay) this.video.play().catch(this.#statusController.mediaChanged);
    this.#resumePlaying = false;
  }

  /** True while the show's consent lets kolkit store on this device (the handoff between pages). */
  #consented(): boolean {
    const show = this.#link.show;
    return !!show && consentAllows(consentOf(show));
  }

  /** The page before this one (same stream, with consent) left a note: its sound, its playing once started. */
  #takeHandoff(): void {
    const note = takeHandoff(this.src, this.#consented());
    if (!note) return;
    this.muted = note.muted;
    this.#handoffVolume = note.volume;
    // Playing on the last page, or a page that autoplays: it plays (muted if sound is refused), never black.
    this.#resumePlaying = note.playing || this.autoplay;
  }

  /** Plays on as the shopper left the last page; where sound is refused (autoplay policy), muted. */
  #resume(): void {
    this.video.play().catch((error: unknown) => {
      if ((error as DOMException)?.name !== 'NotAllowedError' || this.video.muted) return this.#statusController.mediaChanged();
      this.muted = true;
      this.video.muted = true;
      this.video.play().catch(this.#statusController.mediaChanged);
    });
  }

  /** The shopper leaves the page: a note for the next page's player (with consent only; else none is left). */
  #onPageHide = (): void => {
    if (!this.src || !this.video) return;
    if (!this.#consented()) return forgetHandoff();
    saveHandoff({src: this.src, muted: this.video.muted, volume: this.video.volume, playing: !this.video.paused}, true);
  };

  #unload(): void {
    this.#releaseLoop.stop();
    this.#playback.stop();
    this.#stream.unload();
  }

  #onVolumeChange = (): void => {
    this.muted = this.video.muted;
  };
}
