import { stripAnsi } from '../helpers/render-screen.tsx';
import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { HELP_FOOTER, HelpOverlay } from '../../src/ui/dialogs/help-overlay.tsx';
import { bindingsOn, KEY_MAP, type Screen } from '../../src/ui/keymap.ts';
import { THEMES } from '../../src/ui/theme.ts';

const tick = () => new Promise((resolve) => setTimeout(resolve, 20));

let unmount: (() => void) | undefined;
afterEach(() => unmount?.());

async function frameOf(props: { width: number; height?: number; screen?: Screen }) {
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
  it("lists every binding of the main screen, keys and full description, when it may be tall", async () => {
    const frame = await frameOf({ width: 100, height: 30 });
    for (const binding of bindingsOn('main')) {
      const line = frame.split('\n').find((row) => row.includes(binding.description));
      expect(line, binding.command).toBeDefined();
      expect(line!.replace(binding.description, '')).toContain(binding.keys);
    }
    expect(frame).toContain(HELP_FOOTER);
    expect(frame).toContain('Esc or ? closes');
  });

  it('fits 16 lines in two columns, every key listed', async () => {
    const frame = await frameOf({ width: 100, height: 16 });
    expect(frame.split('\n').length).toBeLessThanOrEqual(16);
    const shown = cells(frame);
    for (const binding of bindingsOn('main')) expect(shown, binding.command).toContain(binding.keys);
    expect(frame).toContain('Esc or ? closes');
  });

  it('stays within 12 lines and the width at 80 columns, every key still listed', async () => {
    const frame = await frameOf({ width: 80 });
    const lines = frame.split('\n');
    expect(lines.length).toBeLessThanOrEqual(12);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(80);
    const shown = cells(frame);
    for (const binding of bindingsOn('main')) expect(shown, binding.command).toContain(binding.keys);
  });

  it("lists a view's own keys on it, and not the panes' keys", async () => {
    const frame = await frameOf({ width: 100, height: 24, screen: 'activity' });
    const shown = cells(frame);
    for (const keys of ['PgUp', 'PgDn', 'g', 'G', 'f', 'Esc', '/']) expect(shown).toContain(keys);
    for (const keys of ['Tab', 'x', 'e', 'Enter']) expect(shown).not.toContain(keys);
    // Every binding is on some screen's help.
    const screens: Screen[] = ['main', 'symbol', 'activity', 'performance'];
    for (const binding of KEY_MAP) expect(screens.some((screen) => bindingsOn(screen).includes(binding)), binding.command).toBe(true);
  });

  it('draws a rounded box', async () => {
    const frame = await frameOf({ width: 100 });
    expect(frame.startsWith('╭')).toBe(true);
    expect(frame.trimEnd().endsWith('╯')).toBe(true);
  });
});
