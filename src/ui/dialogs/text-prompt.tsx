import { Box, Text } from 'ink';
import { useDialogKeys } from '../hooks/use-dialog-keys.ts';
import { CursorText } from '../components/cursor-text.tsx';
import { DialogFooter } from './dialog-footer.tsx';
import { editLine, lineActionFor, lineAt, visibleParts, type Line } from './line-edit.ts';
import { useLatestReducer } from '../hooks/use-latest-reducer.ts';
import type { Theme } from '../theme.ts';

export interface TextPromptProps {
  label: string;
  width: number;
  theme: Theme;
  /** The text it opens with (the cursor after it). */
  initial?: string;
  /** A one-line message when the text can't be submitted, else undefined. */
  validate(text: string): string | undefined;
  /** Takes the text; a message back (the engine refused it) keeps the prompt open with it, to correct. */
  onSubmit(text: string): string | undefined | void;
  onCancel(): void;
}

export const TEXT_PROMPT_HINTS = 'Enter ok · Esc cancel';
const PREFERRED_WIDTH = 60;
const MAX_LENGTH = 200;

interface PromptState {
  line: Line;
  /** Shown once Enter was refused, then kept current as the text changes. */
  error: string | undefined;
  tried: boolean;
  done: boolean;
}

const INITIAL_STATE: PromptState = { line: lineAt(''), error: undefined, tried: false, done: false };
/** Every key leaves a whole new state. */
const replace = (_: PromptState, next: PromptState): PromptState => next;

/** One line of text, edited as a line editor (line-edit.ts); Enter submits when validate accepts it, Esc cancels. */
export function TextPrompt({ label, width, theme, initial = '', validate, onSubmit, onCancel }: TextPromptProps) {
  // Key events can arrive faster than renders: edit the latest text, not the render's closure.
  const [state, update, latest] = useLatestReducer(replace, () => ({ ...INITIAL_STATE, line: lineAt(initial) }));

  useDialogKeys((input, key) => {
    const current = latest();
    if (current.done) return;
    if (key.escape) {
      update({ ...current, done: true });
      onCancel();
      return;
    }
    if (key.return) {
      const error = validate(current.line.text);
      if (error !== undefined) return update({ ...current, error, tried: true });
      update({ ...current, error: undefined, done: true });
      const refusal = onSubmit(current.line.text);
      if (typeof refusal === 'string') update({ ...current, error: refusal, tried: true, done: false });
      return;
    }
    const action = lineActionFor(input, key);
    if (!action) return;
    const line = editLine(current.line, action, MAX_LENGTH);
    if (line === current.line) return;
    update({ ...current, line, error: current.tried && line.text !== current.line.text ? validate(line.text) : current.error });
  });

  const boxWidth = Math.max(20, Math.min(width, PREFERRED_WIDTH));
  const { before, at, after } = visibleParts(state.line, Math.max(1, boxWidth - 4));
  return (
    <Box borderStyle="round" flexDirection="column" paddingX={1} width={boxWidth}>
      <Text bold wrap="truncate" color={theme.accent}>
        {label}
      </Text>
      <Text wrap="truncate">
        <CursorText before={before} at={at} after={after} />
      </Text>
      <DialogFooter error={state.error} hints={TEXT_PROMPT_HINTS} theme={theme} />
    </Box>
  );
}
