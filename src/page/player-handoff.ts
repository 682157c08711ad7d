/**
 * The player's handoff from one page of a store to the next (a multi-page store: each click is a new page).
 * When the shopper leaves a page, the player notes which stream played and the sound the shopper chose; the
 * player of the same stream on the next page of the tab takes the note and starts where a live viewer
 * should, at the live edge, with that sound. The note is kept in sessionStorage (this tab only), and only
 * while the show's consent is granted (adapters/consent.ts): without consent nothing is written or read,
 * and the next page starts as its markup says.
 */

/** The sessionStorage key of the note. */
export const HANDOFF_KEY = 'kolkit:player';

/** A note older than this is from another visit, not from the page just left: it is ignored. */
export const HANDOFF_MAX_AGE_MS = 2 * 60_000;

/** What the next page needs to resume the show as the shopper left it. */
export interface PlayerHandoff {
  /** The stream's absolute URL: only a player of the same stream takes the note. */
  src: string;
  /** The sound the shopper chose. */
  muted: boolean;
  /** 0 to 1. */
  volume: number;
  /** It was playing when the shopper left (then the next page plays it, even without `autoplay`). */
  playing: boolean;
  /** When the page was left (ms since the epoch). */
  savedAt: number;
}

/** `src` as an absolute URL, so "/live/x.m3u8" on one page is the same stream on the next. */
function absolute(src: string): string {
  try {
    return new URL(src, document.baseURI).href;
  } catch {
    return src;
  }
}

/** A stored note, checked: every field of the right type, or null. */
function parse(stored: string): PlayerHandoff | null {
  try {
    const value = JSON.parse(stored) as Partial<PlayerHandoff>;
    const valid = typeof value.src === 'string' && typeof value.muted === 'boolean' && typeof value.playing === 'boolean'
      && typeof value.volume === 'number' && value.volume >= 0 && value.volume <= 1 && typeof value.savedAt === 'number';
    return valid ? (value as PlayerHandoff) : null;
  } catch {
    return null;
  }
}

/** Notes the player's state for the next page of the tab; nothing without `consent`. */
export function saveHandoff(state: Omit<PlayerHandoff, 'savedAt'>, consent: boolean, now = Date.now()): void {
  if (!consent) return;
  try {
    sessionStorage.setItem(HANDOFF_KEY, JSON.stringify({...state, src: absolute(state.src), savedAt: now}));
  } catch {
    // Storage blocked (a sandboxed frame, a privacy setting): the next page starts as its markup says.
  }
}

/**
 * The note the page just left made for a player of `src`, taken (removed, so a later visit does not replay it),
 * or null: no consent, no note, another stream's, or too old.
 */
export function takeHandoff(src: string, consent: boolean, now = Date.now()): PlayerHandoff | null {
  if (!consent) return null;
  try {
    const stored = sessionStorage.getItem(HANDOFF_KEY);
    const note = stored === null ? null : parse(stored);
    if (!note || note.src !== absolute(src)) return null;
    sessionStorage.removeItem(HANDOFF_KEY);
    const age = now - note.savedAt;
    return age >= 0 && age <= HANDOFF_MAX_AGE_MS ? note : null;
  } catch {
    return null;
  }
}

/** Consent withdrawn: the note goes too. */
export function forgetHandoff(): void {
  try {
    sessionStorage.removeItem(HANDOFF_KEY);
  } catch {
    // Nothing could have been stored either.
  }
}
