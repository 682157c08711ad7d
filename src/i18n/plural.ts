/**
 * Plurals through Intl.PluralRules. @lit/localize has no plural syntax, so a counted message is one `msg()`
 * per form, with ids `<name>.<form>`, and every translation must keep the count's placeholder. The forms:
 * `=1` and `=2` for exactly one and two (where Arabic says "صوت واحد", "صوتان" without a digit, and
 * English "1 vote"); then the CLDR categories a shipped language uses for other counts: `one` (French 0
 * and 1), `few` and `many` (Arabic 3–10 and 11–99, French and Spanish millions), `other`.
 */
import {getLocale} from './localization.js';

/** One message per form; `other` is used where a form has no message. */
export type PluralForms = Partial<Record<'=1' | '=2' | Intl.LDMLPluralRule, () => string>> & {other: () => string};

const rules = new Map<string, Intl.PluralRules>();

/**
 * The form of `forms` for `count` in the language of kolkit's text (not the element's `lang`: the rules
 * must be the ones of the words shown).
 */
export function plural(count: number, forms: PluralForms): string {
  const exact = count === 1 ? forms['=1'] : count === 2 ? forms['=2'] : undefined;
  if (exact) return exact();
  const locale = getLocale();
  let rule = rules.get(locale);
  if (!rule) rules.set(locale, (rule = new Intl.PluralRules(locale)));
  return (forms[rule.select(count)] ?? forms.other)();
}
