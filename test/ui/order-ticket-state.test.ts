import { describe, expect, it } from 'vitest';
import type { OrderRequest } from '../../src/engine/index.ts';
import { validateOrderRequest } from '../../src/engine/orders/validate-order.ts';
import {
  draftRequest,
  initialTicket,
  replaceChanges,
  ticketError,
  ticketReducer,
  ticketRequest,
  visibleFields,
  type TicketAction,
  type TicketState,
} from '../../src/ui/dialogs/order-ticket-state.ts';

const run = (state: TicketState, ...actions: TicketAction[]): TicketState => actions.reduce(ticketReducer, state);
const type = (text: string): TicketAction => ({ type: 'edit', action: { type: 'insert', text } });
const next: TicketAction = { type: 'focusNext' };
const previous: TicketAction = { type: 'focusPrevious' };
const right: TicketAction = { type: 'cycle', direction: 1 };
const left: TicketAction = { type: 'cycle', direction: -1 };
const backspace: TicketAction = { type: 'edit', action: { type: 'backspace' } };
const submit: TicketAction = { type: 'submit' };

/** The engine's message for a request, to compare the ticket's against. */
const engineError = (request: OrderRequest): string => {
  const result = validateOrderRequest(request);
  if (result.ok) throw new Error('expected the engine to reject the request');
  return result.error;
};

describe('order ticket reducer', () => {
  it('starts a market day order on qty, asking for a qty in the engine\'s words', () => {
    const state = initialTicket('buy', 'AAPL');
    expect(state).toMatchObject({ side: 'buy', symbol: 'AAPL', qty: '', type: 'market', timeInForce: 'day', focus: 'qty' });
    expect(ticketError(state)).toBe('qty missing: say how many to trade');
    expect(ticketError(state)).toBe(engineError({ symbol: 'AAPL', side: 'buy', qty: '' }));
  });

  it('types characters into the focused field and backspace removes the last one', () => {
    let state = run(initialTicket('buy', 'AAPL'), type('1'), type('2'), type('5'));
    expect(state.qty).toBe('125');
    state = run(state, backspace);
    expect(state.qty).toBe('12');
    state = run(state, backspace, backspace, backspace);
    expect(state.qty).toBe('');
  });

  it('takes a pasted string at once but drops control characters', () => {
    expect(run(initialTicket('buy', 'AAPL'), type('10\r\n')).qty).toBe('10');
  });

  it('types nothing into a choice field', () => {
    const state = run(initialTicket('buy', 'AAPL'), next, type('9'));
    expect(state.focus).toBe('type');
    expect(state.qty).toBe('');
    expect(state.type).toBe('market');
  });

  it('cycles the order type forward and back, wrapping around', () => {
    const onType = run(initialTicket('buy', 'AAPL'), next);
    expect(run(onType, right).type).toBe('limit');
    expect(run(onType, right, right).type).toBe('stop');
    expect(run(onType, right, right, right).type).toBe('stop_limit');
    expect(run(onType, right, right, right, right).type).toBe('trailing_stop');
    expect(run(onType, right, right, right, right, right).type).toBe('market');
    expect(run(onType, left).type).toBe('trailing_stop');
  });

  it('cycles time in force through day, gtc, ioc, fok, opg, cls', () => {
    const onTif = run(initialTicket('sell', 'AAPL'), previous);
    expect(onTif.focus).toBe('timeInForce');
    expect([1, 2, 3, 4, 5, 6].map((n) => run(onTif, ...Array<TicketAction>(n).fill(right)).timeInForce)).toEqual(['gtc', 'ioc', 'fok', 'opg', 'cls', 'day']);
  });

  it('shows the price fields only for the order types that use them, and the exits a buy or a sell limit may take', () => {
    expect(visibleFields('market', 'sell')).toEqual(['qty', 'type', 'timeInForce']);
    expect(visibleFields('limit', 'sell')).toEqual(['qty', 'type', 'limitPrice', 'timeInForce', 'extendedHours', 'stopLoss']);
    // A crypto or forex limit has no extended hours to choose.
    expect(visibleFields('limit', 'sell', false, false)).toEqual(['qty', 'type', 'limitPrice', 'timeInForce', 'stopLoss']);
    expect(visibleFields('stop', 'sell')).toEqual(['qty', 'type', 'stopPrice', 'timeInForce']);
    expect(visibleFields('stop_limit', 'sell')).toEqual(['qty', 'type', 'limitPrice', 'stopPrice', 'timeInForce']);
    expect(visibleFields('market', 'buy')).toEqual(['qty', 'type', 'timeInForce', 'takeProfit', 'stopLoss']);
    expect(visibleFields('trailing_stop', 'buy')).toEqual(['qty', 'type', 'trail', 'timeInForce']);
    // A replace changes the order's own prices; a leg is replaced on its own.
    expect(visibleFields('limit', 'buy', true)).toEqual(['qty', 'type', 'limitPrice', 'timeInForce']);
  });

  it('makes a buy with both exits a bracket, with one an oto, and a sell limit with a stop-loss an oco', () => {
    const buy = run(initialTicket('buy', 'AAPL'), type('10'), next, next, next, type('101'), next, type('99'));
    expect(buy.focus).toBe('stopLoss');
    expect(ticketError(buy)).toBeUndefined();
    expect(ticketRequest(buy)).toEqual({
      symbol: 'AAPL', side: 'buy', qty: '10', type: 'market', timeInForce: 'day', orderClass: 'bracket', takeProfit: { limitPrice: '101' }, stopLoss: { stopPrice: '99' },
    });
    expect(ticketRequest(run(buy, previous, backspace, backspace, backspace))).toMatchObject({ orderClass: 'oto', stopLoss: { stopPrice: '99' } });
    const inverted = run(buy, previous, backspace, backspace, backspace, type('98'));
    expect(ticketRequest(inverted)).toBeUndefined();
    expect(ticketError(inverted)).toBe('the take-profit 98.00 must be above the stop-loss 99.00');

    const sell = run(initialTicket('sell', 'AAPL'), type('10'), next, right, next, type('105'), next, right, next, next, type('95'));
    expect(ticketRequest(sell)).toEqual({
      symbol: 'AAPL', side: 'sell', qty: '10', type: 'limit', limitPrice: '105', timeInForce: 'gtc', orderClass: 'oco', takeProfit: { limitPrice: '105' }, stopLoss: { stopPrice: '95' },
    });
  });

  it('takes extended hours for a stock limit order, and sends them only while the order is one', () => {
    const limit = run(initialTicket('buy', 'AAPL'), type('10'), next, right, next, type('187.50'), next, next, right);
    expect(limit.focus).toBe('extendedHours');
    expect(ticketRequest(limit)).toEqual({ symbol: 'AAPL', side: 'buy', qty: '10', type: 'limit', limitPrice: '187.50', timeInForce: 'day', extendedHours: true });
    // Switched to a stop-limit, the choice is hidden and not sent.
    expect(draftRequest(run(limit, previous, previous, previous, right, right))).not.toHaveProperty('extendedHours');
  });

  it('moves focus through the visible fields only, so a market ticket skips the prices', () => {
    const market = initialTicket('sell', 'AAPL');
    expect([1, 2, 3].map((n) => run(market, ...Array<TicketAction>(n).fill(next)).focus)).toEqual(['type', 'timeInForce', 'qty']);
    const limit = run(market, next, right);
    expect(run(limit, next).focus).toBe('limitPrice');
    expect(run(limit, next, next).focus).toBe('timeInForce');
    expect(run(limit, previous, previous).focus).toBe('stopLoss');
  });

  it('reports the engine\'s exact messages as the ticket changes', () => {
    const negative = run(initialTicket('buy', 'AAPL'), type('-5'));
    expect(ticketError(negative)).toBe('qty must be > 0, got "-5"');

    const limit = run(initialTicket('buy', 'AAPL'), type('10'), next, right);
    expect(ticketError(limit)).toBe('limit price missing for a limit order');

    const stopLimit = run(limit, right, right);
    expect(stopLimit.type).toBe('stop_limit');
    expect(ticketError(stopLimit)).toBe('limit price missing for a stop-limit order');
    expect(ticketError(run(stopLimit, next, type('399')))).toBe('stop price missing for a stop-limit order');

    const badPrice = run(limit, next, type('abc'));
    expect(ticketError(badPrice)).toBe(engineError({ symbol: 'AAPL', side: 'buy', qty: '10', type: 'limit', limitPrice: 'abc' }));
    expect(ticketError(badPrice)).toMatch(/^limit price "abc" /);

    const zeroPrice = run(limit, next, type('0'));
    expect(ticketError(zeroPrice)).toBe('limit price must be > 0, got "0"');

    const badSymbol = run(initialTicket('buy', ''), type('1'));
    expect(ticketError(badSymbol)).toBe(engineError({ symbol: '', side: 'buy', qty: '1', type: 'market', timeInForce: 'day' }));
  });

  it('clears the message once the ticket is valid', () => {
    const state = run(initialTicket('sell', 'AAPL'), type('10'));
    expect(ticketError(state)).toBeUndefined();
    expect(state.errors).toEqual([]);
  });

  it('does not send a hidden price: a limit price typed, then switched to market, is left out', () => {
    const state = run(initialTicket('buy', 'AAPL'), type('10'), next, right, next, type('187.5'), previous, left);
    expect(state.type).toBe('market');
    expect(state.limitPrice).toBe('187.5');
    expect(ticketError(state)).toBeUndefined();
    expect(ticketRequest(state)).toEqual({ symbol: 'AAPL', side: 'buy', qty: '10', type: 'market', timeInForce: 'day' });
    // Switching back shows the price again, as typed.
    expect(ticketRequest(run(state, right))).toMatchObject({ type: 'limit', limitPrice: '187.5' });
  });

  it('submits only when valid, and then with the OrderRequest', () => {
    const invalid = run(initialTicket('buy', 'AAPL'), type('10'), next, right);
    expect(ticketRequest(invalid)).toBeUndefined();
    const refused = run(invalid, submit);
    expect(refused.submitted).toBeUndefined();
    expect(ticketError(refused)).toBe('limit price missing for a limit order');

    const valid = run(invalid, next, type('187.50'), next, right);
    const placed = run(valid, submit);
    const expected: OrderRequest = { symbol: 'AAPL', side: 'buy', qty: '10', type: 'limit', limitPrice: '187.50', timeInForce: 'gtc' };
    expect(placed.submitted).toEqual(expected);
    expect(validateOrderRequest(expected).ok).toBe(true);
  });

  it('produces a stop-limit sell with both prices', () => {
    const state = run(initialTicket('sell', 'MSFT'), type('3'), next, left, left, next, type('399.5'), next, type('400'), submit);
    expect(state.submitted).toEqual({ symbol: 'MSFT', side: 'sell', qty: '3', type: 'stop_limit', limitPrice: '399.5', stopPrice: '400', timeInForce: 'day' });
  });

  it('a replace ticket keeps the order type and time in force, and sends only what a replace changes', () => {
    const fields = { qty: '10', type: 'trailing_stop' as const, limitPrice: '', stopPrice: '', trail: '1.5%', timeInForce: 'gtc' as const };
    const replacing = initialTicket('sell', 'AAPL', fields, true);
    expect(run(replacing, next, right).type).toBe('trailing_stop');
    expect(run(replacing, previous, right).timeInForce).toBe('gtc');
    const request = run(replacing, type('0'), submit).submitted!;
    expect(replaceChanges(request)).toEqual({ qty: '100', trailPercent: '1.5' });
  });

  it('produces a trailing stop whose trail is a percent when it ends in %, else a price', () => {
    const onTrail = run(initialTicket('sell', 'AAPL'), type('10'), next, left, next);
    expect(onTrail.focus).toBe('trail');
    expect(ticketError(onTrail)).toBe('trail missing for a trailing-stop order: give a trail price (e.g. 0.50) or a trail percent (e.g. 1.5)');
    expect(run(onTrail, type('1.5 %'), submit).submitted).toEqual({ symbol: 'AAPL', side: 'sell', qty: '10', type: 'trailing_stop', trailPercent: '1.5', timeInForce: 'day' });
    expect(run(onTrail, type('0.50'), submit).submitted).toEqual({ symbol: 'AAPL', side: 'sell', qty: '10', type: 'trailing_stop', trailPrice: '0.50', timeInForce: 'day' });
    expect(ticketError(run(onTrail, type('150%')))).toBe('trail percent must be above 0 and below 100, got "150"');
  });

  it('starts from defaults', () => {
    const state = initialTicket('buy', 'X:BTCUSD', { qty: '0.5', type: 'limit', limitPrice: '60000', timeInForce: 'gtc' });
    expect(ticketRequest(state)).toEqual({ symbol: 'X:BTCUSD', side: 'buy', qty: '0.5', type: 'limit', limitPrice: '60000', timeInForce: 'gtc' });
  });

  it('cancels, and ignores everything after submit or cancel', () => {
    const canceled = run(initialTicket('buy', 'AAPL'), { type: 'cancel' });
    expect(canceled.canceled).toBe(true);
    expect(run(canceled, type('1'))).toBe(canceled);
    const placed = run(initialTicket('buy', 'AAPL'), type('1'), submit);
    expect(run(placed, type('0'), { type: 'cancel' })).toBe(placed);
  });
});
