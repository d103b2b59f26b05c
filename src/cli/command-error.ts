/** A mistake in what the user typed or a failure to report: printed as one `paper-trader: …` line, exit 2. */
export class CommandError extends Error {
  override readonly name: string = 'CommandError';
}
