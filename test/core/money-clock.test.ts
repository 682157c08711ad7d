import {expect} from '@open-wc/testing';
import {addMoney, formatMoney, multiplyMoney} from '../../src/core/money.js';
import {ServerClock} from '../../src/core/clock.js';
import {formatRemaining, milestoneFor} from '../../src/core/countdown.js';

describe('money', () => {
  it('formats in the given locale with the currency the backend gave', () => {
    expect(formatMoney({amount: '19.90', currencyCode: 'EUR'}, 'en-US')).to.equal('€19.90');
    expect(formatMoney({amount: '19.90', currencyCode: 'EUR'}, 'de-DE')).to.match(/^19,90\s€$/);
    expect(formatMoney({amount: '1500', currencyCode: 'JPY'}, 'ja-JP')).to.match(/1,500/);
  });

  it('formats in the page locale by default (<html lang>)', () => {
    const before = document.documentElement.lang;
    document.documentElement.lang = 'fr-FR';
    try {
      expect(formatMoney({amount: '5.00', currencyCode: 'EUR'})).to.match(/^5,00\s€$/);
    } finally {
      document.documentElement.lang = before;
    }
  });

  it('adds and multiplies decimal strings exactly', () => {
    expect(addMoney({amount: '0.10', currencyCode: 'EUR'}, {amount: '0.20', currencyCode: 'EUR'}).amount).to.equal('0.30');
    expect(multiplyMoney({amount: '19.90', currencyCode: 'EUR'}, 3).amount).to.equal('59.70');
    expect(addMoney({amount: '1', currencyCode: 'EUR'}, {amount: '0.05', currencyCode: 'EUR'}).amount).to.equal('1.05');
  });
});

describe('ServerClock', () => {
  it('keeps the largest offset sample (transit time only makes samples smaller)', () => {
    let local = 1_000_000;
    const clock = new ServerClock(() => local);
    clock.sample(1_005_000, 1_000_300); // server 5 s ahead, 300 ms in transit
    clock.sample(1_004_900, 1_000_000); // a faster message: better estimate
    clock.sample(1_004_000, 1_000_000); // slower: ignored
    expect(clock.offset).to.equal(4_900);
    local = 2_000_000;
    expect(clock.now()).to.equal(2_004_900);
  });
});

describe('countdown text', () => {
  it('formats remaining time and speaks only at milestones', () => {
    expect([formatRemaining(59_001), formatRemaining(3_725_000), formatRemaining(-5)]).to.deep.equal(['1:00', '1:02:05', '0:00']);
    expect([milestoneFor(700_000), milestoneFor(300_000), milestoneFor(45_000), milestoneFor(9_000)]).to.deep.equal([
      1800, 300, 60, 10,
    ]);
  });
});
