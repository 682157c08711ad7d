// Every element in every language kolkit ships, mid-show, checked by axe-core: a translation can break what
// the English passes (a button's name that no longer contains its visible word, WCAG 2.5.3; an empty label).
// Label in name is also checked by hand on every named control, disabled ones included.
// The page in each language (<html lang>, and dir="rtl" for Arabic), each element's shadow DOM run through
// axe with every WCAG 2.0/2.1/2.2 A and AA rule. Not axe's best practices here: those are about a page
// (landmarks, one h1, content in regions), not an element alone; the demo pages run them whole
// (test/demo/a11y.test.ts).
import {expect, waitUntil} from '@open-wc/testing';
import 'axe-core/axe.min.js';
import type {AxeResults} from 'axe-core';
import {getLocale, resolveLocale, setLocale} from '../../src/index.js';
import {ELEMENTS, renderElement} from '../fixtures/element-states.js';

const LANGUAGES = ['fr', 'es', 'de', 'zh-CN', 'ja', 'ar'];
const WCAG = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const axe = () => (window as unknown as {axe: {run(context: Element, options: object): Promise<AxeResults>}}).axe;

const page = {lang: document.documentElement.lang, dir: document.documentElement.dir};

/** The text a sighted shopper reads as the control's label: rendered, and not aria-hidden (icons, counts). */
function visibleText(node: Node): string {
  if (node.nodeType === Node.TEXT_NODE) return node.textContent ?? '';
  const element = node as HTMLElement;
  if (element.getAttribute?.('aria-hidden') === 'true' || element.classList?.contains('visually-hidden') || !element.getClientRects?.().length) return '';
  return [...node.childNodes].map(visibleText).join(' ');
}

/** The words of `text` in `lang` (Intl.Segmenter: Japanese and Chinese have no spaces between words). */
const words = (text: string, lang: string) =>
  [...new Intl.Segmenter(lang, {granularity: 'word'}).segment(text.toLowerCase())].filter((s) => s.isWordLike).map((s) => s.segment);

/**
 * WCAG 2.5.3 Label in Name, for every control with an aria-label, enabled or not (axe checks only the enabled
 * ones, and the player's LIVE button is disabled at the live edge): its visible words are in its name, in order.
 */
function labelNotInName(root: ShadowRoot, lang: string): string[] {
  return [...root.querySelectorAll<HTMLElement>('[aria-label]')].flatMap((node) => {
    if (!node.matches('button, a, input, select, [role=button]')) return [];
    const visible = words(visibleText(node), lang);
    const name = words(node.getAttribute('aria-label')!, lang);
    const inName = name.some((_, i) => visible.every((word, j) => name[i + j] === word));
    return visible.length && !inName ? [`[part=${node.getAttribute('part')}] shows "${visible.join(' ')}", is named "${node.getAttribute('aria-label')}"`] : [];
  });
}

describe('every element in every language: axe-core, WCAG 2.2 A/AA', function () {
  this.timeout(120000);

  // Follows <html lang> from the start (an element connecting would start it too, but none has yet).
  before(() => setLocale(null));
  afterEach(async () => {
    await setLocale(null);
    document.documentElement.lang = page.lang;
    document.documentElement.dir = page.dir;
  });

  for (const lang of LANGUAGES) {
    it(`${lang}: all 11 elements`, async () => {
      const dir = lang === 'ar' ? 'rtl' : 'ltr';
      document.documentElement.lang = lang;
      document.documentElement.dir = dir;
      await waitUntil(() => getLocale() === resolveLocale(lang), `kolkit never switched to ${lang}`);
      const found: string[] = [];
      for (const tag of ELEMENTS) {
        const {el} = await renderElement(tag, dir);
        const {violations} = await axe().run(el, {runOnly: {type: 'tag', values: WCAG}, resultTypes: ['violations']});
        for (const v of violations) for (const n of v.nodes) found.push(`<${tag}> ${v.id} at ${JSON.stringify(n.target)}: ${n.failureSummary?.replace(/\s+/g, ' ')}`);
        for (const problem of labelNotInName(el.shadowRoot!, lang)) found.push(`<${tag}> label in name: ${problem}`);
      }
      expect(found, found.join('\n')).to.deep.equal([]);
    });
  }
});
