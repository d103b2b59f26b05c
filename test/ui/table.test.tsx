// A table with more rows than lines keeps the selected row in view and says, on its last line,
// how many rows are hidden above and below.
import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { hiddenRows, Table, type Column } from '../../src/ui/components/table.tsx';
import { THEMES } from '../../src/ui/theme.ts';

const columns: Column<number>[] = [{ header: 'N', width: 4, value: (n) => String(n) }];
const rows = Array.from({ length: 12 }, (_, i) => i + 1);
const lines = (selected: number, height = 6): string[] => {
  const { lastFrame, unmount } = render(<Table columns={columns} rows={rows} height={height} width={40} theme={THEMES.mono} selected={selected} />);
  const frame = (lastFrame() ?? '').replace(/\u001b\[[0-9;]*m/g, '');
  unmount();
  return frame.split('\n').map((line) => line.trimEnd());
};

describe('Table', () => {
  it('says how many rows are hidden, and where, as the selection moves', () => {
    expect(lines(0)).toEqual(['N', '1', '2', '3', '4', '↓ 8 more below · 12 in all (j/k)']);
    expect(lines(6)).toEqual(['N', '4', '5', '6', '7', '↑ 3 above, ↓ 5 below · 12 in all (j/k)']);
    expect(lines(11)).toEqual(['N', '9', '10', '11', '12', '↑ 8 above · 12 in all (j/k)']);
  });

  it('needs no hint when every row fits', () => {
    expect(lines(0, 14)).toEqual(['N', ...rows.map(String)]);
    expect(hiddenRows(0, 3, 5)).toBe('↓ 3 more below · 5 in all (j/k)');
  });
});
