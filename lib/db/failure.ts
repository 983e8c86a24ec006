/**
 * Database failures as one clear line. The day's transaction was rolled back
 * whenever one of these reaches `main`, so each message says so.
 */
const BY_CODE: Record<string, string> = {
  "55P03":
    "Timed out waiting for a lock (another chinook-sim run, or a session holding a lock on the Chinook tables); raise --lock-timeout or run again later",
  "57014": "A statement was cancelled (statement timeout or a cancel request)",
  "25006":
    "The database is read-only (default_transaction_read_only or a standby); point DATABASE_URL at a writable primary",
  "57P01": "The server terminated the connection during the transaction; run again",
  "57P02": "The server crashed during the transaction; run again once it is back",
  "57P03": "The server is not accepting connections yet; run again shortly",
  "53100": "The database server's disk is full",
  "53200": "The database server ran out of memory",
  "40P01": "A deadlock was detected",
  "40001": "A serialization failure occurred; run again",
};

/**
 * The routine named by the embedded database's wire layer in its error when
 * the data directory it had open went away (data_dir_guard.ts): its message
 * says so, its hint what to do. A real server never names it.
 */
export const DATA_DIR_LOST = "chinook_sim_data_dir_lost";
/**
 * The same when the directory and what was committed in it are still there, but this run cannot
 * go on with it: made unreadable, or taken by another process (its lock file removed).
 */
export const DATA_DIR_UNUSABLE = "chinook_sim_data_dir_unusable";

/**
 * The embedded database's data directory went away where this process can say it whole: while
 * it was being opened, or after days were committed in it. The message is the line to print.
 */
export class DataDirLostError extends Error {
  override name = "DataDirLostError";
}

/** The error a query gets once the data directory is lost (data_dir_guard.ts), raised here. */
export function dataDirLostError(lost: { message: string; hint: string; kept?: boolean }): Error {
  return Object.assign(new Error(lost.message), {
    routine: lost.kept ? DATA_DIR_UNUSABLE : DATA_DIR_LOST,
    hint: lost.hint,
  });
}

/**
 * The embedded database lost its data directory: the error saying so, anywhere in the causes:
 * the wire layer's (its message, and its hint: what to do), or one said whole (hint null).
 */
export function dataDirLost(
  error: unknown,
): { message: string; hint: string | null; kept: boolean } | null {
  for (let e = error, depth = 0; typeof e === "object" && e !== null && depth < 10; depth++) {
    if (e instanceof DataDirLostError) return { message: e.message, hint: null, kept: false };
    const { routine, message, hint, cause } = e as Record<string, unknown>;
    if (
      (routine === DATA_DIR_LOST || routine === DATA_DIR_UNUSABLE) && typeof message === "string"
    ) {
      return {
        message,
        hint: typeof hint === "string" ? hint : "run again",
        kept: routine === DATA_DIR_UNUSABLE,
      };
    }
    e = cause;
  }
  return null;
}

/**
 * `error`, or when it says the data directory was removed (not unusable: that keeps what was
 * committed), one that says what was committed in it went too: `committed` names it ("the 3 days
 * committed in it (…)").
 */
export function lostWithCommitted(error: unknown, committed: string): unknown {
  const lost = dataDirLost(error);
  if (lost === null || lost.hint === null || lost.kept) return error;
  return new DataDirLostError(
    `${lost.message}, and with it ${committed}; nothing of this run remains: ${lost.hint}`,
    { cause: error },
  );
}

/** A friendlier message for errors from the database or the connection, or null. */
export function describeDatabaseFailure(error: unknown): string | null {
  // Whatever step it stopped (setup, a day, a read), this is the one thing to say.
  const lost = dataDirLost(error);
  if (lost !== null) {
    return lost.hint === null ? lost.message : `${lost.message}; nothing was written: ${lost.hint}`;
  }
  const reason = databaseFailureReason(error);
  if (reason === null) return null;
  if (connectionLost(error)) {
    return `${reason}; nothing of the interrupted day was written: run again`;
  }
  const known = BY_CODE[(error as { code: string }).code] !== undefined;
  return known
    ? `${reason}; nothing was written`
    : `The database refused the day: ${reason}; nothing was written`;
}

/**
 * What went wrong, without saying what was written (the caller knows: a
 * failed setup step, a day after others were committed), or null when the
 * error does not come from the database or the connection.
 */
export function databaseFailureReason(error: unknown): string | null {
  if (typeof error !== "object" || error === null) return null;
  const lost = dataDirLost(error);
  if (lost !== null) return lost.message;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof code !== "string") return null;
  const known = BY_CODE[code];
  if (known) return `${known} (${message})`;
  if (connectionLost(error)) return `The connection to the database was lost (${message})`;
  if (/^[0-9A-Z]{5}$/.test(code)) return `${message} (SQLSTATE ${code})`;
  return null;
}

function connectionLost(error: unknown): boolean {
  const { code } = error as { code?: unknown };
  return code === "CONNECTION_CLOSED" || code === "CONNECTION_ENDED" ||
    code === "CONNECTION_DESTROYED" || code === "ECONNRESET";
}
