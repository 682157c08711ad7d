/** Which of kolkit's languages a page's language tag gets: the closest one, else the source language. */
import {sourceLocale, targetLocales} from './locale-codes.js';

/** A language kolkit ships: `en` (the source) and the translations in xliff/. */
export type KolLocale = typeof sourceLocale | (typeof targetLocales)[number];

/** Every language kolkit ships, the source language first. */
export const LOCALES: readonly KolLocale[] = [sourceLocale, ...targetLocales];

/**
 * The shipped language closest to a BCP 47 tag: the tag itself (any case), else its language (`fr-CA` →
 * `fr`, `de-AT` → `de`); every Chinese tag (`zh`, `zh-Hans`, `zh-TW`) reads Simplified Chinese, the only
 * Chinese shipped; anything else, an empty or malformed tag included, is `en`.
 */
export function resolveLocale(tag: string | null | undefined): KolLocale {
  if (!tag) return sourceLocale;
  const exact = LOCALES.find((locale) => locale.toLowerCase() === tag.toLowerCase());
  if (exact) return exact;
  let language: string;
  try {
    language = new Intl.Locale(tag).language;
  } catch {
    return sourceLocale; // not a language tag at all (lang="english")
  }
  if (language === 'zh') return 'zh-CN';
  return LOCALES.find((locale) => locale === language) ?? sourceLocale;
}
