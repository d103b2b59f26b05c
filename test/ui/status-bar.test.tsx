import { afterEach, describe, expect, it } from 'vitest';


import { cleanup, render } from 'ink-testing-library';
import type { EngineSnapshot } from '../../src/engine/index.ts';
import { StatusBar } from '../../src/ui/panes/status-bar.tsx';
import { THEMES, type Theme } from '../../src/ui/theme.ts';
import { stripAnsi } from '../helpers/render-screen.tsx';
import { uiState } from '../helpers/ui-state.ts';

afterEach(cleanup);

interface Options {
  market?: EngineSnapshot['market'];
  strategy?: EngineSnapshot['strategy'];
  time?: number;
  width?: number;
  theme?: Theme;
  hint?: string;
}

function renderBar({ market, strategy, time, width = 100, theme = THEMES.mono, hint }: Options = {}) {
  const state = uiState({
    snapshot: { ...(market ? { market } : {}), ...(strategy !== undefined ? { strategy } : {}), ...(time !== undefined ? { time } : {}) },
  });
  const { lastFrame } = render(<StatusBar state={state} width={width} theme={theme} {...(hint !== undefined ? { hint } : {})} />);
  const raw = lastFrame() ?? '';
  return { raw, text: stripAnsi(raw) };
}

describe('StatusBar', () => {
  it('shows the data source, the session, the strategy, the UTC clock and every key hint at 100 columns', () => {
    // UI_T0 is Tuesday 10:30 in New York; the market is replay, live.
    expect(renderBar().text).toBe('replay  market open  strategy sma-crossover  15:30:00 UTC  b buy  s sell  t strategy  ? help  q quit');
  });

  it('drops whole key hints from the right when the line is short', () => {
    const { text } = renderBar({ width: 80 });
    expect(text).toBe(`replay  market open  strategy sma-crossover  15:30:00 UTC${' '.repeat(10)}b buy  s sell`);
    expect(text).toHaveLength(80);
  });

  it('shows a margin account\'s multiplier, and MARGIN CALL while equity is under maintenance', () => {
    const margin = { multiplier: 4, longMarketValue: '0.00', shortMarketValue: '30003.00', maintenanceMargin: '9000.90', marginCall: false, dayTrades: 0, patternDayTrader: true };
    const line = (marginCall: boolean): string => {
      const state = uiState({ snapshot: { portfolio: { accountKind: 'margin', margin: { ...margin, marginCall } } as never } });
      return stripAnsi(render(<StatusBar state={state} width={120} theme={THEMES.mono} />).lastFrame() ?? '');
    };
    expect(line(false)).toContain('  market open  margin 4x  strategy sma-crossover  ');
    expect(line(true)).toContain('  market open  MARGIN CALL  strategy sma-crossover  ');
    expect(renderBar().text).not.toContain('margin');
  });

  it("follows the provider's hours when it reports them (a holiday in session hours is closed)", () => {
    const state = uiState({ snapshot: { time: Date.parse('2026-11-26T15:30:00Z'), stockMarketOpen: false } });
    const { lastFrame } = render(<StatusBar state={state} width={100} theme={THEMES.mono} />);
    expect(stripAnsi(lastFrame() ?? '')).toContain('  market closed  ');
  });

  it('shows "market closed" outside the New York regular session and at weekends', () => {
    expect(renderBar({ time: Date.parse('2026-11-03T21:00:00Z') }).text).toContain('  market closed  ');
    expect(renderBar({ time: Date.parse('2026-11-07T15:30:00Z') }).text).toContain('  market closed  ');
    expect(renderBar({ time: Date.parse('2026-11-07T15:30:00Z') }).text).toContain('  15:30:00 UTC');
  });

  it.each([
    [{ source: 'polygon', state: 'live' }, 'polygon live'],
    [{ source: 'polygon', state: 'delayed' }, 'polygon delayed'],
    [{ source: 'polygon', state: 'connecting' }, 'polygon connecting…'],
    [{ source: 'polygon', state: 'reconnecting', message: 'retry in 4s' }, 'polygon reconnecting… (retry in 4s)'],
    [{ source: 'polygon', state: 'failed', message: 'bad API key' }, 'polygon failed (bad API key)'],
    [{ source: 'simulated', state: 'live' }, 'simulated'],
    [{ source: 'replay', state: 'ended' }, 'replay ended'],
  ] as const)('names the market data state %o as "%s"', (market, expected) => {
    expect(renderBar({ market, width: 160 }).text.startsWith(`${expected}  market open  `)).toBe(true);
  });

  it('cuts a long provider message so the session and clock stay on the line', () => {
    const { text } = renderBar({ market: { source: 'polygon', state: 'failed', message: `HTTP 500 ${'x'.repeat(200)}` } });
    expect(text).toBe(`polygon failed (HTTP 500 ${'x'.repeat(22)}…)  market open  strategy sma-crossover  15:30:00 UTC`);
  });

  it('says "no strategy" when none runs', () => {
    expect(renderBar({ strategy: null }).text).toMatch(/^replay {2}market open {2}no strategy {2}15:30:00 UTC/);
  });

  it('shows a given hint instead of the key hints, cut to fit', () => {
    expect(renderBar({ hint: 'Enter place  Esc cancel' }).text).toMatch(/15:30:00 UTC +Enter place {2}Esc cancel$/);
    const cut = renderBar({ width: 70, hint: 'Enter place order  Tab next field  Esc cancel' }).text;
    expect(cut).toBe('replay  market open  strategy sma-crossover  15:30:00 UTC  Enter plac…');
  });

  it('colours the market state and session with the dark theme: live green, failed red, reconnecting yellow', () => {
    expect(renderBar({ theme: THEMES.dark, market: { source: 'polygon', state: 'live' } }).raw).toContain('\u001b[32mpolygon live');
    expect(renderBar({ theme: THEMES.dark, market: { source: 'polygon', state: 'failed' } }).raw).toContain('\u001b[31mpolygon failed');
    expect(renderBar({ theme: THEMES.dark, market: { source: 'polygon', state: 'reconnecting' } }).raw).toContain('\u001b[33mpolygon reconnecting…');
    expect(renderBar({ theme: THEMES.dark }).raw).toContain('\u001b[32mmarket open');
    expect(renderBar({ theme: THEMES.mono, market: { source: 'polygon', state: 'failed' } }).raw).not.toContain('\u001b[31m');
  });

  it.each([160, 100, 80, 57, 40, 12, 1])('is exactly one line of at most %i columns', (width) => {
    for (const market of [{ source: 'polygon', state: 'reconnecting', message: 'x'.repeat(200) }, { source: 'replay', state: 'live' }] as const) {
      const { text } = renderBar({ width, market, strategy: { name: 'a-strategy-with-a-very-long-name', params: {} } });
      expect(text.split('\n')).toHaveLength(1);
      expect(text.length, text).toBeLessThanOrEqual(width);
      expect(text.length).toBeGreaterThan(0);
    }
  });
});

describe('an alert that went off', () => {
  it('takes the whole status line, to be read whole at 80 columns', async () => {
    const { render } = await import('ink-testing-library');
    const { StatusBar } = await import('../../src/ui/panes/status-bar.tsx');
    const { THEMES } = await import('../../src/ui/theme.ts');
    const { uiState } = await import('../helpers/ui-state.ts');
    const state = uiState({ alert: { time: 0, level: 'alert', text: 'alert: AAPL rose to 229.76 (now 229.78)' } });
    const { lastFrame, unmount } = render(<StatusBar state={state} width={80} theme={THEMES.mono} />);
    expect(lastFrame()).toContain('alert: AAPL rose to 229.76 (now 229.78) · any key');
    expect(lastFrame()).not.toContain('market');
    unmount();
  });
});
