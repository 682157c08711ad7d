import {expect} from '@open-wc/testing';
import {parseShowEvent} from '../../src/core/schema.js';
import {pin, dealStart, stock} from '../fixtures/events.js';

describe('parseShowEvent (v1 wire format)', () => {
  const at = Date.parse('2026-11-21T10:00:00Z');

  it('accepts every well-formed event type', () => {
    const events = [
      pin('p1', at, {label: '#7', promoCode: 'LIVE10'}),
      dealStart('d1', 'p1', at, 60, {stock: 10, limitPerCustomer: 1}),
      stock({productId: 'p1'}, 3, at),
      stock({dealId: 'd1'}, 0, at),
      {v: 1, id: 's1', type: 'show.status', at: new Date(at).toISOString(), status: 'live'},
      {v: 1, id: 'v1', type: 'viewers.update', at: new Date(at).toISOString(), count: 1200},
      {v: 1, id: 'c1', type: 'chat.message', at: new Date(at).toISOString(), author: 'Ana', text: '<b>try #7</b>'},
    ];
    for (const event of events) expect(parseShowEvent(event).kind, JSON.stringify(event)).to.equal('event');
  });

  it('ignores unknown types of a well-formed envelope (newer senders)', () => {
    const result = parseShowEvent({v: 1, id: 'x', type: 'raffle.open', at: new Date(at).toISOString()});
    expect(result).to.deep.equal({kind: 'ignored', type: 'raffle.open'});
  });

  it('knows every type of the wire format: a bare envelope of each is malformed, never ignored', () => {
    const types = ['show.status', 'show.snapshot', 'product.pin', 'product.unpin', 'deal.start', 'deal.end', 'stock.update', 'viewers.update', 'chat.message',
      'chat.remove', 'requests.update', 'poll.open', 'poll.update', 'poll.close', 'giveaway.open', 'giveaway.winner',
      'auction.open', 'auction.update', 'auction.close', 'group.open', 'group.update', 'group.close', 'show.scheduled'];
    for (const type of types) expect(parseShowEvent({v: 1, id: 'x', type, at: new Date(at).toISOString()}).kind, type).to.equal('invalid');
  });

  it('names the bad field of a malformed event', () => {
    const cases: Array<[unknown, RegExp]> = [
      [null, /object/i],
      ['{"v":1}', /object/i],
      [{...pin('p1', at), v: 2}, /^v: /],
      [{...pin('p1', at), at: 'yesterday'}, /^at: /],
      [{...pin('p1', at), productId: ''}, /^productId: /],
      [{...dealStart('d1', 'p1', at, 60), price: {amount: 9.9, currencyCode: 'EUR'}}, /^price\.amount: /],
      [{...dealStart('d1', 'p1', at, 60), price: {amount: '9.90', currencyCode: 'euro'}}, /^price\.currencyCode: /],
      [{...stock({productId: 'p1'}, 3, at), dealId: 'd1'}, /either productId or dealId/],
      [{...stock({productId: 'p1'}, 3, at), available: -1}, /^available: /],
    ];
    for (const [raw, message] of cases) {
      const result = parseShowEvent(raw);
      expect(result.kind, JSON.stringify(raw)).to.equal('invalid');
      expect((result as {message: string}).message).to.match(message);
    }
  });

  it('keeps chat text as text (never parsed as HTML) and clamps its length', () => {
    const long = {v: 1, id: 'c2', type: 'chat.message', at: new Date(at).toISOString(), author: 'A', text: 'x'.repeat(501)};
    expect(parseShowEvent(long).kind).to.equal('invalid');
  });
});
