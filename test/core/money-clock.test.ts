import {expect} from '@open-wc/testing';
import {addMoney, multiplyMoney} from '../../src/core/money.js';
import {formatMoney} from '../../src/page/format-money.js';
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
  const T = Date.parse('2026-12-06T10:00:00Z');

  it('keeps the largest offset two samples agree on (transit time only makes samples smaller)', () => {
    let local = T;
    const clock = new ServerClock(() => local);
    clock.sample(T + 5_000, T + 300); // server 5 s ahead, 300 ms in transit
    expect(clock.offset, 'one sample is not trusted').to.equal(0);
    clock.sample(T + 4_900, T); // a faster message: agrees, and is the better estimate
    clock.sample(T + 4_000, T); // slower: not the largest
    expect(clock.offset).to.equal(4_900);
    local = T + 1_000_000;
    expect(clock.now()).to.equal(T + 1_004_900);
  });

  it('refuses a sentAt far from the local clock, and one sample never moves it', () => {
    const clock = new ServerClock(() => T);
    expect(clock.sample(Date.parse('9999-12-31T23:59:59Z'), T)).to.equal(false);
    expect(clock.sample(T - 2 * 3600_000, T)).to.equal(false); // an event stamped two hours ago
    expect(clock.offset).to.equal(0);
    expect(clock.sample(T + 3 * 60_000, T), 'three minutes is a plausible device clock error').to.equal(true);
    expect(clock.offset, 'but one sample alone does not set the clock').to.equal(0);
  });

  it("trusts the events response's Date header, and then checks sentAt against it", () => {
    const clock = new ServerClock(() => T);
    // The device is 20 minutes behind the server: only the transport's Date header can say so.
    expect(clock.sample(T + 20 * 60_000, T, 'date-header')).to.equal(true);
    expect(clock.offset).to.equal(20 * 60_000);
    expect(clock.sample(T + 20 * 60_000 + 400, T), 'a sentAt near the Date header').to.equal(true);
    expect(clock.offset).to.equal(20 * 60_000 + 400);
    expect(clock.sample(T, T), 'a sentAt near the device clock but far from the Date header').to.equal(false);
    expect(clock.sample(Date.parse('9999-12-31T23:59:59Z'), T, 'date-header'), 'a broken Date header').to.equal(false);
  });

  it('holds samples taken before the Date header to it as well', () => {
    const clock = new ServerClock(() => T);
    clock.sample(T + 9 * 60_000, T); // two events agree on +9 min: plausible without a header
    clock.sample(T + 9 * 60_000 + 500, T);
    expect(clock.offset).to.equal(9 * 60_000 + 500);
    clock.sample(T, T, 'date-header'); // the transport says the device clock is right
    expect(clock.offset).to.equal(0);
  });

  it('outvotes a lone bogus sample with the samples that agree', () => {
    const clock = new ServerClock(() => T);
    clock.sample(T + 1_000, T);
    clock.sample(T + 1_100, T);
    clock.sample(T + 9 * 60_000, T); // plausible, but nothing agrees with it
    expect(clock.offset).to.equal(1_100);
  });
});

describe('countdown text', () => {
  it('formats remaining time and speaks only at milestones', () => {
    expect([formatRemaining(59_001), formatRemaining(3_725_000), formatRemaining(-5)]).to.deep.equal(['1:00', '1:02:05', '0:00']);
    expect([milestoneFor(700_000), milestoneFor(300_000), milestoneFor(45_000), milestoneFor(9_000)]).to.deep.equal([
      1800, 300, 60, 10,
    ]);
  });

  it('writes the digits of the language: Latin without Intl where they always are, else what Intl says', () => {
    expect(['fr-CA', 'ja', 'zh-CN', 'de'].map((locale) => formatRemaining(3_725_000, locale))).to.deep.equal(['1:02:05', '1:02:05', '1:02:05', '1:02:05']);
    // Where Intl writes other digits, the timer does too: asked for in the tag, or the language's own.
    for (const locale of ['en-u-nu-arab', 'ar-EG', 'fa', 'hi-u-nu-deva']) {
      const expected = (n: number, two = false) => new Intl.NumberFormat(locale, {minimumIntegerDigits: two ? 2 : 1, useGrouping: false}).format(n);
      expect(formatRemaining(3_725_000, locale), locale).to.equal(`${expected(1)}:${expected(2, true)}:${expected(5, true)}`);
    }
    expect(formatRemaining(65_000, 'ar-EG')).to.equal('١:٠٥');
  });
});
