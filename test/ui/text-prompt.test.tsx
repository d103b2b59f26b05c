import { stripAnsi } from '../helpers/render-screen.tsx';
import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { TEXT_PROMPT_HINTS, TextPrompt } from '../../src/ui/dialogs/text-prompt.tsx';
import { THEMES } from '../../src/ui/theme.ts';

const ESC = '\u001B';
const ENTER = '\r';
const BACKSPACE = '\u007F';

const tick = () => new Promise((resolve) => setTimeout(resolve, 20));

let unmount: (() => void) | undefined;
afterEach(() => unmount?.());

/** Like the app's "add symbol": a symbol is letters, digits, ":" and "." only. */
const validateSymbol = (text: string): string | undefined => {
  if (text.trim() === '') return 'type a symbol';
  return /^[A-Za-z0-9:.]+$/.test(text.trim()) ? undefined : `"${text}" is not a symbol: use letters, e.g. AAPL`;
};

async function prompt(width = 80) {
  const onSubmit = vi.fn<(text: string) => void>();
  const onCancel = vi.fn<() => void>();
  const validate = vi.fn(validateSymbol);
  const rendered = render(<TextPrompt label="Add symbol" width={width} theme={THEMES.mono} validate={validate} onSubmit={onSubmit} onCancel={onCancel} />);
  unmount = rendered.unmount;
  await tick();
  const press = async (...keys: string[]) => {
    for (const key of keys) {
      rendered.stdin.write(key);
      await tick();
    }
  };
  const inputLine = () => (stripAnsi(rendered.lastFrame() ?? '')).split('\n')[2] ?? '';
  return { ...rendered, onSubmit, onCancel, validate, press, inputLine };
}

describe('TextPrompt', () => {
  it('shows the label, an empty input and the keys in a rounded box, with no message yet', async () => {
    const p = await prompt();
    expect(stripAnsi(p.lastFrame() ?? '')).toContain('Add symbol');
    expect(stripAnsi(p.lastFrame() ?? '')).toContain(TEXT_PROMPT_HINTS);
    expect(stripAnsi(p.lastFrame() ?? '')).not.toContain('type a symbol');
    expect(stripAnsi(p.lastFrame() ?? '').startsWith('╭')).toBe(true);
  });

  it('types characters and Backspace (DEL) erases the last one', async () => {
    const p = await prompt();
    await p.press('T', 'S', 'L', 'X');
    expect(p.inputLine()).toContain('TSLX');
    await p.press(BACKSPACE, 'A');
    expect(p.inputLine()).toContain('TSLA');
    expect(p.inputLine()).not.toContain('TSLX');
  });

  it('Enter submits the text when validate accepts it', async () => {
    const p = await prompt();
    await p.press('n', 'v', 'd', 'a', ENTER);
    expect(p.validate).toHaveBeenLastCalledWith('nvda');
    expect(p.onSubmit).toHaveBeenCalledWith('nvda');
    expect(p.onCancel).not.toHaveBeenCalled();
  });

  it('Enter with text validate refuses shows its message and does not submit; the message follows the edits', async () => {
    const p = await prompt();
    await p.press(ENTER);
    expect(p.onSubmit).not.toHaveBeenCalled();
    expect(stripAnsi(p.lastFrame() ?? '')).toContain('type a symbol');
    await p.press('A', '$');
    expect(stripAnsi(p.lastFrame() ?? '')).toContain('"A$" is not a symbol: use letters, e.g. AAPL');
    await p.press(ENTER);
    expect(p.onSubmit).not.toHaveBeenCalled();
    await p.press(BACKSPACE);
    expect(stripAnsi(p.lastFrame() ?? '')).not.toContain('is not a symbol');
    await p.press(ENTER);
    expect(p.onSubmit).toHaveBeenCalledWith('A');
  });

  it('takes a pasted string whole', async () => {
    const p = await prompt();
    await p.press('X:BTCUSD', ENTER);
    expect(p.onSubmit).toHaveBeenCalledWith('X:BTCUSD');
  });

  it('Escape cancels without submitting', async () => {
    const p = await prompt();
    await p.press('M', 'S', ESC);
    expect(p.onCancel).toHaveBeenCalledTimes(1);
    expect(p.onSubmit).not.toHaveBeenCalled();
  });

  it('keeps a long text on one line, showing its end, within the width', async () => {
    const p = await prompt(30);
    await p.press('A'.repeat(40) + 'END');
    expect(p.inputLine()).toContain('END');
    expect(p.inputLine()).toContain('…');
    for (const line of (stripAnsi(p.lastFrame() ?? '') ?? '').split('\n')) expect(line.length).toBeLessThanOrEqual(30);
  });
});
