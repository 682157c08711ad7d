import {expect} from '@open-wc/testing';
import {DEFAULT_INCREMENTS, compareAmounts, incrementFor, incrementTableProblem, minimumBid} from '../../src/core/auction.js';

const usd = (amount: string) => ({amount, currencyCode: 'USD'});

describe('auction increments', () => {
  it('uses the default table: 1 below 30, 2 below 50, 3 below 100, 5 below 300, 10 below 1000, 20 below 2000, 50 above', () => {
    const steps = ['0.00', '29.99', '30.00', '49.99', '50', '99.99', '100.00', '299.99', '300', '999.99', '1000', '1999.99', '2000', '25000'].map((amount) => incrementFor(usd(amount)).amount);
    expect(steps).to.deep.equal(['1', '1', '2', '2', '3', '3', '5', '5', '10', '10', '20', '20', '50', '50']);
    expect(incrementFor(usd('12.00')).currencyCode).to.equal('USD');
  });

  it('the minimum is the starting bid before any bid, then the high bid plus its step, exactly', () => {
    expect(minimumBid({startingBid: usd('10.00')})).to.deep.equal(usd('10.00'));
    expect(minimumBid({startingBid: usd('10.00'), highBid: usd('29.50')})).to.deep.equal(usd('30.50'));
    expect(minimumBid({startingBid: usd('10.00'), highBid: usd('30.00')})).to.deep.equal(usd('32.00'));
    expect(minimumBid({startingBid: usd('10.00'), highBid: usd('0.10')})).to.deep.equal(usd('1.10'));
    expect(minimumBid({startingBid: {amount: '1500', currencyCode: 'JPY'}, highBid: {amount: '2500', currencyCode: 'JPY'}})).to.deep.equal({amount: '2550', currencyCode: 'JPY'});
  });

  it('follows an auction’s own table, its last row past every bound', () => {
    const increments = [{below: '10.00', step: '0.50'}, {below: '100', step: '2.5'}];
    expect(minimumBid({startingBid: usd('5.00'), highBid: usd('9.50'), increments})).to.deep.equal(usd('10.00'));
    expect(minimumBid({startingBid: usd('5.00'), highBid: usd('10.00'), increments})).to.deep.equal(usd('12.50'));
    expect(minimumBid({startingBid: usd('5.00'), highBid: usd('500'), increments}).amount).to.equal('502.5');
    expect(minimumBid({startingBid: usd('5.00'), highBid: usd('20'), increments: []}).amount, 'an empty table is the default').to.equal('21');
  });

  it('compares decimal strings exactly, whatever their decimals', () => {
    expect(compareAmounts('22', '22.00')).to.equal(0);
    expect(compareAmounts('22.01', '22.1')).to.equal(-1);
    expect(compareAmounts('100', '99.999')).to.equal(1);
  });

  it('tells what is wrong with a table', () => {
    expect(incrementTableProblem(DEFAULT_INCREMENTS)).to.equal(undefined);
    expect(incrementTableProblem([])).to.match(/no rows/);
    expect(incrementTableProblem([{below: '10', step: '0'}])).to.match(/above 0/);
    expect(incrementTableProblem([{below: '50', step: '1'}, {below: '30', step: '2'}])).to.match(/rise/);
    expect(incrementTableProblem([{step: '1'}, {below: '30', step: '2'}])).to.match(/last row/);
    expect(incrementTableProblem([{below: '1e3', step: '1'}])).to.match(/decimal/);
  });
});
