import { createElement } from 'react';
import { describe, expect, it } from 'vitest';


import { render } from 'ink-testing-library';
import { Sparkline, sparkline } from '../../src/ui/components/sparkline.tsx';


describe('sparkline', () => {
  it('scales min..max onto the eight block characters', () => {
    expect(sparkline([0, 1, 2, 3, 4, 5, 6, 7], 8)).toBe('▁▂▃▄▅▆▇█');
    expect(sparkline([70, 10, 40], 3)).toBe('█▁▅');
  });

  it('shows only the last `width` values and scales to those', () => {
    // 100 is cut off, so 0..7 is the range and 7 is the top block.
    expect(sparkline([100, 0, 7], 2)).toBe('▁█');
  });

  it('right-aligns a series shorter than the width, newest at the right edge', () => {
    expect(sparkline([1, 2], 5)).toBe('   ▁█');
  });

  it('draws a flat series as a flat line', () => {
    expect(sparkline([5, 5, 5], 3)).toBe('▄▄▄');
    expect(sparkline([42], 1)).toBe('▄');
  });

  it('is all spaces for an empty series and empty for no width', () => {
    expect(sparkline([], 6)).toBe('      ');
    expect(sparkline([1, 2, 3], 0)).toBe('');
    expect(sparkline([1, 2, 3], -4)).toBe('');
  });

  it('leaves a space for a point that is not a number, without it skewing the scale', () => {
    expect(sparkline([1, Number.NaN, 3, Number.POSITIVE_INFINITY], 4)).toBe('▁ █ ');
  });

  it('is always exactly `width` characters', () => {
    const values = Array.from({ length: 300 }, (_, i) => Math.sin(i / 7) * 100);
    for (const width of [1, 2, 17, 120, 299, 300, 400]) expect([...sparkline(values, width)]).toHaveLength(width);
  });
});

describe('<Sparkline>', () => {
  it('renders the sparkline text', () => {
    const { lastFrame } = render(createElement(Sparkline, { values: [0, 1, 2, 3, 4, 5, 6, 7], width: 8 }));
    expect(lastFrame()).toBe('▁▂▃▄▅▆▇█');
  });

  it('renders in the given colour', () => {
    const { lastFrame } = render(createElement(Sparkline, { values: [1, 2], width: 2, color: 'green' }));
    expect(lastFrame()).toBe('\x1b[32m▁█\x1b[39m');
  });
});
