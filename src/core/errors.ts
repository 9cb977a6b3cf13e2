/**
 * A mistake the user can fix (bad flag, bad file, bad config value). The CLI prints its message
 * without a stack trace and exits with code 2; anything else is an internal failure (exit 1).
 */
export class UserError extends Error {
  override name = "UserError";
}

/** Build the "file:row: field: expected ..." message used for every input error. */
export function inputError(
  file: string,
  what: { row?: number; field?: string; expected: string; got?: unknown },
): UserError {
  const where = [file, what.row !== undefined ? `row ${what.row}` : undefined, what.field]
    .filter(Boolean)
    .join(": ");
  const got = what.got !== undefined ? ` (got ${JSON.stringify(what.got)})` : "";
  return new UserError(`${where}: expected ${what.expected}${got}`);
}
