import { Text } from 'ink';

/** A line being edited, its cursor's cell shown inverse; inside a <Text>, which decides the wrapping. */
export function CursorText({ before, at, after }: { before: string; at: string; after: string }) {
  return (
    <>
      {before}
      <Text inverse>{at}</Text>
      {after}
    </>
  );
}
