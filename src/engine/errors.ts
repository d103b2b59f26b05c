/** Bad input from a person or a program: the message is one line saying what was wrong and what to do. */
export class EngineInputError extends Error {
  override readonly name = 'EngineInputError';
}

/** The message of anything thrown, for a one-line report. */
export const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));
