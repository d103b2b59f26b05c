import { afterEach, describe, expect, it, vi } from 'vitest';


import { render } from 'ink-testing-library';
import type { OrderRequest } from '../../src/engine/index.ts';
import { ORDER_TICKET_HINTS, OrderTicket } from '../../src/ui/dialogs/order-ticket.tsx';
import { THEMES } from '../../src/ui/theme.ts';

const ESC = '\u001B';
const TAB = '\t';
const SHIFT_TAB = '\u001B[Z';
const UP = '\u001B[A';
const DOWN = '\u001B[B';
const RIGHT = '\u001B[C';
const LEFT = '\u001B[D';
const BACKSPACE = '\u007F';
const ENTER = '\r';

const tick = () => new Promise((resolve) => setTimeout(resolve, 20));
const INVERSE = '\u001B[7m';
const plain = (text: string) => text.replace(/\u001B\[[0-9;]*m/g, '');
const lines = (frame: string) => frame.split('\n');
/** The text shown inverse in a frame. */
const inverse = (frame: string) => [...frame.matchAll(/\u001B\[7m(.*?)\u001B\[27m/g)].map((match) => plain(match[1]!));
/** The row of a field label, e.g. "Limit price", or undefined when it is hidden. */
const row = (frame: string, label: string) => lines(frame).find((line) => line.includes(label));

function ticket(side: 'buy' | 'sell' = 'buy', width = 80) {
  const onSubmit = vi.fn<(request: OrderRequest) => string | undefined>();
  const onCancel = vi.fn<() => void>();
  const rendered = render(<OrderTicket side={side} symbol="AAPL" width={width} theme={THEMES.mono} onSubmit={onSubmit} onCancel={onCancel} />);
  const press = async (...keys: string[]) => {
    for (const key of keys) {
      rendered.stdin.write(key);
      await tick();
    }
  };
  /** The frame as text, without colour codes. */
  const frame = () => plain(rendered.lastFrame() ?? '');
  return { ...rendered, onSubmit, onCancel, press, frame };
}

let unmount: (() => void) | undefined;
afterEach(() => unmount?.());

describe('OrderTicket', () => {
  it('shows side, symbol, the market fields, the engine message and the hints in a rounded box', async () => {
    const t = ticket();
    unmount = t.unmount;
    await tick();
    const frame = t.frame();
    expect(frame).toContain('╭');
    expect(frame).toContain('Buy AAPL');
    expect(row(frame, 'Qty')).toBeDefined();
    expect(row(frame, 'Type')).toContain('market');
    expect(row(frame, 'Time in force')).toContain('day');
    expect(row(frame, 'Limit price')).toBeUndefined();
    expect(row(frame, 'Stop price')).toBeUndefined();
    expect(frame).toContain('qty missing: say how many to trade');
    expect(frame).toContain(ORDER_TICKET_HINTS);
  });

  it('marks the focused field and moves the mark with Tab, Shift-Tab, ↓ and ↑', async () => {
    const t = ticket();
    unmount = t.unmount;
    await tick();
    expect(row(t.frame(), 'Qty')).toMatch(/›\s*Qty/);
    await t.press(TAB);
    expect(row(t.frame(), 'Type')).toMatch(/›\s*Type/);
    expect(row(t.frame(), 'Qty')).not.toContain('›');
    await t.press(DOWN);
    expect(row(t.frame(), 'Time in force')).toMatch(/›\s*Time in force/);
    await t.press(SHIFT_TAB);
    expect(row(t.frame(), 'Type')).toMatch(/›\s*Type/);
    await t.press(UP);
    expect(row(t.frame(), 'Qty')).toMatch(/›\s*Qty/);
  });

  it('shows the cursor cell of the focused text field inverse (a space past the end), and a choice field whole', async () => {
    const t = ticket();
    unmount = t.unmount;
    await tick();
    expect(inverse(t.lastFrame()!)).toEqual([' ']);
    await t.press('1', '2');
    expect(inverse(t.lastFrame()!)).toEqual([' ']);
    expect(row(t.frame(), 'Qty')).toContain('12');
    await t.press(TAB);
    expect(inverse(t.lastFrame()!)).toEqual(['‹ market ›']);
    await t.press(TAB);
    expect(inverse(t.lastFrame()!)).toEqual(['‹ day ›']);
    expect(t.lastFrame()).toContain(INVERSE);
  });

  it('edits a text field as a line editor: ←/→, Home (Ctrl-A), End (Ctrl-E), Ctrl-W a word, Ctrl-U to the start', async () => {
    const t = ticket();
    unmount = t.unmount;
    await t.press('1', '2', LEFT);
    expect(inverse(t.lastFrame()!)).toEqual(['2']);
    await t.press('5');
    expect(row(t.frame(), 'Qty')).toContain('152');
    await t.press('\u0001');
    expect(inverse(t.lastFrame()!)).toEqual(['1']);
    await t.press('9', '\u0005', BACKSPACE);
    expect(row(t.frame(), 'Qty')).toMatch(/Qty\s+915\b/);
    // Ctrl-U erases what is before the cursor; Ctrl-W the word before it.
    await t.press(LEFT, '\u0015');
    expect(row(t.frame(), 'Qty')).toMatch(/Qty\s+5\b/);
    await t.press('\u0005', '\u0017');
    expect(row(t.frame(), 'Qty')).toMatch(/Qty\s+│$/);
    // On a choice field, ← and → still change the choice.
    await t.press(TAB, RIGHT);
    expect(row(t.frame(), 'Type')).toContain('limit');
  });

  it('types the qty, Backspace (DEL) erases, and the engine message follows the text', async () => {
    const t = ticket();
    unmount = t.unmount;
    await tick();
    await t.press('-', '5');
    expect(row(t.frame(), 'Qty')).toContain('-5');
    expect(t.frame()).toContain('qty must be > 0, got "-5"');
    await t.press(BACKSPACE, BACKSPACE, '1', '0');
    expect(row(t.frame(), 'Qty')).toContain('10');
    expect(t.frame()).not.toContain('qty must be');
    expect(t.frame()).toContain('buy 10 AAPL at market, day');
  });

  it('shows the limit price for a limit order (→) and hides it again for market (←); space cycles too', async () => {
    const t = ticket();
    unmount = t.unmount;
    await tick();
    await t.press('1', TAB, RIGHT);
    expect(row(t.frame(), 'Type')).toContain('limit');
    expect(row(t.frame(), 'Limit price')).toBeDefined();
    expect(t.frame()).toContain('limit price missing for a limit order');
    await t.press(' ', ' ');
    expect(row(t.frame(), 'Type')).toContain('stop-limit');
    expect(row(t.frame(), 'Limit price')).toBeDefined();
    expect(row(t.frame(), 'Stop price')).toBeDefined();
    await t.press(LEFT, LEFT, LEFT);
    expect(row(t.frame(), 'Type')).toContain('market');
    expect(row(t.frame(), 'Limit price')).toBeUndefined();
    expect(row(t.frame(), 'Stop price')).toBeUndefined();
  });

  it('Enter on an invalid ticket places nothing and keeps the message', async () => {
    const t = ticket();
    unmount = t.unmount;
    await tick();
    await t.press('5', TAB, RIGHT, ENTER);
    expect(t.onSubmit).not.toHaveBeenCalled();
    expect(t.frame()).toContain('limit price missing for a limit order');
    expect(t.frame()).toContain('Buy AAPL');
  });

  it('Enter places the order: onSubmit gets the OrderRequest with only the fields its type uses', async () => {
    const t = ticket('sell');
    unmount = t.unmount;
    await tick();
    await t.press('2', '5', TAB, RIGHT, TAB, '1', '8', '7', '.', '5', TAB, RIGHT, ENTER);
    expect(t.onSubmit).toHaveBeenCalledTimes(1);
    expect(t.onSubmit).toHaveBeenCalledWith({ symbol: 'AAPL', side: 'sell', qty: '25', type: 'limit', limitPrice: '187.5', timeInForce: 'gtc' });
    expect(t.onCancel).not.toHaveBeenCalled();
  });

  it('reads keys written faster than it renders from the latest state', () => {
    const t = ticket();
    unmount = t.unmount;
    t.stdin.write('7');
    t.stdin.write(ENTER);
    expect(t.onSubmit).toHaveBeenCalledWith({ symbol: 'AAPL', side: 'buy', qty: '7', type: 'market', timeInForce: 'day' });
  });

  it('Escape cancels, whatever was typed', async () => {
    const t = ticket();
    unmount = t.unmount;
    await tick();
    await t.press('1', '0', ESC);
    expect(t.onCancel).toHaveBeenCalledTimes(1);
    expect(t.onSubmit).not.toHaveBeenCalled();
  });

  it('stays within the width it is given and 12 lines, even for a stop-limit order', async () => {
    const t = ticket('buy', 44);
    unmount = t.unmount;
    await tick();
    await t.press(TAB, LEFT, LEFT);
    const frame = lines(t.frame());
    expect(row(t.frame(), 'Stop price')).toBeDefined();
    expect(frame.length).toBeLessThanOrEqual(12);
    for (const line of frame) expect(line.trimEnd().length).toBeLessThanOrEqual(44);
  });
});
