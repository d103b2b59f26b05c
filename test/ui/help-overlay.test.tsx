import { stripAnsi } from '../helpers/render-screen.tsx';
import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { HELP_FOOTER, HelpOverlay } from '../../src/ui/dialogs/help-overlay.tsx';
import { KEY_MAP } from '../../src/ui/keymap.ts';
import { THEMES } from '../../src/ui/theme.ts';

const tick = () => new Promise((resolve) => setTimeout(resolve, 20));

let unmount: (() => void) | undefined;
afterEach(() => unmount?.());

async function frameOf(props: { width: number; height?: number }) {
  const rendered = render(<HelpOverlay theme={THEMES.mono} {...props} />);
  unmount = rendered.unmount;
  await tick();
  return stripAnsi(rendered.lastFrame() ?? '');
}

/** The cells of the table: each row split where two or more spaces separate columns. */
const cells = (frame: string) =>
  frame
    .split('\n')
    .flatMap((line) => line.replace(/[│╭╮╰╯─]/g, '').split(/ {2,}/))
    .map((cell) => cell.trim())
    .filter(Boolean);

describe('HelpOverlay', () => {
  it('lists every KEY_MAP binding, keys and full description, when it may be tall', async () => {
    const frame = await frameOf({ width: 100, height: 24 });
    for (const binding of KEY_MAP) {
      const line = frame.split('\n').find((row) => row.includes(binding.description));
      expect(line, binding.command).toBeDefined();
      expect(line!.replace(binding.description, '')).toContain(binding.keys);
    }
    expect(frame).toContain(HELP_FOOTER);
    expect(frame).toContain('Esc or ? closes');
  });

  it('fits 12 lines by default with every binding in full on a wide terminal', async () => {
    const frame = await frameOf({ width: 160 });
    expect(frame.split('\n').length).toBeLessThanOrEqual(12);
    const shown = cells(frame);
    for (const binding of KEY_MAP) {
      expect(shown, binding.command).toContain(binding.keys);
      expect(shown, binding.command).toContain(binding.description);
    }
    expect(frame).toContain('Esc or ? closes');
  });

  it('stays within 12 lines and the width at 80 columns, every key still listed', async () => {
    const frame = await frameOf({ width: 80 });
    const lines = frame.split('\n');
    expect(lines.length).toBeLessThanOrEqual(12);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(80);
    const shown = cells(frame);
    for (const binding of KEY_MAP) expect(shown, binding.command).toContain(binding.keys);
  });

  it('draws a rounded box', async () => {
    const frame = await frameOf({ width: 100 });
    expect(frame.startsWith('╭')).toBe(true);
    expect(frame.trimEnd().endsWith('╯')).toBe(true);
  });
});
