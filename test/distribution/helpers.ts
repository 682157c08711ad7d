// Shared by the distribution tests: demo pages opened in a same-origin frame, as a shopper's browser would.
import {waitUntil} from '@open-wc/testing';
import {hostAct, uniqueId} from '../fixtures/host.js';

/** Opens `path` in a frame of the given size and resolves once it has loaded. */
export function openPage(path: string, size?: {width?: number; height?: number}): Promise<HTMLIFrameElement> {
  return openFrame((frame) => (frame.src = path), size);
}

/** Opens a frame whose document is `html` (same origin as the test page, so absolute paths resolve). */
export function openHtml(html: string, size?: {width?: number; height?: number}): Promise<HTMLIFrameElement> {
  return openFrame((frame) => (frame.srcdoc = html), size);
}

async function openFrame(setSource: (frame: HTMLIFrameElement) => void, {width = 1200, height = 900} = {}): Promise<HTMLIFrameElement> {
  const frame = document.createElement('iframe');
  frame.style.cssText = `width:${width}px;height:${height}px;border:0`;
  setSource(frame);
  const loaded = new Promise((resolve) => frame.addEventListener('load', resolve, {once: true}));
  document.body.append(frame);
  await loaded;
  return frame;
}

/** The paths of the scripts a window has fetched so far (resource timing), query included. */
export function fetchedScripts(win: Window): string[] {
  return win.performance
    .getEntriesByType('resource')
    .map((entry) => new URL(entry.name))
    .filter((url) => url.pathname.endsWith('.js'))
    .map((url) => url.pathname + url.search);
}

/** Items of the page's own report (demo/report.js) of the given kind. */
export function reported(doc: Document, kind: 'violation' | 'warning' | 'error'): string[] {
  return [...doc.querySelectorAll(`#report [data-kind="${kind}"]`)].map((item) => item.textContent!);
}

/** A shadow part of a kolkit element. */
export const part = (element: Element, name: string) => element.shadowRoot?.querySelector<HTMLElement>(`[part~="${name}"]`) ?? null;

/** Waits until the kolkit elements the frame's page holds are defined. */
export async function whenDefined(frame: HTMLIFrameElement, timeout = 15000): Promise<void> {
  // kolkit.js defines the elements the page holds, one per task, from a chunk each (src/cdn/lazy-elements.ts).
  const held = () => [...new Set([...frame.contentDocument!.querySelectorAll('*')].map((e) => e.localName).filter((tag) => tag.startsWith('kol-')))];
  await waitUntil(() => held().length > 0 && held().every((tag) => !!frame.contentWindow!.customElements.get(tag)),
    'kolkit never defined its elements', {timeout});
}

/**
 * Acts as the host (pins `productId` with a label of its own), waits until the page's `<kol-product-pin>`
 * shows it, and adds it to the cart from there: resolves once the page's cart button counts one more.
 */
export async function pinAndAddToCart(doc: Document, productId: string): Promise<void> {
  const pin = doc.querySelector('kol-product-pin')!;
  const cart = doc.querySelector('kol-cart-button')!;
  const label = uniqueId('#pin');
  await hostAct({type: 'product.pin', productId, label});
  await waitUntil(() => part(pin, 'badge')?.textContent === label, 'the pin never appeared', {timeout: 20000});
  const before = Number(cart.getAttribute('count'));
  part(pin, 'cta')!.click();
  await waitUntil(() => Number(cart.getAttribute('count')) === before + 1, 'the cart count did not go up', {timeout: 5000});
}
