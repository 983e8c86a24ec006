/**
 * Why a file could not be opened, in words: a missing file, a directory, a
 * permission, or a system path (/proc, /sys, /dev…) that chinook-sim never
 * reads or writes (Deno would otherwise suggest --allow-all). A module of its
 * own rather than part of paths.ts, which loads node:path: the launcher reaches
 * it through settings.ts and loads no Node module.
 */
export function fileErrorReason(error: unknown): string {
  if (error instanceof Deno.errors.NotFound) return "no such file";
  if (error instanceof Deno.errors.IsADirectory) return "it is a directory";
  if (error instanceof Deno.errors.NotADirectory) return "a part of the path is a file";
  if (error instanceof Deno.errors.PermissionDenied) return "permission denied";
  if (error instanceof Deno.errors.NotCapable) {
    return /Requires all access/.test((error as Error).message)
      ? "system paths (/proc, /sys, /dev…) are not read or written by chinook-sim"
      : "not allowed by the permission set";
  }
  return error instanceof Error ? error.message : String(error);
}
