// The collection page's one job: show the piece named by ?item= (a page of its own per piece).
const item = new URLSearchParams(location.search).get('item');
if (item && /^[a-z0-9-]{1,40}$/.test(item)) document.querySelector('.browse-item')?.setAttribute('product-id', item);
