/** A mistake in what the user asked for: 3pio says what was wrong and runs nothing. */
export class UsageError extends Error {
  override name = 'UsageError';
}
