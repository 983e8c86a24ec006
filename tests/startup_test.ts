/**
 * What a start loads: the modules a file imports statically (loaded before it
 * runs), from `deno info`. A small day is mostly start-up, so the launcher and
 * a server simulate keep out what they do not use; the rest is `import()`ed
 * where it is needed (docs/ARCHITECTURE.md, "Start-up").
 */
import assert from "node:assert/strict";

import { mallocEnv } from "../tools/launch.ts";

const ROOT = new URL("..", import.meta.url);

interface Graph {
  roots: string[];
  redirects?: Record<string, string>;
  modules: Array<{
    specifier: string;
    dependencies?: Array<{ isDynamic?: boolean; code?: { specifier?: string } }>;
  }>;
}

/** Every module `file` loads before it runs: its static imports, transitively. */
async function staticGraph(file: string): Promise<string[]> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", file],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.ok(out.success, new TextDecoder().decode(out.stderr));
  const graph = JSON.parse(new TextDecoder().decode(out.stdout)) as Graph;
  const resolve = (s: string) => graph.redirects?.[s] ?? s;
  const bySpecifier = new Map(graph.modules.map((m) => [m.specifier, m]));
  const seen = new Set<string>();
  const stack = graph.roots.map(resolve);
  while (stack.length > 0) {
    const specifier = stack.pop()!;
    if (seen.has(specifier)) continue;
    seen.add(specifier);
    for (const dep of bySpecifier.get(specifier)?.dependencies ?? []) {
      if (!dep.isDynamic && dep.code?.specifier) stack.push(resolve(dep.code.specifier));
    }
  }
  return [...seen].map((s) => s.replace(ROOT.href, ""));
}

// Loading Node's compatibility layer (node:util, node:path) cost the launcher ~8 ms and slowed
// main.ts, starting beside it, by ~15 ms: a fifth of a small day's start.
Deno.test("the launcher loads no npm package and no Node module", async () => {
  const graph = await staticGraph("tools/launch.ts");
  assert.deepEqual(graph.filter((s) => s.startsWith("npm:") || s.startsWith("node:")), []);
});

Deno.test("main.ts loads no command; a simulate on a server loads none of what it does not use", async () => {
  const main = await staticGraph("main.ts");
  assert.deepEqual(
    main.filter((s) => s.startsWith("lib/commands/") && s !== "lib/commands/mod.ts"),
    [],
  );
  const simulate = await staticGraph("lib/commands/simulate.ts");
  const unused = [
    /^npm:\/@electric-sql\//, // the embedded database
    /^npm:\/@faker-js\//, // names come from names.json
    /^npm:\/(hyparquet|parquet-wasm|apache-arrow)/, // --export's writers
    /^lib\/db\/(embedded|wire_server|history|load_dump|live|web)\.ts$/,
    /^lib\/chinook\/(pg_dump|sources)\.ts$/,
    /^lib\/cli\/export_days\.ts$/,
    /^lib\/sim\/(history|live)\.ts$/,
  ];
  for (const pattern of unused) {
    assert.deepEqual(simulate.filter((s) => pattern.test(s)), [], String(pattern));
  }
});

Deno.test("the launcher holds glibc's mmap threshold for main.ts, unless the user set one", async (t) => {
  const cases: Array<[string, Record<string, string>, Record<string, string>]> = [
    ["none set", { PATH: "/bin" }, { MALLOC_MMAP_THRESHOLD_: "131072" }],
    ["the user's threshold", { MALLOC_MMAP_THRESHOLD_: "65536" }, {}],
    ["the user's tunables", { GLIBC_TUNABLES: "glibc.malloc.arena_max=2" }, {}],
  ];
  for (const [name, env, expected] of cases) {
    await t.step(name, () => assert.deepEqual(mallocEnv(env), expected));
  }
});
