/**
 * An upcoming show as a calendar event: an iCalendar file (RFC 5545) with one VEVENT, and the "add to
 * calendar" links of Google Calendar and Outlook. DOM-free and dependency-free: the file is a few dozen
 * lines of text, which a library would not make shorter (test/elements/upcoming-show.test.ts parses it
 * with Mozilla's ical.js).
 */

/** What a calendar entry for a show holds. */
export interface CalendarEvent {
  /** A stable id: the same show gives the same UID, so adding it twice updates one entry. */
  uid: string;
  title: string;
  /** Start and end, ms since the epoch. */
  start: number;
  end: number;
  description: string;
  /** Where to watch (an https URL), or none. */
  url?: string;
}

/** The longest content line, in octets without its CRLF (RFC 5545 §3.1). */
const LINE_OCTETS = 75;

/** "20260501T203000Z": a UTC DATE-TIME (RFC 5545 §3.3.5, form 2). */
export function icsTime(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/**
 * A TEXT value (RFC 5545 §3.3.11): backslash, semicolon and comma escaped, a line break as `\n`, other
 * control characters (not allowed in TEXT) dropped.
 */
export function escapeText(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/[\\;,]/g, (c) => `\\${c}`)
    .replace(/\n/g, '\\n')
    .replace(/[\u0000-\u0008\u000A-\u001F\u007F]/g, '');
}

/**
 * One content line folded at 75 octets of UTF-8 (RFC 5545 §3.1): a CRLF and a space before each further
 * part, never inside a character's bytes.
 */
export function foldLine(line: string): string {
  const parts: string[] = [];
  let part = '';
  let octets = 0;
  for (const char of line) {
    const size = utf8Length(char.codePointAt(0)!);
    // A continuation line starts with its space, which counts toward its 75 octets.
    const limit = parts.length ? LINE_OCTETS - 1 : LINE_OCTETS;
    if (octets + size > limit) {
      parts.push(part);
      part = '';
      octets = 0;
    }
    part += char;
    octets += size;
  }
  parts.push(part);
  return parts.join('\r\n ');
}

/** How many octets UTF-8 takes for one code point. */
function utf8Length(codePoint: number): number {
  return codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
}

/** The event as an `.ics` file's text: CRLF line endings, folded lines. `stamp` is DTSTAMP (ms). */
export function icsFile(event: CalendarEvent, stamp: number): string {
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//kolkit//upcoming show//EN',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    'BEGIN:VEVENT',
    `UID:${escapeText(event.uid)}`,
    `DTSTAMP:${icsTime(stamp)}`,
    `DTSTART:${icsTime(event.start)}`,
    `DTEND:${icsTime(event.end)}`,
    `SUMMARY:${escapeText(event.title)}`,
    `DESCRIPTION:${escapeText(event.description)}`,
    // URL is a URI value, not TEXT: nothing to escape (a URL has no line breaks).
    ...(event.url ? [`URL:${event.url}`] : []),
    'END:VEVENT',
    'END:VCALENDAR',
  ];
  return lines.map(foldLine).join('\r\n') + '\r\n';
}

/** Google Calendar's "create event" link, filled in. */
export function googleCalendarUrl(event: CalendarEvent): string {
  const params = new URLSearchParams({
    action: 'TEMPLATE',
    text: event.title,
    dates: `${icsTime(event.start)}/${icsTime(event.end)}`,
    details: event.description,
    ...(event.url ? {location: event.url} : {}),
  });
  return `https://calendar.google.com/calendar/render?${params}`;
}

/** Outlook on the web's "add event" deeplink (outlook.live.com), filled in. */
export function outlookCalendarUrl(event: CalendarEvent): string {
  const params = new URLSearchParams({
    path: '/calendar/action/compose',
    rru: 'addevent',
    subject: event.title,
    startdt: new Date(event.start).toISOString(),
    enddt: new Date(event.end).toISOString(),
    body: event.description,
    ...(event.url ? {location: event.url} : {}),
  });
  return `https://outlook.live.com/calendar/0/deeplink/compose?${params}`;
}
