/**
 * The anonymous viewer id a show server knows this page by (`X-Kol-Viewer`, docs/server.md): random, made
 * when the page first sends an action, and the same for the page's whole life (every show on it). Stored
 * (sessionStorage: this tab only) only while consent allows, so the viewer keeps their id across the tab's
 * pages; nothing is read or written there before consent (adapters/consent.ts), and withdrawing consent
 * removes it.
 */

import {VIEWER_ID} from '../core/ids.js';
import {ConsentedSessionValue} from './consented-value.js';
import {randomId} from './random-id.js';

/** The sessionStorage key. */
export const VIEWER_ID_KEY = 'kolkit:viewer';

const page = new ConsentedSessionValue(VIEWER_ID_KEY, (stored) => (VIEWER_ID.test(stored) ? stored : null));

/**
 * The page's viewer id, made at first call. With consent, a valid id stored by an earlier page of the tab
 * is taken up, and the page's id is stored.
 */
export function viewerId(consent: boolean): string {
  const id = page.get(consent) ?? randomId();
  page.set(id, consent);
  return id;
}

/**
 * Consent changed: given, the page's id (once made) is stored; withdrawn (call it only on withdrawal: a page
 * that never had consent has stored nothing), the stored id is removed and the page keeps its own.
 */
export function viewerConsentChanged(allowed: boolean): void {
  page.consentChanged(allowed);
}

/** Forgets the page's id (not the stored one), as a new page would: for tests. */
export function forgetPageViewerId(): void {
  page.forget();
}
