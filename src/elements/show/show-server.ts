/**
 * The kolkit show server a `<kol-show server show-id>` talks to (docs/server.md): its API's URLs, derived from
 * the two attributes and checked, and the viewer actions posted there. Only this plumbing is in the entry
 * bundle; the POST itself (sources/server-actions.ts) is a chunk loaded at the first action, and nothing is
 * sent before there is a server.
 */
import {errorMessage, type ReportFailure} from '../../core/errors.js';
import {safeUrl} from '../../page/url.js';
import type {ActionOutcome, ActionShow} from '../../sources/server-actions.js';

export type {ActionOutcome, ActionShow};

/** The show ids a show server accepts: they name its log files and NATS subjects. */
const SHOW_ID = /^[A-Za-z0-9_-]{1,64}$/;

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

/** The viewer actions of one show, posted to its server's API by the actions chunk. */
export class ShowActions {
  /** The API base (`showApiBase`), or null while the show has no valid server. */
  base: string | null = null;

  readonly #show: ActionShow;
  readonly #report: ReportFailure;

  /** @param report hears every action that was not accepted (`action-refused`, `action-failed`, `no-server`). */
  constructor(show: ActionShow, report: ReportFailure) {
    this.#show = show;
    this.#report = report;
  }

  /** Posts `body` to the API path `path` (e.g. `chat`) as this viewer; never rejects. */
  post(path: string, body: unknown): Promise<ActionOutcome> {
    return import('../../sources/server-actions.js').then(
      (chunk) => chunk.sendAction(this.base, path, body, this.#show, this.#report),
      (error) => {
        const message = errorMessage(error, 'The code that sends viewer actions could not be loaded.');
        this.#report('action-failed', message, error);
        return {status: 'failed', code: 'action-failed', message};
      },
    );
  }
}
