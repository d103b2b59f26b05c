import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { builtInStrategies } from '../../strategies/index.ts';
import { initialPicker, parseParams, PARAMS_JSON_ERROR, pickerReducer } from '../../src/ui/dialogs/strategy-picker-state.ts';
import { StrategyPicker, type StrategyPickerProps } from '../../src/ui/dialogs/strategy-picker.tsx';
import { THEMES } from '../../src/ui/theme.ts';
import { makePosition } from '../helpers/ui-state.ts';

const ESC = '\u001B';
const UP = '\u001B[A';
const DOWN = '\u001B[B';
const BACKSPACE = '\u007F';
const ENTER = '\r';
const RIGHT = '\u001B[C';

const tick = () => new Promise((resolve) => setTimeout(resolve, 20));

/** The built-in strategies as the app passes them: name, description, default params. */
const STRATEGIES = builtInStrategies.map((definition) => ({
  name: definition.name,
  description: definition.description,
  params: definition.params.parse({}) as Record<string, unknown>,
}));

function picker(active: string | null = null, extra: Partial<StrategyPickerProps> = {}) {
  const onSubmit = vi.fn<(name: string | null, params: Record<string, unknown>) => string | undefined>();
  const onCancel = vi.fn<() => void>();
  const rendered = render(
    <StrategyPicker strategies={STRATEGIES} positions={[]} active={active} width={80} theme={THEMES.mono} onSubmit={onSubmit} onCancel={onCancel} {...extra} />,
  );
  const press = async (...keys: string[]) => {
    for (const key of keys) {
      rendered.stdin.write(key);
      await tick();
    }
  };
  const frame = () => rendered.lastFrame() ?? '';
  /** The frame's text with its colours, the box edges and all spacing removed, so wrapped JSON reads as one line. */
  const squeezed = () => frame().replace(/\u001b\[[0-9;]*m/g, '').replace(/[│\s]/g, '');
  const selectedRow = () => frame().split('\n').find((line) => line.includes('›'));
  return { ...rendered, onSubmit, onCancel, press, frame, squeezed, selectedRow };
}

let unmount: (() => void) | undefined;
afterEach(() => unmount?.());

describe('StrategyPicker', () => {
  it('lists every strategy with its description, then "none (stop the strategy)" last, in a rounded box', async () => {
    const p = picker();
    unmount = p.unmount;
    await tick();
    const rows = p.frame().split('\n');
    expect(rows[0]).toContain('╭');
    const order = ['sma-crossover', 'buy-and-hold', 'rsi-reversion', 'none (stop the strategy)'].map((name) => rows.findIndex((row) => row.includes(name)));
    expect(order.every((index) => index > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(p.frame()).toContain('Buy when the short SMA');
    expect(rows.length).toBeLessThanOrEqual(12);
  });

  it('starts on the running strategy and marks it', async () => {
    const p = picker('rsi-reversion');
    unmount = p.unmount;
    await tick();
    expect(p.selectedRow()).toContain('rsi-reversion');
    expect(p.frame()).toContain('running: rsi-reversion');
  });

  it('moves the choice with ↓ and ↑', async () => {
    const p = picker();
    unmount = p.unmount;
    await tick();
    expect(p.selectedRow()).toContain('sma-crossover');
    await p.press(DOWN);
    expect(p.selectedRow()).toContain('buy-and-hold');
    await p.press(DOWN, DOWN);
    expect(p.selectedRow()).toContain('none (stop the strategy)');
    await p.press(UP);
    expect(p.selectedRow()).toContain('rsi-reversion');
  });

  it('Enter opens the params step prefilled with the chosen strategy\'s params as JSON; Enter submits them', async () => {
    const p = picker();
    unmount = p.unmount;
    await tick();
    await p.press(DOWN, DOWN, ENTER);
    const params = STRATEGIES[2]!.params;
    expect(p.frame()).toContain('rsi-reversion params');
    expect(p.squeezed()).toContain(JSON.stringify(params));
    expect(p.frame().split('\n').length).toBeLessThanOrEqual(12);
    expect(p.onSubmit).not.toHaveBeenCalled();
    await p.press(ENTER);
    expect(p.onSubmit).toHaveBeenCalledWith('rsi-reversion', params);
  });

  it('says before the strategy starts what it will trade: only what it buys, never the trader\'s positions', async () => {
    const positions = [
      { ...makePosition('AAPL', '30', '200.00', '230.00'), attribution: [{ owner: 'user', qty: '10' }, { owner: 'strategy:rsi-reversion', qty: '20' }] },
      makePosition('X:BTCUSD', '0.1', '95000.00', '95100.00'),
    ];
    const p = picker(null, { positions });
    unmount = p.unmount;
    await tick();
    await p.press(DOWN, DOWN, ENTER);
    expect(p.frame().replace(/[│\s]+/g, ' ')).toContain('Trades only what it buys (it holds 20 AAPL); your 10 AAPL, 0.1 X:BTCUSD stay yours.');
    expect(p.frame().split('\n').length).toBeLessThanOrEqual(12);
  });

  it('prefills the params the app passes (the running strategy\'s current ones) and submits the edited JSON', async () => {
    const strategies = [{ name: 'sma-crossover', description: 'SMA cross', params: { shortWindow: 5, longWindow: 20 } }];
    const p = picker('sma-crossover', { strategies });
    unmount = p.unmount;
    await tick();
    await p.press(ENTER);
    expect(p.squeezed()).toContain('{"shortWindow":5,"longWindow":20}');
    await p.press(BACKSPACE, BACKSPACE, BACKSPACE, '5', '0', '}', ENTER);
    expect(p.onSubmit).toHaveBeenCalledWith('sma-crossover', { shortWindow: 5, longWindow: 50 });
  });

  it('refuses malformed JSON with the example message, and submits once it is fixed', async () => {
    const p = picker();
    unmount = p.unmount;
    await tick();
    await p.press(ENTER, BACKSPACE, ENTER);
    expect(p.onSubmit).not.toHaveBeenCalled();
    expect(p.frame()).toContain('params must be JSON, e.g. {"shortWindow": 10}');
    await p.press('}');
    expect(p.frame()).not.toContain('params must be JSON');
    await p.press(ENTER);
    expect(p.onSubmit).toHaveBeenCalledWith('sma-crossover', STRATEGIES[0]!.params);
  });

  it('params the engine refuses keep the dialog open with its reason and the text; the keys typed next edit them, never reach the app', async () => {
    const strategies = [{ name: 'sma-crossover', description: 'SMA cross', params: { shortWindow: 5 } }];
    const p = picker('sma-crossover', { strategies });
    unmount = p.unmount;
    p.onSubmit.mockReturnValueOnce('invalid params for sma-crossover: unknown key "foo"');
    await tick();
    await p.press(ENTER);
    // Home, then a word forward: the cursor moves within the text; typed text goes where it is.
    await p.press('\u0001', RIGHT, '"foo":1,', ENTER);
    expect(p.onSubmit).toHaveBeenLastCalledWith('sma-crossover', { foo: 1, shortWindow: 5 });
    expect(p.frame()).toContain('invalid params for sma-crossover: unknown key "foo"');
    expect(p.squeezed()).toContain('{"foo":1,"shortWindow":5}');
    // Ctrl-A, → past the brace, Ctrl-K: the rest goes; then the fix, and Enter submits again.
    await p.press('\u0001', RIGHT, '\u000b', '"shortWindow":8}');
    expect(p.frame()).not.toContain('invalid params');
    await p.press(ENTER);
    expect(p.onSubmit).toHaveBeenLastCalledWith('sma-crossover', { shortWindow: 8 });
  });

  it('"none" submits null with no params straight from the list', async () => {
    const p = picker('sma-crossover');
    unmount = p.unmount;
    await tick();
    await p.press(UP, ENTER);
    expect(p.onSubmit).toHaveBeenCalledWith(null, {});
  });

  it('Escape cancels from the list and from the params step', async () => {
    const list = picker();
    await tick();
    await list.press(ESC);
    expect(list.onCancel).toHaveBeenCalledTimes(1);
    list.unmount();

    const params = picker();
    unmount = params.unmount;
    await tick();
    await params.press(ENTER, ESC);
    expect(params.onCancel).toHaveBeenCalledTimes(1);
    expect(params.onSubmit).not.toHaveBeenCalled();
  });

  it('keeps a long list within 12 lines and scrolls to the choice', async () => {
    const strategies = Array.from({ length: 15 }, (_, i) => ({ name: `s${i}`, description: `strategy ${i}`, params: {} }));
    const p = picker(null, { strategies });
    unmount = p.unmount;
    await tick();
    await p.press(UP);
    expect(p.frame().split('\n').length).toBeLessThanOrEqual(12);
    expect(p.selectedRow()).toContain('none (stop the strategy)');
  });
});

describe('strategy picker reducer', () => {
  it('parses params JSON objects only', () => {
    expect(parseParams('{"shortWindow": 10}')).toEqual({ ok: true, params: { shortWindow: 10 } });
    expect(parseParams('')).toEqual({ ok: true, params: {} });
    expect(parseParams('{shortWindow: 10}')).toEqual({ ok: false, error: PARAMS_JSON_ERROR });
    expect(parseParams('[1]')).toMatchObject({ ok: false });
  });

  it('types only in the params step and moves only in the list step', () => {
    const list = initialPicker(STRATEGIES, null);
    expect(pickerReducer(list, { type: 'edit', action: { type: 'insert', text: 'x' } })).toBe(list);
    const params = pickerReducer(list, { type: 'submit' });
    expect(params.step).toBe('params');
    expect(pickerReducer(params, { type: 'move', delta: 1 })).toBe(params);
  });
});
