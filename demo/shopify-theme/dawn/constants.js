// The Dawn-like theme's constants, declared the way Dawn's constants.js declares them: a top-level const in a
// classic script. That makes PUB_SUB_EVENTS a global lexical binding, not a property of window, which is what
// an app on a real Dawn store has to detect (`typeof PUB_SUB_EVENTS !== 'undefined'`). The names and values
// are Dawn's event names; the file is the demo's own.
const PUB_SUB_EVENTS = Object.freeze({
  cartUpdate: 'cart-update',
  quantityUpdate: 'quantity-update',
  variantChange: 'variant-change',
  cartError: 'cart-error',
});
