// <kol-reactions> in Chromium against the embedded show server (server="/", a show id of its own per test):
// taps shown at once and sent at a steady pace, the server's reactions.update counted without the shopper's own
// taps twice, bounded bursts, 429 and failures waited out, refusals said, reduced motion.
import {expect, fixture, html, waitUntil} from '@open-wc/testing';
import {emulateMedia} from '@web/test-runner-commands';
import '../../src/index.js';
import type {KolReactions, KolShow, ShowEvent} from '../../src/index.js';
import type {ActionOutcome} from '../../src/elements/show/show-server.js';
import {MAX_FLOATS} from '../../src/elements/reactions/reaction-bursts.js';
import {MAX_PENDING} from '../../src/elements/reactions/reaction-queue.js';
import {recordKolErrors} from '../fixtures/errors.js';
import {uniqueId} from '../fixtures/host.js';
import {engine} from '../fixtures/engine.js';

const parts = (el: HTMLElement, name: string) => [...el.shadowRoot!.querySelectorAll<HTMLElement>(`[part~="${name}"]`)];
const part = (el: HTMLElement, name: string) => parts(el, name)[0];
const read = (node: Element | null | undefined) => (node?.textContent ?? '').replace(/\s+/g, ' ').trim();
const button = (el: HTMLElement, kind: string) => el.shadowRoot!.querySelector<HTMLButtonElement>(`button[part~="${kind}"]`)!;
const count = (el: HTMLElement, kind: string) => read(button(el, kind).querySelector('[part~=count]'));

const recorded = recordKolErrors();

/** A show of its own on the embedded server, with `<kol-reactions>` inside. */
async function setup(attributes = '') {
  const showId = uniqueId('reactions');
  const show = await fixture<KolShow>(html`<kol-show server="/" show-id=${showId}></kol-show>`);
  const el = document.createElement('kol-reactions') as KolReactions;
  if (attributes) el.setAttribute('kinds', attributes);
  show.append(el);
  await el.updateComplete;
  return {show, el, showId};
}

/** The reactions.update events `show` releases from now on. */
function updates(show: KolShow) {
  const seen: Extract<ShowEvent, {type: 'reactions.update'}>[] = [];
  show.addEventListener('kol-show-event', (e) => e.detail.event.type === 'reactions.update' && seen.push(e.detail.event));
  return seen;
}

/** A reactions.update as the server would send it. */
const update = (counts: Record<string, number>) => ({
  v: 1, id: uniqueId('ru'), type: 'reactions.update', at: new Date().toISOString(), counts,
  total: Object.values(counts).reduce((a, b) => a + b, 0),
});

/** Replaces the show's `react` with `answer` (the n-th call's outcome), recording the kinds asked. */
function fakeReact(show: KolShow, answer: (n: number) => Promise<ActionOutcome>) {
  const calls: string[] = [];
  show.react = (kind: string) => answer(calls.push(kind) - 1);
  return calls;
}

const accepted: ActionOutcome = {status: 'accepted', data: {}};

/**
 * Emulates `prefers-reduced-motion` where the driver can: Chromium, over CDP. Firefox's driver, WebDriver BiDi,
 * has no media-feature override, so there it returns false and the page keeps the profile's no-preference.
 */
async function reducedMotion(value: 'reduce' | 'no-preference'): Promise<boolean> {
  if (engine === 'firefox') return false;
  await emulateMedia({reducedMotion: value});
  return true;
}

afterEach(async () => {
  await reducedMotion('no-preference');
});

describe('<kol-reactions>', function () {
  this.timeout(30000);

  it('offers the five kinds by default, or those `kinds` names; an unknown one is bad-attribute', async () => {
    const {el} = await setup();
    expect(parts(el, 'button').map((b) => b.getAttribute('part'))).to.deep.equal(['button heart', 'button fire', 'button clap', 'button laugh', 'button wow']);
    expect(button(el, 'heart').getAttribute('aria-label')).to.equal('Send a heart');
    await expect(el).shadowDom.to.be.accessible();

    el.kinds = 'fire, heart';
    await el.updateComplete;
    expect(parts(el, 'button').map((b) => b.getAttribute('part'))).to.deep.equal(['button fire', 'button heart']);

    el.kinds = 'heart kiss';
    await el.updateComplete;
    expect(parts(el, 'button')).to.have.length(1);
    expect(el.error).to.equal('bad-attribute');
    expect(recorded.list.find((e) => e.detail.code === 'bad-attribute')!.detail.message).to.contain('kiss');
  });

  it('shows a tap at once, sends every tap to the server, and counts the echo in reactions.update once', async () => {
    const reduced = await reducedMotion('reduce');
    const {show, el} = await setup('heart');
    const seen = updates(show);
    for (let i = 0; i < 3; i++) button(el, 'heart').click();
    await el.updateComplete;
    expect(count(el, 'heart'), 'each tap counts at once').to.equal('3');
    expect(el.sending).to.equal(true);
    if (reduced) {
      expect(getComputedStyle(part(el, 'count')!).display, 'reduced motion: a count').to.not.equal('none');
      expect(getComputedStyle(part(el, 'stage')!).display, 'reduced motion: nothing rises').to.equal('none');
      expect(parts(el, 'float')).to.have.length(0);
    } else {
      console.warn(`[${engine}] reduced motion not checked: WebDriver BiDi cannot emulate prefers-reduced-motion`);
    }

    // The server sums the show's reactions per period: all three come back, in one update or more.
    await waitUntil(() => seen.reduce((sum, u) => sum + (u.counts.heart ?? 0), 0) >= 3, 'the server never counted the three hearts', {timeout: 15000});
    await waitUntil(() => !el.sending, 'taps stayed unsent');
    await el.updateComplete;
    expect(count(el, 'heart'), 'the echo of the own taps is not counted again').to.equal('3');
    expect(el.hasAttribute('error')).to.equal(false);
  });

  it('floats icons for everyone\'s reactions, a few per update, never more than the cap at once', async () => {
    const {show, el} = await setup();
    show.push(update({heart: 40, fire: 2}));
    await waitUntil(() => parts(el, 'float').length > 0, 'no burst rose');
    const kinds = new Set(parts(el, 'float').map((f) => read(f)));
    expect([...kinds].sort()).to.deep.equal(['❤️', '🔥'].sort());
    for (let i = 0; i < 30; i++) show.push(update({heart: 500, clap: 500, wow: 500}));
    await el.updateComplete;
    expect(parts(el, 'float').length, 'the DOM stays bounded').to.be.at.most(MAX_FLOATS);
    expect(el.shadowRoot!.querySelector('[part~=stage]')!.getAttribute('aria-hidden')).to.equal('true');
    expect(el.shadowRoot!.querySelector('[style]'), 'no inline style (CSP)').to.equal(null);
    // Each icon goes when its rise ends.
    await waitUntil(() => parts(el, 'float').length === 0, 'icons stayed after their animation', {timeout: 10000});
  });

  it('waits out a 429 for its Retry-After and then sends the same tap: none lost', async () => {
    const {show, el} = await setup('heart');
    const calls = fakeReact(show, async (n) => n === 0
      ? {status: 'refused', code: 'rate-limited', message: 'Too many reactions.', retryAfterMs: 1500, details: {}}
      : accepted);
    button(el, 'heart').click();
    button(el, 'heart').click();
    await waitUntil(() => read(part(el, 'status')).includes('Sending your reactions in 2 s'), `status: ${read(part(el, 'status'))}`);
    expect(el.hasAttribute('error'), 'a wait is no error').to.equal(false);
    expect(el.sending).to.equal(true);
    await waitUntil(() => !el.sending, 'the taps were never sent after the wait', {timeout: 10000});
    expect(calls).to.deep.equal(['heart', 'heart', 'heart']);
    await el.updateComplete;
    expect(read(part(el, 'status'))).to.equal('');
  });

  it('tries again after a network failure, showing it meanwhile', async () => {
    const {show, el} = await setup('fire');
    let fail = true;
    const calls = fakeReact(show, async () => (fail ? {status: 'failed', code: 'action-failed', message: 'offline'} : accepted));
    button(el, 'fire').click();
    await waitUntil(() => el.error === 'action-failed', 'the failure was not shown');
    expect(read(part(el, 'status'))).to.contain('trying again');
    fail = false;
    await waitUntil(() => !el.sending, 'never sent once back online', {timeout: 10000});
    expect(calls.length).to.be.at.least(2);
    await waitUntil(() => el.error === null, 'the error stayed');
  });

  it('says a refusal the server means, with how many taps were not sent', async () => {
    const {show, el} = await setup('heart');
    fakeReact(show, async () => ({status: 'refused', code: 'banned', message: 'You cannot react in this show.', details: {}}));
    button(el, 'heart').click();
    button(el, 'heart').click();
    await waitUntil(() => el.error === 'action-refused', 'the refusal was not shown');
    await el.updateComplete;
    expect(read(part(el, 'status'))).to.match(/You cannot react in this show\. \((1|2) reactions? not sent\)/);
    expect(el.sending).to.equal(false);
  });

  it('refuses a tap visibly when too many are still waiting, rather than keeping it for minutes', async () => {
    const {show, el} = await setup('heart');
    fakeReact(show, () => new Promise<ActionOutcome>(() => {})); // the server never answers
    for (let i = 0; i < MAX_PENDING + 3; i++) button(el, 'heart').click();
    await el.updateComplete;
    expect(read(part(el, 'status'))).to.contain('still on their way');
    expect(el.hasAttribute('error')).to.equal(false);
  });

  it('is disabled, with no-show, when there is no show', async () => {
    const el = await fixture<KolReactions>(html`<kol-reactions show="nowhere"></kol-reactions>`);
    await waitUntil(() => el.error === 'no-show', 'no no-show');
    await el.updateComplete;
    expect(button(el, 'heart').disabled).to.equal(true);
  });
});
