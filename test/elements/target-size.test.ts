// Target size (WCAG 2.2 SC 2.5.8, AA): every control an element shows (buttons, links, fields, the focusable
// chat log and player) measures at least 24×24 CSS px, in the state a shopper meets it mid-show
// (test/fixtures/element-states.ts). Measured with getBoundingClientRect, so it holds in any engine.
import {expect, fixture, html, waitUntil} from '@open-wc/testing';
import type {KolShow} from '../../src/index.js';
import {ELEMENTS, deepElements, mount, part, parts, renderElement} from '../fixtures/element-states.js';
import {uniqueId} from '../fixtures/host.js';

/** WCAG 2.5.8's minimum, in CSS px. */
const MIN = 24;
const INTERACTIVE = 'button, a[href], input, select, textarea, summary, [tabindex]:not([tabindex="-1"])';

/** The controls in a shadow root (and the shadow roots in it) that are laid out: name and size. */
function controls(root: ShadowRoot): {name: string; width: number; height: number}[] {
  return deepElements(root).filter((node) => node.matches(INTERACTIVE) && node.getClientRects().length)
    .map((node) => ({name: `${node.localName}[part=${node.getAttribute('part') ?? ''}]`, ...sizeOf(node)}));
}
const sizeOf = (node: HTMLElement) => {
  const r = node.getBoundingClientRect();
  return {width: Math.round(r.width * 10) / 10, height: Math.round(r.height * 10) / 10};
};

/** Every control of the element (and the host, when it is the focus target: the player) is 24×24 or more. */
function expectTargets({el}: {el: HTMLElement}, wanted: string[] = []) {
  const found = controls(el.shadowRoot!);
  if (el.tabIndex >= 0 && el.hasAttribute('tabindex')) found.push({name: el.localName, ...sizeOf(el)});
  expect(found.length, 'the state shows controls').to.be.greaterThan(0);
  for (const name of wanted) expect(found.some((c) => c.name.includes(`[part=${name}`)), `[part=${name}] is measured`).to.equal(true);
  const small = found.filter((c) => c.width < MIN || c.height < MIN);
  expect(small, `below ${MIN}×${MIN}: ${JSON.stringify(small)}`).to.deep.equal([]);
}

const iso = (ms: number) => new Date(ms).toISOString();
const SIGN_IN = 'https://shop.example/account/login';

describe('target size (WCAG 2.5.8): at least 24×24 CSS px', function () {
  this.timeout(60000);

  for (const tag of ELEMENTS) {
    it(`<${tag}>: every control, mid-show`, async () => {
      expectTargets(await renderElement(tag, 'ltr'));
    });
  }

  it('<kol-live-player>: a replay\'s chapter buttons and its seek bar', async () => {
    const show = await fixture<KolShow>(html`<kol-show timeline="/replay/timeline.json">
      <kol-live-player src="/replay/index.m3u8" muted></kol-live-player></kol-show>`);
    const player = show.querySelector('kol-live-player')!;
    await waitUntil(() => parts(player, 'chapter').length === 3 && part(player, 'seek'), 'no chapters', {timeout: 20000});
    expectTargets({el: player}, ['chapter', 'seek']);
  });

  it('<kol-chat>: a product mention\'s add to cart', async () => {
    const r = await renderElement('kol-chat', 'ltr');
    r.show.push({v: 1, id: uniqueId('m'), type: 'chat.message', at: iso(Date.now()), author: 'Ana', text: 'try #2',
      mentions: [{label: '#2', productId: 'p-cap'}]} as never);
    await waitUntil(() => part(r.el, 'mention-cta'), 'the mention never became a card');
    expectTargets(r, ['mention-cta']);
  });

  it('<kol-poll>: "Try again" after a failed vote', async () => {
    const r = await renderElement('kol-poll', 'ltr');
    (r.show as KolShow).vote = async () => ({status: 'failed', code: 'action-failed', message: 'offline'}) as never;
    part(r.el, 'option')!.click();
    await waitUntil(() => part(r.el, 'retry'), 'no retry after the failed vote');
    expectTargets(r, ['retry']);
  });

  for (const tag of ['kol-giveaway', 'kol-auction', 'kol-group-buy'] as const) {
    it(`<${tag}>: "Sign in" for an anonymous viewer`, async () => {
      const r = await mount('ltr', html`${tag === 'kol-giveaway' ? html`<kol-giveaway sign-in-url=${SIGN_IN}></kol-giveaway>`
        : tag === 'kol-auction' ? html`<kol-auction sign-in-url=${SIGN_IN}></kol-auction>` : html`<kol-group-buy sign-in-url=${SIGN_IN}></kol-group-buy>`}`,
      {server: true});
      const opens = {
        'kol-giveaway': {type: 'giveaway.open', giveawayId: 'g1', prize: 'A tote', endsAt: iso(Date.now() + 600_000)},
        'kol-auction': {type: 'auction.open', auctionId: 'a1', productId: 'p-cap', startingBid: {amount: '10.00', currencyCode: 'EUR'},
          endsAt: iso(Date.now() + 600_000), extendBy: 10, suddenDeath: false},
        'kol-group-buy': {type: 'group.open', groupId: 'g1', productId: 'p-cap', price: {amount: '18.00', currencyCode: 'EUR'}, needed: 3,
          endsAt: iso(Date.now() + 600_000), joined: 0},
      };
      r.show.push({v: 1, id: uniqueId('e'), at: iso(Date.now() - 1000), ...opens[tag]} as never);
      await waitUntil(() => part(r.el, 'sign-in'), 'no sign-in link');
      expectTargets(r, ['sign-in']);
    });
  }
});
