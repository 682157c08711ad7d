/**
 * The show's events on their way from the sources to the viewer, wired in one place: the sources (the live
 * stream, the recording) and `push()` hand them to the intake, which validates them; the scheduler holds each
 * until the viewer's program time reaches it (chat and counts from a live source: not at all); the reporter
 * tells the page what was released. Started and stopped with the element, as a Lit ReactiveController.
 */
import type {ReactiveController, ReactiveControllerHost} from 'lit';
import {ServerClock} from '../../core/clock.js';
import type {KolErrorCode, ReportFailure} from '../../core/errors.js';
import {ReleaseScheduler, type ProgramTimeSource} from '../../core/scheduler.js';
import type {PushOptions} from '../show-handle.js';
import {EventIntake} from './event-intake.js';
import {EventSources} from './event-sources.js';
import {ReleaseReporter} from './release-reporter.js';

/** The element the events belong to: they are dispatched on it, and its sources push through it. */
export interface EventsShow extends ReactiveControllerHost, EventTarget {
  /** True once the element rendered: a later connection is a move in the DOM. */
  readonly hasUpdated: boolean;
  push(input: unknown, options?: PushOptions): void;
}

/** One show's event pipeline: its parts are fields, named for their jobs. */
export class ShowEvents implements ReactiveController {
  /** The server clock: the release reference without a player, and what countdowns run on. */
  readonly clock = new ServerClock();
  /** Validates what arrives and reports each distinct problem once. */
  readonly intake: EventIntake;
  /** Holds events until the viewer's program time; its queue has the state at the viewer's position. */
  readonly scheduler: ReleaseScheduler;
  /** Turns releases into the show's DOM events and keeps the release figures. */
  readonly releases: ReleaseReporter;
  /** The live stream and the recording. */
  readonly sources: EventSources;

  readonly #show: EventsShow;
  readonly #liveUrl: () => string | null;

  /**
   * @param clearError clears the show's error state if it still shows `code` (the live stream recovered).
   * @param changed called when the state changed, after the show's events.
   * @param liveUrl the live stream's URL now (null: none).
   */
  constructor(show: EventsShow, report: ReportFailure, clearError: (code: KolErrorCode) => void, changed: () => void, liveUrl: () => string | null) {
    const clock = this.clock;
    this.#show = show;
    this.#liveUrl = liveUrl;
    this.intake = new EventIntake(clock, report);
    this.scheduler = new ReleaseScheduler(
      clock, (result) => this.releases.released(result, this.scheduler.source !== null), undefined, (limit) => this.intake.limit(limit),
    );
    this.releases = new ReleaseReporter(show, this.scheduler.queue, clock, changed);
    this.sources = new EventSources({push: (data, options) => show.push(data, options), intake: this.intake, fail: report, clearError});
    show.addController(this);
  }

  hostConnected(): void {
    this.scheduler.sync();
    // Moved in the DOM (or re-inserted by a theme editor): pick the sources and the deal clock up again.
    if (this.#show.hasUpdated) {
      this.sources.connectLive(this.#liveUrl());
      this.sources.resumeRecording();
      this.releases.emitDerivedChanges();
    }
  }

  hostDisconnected(): void {
    this.scheduler.dispose();
    this.sources.stop();
  }

  /** Validates `input` (one event or an array) and queues what is valid; see `KolShow.push`. */
  push(input: unknown, options?: PushOptions): void {
    const events = this.intake.accept(input);
    if (events.length) this.scheduler.add(events, !options?.recorded);
  }

  /** The viewer's program time, or null without a player that knows it. */
  programTime(): Date | null {
    const time = this.scheduler.source?.programTime();
    return time === null || time === undefined ? null : new Date(time);
  }

  /** Lets a player report the viewer's program time. Returns the detach. */
  attachPlayer(source: ProgramTimeSource): () => void {
    this.releases.restartWatch();
    this.scheduler.setSource(source);
    return () => this.scheduler.source === source && this.scheduler.setSource(null);
  }
}
