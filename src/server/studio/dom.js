// DOM helpers of the studio. Everything is built with properties and text nodes, never innerHTML: product
// data and chat are not markup, and the page runs under a CSP without inline script or style.

/** Creates an element with properties (textContent, className, type, onclick…) and children. */
export function el(tag, props = {}, ...children) {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children.filter((child) => child !== null && child !== undefined));
  return node;
}

/** A button that runs `onClick`, disabled while the action it started is under way. */
export function button(text, onClick, className = '') {
  const node = el('button', {type: 'button', textContent: text, className});
  node.addEventListener('click', async () => {
    node.disabled = true;
    try {
      await onClick();
    } finally {
      node.disabled = false;
    }
  });
  return node;
}

/** A labelled form field. */
export const field = (label, input, className = '') => el('label', {className: `field ${className}`.trim()}, el('span', {textContent: label}), input);

/** A panel: a titled section the studio lays out in its grid. */
export const panel = (id, title, ...children) =>
  el('section', {className: `panel panel--${id}`, id: `panel-${id}`}, el('h2', {textContent: title}), ...children);

/** Time of day to the millisecond, for the activity log. */
export const timeOf = (iso) =>
  new Date(iso).toLocaleTimeString('en-GB', {hour: '2-digit', minute: '2-digit', second: '2-digit'});

export const priceOf = (money) => (money ? `${money.amount} ${money.currencyCode}` : '');

/** Empty text is "leave it out of the event". */
export const optionalText = (value) => String(value ?? '').trim() || undefined;
export const optionalNumber = (value) => (value === '' || value === null || value === undefined ? undefined : Number(value));
