/**
 * The display name a viewer chose for chat: asked once, kept in memory for the page, and kept in
 * sessionStorage (this tab) only while the show's consent is granted, as the anonymous viewer id is
 * (page/viewer-id.ts): nothing is read or written there before consent, and withdrawing it removes the name.
 */

import {ConsentedSessionValue} from '../../page/consented-value.js';

/** The sessionStorage key. */
export const CHAT_NAME_KEY = 'kolkit:chat-name';
/** The longest name the server takes (`POST chat {name}`). */
export const MAX_CHAT_NAME_LENGTH = 64;

// Control characters would garble a line; the server strips them too.
const CONTROL = /[\u0000-\u001F\u007F]/g;

/** A name as the server will keep it: control characters removed, trimmed, at most 64; null when empty. */
export function cleanChatName(raw: string): string | null {
  const name = raw.replace(CONTROL, ' ').trim().slice(0, MAX_CHAT_NAME_LENGTH).trim();
  return name || null;
}

/** The page's chosen name, shared by every chat on the page. */
const page = new ConsentedSessionValue(CHAT_NAME_KEY, cleanChatName);

/** The chosen name: the page's, else (with consent) the one an earlier page of the tab stored. */
export function chatName(consent: boolean): string | null {
  return page.get(consent);
}

/** Sets the page's name, and stores it when consent allows. */
export function setChatName(name: string, consent: boolean): void {
  page.set(name, consent);
}

/** Consent changed: given, the page's name (once chosen) is stored; withdrawn, the stored one is removed. */
export function chatNameConsentChanged(allowed: boolean): void {
  page.consentChanged(allowed);
}

/** Forgets the page's name (not the stored one), as a new page would: for tests. */
export function forgetPageChatName(): void {
  page.forget();
}
