import { Text } from 'ink';
import type { Theme } from '../theme.ts';

/** The last lines of a dialog: what is wrong (if anything), then its keys. */
export function DialogFooter({ error, hints, theme }: { error?: string | undefined; hints: string; theme: Theme }) {
  return (
    <>
      {error === undefined ? null : (
        <Text wrap="truncate" color={theme.down}>
          {error}
        </Text>
      )}
      <Text wrap="truncate" color={theme.muted}>
        {hints}
      </Text>
    </>
  );
}
