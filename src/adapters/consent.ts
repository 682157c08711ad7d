/**
 * Consent to store data on the shopper's device (DESIGN.md §5, "Consent"). kolkit stores nothing there —
 * no localStorage, sessionStorage or cookie of its own — until consent is given. The one switch on a page
 * is the show's `consent` attribute or property (`<kol-show consent="granted">`, `show.consent =
 * 'granted'`); every adapter made from the show's attributes follows it, and `consentOf(show)` hands the
 * same switch to an adapter built in code. A CMP's own signal may be given instead.
 */

/**
 * Whether storing on the device is allowed now (e.g. a CMP's "preferences" category). `subscribe` lets an
 * adapter store what it holds as soon as consent arrives, and remove it when consent is withdrawn.
 */
export interface ConsentSignal {
  /** True while storing is allowed. */
  allowed(): boolean;
  /** Calls `onChange` when consent changes; answers the unsubscribe. */
  subscribe?(onChange: () => void): () => void;
}

/** The values of the `consent` attribute: `granted` opens storage; `denied` (or no attribute) keeps it closed. */
export const CONSENT_VALUES = ['granted', 'denied'] as const;

/** What is wrong with a `consent` attribute's value, or null when it is one of `CONSENT_VALUES` or unset. */
export function badConsent(value: string | null): string | null {
  if (value === null || (CONSENT_VALUES as readonly string[]).includes(value)) return null;
  return `consent="${value}" is neither "granted" nor "denied": nothing is stored on the device.`;
}

/** True when `consent` allows storing now. No signal, or a broken one, is no consent. */
export function consentAllows(consent: ConsentSignal | undefined): boolean {
  try {
    return consent?.allowed() === true;
  } catch {
    return false;
  }
}

/**
 * The consent of `element` (a `<kol-show>`, or any element a page builds an adapter from): its `consent`
 * property when it has one (a show's, set in code), else its `consent` attribute; only `granted` allows.
 * Follows later changes of the attribute (a show reflects its property there).
 */
export function consentOf(element: Element): ConsentSignal {
  return {
    allowed() {
      // A show's property (upgraded element) is the truth; the attribute may lag a property set in code.
      const value = 'consent' in element ? (element as Element & {consent: unknown}).consent : element.getAttribute('consent');
      return value === 'granted';
    },
    subscribe(onChange) {
      if (typeof MutationObserver === 'undefined') return () => {};
      const observer = new MutationObserver(() => onChange());
      observer.observe(element, {attributes: true, attributeFilter: ['consent']});
      return () => observer.disconnect();
    },
  };
}
