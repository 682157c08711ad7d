// Auctions: put a product up (starting bid, duration, how long a late bid extends it, or sudden death); watch
// the high bid, the bidder and the end move as customers bid (a bid in the last seconds pushes the end out,
// shown as an extension); the server closes it at the end, once, and names the winner here.
import {el, field, optionalText, panel, priceOf, timeOf} from './dom.js';
import {productPicker} from './product-picker.js';

/** The server's default extension (s): a bid in the last 10 s pushes the end to now + 10 s. */
const DEFAULT_EXTEND_BY = 10;

export function auctionsPanel(studio) {
  const {product, variant} = productPicker(studio);
  const suddenDeath = el('input', {name: 'suddenDeath', type: 'checkbox'});
  const extendBy = el('input', {name: 'extendBy', type: 'number', min: 0, max: 600, step: 1, value: DEFAULT_EXTEND_BY, required: true});
  // Sudden death never extends: the field says so by going quiet.
  suddenDeath.addEventListener('change', () => (extendBy.disabled = suddenDeath.checked));
  const form = el('form', {className: 'auction-form', id: 'auction-form'},
    field('Product', product),
    field('Variant', variant),
    field('Starting bid', el('input', {name: 'startingBid', required: true, inputMode: 'decimal', pattern: '\\d{1,12}(\\.\\d{1,4})?', placeholder: '10.00'})),
    field('Duration (s)', el('input', {name: 'durationSeconds', type: 'number', min: 5, max: 3600, step: 1, value: 60, required: true})),
    field('Late bids extend by (s)', extendBy),
    el('label', {className: 'field field--check'}, suddenDeath, el('span', {textContent: 'Sudden death (no extension)'})),
    el('div', {className: 'row'}, el('button', {className: 'primary', textContent: 'Open auction'})),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const sent = await studio.send({
      type: 'auction.open',
      productId: String(data.get('productId')).trim(),
      variantId: optionalText(data.get('variantId')),
      // A decimal string is in the server's currency.
      startingBid: String(data.get('startingBid')).trim(),
      durationSeconds: Number(data.get('durationSeconds')),
      extendBy: suddenDeath.checked ? 0 : Number(extendBy.value),
      suddenDeath: suddenDeath.checked,
    });
    if (sent) {
      form.reset();
      extendBy.disabled = false;
    }
  });

  const current = el('div', {className: 'auction', id: 'auction', ariaLive: 'polite'});
  let auction = null;
  /** The ends this studio has seen for the current auction, first to last: more than one is an extension. */
  let ends = [];

  const render = () => {
    if (!auction) return current.replaceChildren(el('p', {className: 'empty', textContent: 'No auction yet.'}));
    const over = auction.closed || Date.parse(auction.endsAt) <= Date.now();
    const left = Math.max(0, Math.ceil((Date.parse(auction.endsAt) - Date.now()) / 1000));
    const extensions = ends.length - 1;
    current.dataset.auctionId = auction.auctionId;
    current.dataset.closed = String(Boolean(auction.closed));
    current.dataset.bids = String(auction.bids ?? 0);
    current.replaceChildren(
      el('p', {className: 'auction__product', textContent: `${studio.title(auction.productId)}${auction.variantId ? ` · ${auction.variantId}` : ''}`}),
      el('p', {className: 'auction__high', id: 'auction-high'},
        auction.highBid
          ? el('span', {}, 'High bid ', el('strong', {textContent: priceOf(auction.highBid)}), ` by ${auction.bidder ?? '…'}`)
          : `No bid yet · starts at ${priceOf(auction.startingBid)}`,
      ),
      el('p', {className: 'hint', id: 'auction-ends'},
        `${auction.bids ?? 0} bid${auction.bids === 1 ? '' : 's'} · `,
        auction.closed ? 'closed' : over ? 'ended, closing…' : `ends at ${timeOf(auction.endsAt)} (${left} s)`,
        extensions > 0 ? el('span', {className: 'auction__extended', textContent: ` · extended ${extensions}× (first end ${timeOf(ends[0])})`}) : null,
        auction.suddenDeath ? ' · sudden death' : ` · late bids extend by ${auction.extendBy} s`,
      ),
      auction.closed
        ? el('p', {className: 'auction__result', id: 'auction-result'},
            auction.winner ? el('span', {}, 'Sold to ', el('strong', {textContent: auction.winner}), ` for ${priceOf(auction.highBid)}`) : 'No bids: not sold.',
          )
        : null,
    );
  };

  // The countdown ticks here; the state's end is the server's (it moves when a late bid extends it).
  setInterval(() => auction && !auction.closed && !document.hidden && render(), 1000);
  studio.onState((state) => {
    const next = state.auction ?? null;
    if (next?.auctionId !== auction?.auctionId) ends = [];
    if (next && ends[ends.length - 1] !== next.endsAt) ends.push(next.endsAt);
    auction = next;
    render();
  });
  render();
  return panel('auctions', 'Auctions', form, el('h3', {textContent: 'Current auction'}), current);
}
