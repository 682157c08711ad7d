import {msg} from '@lit/localize';
import {html, nothing, type ReactiveController, type ReactiveControllerHost} from 'lit';
import type {KolErrorCode} from '../../core/errors.js';

/** What `<kol-live-player>` reflects in its `status` attribute. */
export type PlayerStatus =
  | 'idle' | 'loading' | 'live' | 'playing' | 'paused' | 'buffering' | 'recovering' | 'error' | 'ended';

/** The video events after which the status is read again. */
const MEDIA_EVENTS = ['loadeddata', 'playing', 'pause', 'waiting', 'ended', 'seeked'] as const;

/** The player whose status is kept: its reflected `status` and `error`. */
export type StatusHost = ReactiveControllerHost & {status: PlayerStatus; error: KolErrorCode | null};

/** What the status is read from, and who hears of it. */
export interface StatusInputs {
  /** The player's video element (undefined before its first render). */
  video(): HTMLVideoElement | undefined;
  /** True while a stream is loaded (an engine runs). */
  loaded(): boolean;
  /** True when live and at the live edge (then "live" rather than "playing"). */
  atLiveEdge(): boolean;
  /** Reports an error: the player's `kol-error` and `error` attribute. */
  fail(code: KolErrorCode, message?: string, cause?: unknown): void;
  /** The status followed a media change; `wasBuffering`: it was "buffering" before. */
  changed(wasBuffering: boolean): void;
}

/**
 * The status the video element's own state gives: ended; paused (once a stream is loaded; before that the
 * status stays as it is, "loading"); buffering (too little data to play on); else live at the live edge,
 * playing anywhere else.
 */
function mediaStatus(video: HTMLVideoElement, current: PlayerStatus, loaded: boolean, atLiveEdge: () => boolean): PlayerStatus {
  if (video.ended) return 'ended';
  if (video.paused) return loaded ? 'paused' : current;
  if (video.readyState < HTMLMediaElement.HAVE_FUTURE_DATA) return 'buffering';
  return atLiveEdge() ? 'live' : 'playing';
}

type OverlayMessage = 'loading' | 'reconnecting' | 'failed';

/** The overlay's words, in the page's language when shown. */
const OVERLAY_MESSAGES: Record<OverlayMessage, () => string> = {
  loading: () => msg('Loading video…', {id: 'player.loading'}),
  reconnecting: () => msg('Reconnecting…', {id: 'player.reconnecting'}),
  failed: () => msg('The video cannot be played right now.', {id: 'player.failed'}),
};

/**
 * How the player stands, told to the page: the reflected `status`, the overlay's words, and the errors
 * (`kol-error`), from the video's own events and the engine's loading, recovery and failure. Recovery and
 * failure are the engine's to end: media events do not move the status out of them.
 */
export class PlayerStatusController implements ReactiveController {
  /** The overlay's words: the default ("Loading video…"), reconnecting, or the failure. */
  #message: OverlayMessage = 'loading';
  #playAfterRecovery = false;
  #lastRenderedSecond = -1;
  #listening?: HTMLVideoElement;

  readonly #host: StatusHost;
  readonly #inputs: StatusInputs;

  constructor(host: StatusHost, inputs: StatusInputs) {
    this.#host = host;
    this.#inputs = inputs;
    host.addController(this);
  }

  /** Listens to the video once it is rendered. It is the player's own and lives as long as the player, so for good. */
  hostUpdated(): void {
    const video = this.#inputs.video();
    if (!video || video === this.#listening) return;
    this.#listening = video;
    for (const type of MEDIA_EVENTS) video.addEventListener(type, this.mediaChanged);
    video.addEventListener('timeupdate', this.#timeUpdated);
  }

  /** Back to the start (a new source, a retry): loading (idle without a source), and no error. */
  reset(loading: boolean): void {
    this.#host.status = loading ? 'loading' : 'idle';
    this.#host.error = null;
  }

  /** A load starts: the overlay's default words ("Loading video…"). */
  clearMessage(): void {
    this.#setMessage('loading');
  }

  /** The loading, reconnecting or error overlay (parts `state` and `retry`), while the status calls for one. */
  renderOverlay(retry: () => void) {
    const status = this.#host.status;
    if (status !== 'loading' && status !== 'error' && status !== 'recovering') return nothing;
    return html`<div part="state" role=${status === 'error' ? 'alert' : 'status'}>
      <span>${OVERLAY_MESSAGES[this.#message]()}</span>
      ${status === 'error' ? html`<button part="retry" type="button" @click=${retry}>${msg('Try again', {id: 'action.try-again'})}</button>` : nothing}
    </div>`;
  }

  /** The engine is rebuilding the stream after `code`: "Reconnecting…", reported once per code. */
  recovering(code?: KolErrorCode, message?: string): void {
    const video = this.#inputs.video()!;
    // A rebuild detaches the video, which pauses it: remember to play on once the stream is back.
    if (this.#host.status !== 'recovering') this.#playAfterRecovery = !video.paused;
    this.#host.status = 'recovering';
    this.#setMessage('reconnecting');
    // Visible and reported, though kolkit is already fixing it.
    if (code && this.#host.error !== code) this.#inputs.fail(code, message);
  }

  /** The stream is back: buffering until the video says otherwise; playing on if it played before. */
  recovered(): void {
    this.#host.error = null;
    this.#setMessage('loading');
    this.#host.status = 'buffering';
    if (this.#playAfterRecovery) void this.#inputs.video()!.play().catch(() => undefined);
    this.#playAfterRecovery = false;
    this.mediaChanged();
  }

  /** The stream cannot be played: the error overlay (with its retry), and the `kol-error`. */
  failed(code: KolErrorCode, message: string, cause?: unknown): void {
    this.#host.status = 'error';
    this.#setMessage('failed');
    this.#inputs.fail(code, message, cause);
  }

  /** A media event (loaded, playing, paused, waiting, ended, seeked): the status follows the video. */
  readonly mediaChanged = (): void => {
    const video = this.#inputs.video();
    const status = this.#host.status;
    if (status === 'error' || !video || (status === 'recovering' && this.#host.error)) return;
    this.#host.status = mediaStatus(video, status, this.#inputs.loaded(), () => this.#inputs.atLiveEdge());
    this.#inputs.changed(status === 'buffering');
    this.#host.requestUpdate();
  };

  /** The playhead moved. */
  readonly #timeUpdated = (): void => {
    // The seek bar, "back to live" and the badge follow the playhead, but a re-render (and its layout)
    // once a second is enough for them.
    const second = Math.floor(this.#inputs.video()!.currentTime);
    if (second === this.#lastRenderedSecond) return;
    this.#lastRenderedSecond = second;
    if (this.#host.status === 'live' || this.#host.status === 'playing') this.mediaChanged();
    else this.#host.requestUpdate();
  };

  #setMessage(message: OverlayMessage): void {
    if (message === this.#message) return;
    this.#message = message;
    this.#host.requestUpdate();
  }
}
