/** Words several elements show alike, one message each (the same id everywhere, so one translation). */
import {msg, str} from '@lit/localize';
import {plural} from './plural.js';

export const addToCartText = () => msg('Add to cart', {id: 'cart.add'});
export const addingText = () => msg('Adding…', {id: 'cart.adding'});
export const soldOutText = () => msg('Sold out', {id: 'stock.sold-out'});
/** Read before a struck-through former price (visually hidden). */
export const wasText = () => msg('was', {id: 'price.was', desc: 'Read by screen readers before a struck-through former price.'});

/** "Only 3 left": `count` is the number already formatted for the element's language. */
export function onlyLeftText(left: number, count: string): string {
  return plural(left, {
    '=1': () => msg('Only 1 left', {id: 'stock.only-left.=1'}),
    '=2': () => msg('Only 2 left', {id: 'stock.only-left.=2'}),
    one: () => msg(str`Only ${count} left`, {id: 'stock.only-left.one'}),
    few: () => msg(str`Only ${count} left`, {id: 'stock.only-left.few'}),
    many: () => msg(str`Only ${count} left`, {id: 'stock.only-left.many'}),
    other: () => msg(str`Only ${count} left`, {id: 'stock.only-left.other'}),
  });
}
