/**
 * kill -9 in the middle of an export: the files published before stay exactly
 * as they were (no new part is visible, none is half-written), and the next
 * export sweeps what the killed one left and completes.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import type { WrittenFile } from "../lib/export/types.ts";
import { ROOT } from "./harness.ts";

const CHILD = join(ROOT, "tests", "export_child.ts");
const ROWS = 50_000;

function child(args: string[]): Deno.ChildProcess {
  return new Deno.Command(Deno.execPath(), {
    args: ["run", "--quiet", "--config", join(ROOT, "deno.json"), "-A", CHILD, ...args],
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
}

async function runToEnd(args: string[]): Promise<WrittenFile[]> {
  const output = await child(args).output();
  assert.equal(output.code, 0);
  return JSON.parse(new TextDecoder().decode(output.stdout));
}

async function listing(dir: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for await (const entry of Deno.readDir(dir)) {
    const bytes = await Deno.readFile(join(dir, entry.name));
    const digest = await crypto.subtle.digest("SHA-256", bytes);
    files.set(
      entry.name,
      Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join(""),
    );
  }
  return new Map([...files].sort(([a], [b]) => a.localeCompare(b)));
}

for (const format of ["csv", "parquet"]) {
  Deno.test(`kill -9 during a ${format} export leaves the previous export intact`, async () => {
    const root = await Deno.makeTempDir({ prefix: "chinook-sim-kill-" });
    const dir = join(root, "Invoice", "dt=2013-12-22");
    try {
      const first = await runToEnd([root, format, String(ROWS), "1"]);
      assert.equal(first.length, 3);
      const before = await listing(dir);

      // Killed after the first part of the new export is complete (staged)
      // and the second is half-written.
      const victim = child([root, format, String(ROWS), "2", "30000"]);
      const reader = victim.stdout.getReader();
      const { value } = await reader.read();
      assert.equal(new TextDecoder().decode(value).trim(), "stalled");
      const during = await listing(dir);
      assert.ok(during.has(`.part-00000.${format}.tmp`), "the first new part is staged");
      assert.ok(during.has(`.part-00001.${format}.tmp`), "the second is being written");
      victim.kill("SIGKILL");
      const status = await victim.status;
      reader.releaseLock();
      await victim.stdout.cancel();
      assert.equal(status.signal, "SIGKILL");

      const after = await listing(dir);
      const published = new Map([...after].filter(([name]) => !name.startsWith(".")));
      assert.deepEqual(published, before, "the published parts are untouched");

      const second = await runToEnd([root, format, String(ROWS), "2"]);
      const final = await listing(dir);
      assert.deepEqual([...final.keys()], [...before.keys()], "no temporary file is left");
      assert.notDeepEqual(second.map((f) => f.sha256), first.map((f) => f.sha256));
      assert.deepEqual([...final.values()], second.map((f) => f.sha256));
    } finally {
      await Deno.remove(root, { recursive: true });
    }
  });
}
