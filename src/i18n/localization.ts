/**
 * kolkit's languages at run time (@lit/localize, runtime mode): which language the elements speak, loaded
 * as a chunk of its own, following `<html lang>` unless the page chose one with `setLocale`.
 *
 * @lit/localize allows one configuration per copy of its module. kolkit configures it only once a language
 * other than English is asked for (an English page never does, so a host app that uses @lit/localize itself
 * may configure it at any time there). Where that copy is configured already (a host app that configured
 * first, or a second copy of kolkit sharing the module), kolkit does not throw: it leaves the language to
 * that configuration (docs/i18n.md: merge kolkit's translations with `loadKolkitTemplates`).
 */
import {configureLocalization, LOCALE_STATUS_EVENT, type LocaleModule} from '@lit/localize';
import {Listeners} from '../core/listeners.js';
import {sourceLocale, targetLocales} from './locale-codes.js';
import {resolveLocale, type KolLocale} from './resolve-locale.js';

type TargetLocale = (typeof targetLocales)[number];

/** Each translation is a chunk of its own, fetched only for a page in that language. */
const loaders: Record<TargetLocale, () => Promise<LocaleModule>> = {
  fr: () => import('./locales/fr.js'),
  es: () => import('./locales/es.js'),
  de: () => import('./locales/de.js'),
  'zh-CN': () => import('./locales/zh-CN.js'),
  ja: () => import('./locales/ja.js'),
  ar: () => import('./locales/ar.js'),
};

/** Configured: kolkit's own; `null`: another configuration of @lit/localize owns `msg()`; unset: not yet needed. */
let runtime: ReturnType<typeof configureLocalization> | null | undefined;
/** Following `<html lang>` already. */
let started = false;
/** The page's choice through `setLocale`, which wins over `<html lang>`. */
let chosen: KolLocale | null = null;
/** Settles when the language asked for last is shown (never rejects: a failed chunk leaves the text in `en`). */
let ready: Promise<void> = Promise.resolve();
/** Told when `<html lang>` changes: Intl formats follow it even when the text's language stays. */
const pageLangChanges = new Listeners();

/**
 * Starts following `<html lang>`. Idempotent, and a no-op off the browser (SSR). Called by every kolkit
 * element as it connects and by the CDN build as it starts, so the translation loads beside the elements.
 */
export function startLocalization(): void {
  if (started || typeof document === 'undefined') return;
  started = true;
  new MutationObserver(() => {
    if (!chosen) apply(resolveLocale(document.documentElement.lang));
    pageLangChanges.notify();
  }).observe(document.documentElement, {attributes: true, attributeFilter: ['lang']});
  apply(chosen ?? resolveLocale(document.documentElement.lang));
}

function apply(locale: KolLocale): void {
  // English is msg()'s own text: nothing to configure or load until another language is wanted.
  if (runtime === undefined && locale === sourceLocale) return;
  if (runtime === undefined) {
    try {
      runtime = configureLocalization({sourceLocale, targetLocales, loadLocale: (tag) => loaders[tag as TargetLocale]()});
    } catch {
      runtime = null; // configured by someone else: theirs is the language
    }
  }
  if (!runtime) return;
  ready = runtime.setLocale(locale).catch((error: unknown) => {
    console.warn(`kolkit: the "${locale}" translation did not load; the text stays in the previous language.`, error);
  });
}

/**
 * Sets the language of kolkit's text for the whole page, overriding `<html lang>`. A tag kolkit does not
 * ship resolves to the closest one it does (`fr-CA` → `fr`, `zh-Hans` → `zh-CN`) or to `en`. `setLocale(null)`
 * follows `<html lang>` again. Numbers, prices, dates and countdowns keep following each element's nearest
 * `lang` (docs/i18n.md). Without effect when a host app's own @lit/localize configuration owns the language.
 *
 * @returns The language now in use, once the elements show it.
 */
export async function setLocale(locale: string | null): Promise<KolLocale> {
  chosen = locale === null ? null : resolveLocale(locale);
  startLocalization();
  apply(chosen ?? resolveLocale(document.documentElement.lang));
  await ready;
  return getLocale();
}

/** The language kolkit's text is in now: kolkit's own choice, or the page's when another configuration owns it. */
export function getLocale(): KolLocale {
  if (runtime) return runtime.getLocale() as KolLocale;
  if (runtime === undefined) return sourceLocale; // not configured: msg() gives the English source
  return resolveLocale(typeof document === 'undefined' ? null : document.documentElement.lang);
}

/** Settles when the language asked for last is shown: an element waits for it before its first render. */
export function localeReady(): Promise<void> {
  return ready;
}

/**
 * kolkit's translations for `locale` (any tag, resolved like `setLocale`), for a host app whose own
 * @lit/localize configuration owns `msg()`: merge them into what its `loadLocale` returns, e.g.
 * `{templates: {...(await loadKolkitTemplates(locale)), ...own.templates}}`.
 */
export async function loadKolkitTemplates(locale: string): Promise<LocaleModule['templates']> {
  const resolved = resolveLocale(locale);
  return resolved === sourceLocale ? {} : (await loaders[resolved]()).templates;
}

/**
 * Calls `onChange` whenever the page's language changes: a new translation shown (by kolkit's configuration
 * or another one) or a new `<html lang>`. Returns the unsubscribe.
 */
export function onLocaleChange(onChange: () => void): () => void {
  const onStatus = (event: Event) => {
    if ((event as CustomEvent<{status: string}>).detail.status === 'ready') onChange();
  };
  window.addEventListener(LOCALE_STATUS_EVENT, onStatus);
  const stop = pageLangChanges.add(onChange);
  return () => {
    window.removeEventListener(LOCALE_STATUS_EVENT, onStatus);
    stop();
  };
}
