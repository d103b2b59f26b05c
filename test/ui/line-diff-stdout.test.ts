import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { LineDiffStdout } from '../../src/ui/line-diff-stdout.ts';

class Sink extends EventEmitter {
  readonly isTTY = true;
  columns = 40;
  rows = 10;
  written: string[] = [];
  write = (text: string) => (this.written.push(text), true);
}

// What Ink's log-update writes for a frame: erase the previous one (n lines), then the new one.
const erase = (lines: number) => '\u001B[2K\u001B[1A'.repeat(lines - 1) + '\u001B[2K\u001B[G';
const setup = () => {
  const sink = new Sink();
  return { sink, stdout: new LineDiffStdout(sink as unknown as NodeJS.WriteStream) };
};

describe('LineDiffStdout', () => {
  it('passes the first frame through, draws the next whole, then writes only the lines that changed, at their rows', () => {
    const { sink, stdout } = setup();
    stdout.write('one\ntwo\nthree');
    stdout.write(erase(3) + 'one\ntwo\nthree');
    stdout.write(erase(3) + 'one\nTWO\nthree');
    expect(sink.written[0]).toBe('one\ntwo\nthree');
    expect(sink.written[2]).toBe('\u001B[2;1H\u001B[0mTWO\u001B[0m\u001B[K\u001B[3;1H');
  });

  it('blanks the rows a shorter frame no longer uses', () => {
    const { sink, stdout } = setup();
    stdout.write(erase(1) + 'a\nb');
    stdout.write(erase(2) + 'a\nb\nc');
    stdout.write(erase(3) + 'a');
    expect(sink.written.at(-1)).toBe('\u001B[2;1H\u001B[0m\u001B[K\u001B[3;1H\u001B[0m\u001B[K\u001B[1;1H');
  });

  it('rewrites only the changed cells of a line, keeping their colour', () => {
    const { sink, stdout } = setup();
    stdout.write(erase(1) + 'AAPL  \u001B[32m+1.25%\u001B[39m  229.98');
    stdout.write(erase(1) + 'AAPL  \u001B[31m-0.50%\u001B[39m  229.98');
    expect(sink.written.at(-1)).toBe('\u001B[1;7H\u001B[0;31m-0.50%\u001B[0m\u001B[1;1H');
  });

  it('writes far fewer bytes than whole frames when one line of a big frame changes', () => {
    const { stdout } = setup();
    const frame = (n: number) => Array.from({ length: 40 }, (_, row) => (row === 5 ? `price ${n}` : `row ${row} `.padEnd(100, '.'))).join('\n');
    stdout.write(frame(0));
    for (let n = 1; n <= 50; n++) stdout.write(erase(40) + frame(n));
    const { in: asked, out: sent } = stdout.traffic;
    expect(sent * 20).toBeLessThan(asked);
  });

  it("turns Ink's clear into a cleared screen and draws the next frame whole", () => {
    const { sink, stdout } = setup();
    stdout.write('a\nb');
    stdout.write(erase(2));
    stdout.write(erase(2) + 'a\nb');
    expect(sink.written.slice(1)).toEqual(['\u001B[H\u001B[2J', '\u001B[1;1H\u001B[0ma\u001B[0m\u001B[K\u001B[2;1H\u001B[0mb\u001B[0m\u001B[K\u001B[2;1H']);
  });

  it('redraws everything after a resize, and passes cursor and other writes through', () => {
    const { sink, stdout } = setup();
    let resized = 0;
    stdout.on('resize', () => resized++);
    stdout.write('a\nb');
    sink.emit('resize');
    stdout.write(erase(2) + 'a\nb');
    stdout.write('\u001B[?25h');
    expect(resized).toBe(1);
    expect(sink.written.slice(1)).toEqual(['\u001B[2J', '\u001B[1;1H\u001B[0ma\u001B[0m\u001B[K\u001B[2;1H\u001B[0mb\u001B[0m\u001B[K\u001B[2;1H', '\u001B[?25h']);
  });
});
