/** Waiting for the user to stop a long-running command (serve, report --serve). */

/** Resolves on the first SIGINT (Ctrl-C) or SIGTERM; the command then closes what it holds. */
export function untilStopped(): Promise<void> {
  return new Promise<void>((resolve) => {
    const stop = () => {
      Deno.removeSignalListener("SIGINT", stop);
      Deno.removeSignalListener("SIGTERM", stop);
      resolve();
    };
    Deno.addSignalListener("SIGINT", stop);
    Deno.addSignalListener("SIGTERM", stop);
  });
}
