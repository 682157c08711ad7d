// Group prices (a team price, Pinduoduo's group buy): open a group on a product (the team price, how many must
// join, how long); watch "3 of 5 joined — 12:04 left" as customers join (the server's group.update, at most twice
// a second); see how it ended: filled (every member gets the team price) or expired (nobody does).
import {el, field, optionalText, panel, priceOf} from './dom.js';
import {productPicker} from './product-picker.js';

/** "12:04" for a number of seconds left. */
const clock = (seconds) => `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;

export function groupsPanel(studio) {
  const {product, variant} = productPicker(studio);
  const form = el('form', {className: 'group-form', id: 'group-form'},
    field('Product', product),
    field('Variant', variant),
    field('Team price', el('input', {name: 'price', required: true, inputMode: 'decimal', pattern: '\\d{1,12}(\\.\\d{1,4})?', placeholder: '20.00'})),
    field('Members needed', el('input', {name: 'needed', type: 'number', min: 2, max: 1000, step: 1, value: 3, required: true})),
    field('Duration (s)', el('input', {name: 'durationSeconds', type: 'number', min: 5, max: 86400, step: 1, value: 600, required: true})),
    el('div', {className: 'row'}, el('button', {className: 'primary', textContent: 'Open group'})),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const sent = await studio.send({
      type: 'group.open',
      productId: String(data.get('productId')).trim(),
      variantId: optionalText(data.get('variantId')),
      // A decimal string is in the server's currency.
      price: String(data.get('price')).trim(),
      needed: Number(data.get('needed')),
      durationSeconds: Number(data.get('durationSeconds')),
    });
    if (sent) form.reset();
  });

  const current = el('div', {className: 'group', id: 'group', ariaLive: 'polite'});
  let group = null;

  const render = () => {
    if (!group) return current.replaceChildren(el('p', {className: 'empty', textContent: 'No group yet.'}));
    const left = Math.max(0, Math.ceil((Date.parse(group.endsAt) - Date.now()) / 1000));
    current.dataset.groupId = group.groupId;
    current.dataset.ended = group.ended ?? '';
    current.replaceChildren(
      el('p', {className: 'group__product', textContent: `${studio.title(group.productId)}${group.variantId ? ` · ${group.variantId}` : ''} at ${priceOf(group.price)}`}),
      el('progress', {className: 'group__meter', max: group.needed, value: group.joined, ariaLabel: 'Members joined'}),
      el('p', {className: 'group__count', id: 'group-count'},
        `${group.joined} of ${group.needed} joined`,
        group.ended ? '' : left > 0 ? ` — ${clock(left)} left` : ' — time is up, closing…',
      ),
      group.ended
        ? el('p', {className: 'group__result', id: 'group-result', textContent: group.ended === 'filled'
            ? `Filled: ${group.needed} members get ${priceOf(group.price)}.`
            : 'Expired: not enough joined, nobody gets the team price.'})
        : null,
    );
  };

  // The countdown ticks here; the count and the end come from the server's state.
  setInterval(() => group && !group.ended && !document.hidden && render(), 1000);
  studio.onState((state) => {
    group = state.group ?? null;
    render();
  });
  render();
  return panel('groups', 'Group prices', form, el('h3', {textContent: 'Current group'}), current);
}
