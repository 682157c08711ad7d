/**
 * The `kolkit` Trusted Types policy of the script-tag build. Under `require-trusted-types-for 'script'`,
 * `new Worker(url)` only takes a TrustedScriptURL, and hls.js passes a plain string. The CDN build routes
 * hls.js's worker URL through this policy (rollup.config.mjs patches that one call), which accepts exactly
 * one kind of URL: an `hls.worker.js` on the page's own origin (a Worker must be same-origin anyway).
 * A page whose CSP lists `trusted-types` without `kolkit` gets a refused policy: hls.js then transmuxes on
 * the main thread, and the video still plays.
 */

/** The part of the Trusted Types API used here (TypeScript's DOM library does not declare it). */
interface TrustedTypesFactory {
  createPolicy(name: string, rules: {createScriptURL(input: string): string}): Policy;
}
interface Policy {
  createScriptURL(input: string): unknown;
}

/** Shared by every copy of kolkit on the page: a policy name may be created once without `'allow-duplicates'`. */
const KEY = Symbol.for('kolkit.trustedTypesPolicy');

/** The worker URL, resolved, if it is an `hls.worker.js` on this page's origin; throws otherwise. */
export function allowHlsWorker(input: string): string {
  const url = new URL(input, location.href);
  if (url.origin !== location.origin || !url.pathname.endsWith('/hls.worker.js')) {
    throw new TypeError(`kolkit's Trusted Types policy only allows a same-origin hls.worker.js, not ${input}`);
  }
  return url.href;
}

/**
 * What to pass to `new Worker()` for hls.js's worker `url`: a TrustedScriptURL from the `kolkit` policy
 * where Trusted Types exist, else the string itself. Throws (hls.js then falls back to the main thread)
 * when the policy cannot be created or refuses the URL.
 */
export function hlsWorkerScriptUrl(url: string): string {
  const factory = (globalThis as {trustedTypes?: TrustedTypesFactory}).trustedTypes;
  if (!factory) return url;
  const host = globalThis as unknown as Record<symbol, Policy | null | undefined>;
  if (host[KEY] === undefined) {
    try {
      host[KEY] = factory.createPolicy('kolkit', {createScriptURL: allowHlsWorker});
    } catch {
      host[KEY] = null; // the CSP's trusted-types list leaves kolkit out: do not ask again on every rebuild
    }
  }
  const policy = host[KEY];
  if (!policy) throw new TypeError("kolkit: this page's CSP does not allow the 'kolkit' Trusted Types policy");
  // A TrustedScriptURL stands in for the string: Worker's constructor accepts either.
  return policy.createScriptURL(url) as string;
}
