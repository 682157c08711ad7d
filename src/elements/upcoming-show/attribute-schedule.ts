/**
 * An upcoming show set by `<kol-upcoming-show>` attributes, checked like a `show.scheduled` on the wire (the
 * same valibot schema), and its links through `safeUrl`: a show that cannot be read right is not shown, and
 * the page is told which attribute is wrong.
 */
import * as v from 'valibot';
import {ShowStateSchema, type ScheduledShow} from '../../core/schema.js';
import {safeUrl} from '../../page/url.js';

/** The element's schedule attributes, as its properties hold them. */
export interface ScheduleAttributes {
  showTitle: string | null;
  startsAt: string | null;
  hostName: string | null;
  url: string | null;
  image: string | null;
}

/** What the attributes make: no show of their own, a show, or the first attribute that is wrong. */
export type AttributeSchedule = null | {scheduled: ScheduledShow} | {attribute: string; message: string};

/** The state's `scheduled` entry, unwrapped from its `optional`: the fields a `show.scheduled` carries. */
const SCHEDULED = ShowStateSchema.entries.scheduled.wrapped;

/** Fields and the attributes that set them, for naming the wrong one. */
const ATTRIBUTE_OF: Record<string, string> = {title: 'show-title', startsAt: 'starts-at', host: 'host-name', url: 'url', image: 'image'};

/** Attributes a show of the element's own cannot do without. */
const REQUIRED: Array<[keyof ScheduleAttributes, string]> = [['showTitle', 'show-title'], ['startsAt', 'starts-at'], ['hostName', 'host-name']];

/** Reads the schedule attributes. Any of them set means a show of the element's own: each must then be valid. */
export function scheduleFromAttributes(a: ScheduleAttributes): AttributeSchedule {
  if (Object.values(a).every((value) => value === null)) return null;
  for (const [key, attribute] of REQUIRED) {
    if (a[key] === null || a[key] === '') return {attribute, message: `${attribute} is required for a show set by attributes.`};
  }
  for (const attribute of ['url', 'image'] as const) {
    if (a[attribute] !== null && !safeUrl(a[attribute])) {
      return {attribute, message: `${attribute}="${a[attribute]}" is not valid: expected an https URL.`};
    }
  }
  const candidate = {
    title: a.showTitle,
    startsAt: a.startsAt,
    host: a.hostName,
    ...(a.url !== null ? {url: a.url} : {}),
    ...(a.image !== null ? {image: a.image} : {}),
  };
  const result = v.safeParse(SCHEDULED, candidate);
  if (result.success) return {scheduled: result.output};
  const attribute = ATTRIBUTE_OF[v.getDotPath(result.issues[0]) ?? ''] ?? 'show-title';
  const written = a[keyOf(attribute)];
  return {attribute, message: `${attribute}="${written ?? ''}" is not valid: expected ${expectation(attribute)}.`};
}

/** The property behind an attribute. */
function keyOf(attribute: string): keyof ScheduleAttributes {
  return attribute === 'show-title' ? 'showTitle' : attribute === 'starts-at' ? 'startsAt' : attribute === 'host-name' ? 'hostName' : (attribute as 'url' | 'image');
}

/** What each attribute must hold, in words a page author can act on. */
function expectation(attribute: string): string {
  switch (attribute) {
    case 'starts-at': return 'an ISO 8601 time with a zone, such as 2026-05-01T20:30:00Z';
    case 'show-title': return 'a text of 1 to 120 characters';
    case 'host-name': return 'a text of at most 64 characters';
    default: return 'an https URL of at most 2048 characters';
  }
}
