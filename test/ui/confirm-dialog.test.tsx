import { stripAnsi } from '../helpers/render-screen.tsx';
import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CONFIRM_HINTS, ConfirmDialog } from '../../src/ui/dialogs/confirm-dialog.tsx';
import { THEMES } from '../../src/ui/theme.ts';

const tick = () => new Promise((resolve) => setTimeout(resolve, 20));

let unmount: (() => void) | undefined;
afterEach(() => unmount?.());

async function confirm(message = '3 orders are working. Quit anyway?', width = 80) {
  const onConfirm = vi.fn<() => void>();
  const onCancel = vi.fn<() => void>();
  const rendered = render(<ConfirmDialog message={message} width={width} theme={THEMES.mono} onConfirm={onConfirm} onCancel={onCancel} />);
  unmount = rendered.unmount;
  await tick();
  const press = async (key: string) => {
    rendered.stdin.write(key);
    await tick();
  };
  return { ...rendered, onConfirm, onCancel, press };
}

describe('ConfirmDialog', () => {
  it('shows the question and the keys in a rounded box', async () => {
    const c = await confirm();
    expect(stripAnsi(c.lastFrame() ?? '')).toContain('3 orders are working. Quit anyway?');
    expect(stripAnsi(c.lastFrame() ?? '')).toContain(CONFIRM_HINTS);
    expect(stripAnsi(c.lastFrame() ?? '').startsWith('╭')).toBe(true);
  });

  for (const [name, key] of [['y', 'y'], ['Y', 'Y'], ['Enter', '\r']] as const) {
    it(`${name} confirms`, async () => {
      const c = await confirm();
      await c.press(key);
      expect(c.onConfirm).toHaveBeenCalledTimes(1);
      expect(c.onCancel).not.toHaveBeenCalled();
    });
  }

  for (const [name, key] of [['n', 'n'], ['N', 'N'], ['Esc', '\u001B']] as const) {
    it(`${name} cancels`, async () => {
      const c = await confirm();
      await c.press(key);
      expect(c.onCancel).toHaveBeenCalledTimes(1);
      expect(c.onConfirm).not.toHaveBeenCalled();
    });
  }

  it('ignores other keys, and answers only once', async () => {
    const c = await confirm();
    for (const key of ['q', 'x', ' ', '\t', '\u001B[A']) await c.press(key);
    expect(c.onConfirm).not.toHaveBeenCalled();
    expect(c.onCancel).not.toHaveBeenCalled();
    await c.press('y');
    await c.press('n');
    await c.press('\r');
    expect(c.onConfirm).toHaveBeenCalledTimes(1);
    expect(c.onCancel).not.toHaveBeenCalled();
  });

  it('wraps a long question within the width and 12 lines', async () => {
    const c = await confirm('Cancel all working orders? '.repeat(30), 50);
    const lines = stripAnsi(c.lastFrame() ?? '').split('\n');
    expect(lines.length).toBeLessThanOrEqual(12);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(50);
    expect(stripAnsi(c.lastFrame() ?? '')).toContain(CONFIRM_HINTS);
  });
});
