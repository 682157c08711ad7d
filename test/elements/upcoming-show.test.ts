// <kol-upcoming-show> in Chromium: the announced show from a pushed show.scheduled and from attributes (a bad
// one refused), the start in the viewer's zone and language, the .ics file parsed by Mozilla's ical.js (every
// field, escaping, folding, CRLF), the Google and Outlook links, "remind me" (the page's cancelable request;
// the notification only with consent, from a stub at the Notification edge), and, on a real show server, the
// card turning live at the start without a reload.
import {expect, fixture, html, waitUntil} from '@open-wc/testing';
import ICAL from 'ical.js';
import '../../src/index.js';
import type {KolShow, KolUpcomingShow} from '../../src/index.js';
import type {KolRemindRequestEvent, KolShowLiveEvent} from '../../src/elements/events.js';
import {recordKolErrors} from '../fixtures/errors.js';
import {uniqueId} from '../fixtures/host.js';
import {hostEvent, showServerUrl} from '../fixtures/show-server.js';

const part = (el: HTMLElement, name: string) => el.shadowRoot!.querySelector<HTMLElement>(`[part~="${name}"]`);
const read = (node: Element | null | undefined) => (node?.textContent ?? '').replace(/\s+/g, ' ').trim();
const iso = (ms: number) => new Date(ms).toISOString();

const recorded = recordKolErrors();

async function setup(markup = html`<kol-upcoming-show></kol-upcoming-show>`, consent: string | null = null) {
  const show = await fixture<KolShow>(html`<kol-show consent=${consent ?? 'denied'}>${markup}</kol-show>`);
  const el = show.querySelector('kol-upcoming-show')!;
  await el.updateComplete;
  return {show, el};
}

/** A show.scheduled as the server stamps it. */
const scheduledEvent = (fields: Record<string, unknown>) => ({v: 1, id: uniqueId('e'), type: 'show.scheduled', at: iso(Date.now() - 1000), ...fields});

async function announce(show: KolShow, el: KolUpcomingShow, fields: Record<string, unknown>) {
  show.push(scheduledEvent(fields));
  await waitUntil(() => el.state !== null, 'the show was never announced');
  await el.updateComplete;
}

/** The RFC 5545 lines of `text` (CRLF-separated, the last one ending in CRLF). */
function rawLines(text: string): string[] {
  expect(text.endsWith('\r\n'), 'the file ends with CRLF').to.equal(true);
  expect(text.replace(/\r\n/g, ''), 'no bare CR or LF').not.to.match(/[\r\n]/);
  return text.slice(0, -2).split('\r\n');
}

/** Replaces `Notification` with a recording stub (the browser's own prompt cannot be answered headless). */
function stubNotification(permission: NotificationPermission, answer: NotificationPermission = permission) {
  const original = Object.getOwnPropertyDescriptor(window, 'Notification')!;
  const record = {asked: 0, shown: [] as {title: string; options: NotificationOptions}[]};
  class FakeNotification {
    static permission = permission;
    static async requestPermission() {
      record.asked++;
      FakeNotification.permission = answer;
      return answer;
    }
    constructor(title: string, options: NotificationOptions) {
      record.shown.push({title, options});
    }
  }
  Object.defineProperty(window, 'Notification', {value: FakeNotification, configurable: true, writable: true});
  return {record, restore: () => Object.defineProperty(window, 'Notification', original)};
}

describe('<kol-upcoming-show>', () => {
  it('says no show is scheduled before one is announced', async () => {
    const {el} = await setup();
    expect(read(part(el, 'base'))).to.equal('No show scheduled.');
    expect(el.hasAttribute('state')).to.equal(false);
  });

  it('shows an announced show: title, host, the start in the viewer’s zone, the countdown; axe-clean', async () => {
    const {show, el} = await setup();
    const startsAt = iso(Date.now() + (2 * 86_400 + 3 * 3600 + 4 * 60) * 1000);
    await announce(show, el, {title: 'Spring launch', startsAt, host: 'Mia', url: 'https://shop.example/live', image: 'https://cdn.example/spring.jpg'});
    expect(el.state).to.equal('upcoming');
    expect(el.getAttribute('state')).to.equal('upcoming');
    expect(read(part(el, 'title'))).to.equal('Spring launch');
    expect(read(part(el, 'host'))).to.equal('with Mia');
    expect(read(part(el, 'timer'))).to.match(/^Starts in 2 days, 3:0[34]:\d\d$/);
    const time = part(el, 'time')!;
    expect(time.getAttribute('datetime')).to.equal(startsAt);
    // The viewer's own zone: the hour shown is the local hour of the start, with the zone's name.
    const local = new Date(startsAt);
    const expected = new Intl.DateTimeFormat('en', {hour: 'numeric', minute: '2-digit'}).format(local);
    expect(read(time)).to.contain(expected);
    expect(read(time)).to.contain(new Intl.DateTimeFormat('en', {timeZoneName: 'short'}).formatToParts(local).find((p) => p.type === 'timeZoneName')!.value);
    expect((part(el, 'image') as HTMLImageElement).src).to.equal('https://cdn.example/spring.jpg');
    await expect(el).shadowDom.to.be.accessible();
    expect(el.shadowRoot!.querySelector('[style]'), 'no inline style (CSP)').to.equal(null);
  });

  it('writes the start in the language around it', async () => {
    const {show, el} = await setup(html`<div lang="de"><kol-upcoming-show></kol-upcoming-show></div>`);
    await announce(show, el, {title: 'Frühjahr', startsAt: '2030-05-02T18:30:00Z', host: 'Mia'});
    const weekday = new Intl.DateTimeFormat('de', {weekday: 'long'}).format(new Date('2030-05-02T18:30:00Z'));
    expect(read(part(el, 'time'))).to.contain(weekday);
    expect(read(part(el, 'time'))).to.contain('Mai');
  });

  it('takes a show from attributes, and refuses a bad one by name', async () => {
    const {el} = await setup(html`<kol-upcoming-show show-title="Night market" starts-at="2030-01-10T20:00:00Z" host-name="Leo" url="https://shop.example/night"></kol-upcoming-show>`);
    expect(el.state).to.equal('upcoming');
    expect(read(part(el, 'title'))).to.equal('Night market');
    expect(read(part(el, 'host'))).to.equal('with Leo');
    expect(recorded.codes()).to.deep.equal([]);

    el.setAttribute('starts-at', 'next Tuesday');
    await el.updateComplete;
    expect(el.getAttribute('error')).to.equal('bad-attribute');
    expect(el.hasAttribute('state')).to.equal(false);
    expect(read(part(el, 'base'))).to.contain('starts-at="next Tuesday" is not valid');
    el.setAttribute('starts-at', '2030-01-10T20:00:00Z');
    el.setAttribute('url', 'javascript:alert(1)');
    await el.updateComplete;
    expect(read(part(el, 'base'))).to.contain('url="javascript:alert(1)" is not valid');
    el.removeAttribute('url');
    await el.updateComplete;
    expect(el.hasAttribute('error')).to.equal(false);
    expect(el.state).to.equal('upcoming');
    expect(recorded.codes()).to.deep.equal(['bad-attribute', 'bad-attribute']);
  });

  it('makes an .ics file that ical.js reads back field for field: escaped text, folded lines, CRLF, UTC times', async () => {
    const title = 'Sale, part 1; big night \\ fun\nwith friends — ünïcödé ✨ and a title long enough to need folding';
    const startsAt = '2030-03-04T19:30:00Z';
    const {show, el} = await setup(html`<kol-upcoming-show duration="90"></kol-upcoming-show>`);
    await announce(show, el, {title, startsAt, host: 'Ana, Bo; Cy', url: 'https://shop.example/live?show=spring&ref=a,b'});

    // The button downloads it as a Blob URL made on the click.
    const blobs: Blob[] = [];
    const create = URL.createObjectURL;
    URL.createObjectURL = (blob: Blob) => (blobs.push(blob), create.call(URL, blob));
    try {
      part(el, 'ics')!.click();
    } finally {
      URL.createObjectURL = create;
    }
    expect(blobs).to.have.length(1);
    expect(blobs[0]!.type).to.equal('text/calendar;charset=utf-8');
    const text = await blobs[0]!.text();

    const lines = rawLines(text);
    for (const line of lines) expect(new TextEncoder().encode(line).length, `"${line}" fits 75 octets`).to.be.at.most(75);
    expect(lines.some((line) => line.startsWith(' ')), 'a long line is folded').to.equal(true);
    expect(lines.find((line) => line.startsWith('SUMMARY:'))).to.match(/^SUMMARY:Sale\\, part 1\\; big night \\\\ fun\\nwith/);

    const calendar = new ICAL.Component(ICAL.parse(text));
    expect(calendar.getFirstPropertyValue('version')).to.equal('2.0');
    expect(calendar.getFirstPropertyValue('prodid')).to.be.a('string');
    const vevent = calendar.getFirstSubcomponent('vevent')!;
    const event = new ICAL.Event(vevent);
    expect(event.uid).to.match(/^20300304T193000Z-sale-part-1-big-night-fun-with-friends-.*@/);
    expect(event.summary).to.equal(title);
    expect(event.description).to.equal('Live with Ana, Bo; Cy.\nWatch: https://shop.example/live?show=spring&ref=a,b');
    expect(event.startDate.toJSDate().toISOString()).to.equal('2030-03-04T19:30:00.000Z');
    expect(event.startDate.zone.tzid).to.equal('UTC');
    expect(event.endDate.toJSDate().toISOString()).to.equal('2030-03-04T21:00:00.000Z');
    expect(vevent.getFirstPropertyValue('url')).to.equal('https://shop.example/live?show=spring&ref=a,b');
    const stamp = (vevent.getFirstPropertyValue('dtstamp') as ICAL.Time).toJSDate().getTime();
    expect(Math.abs(stamp - Date.now())).to.be.below(60_000);
  });

  it('links Google Calendar and Outlook with the same event', async () => {
    const {show, el} = await setup();
    await announce(show, el, {title: 'Tea & cake, live', startsAt: '2030-03-04T19:30:00Z', host: 'Mia', url: 'https://shop.example/live'});
    const google = new URL((part(el, 'google') as HTMLAnchorElement).href);
    expect(google.origin + google.pathname).to.equal('https://calendar.google.com/calendar/render');
    expect(Object.fromEntries(google.searchParams)).to.deep.equal({
      action: 'TEMPLATE', text: 'Tea & cake, live', dates: '20300304T193000Z/20300304T203000Z',
      details: 'Live with Mia.\nWatch: https://shop.example/live', location: 'https://shop.example/live',
    });
    const outlook = new URL((part(el, 'outlook') as HTMLAnchorElement).href);
    expect(outlook.origin + outlook.pathname).to.equal('https://outlook.live.com/calendar/0/deeplink/compose');
    expect(Object.fromEntries(outlook.searchParams)).to.deep.equal({
      path: '/calendar/action/compose', rru: 'addevent', subject: 'Tea & cake, live',
      startdt: '2030-03-04T19:30:00.000Z', enddt: '2030-03-04T20:30:00.000Z',
      body: 'Live with Mia.\nWatch: https://shop.example/live', location: 'https://shop.example/live',
    });
    for (const name of ['google', 'outlook']) expect(part(el, name)!.getAttribute('rel')).to.equal('noopener noreferrer');
  });

  it('remind me: a page that cancels kol-remind-request reminds its own way, and kolkit asks nothing', async () => {
    const {record, restore} = stubNotification('default', 'granted');
    try {
      const {show, el} = await setup(undefined, 'granted');
      await announce(show, el, {title: 'Spring launch', startsAt: iso(Date.now() + 3_600_000), host: 'Mia', url: 'https://shop.example/live'});
      const requests: KolRemindRequestEvent[] = [];
      const onRequest = (e: KolRemindRequestEvent) => (requests.push(e), e.preventDefault());
      document.addEventListener('kol-remind-request', onRequest);
      part(el, 'remind')!.click();
      document.removeEventListener('kol-remind-request', onRequest);
      await el.updateComplete;
      expect(requests).to.have.length(1);
      expect(requests[0]!.cancelable).to.equal(true);
      expect({...requests[0]!.detail}).to.deep.equal({title: 'Spring launch', startsAt: el.scheduled!.startsAt, host: 'Mia', url: 'https://shop.example/live'});
      expect(record.asked).to.equal(0);
      expect(read(part(el, 'status'))).to.equal('');
    } finally {
      restore();
    }
  });

  it('remind me without consent: no permission prompt, and it says why', async () => {
    const {record, restore} = stubNotification('default', 'granted');
    try {
      const {show, el} = await setup();
      await announce(show, el, {title: 'Spring launch', startsAt: iso(Date.now() + 3_600_000), host: 'Mia'});
      part(el, 'remind')!.click();
      await el.updateComplete;
      expect(record.asked).to.equal(0);
      expect(read(part(el, 'status'))).to.equal('Reminders are available once you accept this site’s preferences.');
    } finally {
      restore();
    }
  });

  it('remind me with consent: asks on the click, says it works while the page is open, notifies at the start', async () => {
    const {record, restore} = stubNotification('default', 'granted');
    try {
      const {show, el} = await setup(undefined, 'granted');
      await announce(show, el, {title: 'Spring launch', startsAt: iso(Date.now() + 2500), host: 'Mia', image: 'https://cdn.example/spring.jpg'});
      expect(record.asked, 'no prompt before the click').to.equal(0);
      part(el, 'remind')!.click();
      await waitUntil(() => read(part(el, 'status')) !== '', 'the reminder never answered');
      expect(record.asked).to.equal(1);
      expect(read(part(el, 'status'))).to.equal("We'll remind you if this page is open.");
      expect(part(el, 'remind')!.getAttribute('aria-pressed')).to.equal('true');
      expect(record.shown).to.have.length(0);
      await waitUntil(() => record.shown.length > 0, 'no notification at the start', {timeout: 6000});
      expect(record.shown[0]!.title).to.equal('Spring launch');
      expect(record.shown[0]!.options).to.include({body: 'Mia is live now.', icon: 'https://cdn.example/spring.jpg'});
      expect(sessionStorage.length, 'nothing stored').to.equal(0);
    } finally {
      restore();
    }
  });

  it('remind me when notifications are blocked: says so', async () => {
    const {record, restore} = stubNotification('denied');
    try {
      const {show, el} = await setup(undefined, 'granted');
      await announce(show, el, {title: 'Spring launch', startsAt: iso(Date.now() + 3_600_000), host: 'Mia'});
      part(el, 'remind')!.click();
      await waitUntil(() => read(part(el, 'status')) !== '', 'the reminder never answered');
      expect(record.asked).to.equal(0);
      expect(read(part(el, 'status'))).to.equal('Notifications are blocked for this site, so we cannot remind you here.');
    } finally {
      restore();
    }
  });

  it('turns live at the start on the show server, without a reload, and fires kol-show-live once', async () => {
    const server = await showServerUrl();
    const showId = uniqueId('upcoming');
    (window as unknown as {notReloaded: boolean}).notReloaded = true;
    const show = await fixture<KolShow>(html`<kol-show server=${server} show-id=${showId}><kol-upcoming-show></kol-upcoming-show></kol-show>`);
    const el = show.querySelector('kol-upcoming-show')!;
    const live: KolShowLiveEvent[] = [];
    show.addEventListener('kol-show-live', (e) => live.push(e));
    const startsAt = iso(Date.now() + 1500);
    await hostEvent(showId, {type: 'show.scheduled', title: 'Spring launch', startsAt, host: 'Mia', url: 'https://shop.example/live'});
    await waitUntil(() => el.state === 'upcoming', 'the announcement never arrived', {timeout: 5000});
    expect(live).to.have.length(0);

    await hostEvent(showId, {type: 'show.status', status: 'live'});
    await waitUntil(() => el.getAttribute('state') === 'live', 'the card never went live', {timeout: 5000});
    await el.updateComplete;
    expect(read(part(el, 'badge'))).to.equal('Live now');
    expect((part(el, 'watch') as HTMLAnchorElement).href).to.equal('https://shop.example/live');
    expect(part(el, 'remind')).to.equal(null);
    expect(live).to.have.length(1);
    expect(live[0]!.detail).to.deep.include({title: 'Spring launch', startsAt});
    expect((window as unknown as {notReloaded?: boolean}).notReloaded, 'the page was not reloaded').to.equal(true);
    // Another render does not fire it again.
    el.requestUpdate();
    await el.updateComplete;
    expect(live).to.have.length(1);
    await expect(el).shadowDom.to.be.accessible();
  });

  it('a live show ahead of a show announced for much later is not that show', async () => {
    const {show, el} = await setup();
    show.push({v: 1, id: uniqueId('e'), type: 'show.status', at: iso(Date.now() - 2000), status: 'live'});
    await announce(show, el, {title: 'Next week', startsAt: iso(Date.now() + 7 * 86_400_000), host: 'Mia'});
    expect(el.state).to.equal('upcoming');
  });
});
