// The host pins product #7 with a promo code, as a show event would; without a player it shows at once.
await customElements.whenDefined('kol-show');
document.getElementById('themed').push({
  v: 1, id: 'themed-pin', type: 'product.pin', at: new Date().toISOString(),
  productId: 'p-tee', label: '#7', promoCode: 'LIVE10',
});
