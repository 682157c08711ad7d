// Flash deals: start one (price, duration, stock, limit, code), see the open ones with what is left, update
// a deal's stock, end it.
import {button, el, field, optionalNumber, optionalText, panel, priceOf, timeOf} from './dom.js';
import {productPicker} from './product-picker.js';

export function dealsPanel(studio) {
  const {product, variant} = productPicker(studio);

  const form = el('form', {className: 'deal-form', id: 'deal-form'},
    field('Product', product),
    field('Variant', variant),
    field('Deal price', el('input', {name: 'price', required: true, inputMode: 'decimal', placeholder: '14.90'})),
    field('Duration (s)', el('input', {name: 'durationSeconds', type: 'number', min: 1, max: 86400, step: 1, value: 60, required: true})),
    field('Stock', el('input', {name: 'stock', type: 'number', min: 0, step: 1, placeholder: 'no limit'})),
    field('Limit per customer', el('input', {name: 'limitPerCustomer', type: 'number', min: 1, step: 1, placeholder: 'none'})),
    field('Code', el('input', {name: 'code', maxLength: 64, placeholder: 'optional'})),
    el('div', {className: 'row'}, el('button', {className: 'primary', textContent: 'Start deal'})),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const chosen = studio.catalog.get(String(data.get('productId')));
    const regular = (chosen?.variants?.find((v) => v.id === data.get('variantId')) ?? chosen?.variants?.[0])?.price;
    studio.send({
      type: 'deal.start',
      productId: String(data.get('productId')).trim(),
      variantId: optionalText(data.get('variantId')),
      // A decimal string is in the server's currency; the server names the field if it is not a price.
      price: String(data.get('price')).trim(),
      ...(regular && {compareAtPrice: regular}),
      durationSeconds: Number(data.get('durationSeconds')),
      stock: optionalNumber(data.get('stock')),
      limitPerCustomer: optionalNumber(data.get('limitPerCustomer')),
      code: optionalText(data.get('code')),
    });
  });

  const open = el('ul', {className: 'deals', id: 'deals'});
  studio.onState((state) => {
    const now = Date.now();
    const deals = Object.values(state.deals)
      .filter((d) => !d.ended && Date.parse(d.endsAt) > now)
      .sort((a, b) => Date.parse(b.startsAt) - Date.parse(a.startsAt));
    open.replaceChildren(...(deals.length ? deals.map((deal) => dealRow(studio, deal)) : [el('li', {className: 'empty', textContent: 'No deal is running.'})]));
  });
  return panel('deals', 'Flash deals', form, el('h3', {textContent: 'Running'}), open);
}

function dealRow(studio, deal) {
  const stock = el('input', {name: 'stock', type: 'number', min: 0, step: 1, size: 4, value: deal.stock ?? ''});
  const row = el('li', {className: 'deal'},
    el('span', {className: 'grow', textContent: `${studio.title(deal.productId)} at ${priceOf(deal.price)} until ${timeOf(deal.endsAt)}${deal.stock !== undefined ? ` · ${deal.stock} left` : ''}`}),
    field('Stock', stock),
    button('Update', () => stock.value !== '' && studio.send({type: 'stock.update', dealId: deal.dealId, available: Number(stock.value)}), 'secondary'),
    button('End deal', () => studio.send({type: 'deal.end', dealId: deal.dealId, reason: 'cancelled'}), 'danger'),
  );
  row.dataset.dealId = deal.dealId;
  return row;
}
