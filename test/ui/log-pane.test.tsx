import { afterEach, describe, expect, it } from 'vitest';


import { cleanup, render } from 'ink-testing-library';
import { LogPane } from '../../src/ui/panes/log-pane.tsx';
import type { LogLine } from '../../src/ui/store.ts';
import { THEMES, type Theme } from '../../src/ui/theme.ts';
import { stripAnsi } from '../helpers/render-screen.tsx';
import { uiState, UI_T0 } from '../helpers/ui-state.ts';

afterEach(cleanup);

function renderLog(log: LogLine[], { width = 80, height = 6, theme = THEMES.mono }: { width?: number; height?: number; theme?: Theme } = {}) {
  const { lastFrame } = render(<LogPane state={uiState({ log })} width={width} height={height} focused={false} selected={-1} theme={theme} />);
  const raw = lastFrame() ?? '';
  return { raw, lines: stripAnsi(raw).split('\n') };
}

const numbered = (count: number): LogLine[] =>
  Array.from({ length: count }, (_, i) => ({ time: UI_T0 + i * 1000, level: 'info', text: `line ${i + 1}` }));

describe('LogPane', () => {
  it('shows each line as "HH:MM:SS text" (UTC), oldest first and the newest at the bottom', () => {
    const { lines } = renderLog([
      { time: UI_T0, level: 'info', text: 'replay started' },
      { time: UI_T0 + 61_000, level: 'fill', text: 'buy 4 AAPL @ 230.50 (manual)' },
    ]);
    expect(lines[0]?.trim()).toBe('Log');
    expect(lines.slice(1)).toEqual(['15:30:00 replay started', '15:31:01 buy 4 AAPL @ 230.50 (manual)', '', '', '']);
  });

  it('shows only the last height − 1 lines', () => {
    const { lines } = renderLog(numbered(10), { height: 5 });
    expect(lines.slice(1)).toEqual(['15:30:06 line 7', '15:30:07 line 8', '15:30:08 line 9', '15:30:09 line 10']);
  });

  it('cuts a long line with an ellipsis and keeps a multi-line message on one line', () => {
    const { lines } = renderLog([
      { time: UI_T0, level: 'error', text: `Polygon said:\n${'x'.repeat(200)}` },
      { time: UI_T0, level: 'info', text: 'after' },
    ], { width: 40, height: 4 });
    expect(lines[1]).toBe(`15:30:00 Polygon said: ${'x'.repeat(16)}…`);
    expect(lines[2]).toBe('15:30:00 after');
    expect(lines[0]).toMatch(/^ Log +1 error$/);
  });

  it('colours errors, warnings and fills by level with the dark theme; info stays plain', () => {
    const { raw } = renderLog([
      { time: UI_T0, level: 'error', text: 'order rejected' },
      { time: UI_T0, level: 'warn', text: 'quotes delayed' },
      { time: UI_T0, level: 'fill', text: 'buy 1 AAPL' },
      { time: UI_T0, level: 'info', text: 'hello' },
    ], { theme: THEMES.dark });
    const rows = raw.split('\n');
    expect(rows[1]).toContain('\u001b[31m order rejected');
    expect(rows[2]).toContain('\u001b[33m quotes delayed');
    expect(rows[3]).toContain('\u001b[36m buy 1 AAPL');
    expect(rows[4]).toMatch(/15:30:00\u001b\[39m hello/);
    const mono = renderLog([{ time: UI_T0, level: 'error', text: 'order rejected' }], { theme: THEMES.mono }).raw;
    expect(mono).not.toContain('\u001b[31m');
  });

  it.each([80, 100, 160])('fills exactly its box at width %i', (width) => {
    const log: LogLine[] = numbered(30).map((line, i) => ({ ...line, level: (['info', 'warn', 'error', 'fill'] as const)[i % 4]!, text: `${line.text} ${'long '.repeat(50)}` }));
    for (const height of [1, 2, 3, 5, 24]) {
      for (const entries of [[], log.slice(0, 2), log]) {
        const { lines } = renderLog(entries, { width, height });
        expect(lines, `height ${height}, ${entries.length} lines`).toHaveLength(height);
        for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(width);
      }
    }
  });

  it('shows the newest line even in a three-line pane', () => {
    const { lines } = renderLog(numbered(10), { height: 3 });
    expect(lines.slice(1)).toEqual(['15:30:08 line 9', '15:30:09 line 10']);
  });
});
