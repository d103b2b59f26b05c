// The frame layout that takes over Ink's Output.get (src/ui/ink-output.ts) must give exactly the
// cells Ink's own gives: every frame of the whole app, at three sizes, through the panes, the
// views and the dialogs, is laid out both ways and compared cell by cell.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { inkLayOut, layOut, layOutFramesFast, type InkOutput } from '../../src/ui/ink-output.ts';
import { toCells } from '../../src/ui/terminal-cells.ts';
import { appRigPerTest } from '../helpers/app-rig.tsx';
import { VIEW_SESSION } from '../helpers/view-session.ts';
import { KEYS } from '../helpers/render-screen.tsx';

const entry = createRequire(import.meta.url).resolve('ink');
const Output = ((await import(pathToFileURL(join(dirname(entry), 'output.js')).href)) as { default: { prototype: { get: (this: InkOutput) => { output: string; height: number } } } }).default;

/** A line's cells, its blank tail left out: what a terminal shows of it. */
const shown = (line: string) => {
  const cells = toCells(line);
  while (cells.length > 0 && cells.at(-1)!.ch === ' ' && cells.at(-1)!.style === '') cells.pop();
  return cells;
};

const installed = await layOutFramesFast();
let compared = 0;
const differences: string[] = [];
// Every frame: laid out by Ink and by ours, compared; Ink's is what the test's screen shows.
Output.prototype.get = function (this: InkOutput) {
  const ink = inkLayOut!.call(this);
  const ours = layOut(this);
  if (ours) {
    compared++;
    const a = ink.output.split('\n');
    const b = ours.output.split('\n');
    if (a.length !== b.length) differences.push(`${a.length} lines against ${b.length}`);
    a.forEach((line, row) => {
      if (JSON.stringify(shown(line)) !== JSON.stringify(shown(b[row] ?? ''))) differences.push(`row ${row}:\n ink  ${JSON.stringify(line)}\n ours ${JSON.stringify(b[row])}`);
    });
  }
  return ink;
};

const app = appRigPerTest();

describe("the fast frame layout (ink-output.ts)", () => {
  it('takes over this Ink', () => {
    expect(installed).toBe(true);
  });

  for (const [columns, rows] of [[80, 24], [100, 30], [160, 48]] as const) {
    it(`lays out every frame as Ink does at ${columns}x${rows}: panes, views and dialogs`, async () => {
      compared = 0;
      differences.length = 0;
      const rig = await app.open(VIEW_SESSION, { columns, rows });
      await rig.step(3);
      await rig.press('B', 'b', '5', KEYS.tab, KEYS.escape, '?', KEYS.escape, 'j', KEYS.tab);
      await rig.step(2);
      for (const keys of [[KEYS.enter, 'r', 'A'], ['l', '/'], ['p', 't']]) {
        await rig.press(...keys, KEYS.escape, KEYS.escape);
      }
      await rig.press(KEYS.enter, KEYS.escape, 'K');
      expect(differences.slice(0, 3)).toEqual([]);
      expect(compared).toBeGreaterThan(15);
    });
  }

  it('clips as Ink clips: a box that hides what overflows it, left, right, above and below', () => {
    type Real = InkOutput & { write(x: number, y: number, text: string, options: { transformers: ((line: string, index: number) => string)[] }): void; clip(clip: object): void; unclip(): void };
    const RealOutput = Output as unknown as new (options: { width: number; height: number }) => Real;
    const frame = (build: (output: Real) => void) => {
      const output = new RealOutput({ width: 12, height: 5 });
      build(output);
      return output;
    };
    const green = (line: string) => `\u001B[32m${line}\u001B[39m`;
    const cases = [
      frame((o) => {
        o.clip({ x1: 2, x2: 7, y1: 1, y2: 3 });
        o.write(0, 0, 'abcdefghij\nklmnopqrst\nuvwxyz0123\n4567890abc', { transformers: [green] });
        o.unclip();
        o.write(9, 4, 'XYZ', { transformers: [] });
      }),
      frame((o) => {
        o.clip({ x1: 4, x2: 12 });
        o.write(1, 2, 'hello world', { transformers: [(line, index) => `\u001B[7m${line}${index}\u001B[27m`] });
        o.write(13, 2, 'past', { transformers: [] });
        o.unclip();
      }),
    ];
    for (const output of cases) {
      const ink = inkLayOut!.call(output).output.split('\n').map(shown);
      const ours = layOut(output)!.output.split('\n').map(shown);
      expect(ours).toEqual(ink);
    }
  });

  it('leaves a frame with a wide character to Ink', () => {
    const output = { width: 10, height: 1, operations: [{ type: 'write' as const, x: 0, y: 0, text: '株式', transformers: [] }] };
    expect(layOut(output)).toBeUndefined();
    expect(layOut({ ...output, operations: [{ ...output.operations[0]!, text: 'AAPL ▂▄█ …' }] })?.output).toBe('AAPL ▂▄█ …');
  });
});
