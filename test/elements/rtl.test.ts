// Right to left, measured: every element rendered in a dir="rtl" page, then the same element in dir="ltr", and
// its parts' boxes (getBoundingClientRect inside the shadow root) compared. In a mirrored layout each part
// keeps its distance from the inline start (the left edge in LTR, the right edge in RTL), its size and its
// height on the page; and then, element by element, what a shopper reading Arabic or Hebrew sees: the LIVE
// badge at the right, the pin's image at the right with its text to the left of it, the chat author before the
// text from the right… The player's control bar is the one exception, on purpose (live-player.styles.ts): a
// media timeline keeps its left-to-right order, as the ← → keys do.
// Works in any engine: only :dir(), getBoundingClientRect and getComputedStyle.
import {expect, nextFrame} from '@open-wc/testing';
import {ELEMENTS, part, parts, renderElement, type ElementTag, type Rendered} from '../fixtures/element-states.js';

/** A part's box as a direction sees it: its distance from the host's inline start, its top, its size. */
interface Placed {
  start: number;
  top: number;
  width: number;
  height: number;
}

/** Where each of `names` (every occurrence) sits in `el`, measured from its inline start. */
function place(el: HTMLElement, names: string[]): Record<string, Placed[]> {
  const box = el.getBoundingClientRect();
  const rtl = getComputedStyle(el).direction === 'rtl';
  return Object.fromEntries(names.map((name) => [name, parts(el, name).map((node) => {
    const r = node.getBoundingClientRect();
    return {start: Math.round(rtl ? box.right - r.right : r.left - box.left), top: Math.round(r.top - box.top),
      width: Math.round(r.width), height: Math.round(r.height)};
  })]));
}

/** Sets the direction of the page around the element, and waits for the layout. */
async function turn(r: Rendered, dir: 'ltr' | 'rtl') {
  r.wrapper.dir = dir;
  await nextFrame();
}

/**
 * Renders `tag` right to left, measures it, flips the page to left to right and measures it again; leaves it
 * right to left, the case under test, for what the caller checks next.
 */
async function bothWays(tag: ElementTag, names: string[]) {
  const r = await renderElement(tag, 'rtl');
  expect(getComputedStyle(r.el).direction, 'the element inherits the page direction').to.equal('rtl');
  const rtl = place(r.el, names);
  const rtlBoxes = boxes(r, names);
  await turn(r, 'ltr');
  const ltr = place(r.el, names);
  const ltrBoxes = boxes(r, names);
  await turn(r, 'rtl');
  return {r, rtl, ltr, rtlBoxes, ltrBoxes};
}

/** `nodes` run from right to left: each next one further left. */
function expectRightToLeft(nodes: HTMLElement[], message: string) {
  const lefts = nodes.map((n) => n.getBoundingClientRect().left);
  expect(lefts, message).to.deep.equal([...lefts].sort((a, b) => b - a));
}

/** The physical boxes of the first of each of `names`. */
function boxes(r: Rendered, names: string[]): Record<string, DOMRect> {
  return Object.fromEntries(names.map((name) => [name, part(r.el, name)!.getBoundingClientRect()]));
}

/** Each part sits as far from the inline start in RTL as in LTR, at the same height, at the same size (±1 px). */
function expectMirrored(rtl: Record<string, Placed[]>, ltr: Record<string, Placed[]>) {
  for (const name of Object.keys(ltr)) {
    expect(ltr[name].length, `[part=${name}] is shown`).to.be.greaterThan(0);
    expect(rtl[name].length, `[part=${name}] shown as often`).to.equal(ltr[name].length);
    ltr[name].forEach((l, i) => {
      const r = rtl[name][i];
      for (const key of ['start', 'top', 'width', 'height'] as const) {
        expect(Math.abs(r[key] - l[key]), `[part=${name}] #${i} ${key}: RTL ${r[key]}, LTR ${l[key]}`).to.be.at.most(1);
      }
    });
  }
}

describe('right to left (dir="rtl"), measured', function () {
  this.timeout(60000);

  it('covers every element', () => {
    expect(ELEMENTS).to.have.length(11);
  });

  it('<kol-live-player>: LIVE and "Tap to unmute" at the inline start (the right); the control bar stays left to right', async () => {
    const {r, rtl, ltr, rtlBoxes, ltrBoxes} = await bothWays('kol-live-player', ['badge', 'unmute']);
    expectMirrored(rtl, ltr);
    const player = r.el.getBoundingClientRect();
    expect(rtlBoxes.badge.left, 'RTL: the badge in the right half').to.be.greaterThan(player.left + player.width / 2);
    expect(ltrBoxes.badge.right, 'LTR: the badge in the left half').to.be.lessThan(player.left + player.width / 2);
    expect(rtlBoxes.unmute.left).to.be.greaterThan(player.left + player.width / 2);
    // The timeline: play, then the seek bar or spacer, then LIVE, from the left in both directions.
    const play = part(r.el, 'play')!.getBoundingClientRect();
    const live = part(r.el, 'live')!.getBoundingClientRect();
    expect(play.left - player.left, 'RTL: play at the left of the bar').to.be.lessThan(20);
    expect(live.left).to.be.greaterThan(play.right);
  });

  it('<kol-product-pin>: the image at the right, the title, price, variant and button to its left, aligned right', async () => {
    const names = ['image', 'badge', 'title', 'price', 'variant', 'cta'];
    const {rtl, ltr, rtlBoxes: b} = await bothWays('kol-product-pin', names);
    expectMirrored(rtl, ltr);
    expect(b.title.right, 'the text column is left of the image').to.be.lessThan(b.image.left);
    expect(Math.abs(b.cta.right - b.title.right), 'the button starts where the title starts (its right)').to.be.at.most(1);
    expect(Math.abs(b.variant.right - b.title.right)).to.be.at.most(1);
  });

  it('<kol-countdown-deal>: badge, title, timer and button start at the right', async () => {
    const {r, rtl, ltr, rtlBoxes: b} = await bothWays('kol-countdown-deal', ['badge', 'title', 'price', 'timer', 'cta']);
    expectMirrored(rtl, ltr);
    const base = part(r.el, 'base')!.getBoundingClientRect();
    expect(b.badge.left, 'the badge hugs the right edge').to.be.greaterThan(base.left + base.width / 2);
    expect(b.cta.left).to.be.greaterThan(base.left + base.width / 2);
  });

  it('<kol-cart-button>: the icon first from the right, then the count and subtotal; the cart icon mirrored', async () => {
    const {r, rtl, ltr, rtlBoxes, ltrBoxes} = await bothWays('kol-cart-button', ['icon', 'count', 'subtotal']);
    expectMirrored(rtl, ltr);
    expect(rtlBoxes.icon.left, 'RTL: icon right of the count').to.be.greaterThan(rtlBoxes.count.right);
    expect(ltrBoxes.icon.right, 'LTR: icon left of the count').to.be.lessThan(ltrBoxes.count.left);
    // The cart's drawing is not centred in its 24×24 box (its handle reaches x=1, its basket x=21): a mirrored
    // drawing has the wider gap on the other side.
    const gaps = () => {
      const svg = part(r.el, 'icon')!.getBoundingClientRect();
      const path = part(r.el, 'icon')!.querySelector('path')!.getBoundingClientRect();
      return {left: path.left - svg.left, right: svg.right - path.right};
    };
    const rtlGaps = gaps();
    await turn(r, 'ltr');
    const ltrGaps = gaps();
    expect(ltrGaps.right, 'LTR: the drawing leaves more room at the right').to.be.greaterThan(ltrGaps.left + 0.5);
    expect(Math.abs(rtlGaps.left - ltrGaps.right), `RTL gaps ${JSON.stringify(rtlGaps)} mirror LTR ${JSON.stringify(ltrGaps)}`).to.be.at.most(0.5);
  });

  it('<kol-chat>: each author before the text, from the right; the send button left of the field', async () => {
    const {r, rtl, ltr} = await bothWays('kol-chat', ['author', 'text', 'badge', 'input', 'send']);
    expectMirrored(rtl, ltr);
    const list = part(r.el, 'messages')!.getBoundingClientRect();
    for (const message of parts(r.el, 'message')) {
      const author = message.querySelector('[part~=author]')!.getBoundingClientRect();
      const text = message.querySelector('[part~=text]')!.getBoundingClientRect();
      expect(author.left, 'the author right of the text').to.be.greaterThan(text.right - 1);
      expect(author.right, 'the author starts the row (at the right)').to.be.greaterThan(list.left + list.width / 2);
    }
    expect(part(r.el, 'send')!.getBoundingClientRect().right).to.be.at.most(part(r.el, 'input')!.getBoundingClientRect().left);
  });

  it('<kol-reactions>: the buttons in reading order from the right', async () => {
    const {r, rtl, ltr} = await bothWays('kol-reactions', ['button', 'status']);
    expectMirrored(rtl, ltr);
    expectRightToLeft(parts(r.el, 'button'), 'each next button left of the one before');
  });

  it('<kol-poll>: each option label at the right, its share at the left, its bar filling from the right', async () => {
    const {r, rtl, ltr} = await bothWays('kol-poll', ['badge', 'question', 'option', 'label', 'share', 'bar', 'timer']);
    expectMirrored(rtl, ltr);
    for (const option of parts(r.el, 'option')) {
      const label = option.querySelector('[part~=label]')!.getBoundingClientRect();
      const share = option.querySelector('[part~=share]')!.getBoundingClientRect();
      expect(label.left).to.be.greaterThan(share.right);
      // A <progress> fills from its inline start; its fill is a pseudo-element no script can measure, so the
      // direction it fills in is read from the bar itself.
      expect(getComputedStyle(option.querySelector('[part~=bar]')!).direction).to.equal('rtl');
    }
  });

  it('<kol-poll>: ← moves to the next option right to left, → back; the other way round left to right', async () => {
    const r = await renderElement('kol-poll', 'rtl');
    const options = parts(r.el, 'option');
    const press = (key: string) => {
      const from = r.el.shadowRoot!.activeElement ?? options[0];
      from.dispatchEvent(new KeyboardEvent('keydown', {key, bubbles: true, composed: true, cancelable: true}));
      return options.indexOf(r.el.shadowRoot!.activeElement as HTMLElement);
    };
    options[0].focus();
    expect(press('ArrowLeft'), 'RTL: ← is next').to.equal(1);
    expect(press('ArrowRight'), 'RTL: → is back').to.equal(0);
    await turn(r, 'ltr');
    expect(press('ArrowRight'), 'LTR: → is next').to.equal(1);
    expect(press('ArrowLeft'), 'LTR: ← is back').to.equal(0);
  });

  it('<kol-giveaway>: badge, prize, timer and button start at the right', async () => {
    const {r, rtl, ltr, rtlBoxes: b} = await bothWays('kol-giveaway', ['badge', 'prize', 'timer', 'rules', 'cta']);
    expectMirrored(rtl, ltr);
    const base = part(r.el, 'base')!.getBoundingClientRect();
    expect(b.badge.left).to.be.greaterThan(base.left + base.width / 2);
  });

  it('<kol-auction>: the image at the right of the title; the quick bids from the lowest, at the right', async () => {
    const {r, rtl, ltr, rtlBoxes: b} = await bothWays('kol-auction', ['badge', 'timer', 'image', 'title', 'quick-bid', 'amount']);
    expectMirrored(rtl, ltr);
    expect(b.title.right).to.be.lessThan(b.image.left);
    expectRightToLeft(parts(r.el, 'quick-bid'), 'Bid €10, €11, €12 from right to left');
  });

  it('<kol-group-buy>: the image at the right of the title, the meter and button under the text', async () => {
    const {r, rtl, ltr, rtlBoxes: b} = await bothWays('kol-group-buy', ['image', 'badge', 'title', 'price', 'meter', 'cta']);
    expectMirrored(rtl, ltr);
    expect(b.title.right).to.be.lessThan(b.image.left);
    // The meter fills from its inline start (a <progress>: see the poll's bar).
    expect(getComputedStyle(part(r.el, 'meter')!).direction).to.equal('rtl');
  });

  it('<kol-upcoming-show>: the calendar actions in reading order from the right', async () => {
    const {rtl, ltr, rtlBoxes: b} = await bothWays('kol-upcoming-show', ['badge', 'title', 'host', 'timer', 'ics', 'google', 'outlook', 'remind']);
    expectMirrored(rtl, ltr);
    expect(b.ics.left, '.ics, then Google, then Outlook, from the right').to.be.greaterThan(b.google.right);
    expect(b.google.left).to.be.greaterThan(b.outlook.right);
  });
});
