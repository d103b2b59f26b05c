import { Text } from 'ink';
import type { Theme } from '../theme.ts';

/** The last lines of a dialog: what is wrong (if anything), then its keys. */
export function DialogFooter({ error, hints, theme }: { error?: string | undefined; hints: string; theme: Theme }) {
  return (
    <>
      {error === undefined ? null : (
        // Wrapped, never cut: the reason is what the trader needs to read to correct the input.
        <Text wrap="wrap" color={theme.down}>
          {error}
        </Text>
      )}
      <Text wrap="truncate" color={theme.muted}>
        {hints}
      </Text>
    </>
  );
}

/**
 * Cuts text (with an ellipsis) so it word-wraps into at most `lines` lines of a dialog boxWidth
 * wide. Word wrap can leave each line short by up to a word: a margin keeps the text in its lines.
 */
export function clampToLines(text: string, boxWidth: number, lines: number): string {
  const room = Math.max(1, (boxWidth - 4 - 8) * lines);
  return text.length > room ? `${text.slice(0, room - 1)}…` : text;
}
