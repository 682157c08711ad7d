/**
 * Every show's log as this node sees it (the `ShowLogs` contract of types.ts), over any `ShowBus`: events
 * are stamped here and appended to the bus; each show read by this node is held in a `ShowView` that the
 * bus's follower keeps current, so joins, states and timelines do not read the log again each time.
 */
import type {Logger} from 'pino';
import type {ShowEvent, ShowState} from '../core/schema.js';
import {SHOW_ID, type LoggedEvent, type ShowBus} from './bus/types.js';
import {DEFAULT_CURRENCY, checkIdempotencyKey, idempotentEventId, stampHostEvent, stampServerEvent} from './host-event.js';
import {ShowView} from './show-view.js';
import {ShowInputError, type EntryListener, type HostEventEntry, type HostEventOptions, type ShowLogs, type StateListener} from './types.js';

/** Options of `createShowLogs`. */
export interface ShowLogsOptions {
  /** The bus (embedded or cluster): only its `ShowBus` interface is used. */
  bus: ShowBus;
  /** The server clock (wall-clock ms): stamps `at` and decides which events a snapshot folds. */
  now?: () => number;
  /** Where listener errors and failed catch-ups are reported. */
  log?: Logger;
  /** The ISO 4217 currency of deal prices a host gives as decimal strings (default `EUR`, the demo store's). */
  currency?: string;
}

/** A show's view is dropped after this long unused with no listener (it is read again from the log when asked). */
const IDLE_VIEW_MS = 10 * 60_000;

/** The show logs of this node over `options.bus`. */
export function createShowLogs(options: ShowLogsOptions): ShowLogs {
  const currency = options.currency ?? DEFAULT_CURRENCY;
  if (!/^[A-Z]{3}$/.test(currency)) throw new TypeError(`currency: an ISO 4217 code such as EUR, not ${JSON.stringify(currency)}`);
  return new BusShowLogs(options.bus, options.now ?? Date.now, currency, options.log);
}

class BusShowLogs implements ShowLogs {
  private readonly views = new Map<string, {ready: Promise<ShowView>; view?: ShowView}>();
  private lastSweep = Date.now();
  private readonly watchers = new Set<StateListener>();

  constructor(private readonly bus: ShowBus, private readonly now: () => number, private readonly currency: string, private readonly log?: Logger) {}

  async hostEvent(show: string, body: unknown, options: HostEventOptions = {}): Promise<HostEventEntry> {
    checkShow(show);
    const key = options.idempotencyKey;
    if (key === undefined) return this.store(show, stampHostEvent(body, this.now(), this.currency));
    const event = stampHostEvent(body, this.now(), this.currency, idempotentEventId(show, checkIdempotencyKey(key)));
    const entry = await this.store(show, event);
    // Both buses answer a fresh append with the event object they were given, and a repeated id with the
    // entry stored first (read back, or an earlier post's object): another object, with that post's `at`.
    const replayed = entry.event !== event;
    return replayed ? {...entry, replayed} : entry;
  }

  async serverEvent(show: string, fields: {type: string} & Record<string, unknown>): Promise<LoggedEvent> {
    checkShow(show);
    return this.store(show, stampServerEvent(fields, this.now()));
  }

  async join(show: string, lastEventId: number | null, listener: EntryListener): Promise<() => void> {
    const view = await this.view(show);
    const resume = lastEventId !== null && Number.isSafeInteger(lastEventId) && lastEventId >= 0 ? lastEventId : null;
    // An id beyond what this node has heard may come from a node ahead of it (cluster): read up to it first.
    if (resume !== null && resume > view.lastSeq) await this.catchUp(show, view).catch((error: unknown) => this.log?.warn({err: error, show}, 'a join could not read ahead'));
    return view.join(resume, this.now(), listener);
  }

  async state(show: string, options: {fresh?: boolean} = {}): Promise<ShowState> {
    const view = await this.view(show);
    if (options.fresh) await this.catchUp(show, view);
    return view.state;
  }

  watch(listener: StateListener): () => void {
    this.watchers.add(listener);
    return () => this.watchers.delete(listener);
  }

  async timeline(show: string): Promise<ShowEvent[]> {
    const held = (await this.view(show)).heldTimeline();
    return held ?? (await this.bus.read(show)).map((e) => e.event);
  }

  /** Appends, then makes sure this node's view has the entry before answering (state reads right after see it). */
  private async store(show: string, event: ShowEvent): Promise<LoggedEvent> {
    const entry = await this.bus.append(show, event);
    try {
      const view = await this.view(show);
      if (view.lastSeq < entry.seq) await this.catchUp(show, view);
    } catch (error) {
      // Stored is stored: the follower brings the entry to the view later.
      this.log?.warn({err: error, show, seq: entry.seq}, 'the show view could not catch up after an append');
    }
    return entry;
  }

  /** Reads what the view lacks straight from the bus (the follower may lag in a cluster); repeats are ignored. */
  private async catchUp(show: string, view: ShowView): Promise<void> {
    const before = view.lastSeq;
    for (const entry of await this.bus.read(show, view.lastSeq)) view.apply(entry);
    if (view.lastSeq !== before) this.changed(view);
  }

  /** Tells the watchers a view's new state; one that throws is logged, the others still hear it. */
  private changed(view: ShowView): void {
    for (const listener of this.watchers) {
      try {
        listener(view.show, view.state);
      } catch (error) {
        this.log?.error({err: error, show: view.show}, 'a show state watcher threw');
      }
    }
  }

  /** The show's view, read from the log and followed on first use. A failed read is forgotten, so a later call retries. */
  private view(show: string): Promise<ShowView> {
    checkShow(show);
    this.sweep();
    let slot = this.views.get(show);
    if (!slot) {
      const ready = this.open(show);
      const created = {ready} as {ready: Promise<ShowView>; view?: ShowView};
      slot = created;
      this.views.set(show, created);
      ready.then(
        (view) => (created.view = view),
        () => this.views.get(show) === created && this.views.delete(show),
      );
    }
    if (slot.view) slot.view.lastUsed = Date.now();
    return slot.ready;
  }

  private async open(show: string): Promise<ShowView> {
    const view = new ShowView(show, this.log);
    view.load(await this.bus.read(show));
    // Follow from the last entry read: the bus delivers what came meanwhile, and nothing twice.
    view.stop = this.bus.follow(
      show,
      (entry) => {
        const before = view.lastSeq;
        view.apply(entry);
        if (view.lastSeq !== before) this.changed(view);
      },
      view.lastSeq,
    );
    this.changed(view);
    return view;
  }

  /** Drops views unused for `IDLE_VIEW_MS` with no listener, at most once a minute. */
  private sweep(): void {
    const now = Date.now();
    if (now - this.lastSweep < 60_000) return;
    this.lastSweep = now;
    for (const [show, slot] of this.views) {
      const view = slot.view;
      if (view && !view.listenerCount && now - view.lastUsed > IDLE_VIEW_MS) {
        view.stop();
        this.views.delete(show);
      }
    }
  }
}

function checkShow(show: string): void {
  if (!SHOW_ID.test(show)) throw new ShowInputError(400, 'bad-show', 'A show id is 1 to 64 letters, digits, - or _.', {field: 'show'});
}
