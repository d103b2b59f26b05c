// Rendering one pane with ink-testing-library, and reading its rows back.
import { render } from 'ink-testing-library';
import type { ComponentType } from 'react';
import type { PaneProps } from '../../src/ui/panes/pane-props.ts';
import { THEMES } from '../../src/ui/theme.ts';
import { uiState, type UiStateOverrides } from './ui-state.ts';

export const ANSI = /\x1b\[[0-9;]*m/g;
export const INVERSE = '\x1b[7m';
export const plain = (text: string): string => text.replace(ANSI, '');

/** A function that renders the pane at 80 columns, mono theme, and returns its lines (escapes kept). */
export function paneFrame(Pane: ComponentType<PaneProps>, height: number) {
  return (overrides: UiStateOverrides = {}, props: Partial<PaneProps> = {}): string[] => {
    const { lastFrame } = render(<Pane state={uiState(overrides)} width={80} height={height} focused={false} selected={-1} theme={THEMES.mono} {...props} />);
    return (lastFrame() ?? '').split('\n');
  };
}

/** The line of a symbol's row. */
export function row(lines: string[], symbol: string): string {
  const line = lines.find((candidate) => plain(candidate).startsWith(`${symbol} `));
  if (line === undefined) throw new Error(`no row for ${symbol} in:\n${lines.map(plain).join('\n')}`);
  return line;
}

export const cells = (lines: string[], symbol: string): string[] => plain(row(lines, symbol)).trim().split(/\s+/);
