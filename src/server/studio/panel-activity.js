// Activity: every host event sent, as the server stamped it, and every refusal with the server's message,
// newest first. A refusal is also shown at the top of the page until the next action.
import {el, panel, timeOf} from './dom.js';

/** Lines kept. */
const KEPT = 100;

export function activityPanel(studio) {
  const log = el('ol', {className: 'log', id: 'activity', ariaLive: 'polite'});
  const notice = el('p', {className: 'notice', id: 'notice', role: 'alert', hidden: true});
  studio.onOutcome(({ok, body, event, error}) => {
    const text = ok
      ? `${timeOf(event.at)}  ${event.type}  ${summary(studio, event)}`
      : `refused  ${body?.type ?? '?'}  ${error.status ? `${error.status} ` : ''}${error.message}`;
    log.prepend(el('li', {className: ok ? 'ok' : 'error', textContent: text, title: JSON.stringify(ok ? event : error.body ?? {})}));
    while (log.children.length > KEPT) log.lastElementChild.remove();
    notice.hidden = ok;
    notice.textContent = ok ? '' : `${body?.type ?? 'The request'} was refused: ${error.message}`;
  });
  // The notice sits above the panels (studio.js places it).
  studio.notice = notice;
  return panel('activity', 'Activity', log);
}

/** One line about a stamped event. */
function summary(studio, event) {
  switch (event.type) {
    case 'product.pin': return `${studio.title(event.productId)} ${event.label ?? ''}`;
    case 'product.unpin': return studio.title(event.productId);
    case 'deal.start': return `${studio.title(event.productId)} at ${event.price.amount} ${event.price.currencyCode} until ${timeOf(event.endsAt)}`;
    case 'deal.end': return `${event.dealId} (${event.reason})`;
    case 'stock.update': return `${studio.title(event.productId ?? event.dealId)}: ${event.available} left`;
    case 'show.status': return event.status;
    case 'chat.message': return `${event.author}: ${event.text}`;
    default: return '';
  }
}
