/**
 * Show events carried in the stream itself (DESIGN.md §3, carrier 1): `EXT-X-DATERANGE` tags with
 * `CLASS="com.kolkit.event"` and the event as base64url JSON in `X-KOL-EVENT`.
 */

/** The DATERANGE class kolkit writes and reads. */
export const KOLKIT_DATERANGE_CLASS = 'com.kolkit.event';

/** Decodes base64url (no padding needed) as UTF-8 JSON; returns the raw string when it is not JSON. */
export function decodeBase64UrlJson(value: string): unknown {
  const base64 = value.replace(/-/g, '+').replace(/_/g, '/');
  const binary = atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4));
  const text = new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Minimal shape of an hls.js DateRange that this module reads. */
export interface DateRangeLike {
  class?: string;
  attr: Record<string, unknown>;
}

/** The show events in a playlist's date ranges; malformed payloads come back raw for validation to report. */
export function eventsFromDateRanges(ranges: Record<string, DateRangeLike | undefined>): unknown[] {
  const events: unknown[] = [];
  for (const range of Object.values(ranges)) {
    const payload = range?.class === KOLKIT_DATERANGE_CLASS ? range.attr['X-KOL-EVENT'] : undefined;
    if (typeof payload !== 'string') continue;
    try {
      events.push(decodeBase64UrlJson(payload));
    } catch {
      events.push(payload); // not base64: validation reports it as a bad event
    }
  }
  return events;
}
