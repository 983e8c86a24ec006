/**
 * Permission scoping: main.ts run with exactly the narrowed flags the
 * launcher (tools/launch.ts) and `deno task compile` work out. An allowed run
 * works; a host or path outside the grant is one clear line, exit 2, and
 * nothing written.
 */
import assert from "node:assert/strict";
import denoJson from "../deno.json" with { type: "json" };
import { denoFlags, grantFor } from "../lib/cli/permissions.ts";
import { nearestDirectory } from "../tools/launch.ts";
import type { Env } from "../lib/cli/settings.ts";
import {
  fingerprint,
  ON_SERVER,
  ROOT,
  serverOnly,
  spawnCli,
  type TestDatabase,
  withSetUpDatabase,
  WORK_DIR,
} from "./harness.ts";

const PROJECT = ROOT.replace(/\/$/, "");
const ENV_KEYS: readonly string[] = denoJson.permissions.default.env;
const DAY = "2026-03-09";

/** The launcher's flags for `args` under `env`, with `tempDir` as the temporary directory. */
function launcherFlags(args: string[], env: Env, tempDir: string): string[] {
  return [
    "--no-prompt",
    ...denoFlags(
      grantFor({ args, env, cwd: WORK_DIR, tempDir, projectDir: PROJECT, nearestDirectory }),
      ENV_KEYS,
    ),
  ];
}

async function run(args: string[], env: Record<string, string>, permissions: string[]) {
  const out = await spawnCli(args, { env, permissions }).output();
  const decoder = new TextDecoder();
  return { code: out.code, stdout: decoder.decode(out.stdout), stderr: decoder.decode(out.stderr) };
}

/** The one error line (after any log lines). */
function errorLine(stderr: string): string {
  const lines = stderr.trim().split("\n").filter((l) => l.startsWith("error: "));
  assert.equal(lines.length, 1, stderr);
  return lines[0]!;
}

/** A directory outside the working and the (pretended) temporary directory. */
async function outsideDir(): Promise<string> {
  return await Deno.makeTempDir({ prefix: "chinook-sim-outside-" });
}

Deno.test("main.ts with the launcher's narrowed flags: allowed runs work, the rest is one line, exit 2", async (t) => {
  // Everything under the real temporary directory would be granted: pretend another.
  const fakeTemp = await Deno.makeTempDir({ prefix: "chinook-sim-faketmp-" });
  const outside = await outsideDir();
  try {
    await withSetUpDatabase("2026-03-08", async (db: TestDatabase) => {
      const model = `${outside}/model.json`;
      await Deno.writeTextFile(model, JSON.stringify({ baseInvoicesPerDay: 20 }));
      const env = db.env;

      await t.step(
        "allowed: a day written, with a model file named on the command line",
        async () => {
          const args = ["simulate", "--date", DAY, "--seed", "1", "--model", model];
          const r = await run(args, env, launcherFlags(args, env, fakeTemp));
          assert.equal(r.code, 0, r.stderr);
          const invoices = await db.query(async (sql) =>
            Number(
              (await sql`SELECT count(*) AS n FROM public."Invoice" WHERE "InvoiceDate" >= ${DAY}::date`)[
                0
              ]!.n,
            )
          );
          assert.ok(invoices > 0, "the day's invoices are in the database");
        },
      );

      const before = await db.query(fingerprint);
      await t.step("denied: a file the grant does not cover", async () => {
        const granted = ["simulate", "--date", "2026-03-10", "--seed", "1"];
        const r = await run(
          [...granted, "--model", model],
          env,
          launcherFlags(granted, env, fakeTemp),
        );
        assert.equal(r.code, 2, r.stderr);
        assert.match(
          errorLine(r.stderr),
          new RegExp(
            `^error: Cannot read "${model}": read access to it is not granted to this process; .*--allow-read=${model}$`,
          ),
        );
      });

      await t.step("denied: a manifest directory outside the grant", async () => {
        const granted = ["simulate", "--date", "2026-03-10", "--seed", "1"];
        const r = await run(
          [...granted, "--manifest-dir", `${outside}/manifests`],
          env,
          launcherFlags(granted, env, fakeTemp),
        );
        assert.equal(r.code, 2, r.stderr);
        assert.match(errorLine(r.stderr), /^error: Cannot (read|write) ".*\/manifests": /);
      });

      await t.step("denied: a database host outside the grant", async () => {
        const granted = launcherFlags(["status"], env, fakeTemp);
        // TEST-NET-1 (RFC 5737): never reached, the permission check comes first.
        const r = await run(
          ["status"],
          { ...env, DATABASE_URL: "postgres://postgres:pw@192.0.2.1:5432/x" },
          granted,
        );
        assert.equal(r.code, 2, r.stderr);
        assert.match(
          errorLine(r.stderr),
          /^error: Cannot connect to "192\.0\.2\.1:5432": net access to it is not granted to this process; grant it with --allow-net=192\.0\.2\.1:5432 /,
        );
      });

      await t.step("denied: JSON logs say it as JSON", async () => {
        const granted = ["status"];
        const r = await run(
          [...granted, "--log-format", "json", "--env-file", `${outside}/x.env`],
          env,
          launcherFlags(granted, env, fakeTemp),
        );
        assert.equal(r.code, 2, r.stderr);
        const last = JSON.parse(r.stderr.trim().split("\n").at(-1)!);
        assert.match(last.message, /^Cannot read ".*x\.env": read access/);
      });

      assert.equal(await db.query(fingerprint), before, "nothing was written by a denied run");
    });
  } finally {
    await Deno.remove(fakeTemp, { recursive: true });
    await Deno.remove(outside, { recursive: true });
  }
});

Deno.test("tools/launch.ts: the launcher grants what the command line names, and passes the exit code on", async (t) => {
  const fakeTemp = await Deno.makeTempDir({ prefix: "chinook-sim-faketmp-" });
  const outside = await outsideDir();
  const launch = (args: string[], env: Record<string, string>) =>
    new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--quiet",
        "--no-prompt",
        "--allow-env",
        "--allow-read",
        "--allow-run=deno",
        `${PROJECT}/tools/launch.ts`,
        ...args,
      ],
      cwd: WORK_DIR,
      clearEnv: true,
      env: {
        PATH: Deno.env.get("PATH") ?? "",
        HOME: Deno.env.get("HOME") ?? "",
        DENO_DIR: Deno.env.get("DENO_DIR") ?? `${Deno.env.get("HOME")}/.cache/deno`,
        TMPDIR: fakeTemp,
        NO_COLOR: "1",
        SIM_TIMEZONE: "UTC",
        ...env,
      },
      stdout: "piped",
      stderr: "piped",
    }).output();
  try {
    await withSetUpDatabase("2026-03-08", async (db) => {
      await t.step(
        "a manifest directory outside the working directory, named: granted",
        async () => {
          const out = await launch(
            ["simulate", "--date", DAY, "--seed", "2", "--manifest-dir", `${outside}/m`, "--json"],
            db.env,
          );
          const stderr = new TextDecoder().decode(out.stderr);
          assert.equal(out.code, 0, stderr);
          assert.equal(JSON.parse(new TextDecoder().decode(out.stdout)).day, DAY);
          assert.ok((await Deno.stat(`${outside}/m/${DAY}.json`)).isFile);
        },
      );
      await t.step("a usage error: its exit code", async () => {
        const out = await launch(["simulate", "--bogus"], db.env);
        assert.equal(out.code, 2);
      });
    });
  } finally {
    await Deno.remove(fakeTemp, { recursive: true });
    await Deno.remove(outside, { recursive: true });
  }
});

Deno.test({
  name: serverOnly(
    "deno task compile --allow-db-host: main.ts with the binary's flags reaches that host only",
  ),
  ignore: !ON_SERVER,
  fn: async () => {
    await withSetUpDatabase("2026-03-08", async (db) => {
      const host = new URL(db.env.DATABASE_URL!);
      const printed = await new Deno.Command(Deno.execPath(), {
        args: [
          "run",
          "--quiet",
          "--allow-env",
          "--allow-read",
          "--allow-run=deno",
          `${PROJECT}/tools/compile.ts`,
          `--allow-db-host=${host.hostname}:${host.port || 5432}`,
          "--print",
        ],
        stdout: "piped",
      }).output();
      assert.equal(printed.code, 0);
      const command = new TextDecoder().decode(printed.stdout).trim().split(" ");
      assert.deepEqual(command.slice(0, 2), ["deno", "compile"]);
      // Exactly the binary's permissions, for main.ts.
      const flags = command.filter((a) => a.startsWith("--allow-") || a === "--no-prompt");
      assert.ok(
        flags.includes(`--allow-net=${host.hostname}:${host.port || 5432}`),
        flags.join(" "),
      );

      const ok = await run(["simulate", "--date", DAY, "--seed", "3"], db.env, flags);
      assert.equal(ok.code, 0, ok.stderr);
      const other = await run(
        ["status"],
        { DATABASE_URL: "postgres://postgres@192.0.2.7:5432/elsewhere" },
        flags,
      );
      assert.equal(other.code, 2, other.stderr);
      assert.match(errorLine(other.stderr), /Cannot connect to "192\.0\.2\.7:5432": net access/);
    });
  },
});

Deno.test("tools/compile.ts: bad --allow-db-host values are one line, exit 2", async (t) => {
  const cases: Array<[string, string[], Record<string, string>, RegExp]> = [
    [
      "a URL instead of a host",
      ["--allow-db-host=postgres://u@h/x"],
      {},
      /expected HOST or HOST:PORT/,
    ],
    ["a path", ["--allow-db-host=h/x"], {}, /expected HOST or HOST:PORT/],
    ["empty", ["--allow-db-host="], {}, /give HOST\[:PORT\]/],
    [
      "from the environment, but none set",
      ["--allow-db-host-from-env"],
      {},
      /neither DATABASE_URL nor PGHOST/,
    ],
    ["an unknown option", ["--allow-everything"], {}, /Unknown option/],
  ];
  for (const [name, args, env, message] of cases) {
    await t.step(name, async () => {
      const out = await new Deno.Command(Deno.execPath(), {
        args: [
          "run",
          "--quiet",
          "--allow-env",
          "--allow-read",
          "--allow-run=deno",
          `${PROJECT}/tools/compile.ts`,
          ...args,
          "--print",
        ],
        cwd: WORK_DIR,
        clearEnv: true,
        env: { PATH: Deno.env.get("PATH") ?? "", ...env },
        stdout: "piped",
        stderr: "piped",
      }).output();
      const stderr = new TextDecoder().decode(out.stderr).trim();
      assert.equal(out.code, 2, stderr);
      assert.equal(stderr.split("\n").length, 1, stderr);
      assert.match(stderr, message);
      assert.equal(new TextDecoder().decode(out.stdout), "", "no command printed");
    });
  }
});
