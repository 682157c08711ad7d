// Requests: what viewers ask to see, from their "#7" mentions over the last minutes (the server's
// requests.update on the host stream: every node's viewers, summed). One click pins the product with its label.
import {button, el, panel} from './dom.js';

export function requestsPanel(studio) {
  const list = el('ol', {className: 'requests', id: 'requests'});
  const empty = el('p', {className: 'empty', textContent: 'No requests yet: viewers ask with "#" and a product number.'});
  studio.onEvent((event) => {
    if (event.type !== 'requests.update') return;
    list.replaceChildren(...event.top.map((request) => row(studio, request)));
    empty.hidden = event.top.length > 0;
  });
  return panel('requests', 'Requests', empty, list);
}

/** "#7 Moonrise Mug ×43 [Pin]". */
function row(studio, {label, productId, count}) {
  const pin = button('Pin', () => studio.send({type: 'product.pin', productId, label}), 'primary small');
  pin.dataset.action = 'pin-request';
  const item = el('li', {className: 'request'},
    el('strong', {className: 'request__label', textContent: label}), ' ',
    el('span', {className: 'request__title', textContent: studio.title(productId)}), ' ',
    el('span', {className: 'request__count', textContent: `×${count}`}), ' ',
    pin,
  );
  item.dataset.productId = productId;
  return item;
}
