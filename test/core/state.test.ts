import {expect} from '@open-wc/testing';
import {currentDeal, dealState, initialShowState, reduceShow, reduceShowEvents, MAX_PINNED} from '../../src/core/state.js';
import type {ShowEvent} from '../../src/core/schema.js';
import {dealEnd, dealStart, pin, stock, unpin} from '../fixtures/events.js';

const t0 = Date.parse('2026-11-21T10:00:00Z');
const reduce = (events: ShowEvent[]) => events.reduce(reduceShow, initialShowState());

describe('reduceShow', () => {
  it('keeps at most three pins, most recent first, and a re-pin moves to the front', () => {
    const state = reduce([pin('a', t0), pin('b', t0 + 1), pin('c', t0 + 2), pin('d', t0 + 3), pin('b', t0 + 4, {label: '#2'})]);
    expect(state.pinned.map((p) => p.productId)).to.deep.equal(['b', 'd', 'c']);
    expect(state.pinned).to.have.length(MAX_PINNED);
    expect(state.pinned[0].label).to.equal('#2');
  });

  it('records every product shown in the lineup once, in first-shown order', () => {
    const state = reduce([pin('a', t0, {label: '#1'}), pin('b', t0 + 1), unpin('a', t0 + 2), pin('a', t0 + 3)]);
    expect(state.lineup.map((l) => [l.productId, l.label])).to.deep.equal([['a', '#1'], ['b', undefined]]);
    expect(state.pinned.map((p) => p.productId)).to.deep.equal(['a', 'b']);
  });

  it('unpins, and returns the same object when an event changes nothing', () => {
    const pinned = reduce([pin('a', t0), pin('b', t0 + 1)]);
    const after = reduceShow(pinned, unpin('a', t0 + 2));
    expect(after.pinned.map((p) => p.productId)).to.deep.equal(['b']);
    expect(reduceShow(after, unpin('zzz', t0 + 3))).to.equal(after);
  });

  it('never mutates the state it is given', () => {
    const before = reduce([pin('a', t0)]);
    const frozen = JSON.stringify(before);
    reduceShow(before, pin('b', t0 + 1));
    reduceShow(before, dealStart('d', 'a', t0, 60));
    expect(JSON.stringify(before)).to.equal(frozen);
  });

  it('tracks deals: start (startsAt defaults to at), stock, end', () => {
    let state = reduce([dealStart('d1', 'a', t0, 60, {stock: 5})]);
    expect(state.deals.d1.startsAt).to.equal(new Date(t0).toISOString());
    state = reduceShow(state, stock({dealId: 'd1'}, 2, t0 + 1000));
    expect(state.deals.d1.stock).to.equal(2);
    state = reduceShow(state, dealEnd('d1', t0 + 2000, 'sold-out'));
    expect(state.deals.d1.ended).to.equal('sold-out');
    expect(reduceShow(state, dealEnd('unknown', t0 + 3000))).to.equal(state);
  });

  it('tracks product stock, viewers, status and bounded chat', () => {
    let state = reduce([stock({productId: 'a'}, 4, t0)]);
    expect(state.stock.a).to.equal(4);
    state = reduceShow(state, {v: 1, id: 'v', type: 'viewers.update', at: new Date(t0).toISOString(), count: 42});
    state = reduceShow(state, {v: 1, id: 's', type: 'show.status', at: new Date(t0).toISOString(), status: 'live'});
    for (let i = 0; i < 60; i++) {
      state = reduceShow(state, {v: 1, id: `c${i}`, type: 'chat.message', at: new Date(t0 + i).toISOString(), author: 'x', text: `m${i}`});
    }
    expect([state.viewers, state.status, state.chat.length, state.chat[49].text]).to.deep.equal([42, 'live', 50, 'm59']);
  });

  it('a snapshot replaces the state wholesale', () => {
    const snapshotState = reduce([pin('x', t0)]);
    const state = reduceShow(reduce([pin('a', t0), pin('b', t0)]), {
      v: 1, id: 'snap', type: 'show.snapshot', at: new Date(t0).toISOString(), state: snapshotState,
    });
    expect(state.pinned.map((p) => p.productId)).to.deep.equal(['x']);
  });
});

describe('dealState and currentDeal', () => {
  const deal = reduce([dealStart('d1', 'a', t0, 60, {startsAt: new Date(t0 + 10_000).toISOString()})]).deals.d1;

  it('moves upcoming → active → expired on the clock', () => {
    expect(dealState(deal, t0)).to.equal('upcoming');
    expect(dealState(deal, t0 + 10_000)).to.equal('active');
    expect(dealState(deal, t0 + 60_000)).to.equal('expired');
  });

  it('is sold out at zero stock or on a sold-out end, expired when cancelled', () => {
    expect(dealState({...deal, stock: 0}, t0 + 20_000)).to.equal('sold-out');
    expect(dealState({...deal, ended: 'sold-out'}, t0 + 20_000)).to.equal('sold-out');
    expect(dealState({...deal, ended: 'cancelled'}, t0 + 20_000)).to.equal('expired');
  });

  it('prefers the latest open deal, else the latest deal', () => {
    const state = reduce([dealStart('old', 'a', t0, 600), dealStart('new', 'b', t0 + 1000, 5)]);
    expect(currentDeal(state, t0 + 2000)?.dealId).to.equal('new');
    expect(currentDeal(state, t0 + 10_000)?.dealId).to.equal('old');
    expect(currentDeal(state, t0 + 700_000)?.dealId).to.equal('new');
    expect(currentDeal(initialShowState(), t0)).to.equal(undefined);
  });

  it('prefers a deal the shopper can buy now over one announced for later, then the soonest upcoming', () => {
    const state = reduce([
      dealStart('live', 'a', t0, 600),
      dealStart('later', 'b', t0 + 1000, 600, {startsAt: new Date(t0 + 300_000).toISOString()}),
      dealStart('sooner', 'c', t0 + 2000, 600, {startsAt: new Date(t0 + 100_000).toISOString()}),
    ]);
    expect(currentDeal(state, t0 + 5000)?.dealId).to.equal('live');
    expect(currentDeal({...state, deals: {later: state.deals.later, sooner: state.deals.sooner}}, t0 + 5000)?.dealId).to.equal('sooner');
  });
});

describe('engagement in the show state (chat removal, mentions, polls, giveaways)', () => {
  const at = '2026-12-06T10:00:00.000Z';
  const envelope = (id: string) => ({v: 1 as const, id, at});

  it('keeps a message\'s role and mentions, and chat.remove takes the message out for everyone', () => {
    let state = reduceShowEvents(initialShowState(), [
      {...envelope('m1'), type: 'chat.message', author: 'Ana', text: '#2 in grey?', role: 'customer', mentions: [{label: '#2', productId: 'p2'}]},
      {...envelope('m2'), type: 'chat.message', author: 'Bo', text: 'hi'},
    ]);
    expect(state.chat.map((m) => m.id)).to.deep.equal(['m1', 'm2']);
    expect(state.chat[0]!.mentions).to.deep.equal([{label: '#2', productId: 'p2'}]);
    expect(state.chat[0]!.role).to.equal('customer');
    state = reduceShow(state, {...envelope('r1'), type: 'chat.remove', messageId: 'm1'});
    expect(state.chat.map((m) => m.id)).to.deep.equal(['m2']);
    const same = reduceShow(state, {...envelope('r2'), type: 'chat.remove', messageId: 'unknown'});
    expect(same).to.equal(state);
  });

  it('follows the latest poll: counts per option, then closed; an update for another poll changes nothing', () => {
    let state = reduceShow(initialShowState(), {...envelope('p'), type: 'poll.open', pollId: 'q1', question: 'Which colour?', options: ['Grey', 'Red'], endsAt: at});
    expect(state.poll).to.deep.equal({pollId: 'q1', question: 'Which colour?', options: ['Grey', 'Red'], endsAt: at, counts: [0, 0]});
    state = reduceShow(state, {...envelope('u'), type: 'poll.update', pollId: 'q1', counts: [3, 1]});
    expect(reduceShow(state, {...envelope('x'), type: 'poll.update', pollId: 'other', counts: [9, 9]})).to.equal(state);
    state = reduceShow(state, {...envelope('c'), type: 'poll.close', pollId: 'q1', counts: [4, 1]});
    expect(state.poll?.counts).to.deep.equal([4, 1]);
    expect(state.poll?.closed).to.equal(true);
  });

  it('follows the latest giveaway to its winner (a display name, or null when nobody entered)', () => {
    let state = reduceShow(initialShowState(), {...envelope('g'), type: 'giveaway.open', giveawayId: 'g1', prize: 'A scarf', endsAt: at});
    expect(state.giveaway?.winner).to.equal(undefined);
    state = reduceShow(state, {...envelope('w'), type: 'giveaway.winner', giveawayId: 'g1', winner: 'Ana', entries: 12});
    expect(state.giveaway).to.deep.include({winner: 'Ana', entries: 12, prize: 'A scarf'});
  });
});

describe('live sale formats in the show state (auction, group buy, upcoming show)', () => {
  const at = '2026-12-06T10:00:00.000Z';
  const envelope = (id: string) => ({v: 1 as const, id, at});
  const eur = (amount: string) => ({amount, currencyCode: 'EUR'});

  it('follows the latest auction: bids raise it, the close names the winner; a late update after the close changes nothing', () => {
    let state = reduceShow(initialShowState(), {
      ...envelope('a'), type: 'auction.open', auctionId: 'a1', productId: 'p1', startingBid: eur('10.00'), endsAt: at, extendBy: 10, suddenDeath: false,
    });
    expect(state.auction?.highBid).to.equal(undefined);
    state = reduceShow(state, {...envelope('u'), type: 'auction.update', auctionId: 'a1', highBid: eur('12.00'), bidder: 'Ana', endsAt: at, bids: 1});
    expect(state.auction).to.deep.include({bidder: 'Ana', bids: 1});
    const second = reduceShow(state, {...envelope('u2'), type: 'auction.update', auctionId: 'a1', highBid: eur('13.00'), bidder: 'Bo', endsAt: at, bids: 2});
    expect(reduceShow(second, {...envelope('u1'), type: 'auction.update', auctionId: 'a1', highBid: eur('12.00'), bidder: 'Ana', endsAt: at, bids: 1}), 'bid 1 announced after bid 2 is stale').to.equal(second);
    state = reduceShow(state, {...envelope('c'), type: 'auction.close', auctionId: 'a1', winner: 'Ana', highBid: eur('12.00'), bids: 1});
    expect(state.auction).to.deep.include({closed: true, winner: 'Ana'});
    expect(reduceShow(state, {...envelope('l'), type: 'auction.update', auctionId: 'a1', highBid: eur('99.00'), bidder: 'Bo', endsAt: at, bids: 2})).to.equal(state);
  });

  it('follows the latest group buy to filled or expired, and the show announced as coming', () => {
    let state = reduceShow(initialShowState(), {
      ...envelope('g'), type: 'group.open', groupId: 'g1', productId: 'p1', price: eur('20.00'), needed: 3, endsAt: at,
    });
    expect(state.group?.joined).to.equal(0);
    state = reduceShow(state, {...envelope('u'), type: 'group.update', groupId: 'g1', joined: 2});
    state = reduceShow(state, {...envelope('c'), type: 'group.close', groupId: 'g1', joined: 3, reason: 'filled'});
    expect(state.group).to.deep.include({joined: 3, ended: 'filled'});
    state = reduceShow(state, {...envelope('s'), type: 'show.scheduled', title: 'Winter drop', startsAt: at, host: 'Ines'});
    expect(state.scheduled).to.deep.equal({title: 'Winter drop', startsAt: at, host: 'Ines'});
  });
});
