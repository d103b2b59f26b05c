import { Text } from 'ink';

export const SPARK_BLOCKS = '▁▂▃▄▅▆▇█';
/** A flat series sits mid-height, so it reads as "no change" rather than "at the low". */
const FLAT = '▄';

/**
 * The last `width` values as block characters, min..max scaled to the 8 levels. Always exactly
 * `width` characters: a short series is right-aligned (newest at the right edge), padded with
 * spaces; non-finite points are spaces and do not count towards min/max.
 */
export function sparkline(values: readonly number[], width: number): string {
  const columns = Math.max(0, Math.floor(width));
  if (columns === 0) return '';
  const shown = values.slice(-columns);
  const finite = shown.filter((value) => Number.isFinite(value));
  const min = Math.min(...finite);
  const max = Math.max(...finite);
  const range = max - min;
  const top = SPARK_BLOCKS.length - 1;
  const chars = shown.map((value) => {
    if (!Number.isFinite(value)) return ' ';
    if (range === 0) return FLAT;
    return SPARK_BLOCKS[Math.round(((value - min) / range) * top)]!;
  });
  return chars.join('').padStart(columns);
}

export interface SparklineProps {
  values: readonly number[];
  width: number;
  color?: string | undefined;
}

export function Sparkline({ values, width, color }: SparklineProps) {
  return (
    <Text color={color} wrap="truncate">
      {sparkline(values, width)}
    </Text>
  );
}
