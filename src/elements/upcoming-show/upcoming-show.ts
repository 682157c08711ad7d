import {html, nothing, type PropertyValues} from 'lit';
import {property} from 'lit/decorators.js';
import {KolElement} from '../kol-element.js';
import {msg, str} from '@lit/localize';
import {ShowLink} from '../../controllers/show-link.js';
import {SecondTickController} from '../../controllers/second-tick.js';
import type {UpcomingShowHandle} from '../show-handle.js';
import type {ScheduledShow} from '../../core/schema.js';
import {formatDuration} from '../../core/countdown.js';
import {googleCalendarUrl, icsFile, icsTime, outlookCalendarUrl, type CalendarEvent} from '../../core/ics.js';
import {elementLocale} from '../../page/compact-count.js';
import {safeUrl} from '../../page/url.js';
import {cardStyles, pillBadgeStyles} from '../card-styles.js';
import {KolRemindRequestEvent, KolShowLiveEvent, type UpcomingShowDetail} from '../events.js';
import {scheduleFromAttributes, type AttributeSchedule} from './attribute-schedule.js';
import {ShowReminder} from './reminder.js';
import {upcomingShowStyles} from './upcoming-show.styles.js';

/** Where the announced show stands for this viewer. */
export type UpcomingShowState = 'upcoming' | 'live' | 'ended';

/**
 * A host may go live this long before the announced start and the element still takes it for this show; a
 * `live` status further ahead of it is another show (the host announcing next week's during tonight's).
 */
const EARLY_START_MS = 60 * 60 * 1000;
/** The calendar entry's length when `duration` is not set: an hour. */
const DEFAULT_DURATION_MINUTES = 60;
const DAY_MS = 24 * 60 * 60 * 1000;

/** What the reminder button's outcome says. */
const REMINDER_TEXT = {
  scheduled: () => msg("We'll remind you if this page is open.", {id: 'upcoming.remind.scheduled'}),
  unsupported: () => msg('This browser cannot show reminders.', {id: 'upcoming.remind.unsupported'}),
  denied: () => msg('Notifications are blocked for this site, so we cannot remind you here.', {id: 'upcoming.remind.denied'}),
  'no-consent': () => msg('Reminders are available once you accept this site’s preferences.', {id: 'upcoming.remind.no-consent'}),
} as const;

/**
 * The show that is coming: its title, host, start in the viewer's own time zone, and a countdown on the
 * server's clock; add it to a calendar (an `.ics` file, Google Calendar, Outlook) or ask for a reminder. At
 * the start, when the show goes live, it turns into "Live now" without a reload and fires `kol-show-live`.
 * Shows the show's `show.scheduled` announcement, or a show set by attributes (`show-title`, `starts-at`,
 * `host-name`, `url`, `image`).
 *
 * The reminder: the button first fires the cancelable `kol-remind-request`; a page that signs shoppers up
 * its own way (e-mail, SMS) cancels it and kolkit does nothing else. Otherwise, only with the show's
 * `consent="granted"`, it asks for the browser's notification permission and shows a notification at the
 * start while the page is open (it says so). Nothing is stored.
 *
 * @summary The next show: countdown, add to calendar, remind me; live at the start.
 * @slot empty - Shown when no show is announced. Default: "No show scheduled."
 * @slot live - Shown once the show is live. Default: "Live now" and a "Watch now" link to `url`.
 * @fires kol-remind-request - The shopper asked for a reminder. Cancelable: cancel it to remind them your own way.
 * @fires kol-show-live - The show went live (once per show): show your player now.
 * @fires kol-error - A schedule attribute is invalid (`bad-attribute`), or there is no show to follow (`no-show`).
 * @csspart base - The card.
 * @csspart image - The show's image, when it has one.
 * @csspart badge - "Upcoming show", "Live now" or "Show ended".
 * @csspart title - The show's title.
 * @csspart host - The host's name.
 * @csspart time - The start, in the viewer's time zone.
 * @csspart timer - The countdown to the start.
 * @csspart calendar - The add-to-calendar group.
 * @csspart ics - The button that downloads the `.ics` file.
 * @csspart google - The Google Calendar link.
 * @csspart outlook - The Outlook link.
 * @csspart remind - The "Remind me" button.
 * @csspart status - What became of the reminder.
 * @csspart watch - The "Watch now" link once live.
 * @cssprop [--kol-upcoming-show-accent=var(--kol-color-accent)] - Badge and countdown color.
 * @cssprop [--kol-upcoming-show-background=var(--kol-color-surface)] - Card background.
 * @cssprop [--kol-upcoming-show-timer-size=1.4em] - Size of the countdown.
 * @cssprop [--kol-upcoming-show-block-size=18rem] - The height the card reserves in every state, so nothing
 *   around it moves; give `kol-upcoming-show:not(:defined)` the same `min-block-size` (docs/theming.md).
 */
export class KolUpcomingShow extends KolElement {
  static override styles = [cardStyles, pillBadgeStyles, upcomingShowStyles];

  /** The id of the `<kol-show>` to follow, when the element is not inside it. */
  @property() show: string | null = null;

  /** A show set by attributes: its title (1 to 120 characters). */
  @property({attribute: 'show-title'}) showTitle: string | null = null;

  /** A show set by attributes: when it starts (ISO 8601 with a zone). An invalid schedule attribute shows `bad-attribute`. */
  @property({attribute: 'starts-at'}) startsAt: string | null = null;

  /** A show set by attributes: the host's name. */
  @property({attribute: 'host-name'}) hostName: string | null = null;

  /** A show set by attributes: where to watch it (https). */
  @property() url: string | null = null;

  /** A show set by attributes: its image (https). */
  @property() image: string | null = null;

  /** How long the calendar entry lasts, in minutes (default 60). */
  @property({type: Number}) duration: number = DEFAULT_DURATION_MINUTES;

  /** Reflected: `upcoming`, `live` or `ended`; absent when no show is announced. */
  @property({reflect: true}) state: UpcomingShowState | null = null;

  readonly #link = new ShowLink<UpcomingShowHandle>(this, () => {
    if (!this.#readAttributes()) this.fail('no-show', 'This upcoming show found no <kol-show> to follow.');
  });
  /** Repaints once a second while the countdown runs. */
  readonly #ticker = new SecondTickController(this, () => this.requestUpdate());
  readonly #reminder = new ShowReminder();
  /** What became of the last reminder request, for the show it was asked for. */
  #reminderNote: {key: string; text: string} | null = null;
  /** The show `kol-show-live` was fired for (by its key), so it fires once per show. */
  #wentLive: string | null = null;
  /** The show that just went live, told to the page after this render. */
  #liveNews: UpcomingShowDetail | null = null;
  #announcement = '';
  /** The attribute schedule last read, by its attributes. */
  #attributeSchedule: {key: string; value: AttributeSchedule} | null = null;
  #reported: string | null = null;

  /** The announced show: from the attributes when set, else the show's `show.scheduled`; or null. */
  get scheduled(): ScheduledShow | null {
    const own = this.#readAttributes();
    if (own) return 'scheduled' in own ? own.scheduled : null;
    return this.#link.show?.state.scheduled ?? null;
  }

  /** The announced show as an iCalendar file (RFC 5545), or null when none is announced. */
  ics(): string | null {
    const event = this.#calendarEvent();
    return event && icsFile(event, this.#now());
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    // The reminder is a timer of this page's element: it goes with it.
    this.#reminder.cancel();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('show')) this.#link.resolve();
    this.#reportProblem();
    const scheduled = this.scheduled;
    this.state = scheduled ? this.#stateOf(scheduled) : null;
    this.#ticker.run(this.state === 'upcoming');
    if (scheduled && this.state === 'live' && this.#wentLive !== keyOf(scheduled)) {
      this.#wentLive = keyOf(scheduled);
      this.#announcement = `${scheduled.title} is live now.`;
      this.#liveNews = detailOf(scheduled);
    }
  }

  protected override updated(): void {
    // Told once the card shows it: a page that shows its player on this event finds the card live.
    const news = this.#liveNews;
    if (!news) return;
    this.#liveNews = null;
    this.#reminder.fire();
    this.dispatchEvent(new KolShowLiveEvent(news));
  }

  protected override render() {
    const own = this.#readAttributes();
    if (own && 'attribute' in own) {
      return html`<div part="base" class="error" role="alert">${msg(str`This upcoming show is set up wrong: ${own.message}`, {id: 'upcoming.bad-attributes', desc: 'The detail after the colon is a technical message for the merchant, in English.'})}</div>`;
    }
    const scheduled = this.scheduled;
    return html`${scheduled ? this.#renderShow(scheduled) : html`<div part="base" class="empty"><slot name="empty">${msg('No show scheduled.', {id: 'upcoming.empty'})}</slot></div>`}
      <p class="visually-hidden" role="status">${this.#announcement}</p>`;
  }

  #renderShow(scheduled: ScheduledShow) {
    const state = this.state!;
    const url = safeUrl(scheduled.url);
    const image = safeUrl(scheduled.image);
    return html`<article part="base" aria-labelledby="title">
      ${image ? html`<img part="image" src=${image} alt="" loading="lazy" decoding="async">` : nothing}
      <span part="badge">${state === 'live' ? msg('Live now', {id: 'upcoming.badge.live'}) : state === 'ended' ? msg('Show ended', {id: 'upcoming.badge.ended'})
        : msg('Upcoming show', {id: 'upcoming.badge.upcoming'})}</span>
      <h3 part="title" id="title">${scheduled.title}</h3>
      ${scheduled.host ? html`<p part="host">${msg(str`with ${scheduled.host}`, {id: 'upcoming.host', desc: 'Under the show title: who hosts it.'})}</p>` : nothing}
      ${state === 'live'
        ? html`<slot name="live">${url ? html`<a part="watch" href=${url}>${msg('Watch now', {id: 'upcoming.watch'})}</a>` : html`<p>${msg('The show is live.', {id: 'upcoming.live'})}</p>`}</slot>`
        : state === 'ended' ? html`<p>${msg('This show has ended.', {id: 'upcoming.ended'})}</p>` : this.#renderUpcoming(scheduled)}
    </article>`;
  }

  #renderUpcoming(scheduled: ScheduledShow) {
    const start = Date.parse(scheduled.startsAt);
    const left = start - this.#now();
    const event = this.#calendarEvent()!;
    const note = this.#reminderNote?.key === keyOf(scheduled) ? this.#reminderNote.text : '';
    return html`<p><time part="time" datetime=${scheduled.startsAt}>${this.#localTime(start)}</time></p>
      <p part="timer" role="timer" aria-label=${msg('Starts in', {id: 'deal.starts-in'})}>${left > 0
        ? msg(str`Starts in ${formatLeft(left, elementLocale(this))}`, {id: 'deal.starts-in-time'}) : msg('Starting soon', {id: 'upcoming.starting-soon'})}</p>
      <div part="calendar" role="group" aria-label=${msg('Add to calendar', {id: 'upcoming.calendar'})}>
        <button part="ics" type="button" @click=${this.#download}>${msg('Add to calendar (.ics)', {id: 'upcoming.ics'})}</button>
        <a part="google" href=${googleCalendarUrl(event)} target="_blank" rel="noopener noreferrer">Google Calendar</a>
        <a part="outlook" href=${outlookCalendarUrl(event)} target="_blank" rel="noopener noreferrer">Outlook</a>
      </div>
      <button part="remind" type="button" aria-pressed=${this.#reminder.pending ? 'true' : 'false'} @click=${this.#remind}>${msg('Remind me', {id: 'upcoming.remind'})}</button>
      <p part="status" role="status">${note}</p>`;
  }

  /** "Thursday, May 1, 10:30 PM CEST": the start in the viewer's zone and the element's language. */
  #localTime(start: number): string {
    return new Intl.DateTimeFormat(elementLocale(this), {
      weekday: 'long', month: 'long', day: 'numeric', hour: 'numeric', minute: '2-digit', timeZoneName: 'short',
    }).format(start);
  }

  #now(): number {
    return this.#link.show?.clock.now() ?? Date.now();
  }

  #stateOf(scheduled: ScheduledShow): UpcomingShowState {
    const status = this.#link.show?.state.status;
    const start = Date.parse(scheduled.startsAt);
    const now = this.#now();
    if (status === 'live' && now >= start - EARLY_START_MS) return 'live';
    if (status === 'ended' && now >= start) return 'ended';
    return 'upcoming';
  }

  #calendarEvent(): CalendarEvent | null {
    const scheduled = this.scheduled;
    if (!scheduled) return null;
    const start = Date.parse(scheduled.startsAt);
    const minutes = Number.isFinite(this.duration) && this.duration > 0 ? this.duration : DEFAULT_DURATION_MINUTES;
    const url = safeUrl(scheduled.url) ?? undefined;
    const host = scheduled.host ? msg(str`Live with ${scheduled.host}.`, {id: 'upcoming.ics.host'}) : msg('Live shopping show.', {id: 'upcoming.ics.no-host'});
    return {
      uid: `${icsTime(start)}-${slug(scheduled.title)}@${location.hostname || 'kolkit'}`,
      title: scheduled.title,
      start,
      end: start + minutes * 60_000,
      description: url ? `${host}\n${msg(str`Watch: ${url}`, {id: 'upcoming.ics.watch'})}` : host,
      ...(url ? {url} : {}),
    };
  }

  /** Downloads the `.ics` file, made on the click as a Blob URL (no data: URL, nothing inline: CSP-safe). */
  readonly #download = (): void => {
    const text = this.ics();
    const scheduled = this.scheduled;
    if (!text || !scheduled) return;
    const href = URL.createObjectURL(new Blob([text], {type: 'text/calendar;charset=utf-8'}));
    const link = Object.assign(document.createElement('a'), {href, download: `${slug(scheduled.title) || 'show'}.ics`});
    link.click();
    // The download has its own copy once started; revoking later frees the Blob.
    setTimeout(() => URL.revokeObjectURL(href), 60_000);
  };

  readonly #remind = async (): Promise<void> => {
    const scheduled = this.scheduled;
    if (!scheduled) return;
    const request = new KolRemindRequestEvent(detailOf(scheduled));
    if (!this.dispatchEvent(request)) return; // the page reminds the shopper its own way
    const key = keyOf(scheduled);
    if (this.#link.show?.consent !== 'granted') {
      this.#reminderNote = {key, text: REMINDER_TEXT['no-consent']()};
    } else {
      const image = safeUrl(scheduled.image);
      const outcome = await this.#reminder.request(
        {title: scheduled.title, body: scheduled.host ? msg(str`${scheduled.host} is live now.`, {id: 'upcoming.notify.host'}) : msg('The show is live now.', {id: 'upcoming.notify'}), tag: `kolkit-${key}`, ...(image ? {icon: image} : {})},
        () => Date.parse(scheduled.startsAt) - this.#now(),
      );
      this.#reminderNote = {key, text: REMINDER_TEXT[outcome]()};
    }
    this.requestUpdate();
  };

  /** The schedule attributes read and checked (attribute-schedule.ts), again only when one of them changed. */
  #readAttributes(): AttributeSchedule {
    const attributes = {showTitle: this.showTitle, startsAt: this.startsAt, hostName: this.hostName, url: this.url, image: this.image};
    const key = JSON.stringify(attributes);
    if (this.#attributeSchedule?.key !== key) this.#attributeSchedule = {key, value: scheduleFromAttributes(attributes)};
    return this.#attributeSchedule.value;
  }

  /** Reports an invalid schedule attribute once (`bad-attribute`); clears it when fixed. */
  #reportProblem(): void {
    const own = this.#readAttributes();
    const problem = own && 'attribute' in own ? own.message : null;
    if (problem === this.#reported) return;
    this.#reported = problem;
    if (problem) this.fail('bad-attribute', problem);
    else this.clearError('bad-attribute');
  }
}

/** "2 days, 3:04:05", "1:02:03", "4:05" in `locale` (Intl's day unit, digits and list). */
function formatLeft(ms: number, locale: string): string {
  const seconds = Math.ceil(ms / 1000);
  const days = Math.floor((seconds * 1000) / DAY_MS);
  const rest = formatDuration(seconds - days * 86_400, locale);
  if (!days) return rest;
  try {
    const day = new Intl.NumberFormat(locale, {style: 'unit', unit: 'day', unitDisplay: 'long'}).format(days);
    return new Intl.ListFormat(locale, {type: 'unit', style: 'short'}).format([day, rest]);
  } catch {
    return `${days} d, ${rest}`; // an unknown locale tag must not break the countdown
  }
}

/** A show's identity for this element: its start and title. */
function keyOf(scheduled: ScheduledShow): string {
  return `${scheduled.startsAt}|${scheduled.title}`;
}

/** "spring-launch-night": a file name and UID part from a title. */
function slug(title: string): string {
  return title.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40);
}

function detailOf(scheduled: ScheduledShow): UpcomingShowDetail {
  return {title: scheduled.title, startsAt: scheduled.startsAt, host: scheduled.host, ...(scheduled.url ? {url: scheduled.url} : {})};
}
