// The studio's Schedule panel (src/server/studio/panel-schedule.js) in Chromium, on the show server the demo
// embeds, for a show of this file's own: the host announces the next show; a viewer page's <kol-upcoming-show>
// shows it with its countdown; the host's "Go live" turns the card live without a reload.
import {expect, fixture, html, waitUntil} from '@open-wc/testing';
import '../../src/index.js';
import type {KolShow, KolUpcomingShow} from '../../src/index.js';
import {uniqueId} from '../fixtures/host.js';
import {closeStudio, openStudio, text} from '../fixtures/studio.js';

const SHOW = uniqueId('studio-schedule');

const part = (el: HTMLElement, name: string) => el.shadowRoot!.querySelector(`[part~="${name}"]`);

afterEach(() => {
  closeStudio();
});

describe('studio: schedule', () => {
  it('announces the next show to every <kol-upcoming-show>, and Go live turns it live', async function () {
    this.timeout(40000);
    const show = await fixture<KolShow>(html`<kol-show server="/" show-id=${SHOW}><kol-upcoming-show></kol-upcoming-show></kol-show>`);
    const card = show.querySelector('kol-upcoming-show') as KolUpcomingShow;
    const doc = await openStudio(SHOW);
    const form = doc.getElementById('schedule-form') as HTMLFormElement;
    const field = (name: string) => form.elements.namedItem(name) as HTMLInputElement;
    field('title').value = 'The Night Market, part 2';
    field('host').value = 'Ines';
    field('url').value = 'https://shop.example/live';
    // Ten minutes from now, in the host's own zone (the input's).
    const start = new Date(Date.now() + 10 * 60_000);
    start.setSeconds(0, 0);
    field('startsAt').value = new Date(start.getTime() - start.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
    form.requestSubmit();

    await waitUntil(() => text(doc.getElementById('scheduled')).startsWith('Announced: The Night Market, part 2'), 'the panel never showed the announcement', {timeout: 10000});
    await waitUntil(() => card.state === 'upcoming', 'the card never showed the show', {timeout: 10000});
    await card.updateComplete;
    expect(card.scheduled).to.deep.equal({title: 'The Night Market, part 2', startsAt: start.toISOString(), host: 'Ines', url: 'https://shop.example/live'});
    expect(text(part(card, 'timer'))).to.match(/^Starts in (9:\d\d|10:00)$/);

    (doc.querySelector('[data-action="status-live"]') as HTMLButtonElement).click();
    await waitUntil(() => card.getAttribute('state') === 'live', 'Go live never turned the card live', {timeout: 10000});
    await card.updateComplete;
    expect(text(part(card, 'badge'))).to.equal('Live now');
  });
});
