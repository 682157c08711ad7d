// Products: pin and unpin (with a label viewers can name, "#3"), and the stock the show says is left. From
// the catalog when the server has one, else by product id.
import {button, el, field, optionalText, panel, priceOf} from './dom.js';

export function productsPanel(studio) {
  const list = el('ul', {className: 'products', id: 'products'});
  const rows = new Map();
  const products = studio.products.length ? studio.products : [];
  products.forEach((product, index) => {
    const row = productRow(studio, product, `#${index + 1}`);
    rows.set(product.id, row);
    list.append(row.element);
  });
  studio.onState((state) => {
    const pinned = new Set(state.pinned.map((p) => p.productId));
    for (const [id, row] of rows) row.update(pinned.has(id), state.stock[id]);
  });
  return panel('products', 'Products', products.length ? list : null, adHoc(studio));
}

function productRow(studio, product, defaultLabel) {
  const label = el('input', {name: 'label', value: defaultLabel, maxLength: 32, size: 4});
  const stock = el('input', {name: 'stock', type: 'number', min: 0, step: 1, size: 5});
  stock.placeholder = String(product.variants?.reduce((sum, v) => sum + (v.quantityAvailable ?? 0), 0) ?? '');
  const badge = el('span', {className: 'badge', textContent: 'pinned', hidden: true});
  const left = el('span', {className: 'left'});
  const pin = button('Pin', () => studio.send({type: 'product.pin', productId: product.id, label: optionalText(label.value)}), 'primary');
  const unpin = button('Unpin', () => studio.send({type: 'product.unpin', productId: product.id}), 'secondary');
  const setStock = button('Update stock', () => stock.reportValidity() && stock.value !== '' && studio.send({type: 'stock.update', productId: product.id, available: Number(stock.value)}), 'secondary');
  for (const [node, action] of [[pin, 'pin'], [unpin, 'unpin'], [setStock, 'stock']]) node.dataset.action = action;
  const element = el('li', {className: 'product'},
    product.image?.url ? el('img', {src: product.image.url, alt: '', width: 40, height: 40}) : null,
    el('div', {className: 'product__info'},
      el('strong', {textContent: product.title ?? product.id}, ' ', badge),
      el('span', {textContent: [product.id, priceOf(product.variants?.[0]?.price)].filter(Boolean).join(' · ')}, ' ', left),
    ),
    el('div', {className: 'row'}, field('Label', label), pin, unpin, field('Stock', stock), setStock),
  );
  element.dataset.productId = product.id;
  return {
    element,
    update(pinned, available) {
      badge.hidden = !pinned;
      element.classList.toggle('product--pinned', pinned);
      left.textContent = available === undefined ? '' : `· ${available} left`;
    },
  };
}

/** Pin a product by id (one not in the catalog, or a server without one). */
function adHoc(studio) {
  const id = el('input', {name: 'productId', required: true, maxLength: 256, placeholder: 'product id'});
  const label = el('input', {name: 'label', maxLength: 32, size: 4, placeholder: '#1'});
  const form = el('form', {className: 'row ad-hoc'}, field('Product id', id, 'grow'), field('Label', label), el('button', {textContent: 'Pin'}));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    studio.send({type: 'product.pin', productId: id.value.trim(), label: optionalText(label.value)});
  });
  return form;
}
