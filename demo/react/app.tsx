/**
 * kolkit in a React app: the wrappers of `kolkit/react` with the in-page memory adapter of
 * `kolkit/adapters`. The page's own bag line follows the cart through `onKolCartChange`.
 * Built by build.mjs into dist/app.js, served at /demo/react/ (test/distribution/react.test.ts opens it).
 */
import {StrictMode, useEffect, useRef, useState} from 'react';
import {createRoot} from 'react-dom/client';
import {KolCartButton, KolProductPin, KolShow} from 'kolkit/react';
import {MemoryAdapter} from 'kolkit/adapters';
import type {Cart, KolShow as KolShowElement} from 'kolkit';

/** What the bag line says: the page's own rendering of kolkit's cart. */
function bagLine(cart: Cart | null): string {
  const count = cart?.totalQuantity ?? 0;
  return count === 0 ? 'Your bag is empty.' : `${count} ${count === 1 ? 'item' : 'items'} in your bag.`;
}

function App() {
  // One adapter for the page's lifetime: a new one on each render would start a new cart.
  const [adapter] = useState(() => new MemoryAdapter({products: '/demo/catalog.json', checkoutUrl: '/demo/react/'}));
  const [cart, setCart] = useState<Cart | null>(null);
  const show = useRef<KolShowElement>(null);

  // No live stream here: the page pins the cap itself, as a host would (the show drops the repeat that
  // StrictMode's second effect run sends, by its id).
  useEffect(() => {
    show.current?.push({v: 1, id: 'react-demo-pin', type: 'product.pin', at: new Date().toISOString(), productId: 'p-cap', label: '#1'});
  }, []);

  return (
    <>
      {/* The store page's header and layout (store.css), with React in charge of the markup. */}
      <header className="site-header">
        <a className="logo" href="/demo/react/index.html">Maison <span>Lune</span></a>
        <KolCartButton show="live" />
      </header>
      <main className="page">
        <h1 className="intro">The Night Market, in React</h1>
        <h2>Live now</h2>
        <KolShow id="live" ref={show} adapter={adapter} onKolCartChange={(event) => setCart(event.detail.cart)}>
          <KolProductPin />
        </KolShow>
        <p id="bag" role="status">{bagLine(cart)}</p>
      </main>
    </>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
