/**
 * The first of the page's language tags that Intl accepts. A page may write `lang="english"`, and WebKitGTK
 * under the C locale reports `navigator.language` as `"C"`: Intl throws a RangeError on either, which would
 * break every price and count an element shows.
 */

/** Tags already checked: the check runs on every render of a price. */
const checked = new Map<string, boolean>();

function accepted(tag: string): boolean {
  let ok = checked.get(tag);
  if (ok === undefined) {
    try {
      ok = Intl.getCanonicalLocales(tag).length > 0;
    } catch {
      ok = false;
    }
    checked.set(tag, ok);
  }
  return ok;
}

/** The first of `tags` that is a language tag Intl accepts, else `en`. */
export function usableLocale(...tags: (string | null | undefined)[]): string {
  return tags.find((tag): tag is string => !!tag && accepted(tag)) ?? 'en';
}
