/**
 * The parts of an error that are safe to log: its class (as `type`: the
 * logger blanks any field called `name`, which is for people's names) and
 * message chain, never a payload.
 */
export function errorSummary(error: unknown): { type: string; message: string; causes: string[] } {
  const name = error instanceof Error ? error.name : typeof error;
  const message = error instanceof Error ? error.message : String(error);
  const causes: string[] = [];
  let cause = error instanceof Error ? error.cause : undefined;
  while (cause !== undefined && causes.length < 5) {
    causes.push(cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause));
    cause = cause instanceof Error ? cause.cause : undefined;
  }
  return { type: name, message, causes };
}
