/**
 * `Kolkit.bridgeToDataLayer` on the script tag. The bridge itself (page/analytics-bridge.ts, with the show code
 * it reads) is loaded on the first call from the chunk of the elements that add to cart, so kolkit.js does not
 * carry it (it cost the entry 2.4 KB brotli). It is in place once that chunk is there: an add comes from an
 * element, which loads the same chunk first, and a product pinned before then is counted when it arrives.
 */
import type {DataLayerBridgeOptions} from '../page/analytics-bridge.js';

/** Starts pushing to GTM's `dataLayer` (page/analytics-bridge.ts); answers the function that stops it. */
export function bridgeToDataLayer(options: DataLayerBridgeOptions = {}): () => void {
  let stop: (() => void) | undefined;
  let stopped = false;
  import('../page/analytics-bridge.js')
    .then((bridge) => {
      if (!stopped) stop = bridge.bridgeToDataLayer(options);
    })
    .catch((error: unknown) => console.error('kolkit: bridgeToDataLayer failed.', error));
  return () => {
    stopped = true;
    stop?.();
  };
}
