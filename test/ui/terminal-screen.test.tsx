// What a terminal shows after Ink's writes must be exactly the frame Ink meant to draw: no line
// left over from an earlier frame, a closed dialog or a resize. Ink's incrementalRendering (about
// 3x fewer bytes) fails this: with it on, a stale first-frame row stays and the panes shift down
// (seen at 100x30, 160x48 and 80x24). The app instead lets Ink render whole frames and sends
// only the changed lines (LineDiffStdout); this test is what allows it.
import { afterAll, describe, expect, it, vi } from 'vitest';

// Ink renders only the last frame when CI is set; this test needs every frame.
const previousCi = vi.hoisted(() => {
  const previous = process.env.CI;
  delete process.env.CI;
  return previous;
});
afterAll(() => {
  if (previousCi !== undefined) process.env.CI = previousCi;
});

const { render } = await import('ink');
const { App } = await import('../../src/ui/app.tsx');
const { UiStore } = await import('../../src/ui/store.ts');
const { THEMES } = await import('../../src/ui/theme.ts');
const { createEngine } = await import('../../src/engine/index.ts');
const { XtermStdout } = await import('../helpers/xterm-screen.ts');
const { LineDiffStdout } = await import('../../src/ui/line-diff-stdout.ts');
const { Keyboard, KEYS, stripAnsi } = await import('../helpers/render-screen.tsx');
const { EventEmitter } = await import('node:events');

async function session(mode: 'reference' | 'terminal', columns: number, rows: number) {
  const engine = await createEngine({
    symbols: ['AAPL', 'MSFT', 'NVDA', 'X:BTCUSD'],
    market: { kind: 'simulated', seed: 7, clock: 'manual', quoteIntervalMs: 200 },
    strategy: 'sma-crossover',
    strategyParams: { shortWindow: 3, longWindow: 8 },
  });
  await engine.start();
  const store = new UiStore(engine, { schedule: () => () => {} });
  const stdout = new XtermStdout(columns, rows);
  let lastFrame = '';
  // The reference renders in debug mode: every write is the whole frame as Ink laid it out.
  const reference = Object.assign(new EventEmitter(), { isTTY: true, columns, rows, write: (frame: string) => ((lastFrame = frame), true) });
  const stdin = new Keyboard();
  const instance = render(<App engine={engine} store={store} theme={THEMES.dark} strategies={[]} quickQty={() => '10'} onQuit={() => {}} />, {
    // The terminal gets what the app gives it: Ink's frames through the line-diffing stream.
    stdout: (mode === 'reference' ? reference : new LineDiffStdout(stdout as unknown as NodeJS.WriteStream)) as unknown as NodeJS.WriteStream,
    stdin: stdin as unknown as NodeJS.ReadStream,
    exitOnCtrlC: false,
    patchConsole: false,
    debug: mode === 'reference',
  });
  const screen = async (): Promise<string[]> => {
    if (mode === 'terminal') return stdout.screen();
    const lines = stripAnsi(lastFrame).split('\n').map((line) => line.trimEnd());
    return Array.from({ length: rows }, (_, row) => lines[row] ?? '');
  };
  return { engine, store, stdin, instance, screen };
}

const frameGap = () => new Promise((resolve) => setTimeout(resolve, 40));

describe('the screen in a real terminal emulator', () => {
  for (const [columns, rows] of [[100, 30], [160, 48], [80, 24]] as const) {
    it(`shows exactly the frame Ink laid out, frame after frame, at ${columns}x${rows}`, async () => {
      const reference = await session('reference', columns, rows);
      const terminal = await session('terminal', columns, rows);
      const both = [reference, terminal];
      // Market steps, key presses (selection, focus, a dialog opening and closing, a trade) between frames.
      const script: ((s: typeof reference) => Promise<void> | void)[] = [];
      for (let i = 0; i < 40; i++) {
        script.push(async (s) => {
          await s.engine.replay.step(25);
          s.store.refresh();
        });
        if (i % 5 === 1) script.push((s) => s.stdin.write('j'));
        if (i % 7 === 2) script.push((s) => s.stdin.write(KEYS.tab));
        if (i === 10) script.push((s) => s.stdin.write('?'));
        if (i === 12) script.push((s) => s.stdin.write(KEYS.escape));
        if (i === 20) script.push((s) => s.stdin.write('B'));
        // The full-screen views: a symbol's candles (and its next range), the activity, the performance.
        if (i === 24) script.push((s) => s.stdin.write(KEYS.enter));
        if (i === 27) script.push((s) => s.stdin.write('r'));
        if (i === 29) script.push((s) => s.stdin.write('l'));
        if (i === 32) script.push((s) => s.stdin.write('p'));
        if (i === 35) script.push((s) => s.stdin.write(KEYS.escape));
      }
      let compared = 0;
      for (const action of script) {
        for (const s of both) await action(s);
        // Ink throttles frames: a busy machine may need a moment more before the screen settles.
        let [expected, shown] = await Promise.all(both.map((s) => s.screen()));
        for (let tries = 0; JSON.stringify(shown) !== JSON.stringify(expected) && tries < 50; tries++) {
          await frameGap();
          [expected, shown] = await Promise.all(both.map((s) => s.screen()));
        }
        expect(shown).toEqual(expected);
        compared++;
      }
      expect(compared).toBeGreaterThan(40);
      for (const s of both) {
        s.instance.unmount();
        s.store.dispose();
        await s.engine.stop();
      }
    }, 60_000);
  }
});
