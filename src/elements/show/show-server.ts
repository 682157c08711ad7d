/**
 * The kolkit show server a `<kol-show server show-id>` talks to (docs/server.md): its API's URLs, derived from
 * the two attributes and checked, the live stream's URL, the anonymous viewer id following consent, and the
 * viewer actions posted there. Only this plumbing is in the entry bundle; the POST itself
 * (sources/server-actions.ts) and the viewer id (page/viewer-id.ts) are chunks loaded when first needed, and
 * nothing is sent before there is a server.
 */
import {errorMessage, type ReportFailure} from '../../core/errors.js';
import {KolErrorEvent} from '../events.js';
import {safeUrl} from '../../page/url.js';
import type {ActionOutcome, ActionShow} from '../../sources/server-actions.js';
import type {ReportAttribute} from './show-adapter.js';
import {SHOW_ID} from '../../core/ids.js';
import {randomId} from '../../page/random-id.js';

export type {ActionOutcome, ActionShow};

/**
 * The show's API base, `{server}/v1/shows/{show-id}`: null without a `server`, or the attribute at fault and
 * why. `server` is resolved against the page, so `"/"` (or an empty value) is the page's own origin and a
 * path is a server mounted under it; like every URL kolkit calls it must be https, http on loopback, or
 * same-origin (page/url.ts), with no query, fragment or credentials.
 */
export function showApiBase(server: string | null, showId: string | null): string | null | [attribute: string, message: string] {
  if (server === null) return null;
  const href = safeUrl(server.trim() || '/');
  const url = href ? new URL(href) : null;
  if (!url || url.search || url.hash || url.username || url.password) {
    return ['server', `server="${server}" is not https, loopback or this origin (without query or credentials).`];
  }
  if (showId === null || !SHOW_ID.test(showId)) {
    return ['show-id', `show-id="${showId ?? ''}" is not 1 to 64 of A-Z a-z 0-9 _ -.`];
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}/v1/shows/${showId}`;
}

/**
 * What the server plumbing reads of its `<kol-show>`, the attributes that name the server and the viewer, and
 * where it reports an action that was not accepted.
 */
export interface ServerShow extends ActionShow, EventTarget {
  readonly server: string | null;
  readonly showId: string | null;
  /** An events URL that wins over the stream `server` derives. */
  readonly events: string | null;
}

/** How a chat message is sent (`KolShow.sendChat`). */
export interface ChatOptions {
  /**
   * The display name an anonymous viewer chose (at most 64 characters); the server ignores it for a customer,
   * whose viewer token names them.
   */
  name?: string;
}

/** One show's server: its API base, its live stream's URL and its viewer actions. */
export class ShowServer {
  /** The API base (`showApiBase`), or null while the show has no valid server. */
  #base: string | null = null;

  readonly #show: ServerShow;
  readonly #badAttribute: ReportAttribute;
  /**
   * Every action that was not accepted (`action-refused`, `action-failed`, `no-server`) is a `kol-error`: an
   * answer to whoever asked, reported without putting the whole show in an error state.
   */
  readonly #report: ReportFailure = (code, message, cause) => this.#show.dispatchEvent(new KolErrorEvent({code, message, cause}));

  /** @param badAttribute hears a `server` or `show-id` that cannot be used. */
  constructor(show: ServerShow, badAttribute: ReportAttribute) {
    this.#show = show;
    this.#badAttribute = badAttribute;
  }

  /** Takes in the show's changed properties (Lit's `willUpdate` map): consent, `server`, `show-id`. */
  willUpdate(changed: ReadonlyMap<PropertyKey, unknown>): void {
    // The viewer id follows consent: stored once granted, removed when withdrawn (never touched before). Its
    // module is a chunk: a page whose consent never changes does not load it.
    const granted = this.#show.consent === 'granted';
    if (changed.has('consent') && (changed.get('consent') === 'granted') !== granted) {
      import('../../page/viewer-id.js').then((id) => id.viewerConsentChanged(granted), () => {});
    }
    if (changed.has('server') || changed.has('showId')) {
      const base = showApiBase(this.#show.server, this.#show.showId);
      this.#base = typeof base === 'string' ? base : null;
      if (Array.isArray(base)) this.#badAttribute(...base);
    }
  }

  /** True when the show's changed properties (a Lit map) move its live stream. */
  static movesStream(changed: ReadonlyMap<PropertyKey, unknown>): boolean {
    return changed.has('events') || changed.has('server') || changed.has('showId');
  }

  /** The live stream: `events`, else the one `server` and `show-id` give, else null. */
  eventsUrl(): string | null {
    return this.#show.events || (this.#base && `${this.#base}/events`);
  }

  /** Posts a chat message as this viewer (`KolShow.sendChat`), with the display name it gave, if any. */
  sendChat(text: string, options?: ChatOptions): Promise<ActionOutcome> {
    return this.#send('chat', options?.name ? {text, name: options.name} : {text});
  }

  /** Posts a reaction as this viewer (`KolShow.react`). */
  react(kind: string): Promise<ActionOutcome> {
    return this.#send('reactions', {kind});
  }

  /** Posts a vote for `option` (0-based) in the poll `pollId` as this viewer (`KolShow.vote`). */
  vote(pollId: string, option: number): Promise<ActionOutcome> {
    return this.#send(`polls/${encodeURIComponent(pollId)}/votes`, {option});
  }

  /** Posts an entry to the giveaway `giveawayId` as this customer (`KolShow.enterGiveaway`). */
  enterGiveaway(giveawayId: string): Promise<ActionOutcome> {
    return this.#send(`giveaways/${encodeURIComponent(giveawayId)}/entries`, {});
  }

  /**
   * Posts a bid of `amount` (a decimal string in the auction's currency) in the auction `auctionId` as this
   * customer (`KolShow.bid`), under the idempotency `key` (made here when not given).
   */
  bid(auctionId: string, amount: string, key: string = randomId()): Promise<ActionOutcome> {
    return this.#send(`auctions/${encodeURIComponent(auctionId)}/bids`, {amount, key});
  }

  /** Reads whether this customer won the auction `auctionId`, and at what price (`KolShow.auctionResult`). */
  auctionResult(auctionId: string): Promise<ActionOutcome> {
    return this.#send(`auctions/${encodeURIComponent(auctionId)}/result`);
  }

  /** Joins the group buy `groupId` as this customer (`KolShow.joinGroup`). */
  joinGroup(groupId: string): Promise<ActionOutcome> {
    return this.#send(`groups/${encodeURIComponent(groupId)}/members`, {});
  }

  /** Reads whether this customer is a member of the group buy `groupId` (`KolShow.groupMembership`). */
  groupMembership(groupId: string): Promise<ActionOutcome> {
    return this.#send(`groups/${encodeURIComponent(groupId)}/membership`);
  }

  /** Posts `body` to the API path `path` (e.g. `chat`) as this viewer, or GETs it without a body; never rejects. */
  #send(path: string, body?: unknown): Promise<ActionOutcome> {
    return import('../../sources/server-actions.js').then(
      (chunk) => chunk.sendAction(this.#base, path, body, this.#show, this.#report),
      (error) => {
        const message = errorMessage(error, 'The code that sends viewer actions could not be loaded.');
        this.#report('action-failed', message, error);
        return {status: 'failed', code: 'action-failed', message};
      },
    );
  }
}
