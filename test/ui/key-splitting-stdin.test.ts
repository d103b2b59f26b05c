import { describe, expect, it } from 'vitest';
import { splitKeys } from '../../src/ui/key-splitting-stdin.ts';

describe('splitKeys', () => {
  it('hands over one key at a time: characters singly, escape sequences whole', () => {
    expect(splitKeys('3\t1.00\r')).toEqual(['3', '\t', '1', '.', '0', '0', '\r']);
    expect(splitKeys('j\u001B[Bk\u001BOA\u001B')).toEqual(['j', '\u001B[B', 'k', '\u001BOA', '\u001B']);
    expect(splitKeys('\u001B[1;2A€x')).toEqual(['\u001B[1;2A', '€', 'x']);
  });
});
