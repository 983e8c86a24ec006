/** The synthetic catalogue is Chinook as far as any query can tell; offline runs fall back to it. */
import assert from "node:assert/strict";
import { CHINOOK_TABLES } from "../lib/chinook/schema.ts";
import { chinookSource, cli, freshDatabase, REAL_CHINOOK, spawnCli, type Sql } from "./harness.ts";

async function schemaOf(sql: Sql) {
  const columns = await sql`
    SELECT table_name, column_name, ordinal_position, data_type, character_maximum_length,
           numeric_precision, numeric_scale, is_nullable
      FROM information_schema.columns
     WHERE table_schema = 'public' AND table_name IN ${sql(CHINOOK_TABLES as unknown as string[])}
     ORDER BY table_name, ordinal_position`;
  const constraints = await sql`
    SELECT tc.table_name, tc.constraint_name, tc.constraint_type,
           string_agg(k.column_name, ',' ORDER BY k.ordinal_position) AS columns
      FROM information_schema.table_constraints tc
      JOIN information_schema.key_column_usage k
        ON k.constraint_name = tc.constraint_name AND k.table_schema = tc.table_schema
     WHERE tc.table_schema = 'public' AND tc.table_name IN ${
    sql(CHINOOK_TABLES as unknown as string[])
  }
     GROUP BY 1, 2, 3 ORDER BY 1, 2`;
  const indexes = await sql`
    SELECT tablename, indexname FROM pg_indexes
     WHERE schemaname = 'public' AND tablename IN ${sql(CHINOOK_TABLES as unknown as string[])}
       AND indexname NOT LIKE 'ix_%' ORDER BY 1, 2`;
  return { columns: [...columns], constraints: [...constraints], indexes: [...indexes] };
}

Deno.test({
  name: "the synthetic catalogue has the real sample's schema, and every command works on it",
  ignore: !REAL_CHINOOK,
  async fn() {
    const real = await freshDatabase();
    const synthetic = await freshDatabase();
    try {
      for (const [db, source] of [[real, chinookSource()], [synthetic, "synthetic"]] as const) {
        const r = await cli(["setup", "--chinook-sql", source, "--history-end", "2026-01-31"], {
          env: db.env,
        });
        assert.equal(r.code, 0, r.stderr);
      }
      const expected = await real.query(schemaOf);
      assert.ok(
        expected.columns.length >= 60 && expected.constraints.length >= 22 &&
          expected.indexes.length >= 21,
      );
      assert.deepEqual(await synthetic.query(schemaOf), expected);
      const steps = [
        ["simulate", "--date", "2026-02-01", "--seed", "1"],
        ["backfill", "--from", "2026-02-02", "--to", "2026-02-04", "--messiness", "low"],
        ["status", "--json"],
      ];
      for (const args of steps) {
        const r = await cli(args, { env: synthetic.env });
        assert.equal(r.code, 0, `${args.join(" ")}: ${r.stderr}`);
      }
      await synthetic.query(async (sql) => {
        const [n] = await sql`SELECT count(*)::int AS n FROM chinook_sim.ledger`;
        assert.equal(n!.n, 4);
        const [c] =
          await sql`SELECT count(*)::int AS n, count(DISTINCT "Country")::int AS countries FROM public."Customer"`;
        assert.ok(c!.n >= 59 && c!.countries >= 20);
      });
    } finally {
      await Promise.all([real.drop(), synthetic.drop()]);
    }
  },
});

Deno.test("offline: the first run falls back to the synthetic catalogue with a warning", async () => {
  const dir = await Deno.makeTempDir({ prefix: "chinook-sim-offline-" });
  try {
    // Network only to loopback: the public sample cannot be downloaded.
    const out = await spawnCli(["simulate", "--json"], {
      env: { SIM_DATA_DIR: dir },
      permissions: ["--allow-net=127.0.0.1", "--allow-read", "--allow-write", "--allow-env"],
    }).output();
    const stderr = new TextDecoder().decode(out.stderr);
    assert.equal(out.code, 0, stderr);
    assert.match(
      stderr,
      /WARNING.*Cannot download the Chinook sample .* using a synthetic Chinook-compatible catalogue instead/,
    );
    assert.match(stderr, /To load the real one, download .* --chinook-sql FILE/);
    const summary = JSON.parse(new TextDecoder().decode(out.stdout));
    assert.equal(summary.status, "written");
    assert.ok(summary.done.inserts > 0);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
