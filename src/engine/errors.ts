/** Bad input from a person or a program: the message is one line saying what was wrong and what to do. */
export class EngineInputError extends Error {
  override readonly name = 'EngineInputError';
}
