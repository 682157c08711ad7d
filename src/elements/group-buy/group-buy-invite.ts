/**
 * The invite of a group buy: a link to this page carrying the group (`?kol_group=<id>`) and the host credited
 * for the sale (`?kol_ref=`, page/attribution.ts), shared with the Web Share API where the browser has it and
 * copied to the clipboard otherwise. The link is this page's own, so it is always same-origin; one that is not
 * https, loopback or this origin (a `file:` page) is never offered.
 */
import {ATTRIBUTION_PARAM, attributionRef} from '../../page/attribution.js';
import {safeUrl} from '../../page/url.js';

/** The URL parameter naming the group a friend was invited to. */
export const GROUP_PARAM = 'kol_group';

/** How an invite went: shared (the share sheet took it), copied, cancelled by the shopper, or not possible. */
export type InviteOutcome = 'shared' | 'copied' | 'cancelled' | 'failed';

/** The invite link for `groupId` on the page at `href`, crediting `ref`; null when it would not be safe to offer. */
export function inviteUrl(groupId: string, ref: string | null, href: string = location.href): string | null {
  const url = new URL(href);
  url.hash = '';
  url.searchParams.set(GROUP_PARAM, groupId);
  if (ref) url.searchParams.set(ATTRIBUTION_PARAM, ref);
  else url.searchParams.delete(ATTRIBUTION_PARAM);
  return safeUrl(url.href);
}

/** The host credited on this page: the show's `affiliate`, else the landing `kol_ref` (kept per consent). */
export function invitingRef(affiliate: string | null, consent: string | null): string | null {
  return attributionRef(affiliate, consent === 'granted');
}

/** True when the page was opened from an invite to `groupId`. */
export function invitedTo(groupId: string, href: string = location.href): boolean {
  return new URL(href).searchParams.get(GROUP_PARAM) === groupId;
}

/** Shares `url` (the share sheet where there is one), else copies it; never rejects. */
export async function shareInvite(url: string, title: string, text: string): Promise<InviteOutcome> {
  if (typeof navigator.share === 'function') {
    try {
      await navigator.share({title, text, url});
      return 'shared';
    } catch (error) {
      // The shopper closed the sheet: nothing to do. Anything else (no permission, no user gesture): copy.
      if (error instanceof DOMException && error.name === 'AbortError') return 'cancelled';
    }
  }
  try {
    await navigator.clipboard.writeText(url);
    return 'copied';
  } catch {
    return 'failed';
  }
}
