/**
 * lib/db/copy.ts on the real database (server, or embedded through the wire
 * layer): rows arrive exactly as encoded, and every failure (a bad row the
 * server refuses after the last chunk, a bad row mid-stream, a generator that
 * throws) rejects and leaves nothing behind.
 */
import assert from "node:assert/strict";
import { copyInto, encodeCopyRow } from "../lib/db/copy.ts";
import { freshDatabase, type Sql } from "./harness.ts";

const TARGET = { schema: "public", table: "copy_probe", columns: ["id", "name", "note"] };

function* rows(from: number, count: number, perChunk: number): Generator<string> {
  for (let start = from; start < from + count; start += perChunk) {
    let chunk = "";
    for (let id = start; id < Math.min(from + count, start + perChunk); id++) {
      chunk += encodeCopyRow([id, `name\t${id}\\`, id % 3 === 0 ? null : `line\none ${id}`]);
    }
    yield chunk;
  }
}

async function count(sql: Sql): Promise<number> {
  const [r] = await sql<{ n: number }[]>`SELECT count(*)::int AS n FROM copy_probe`;
  return r!.n;
}

Deno.test("copyInto streams rows exactly and fails cleanly", async (t) => {
  const db = await freshDatabase();
  try {
    await db.query(async (sql) => {
      await sql`CREATE TABLE copy_probe (id int PRIMARY KEY, name text NOT NULL, note text)`;

      await t.step("rows arrive as encoded, NULLs and escapes included", async () => {
        await sql.begin((tx) => copyInto(tx, TARGET, rows(1, 30_000, 7_000)));
        const [r] = await sql<{ n: number; nulls: number; sample: string; note: string }[]>`
          SELECT count(*)::int AS n, count(*) FILTER (WHERE note IS NULL)::int AS nulls,
                 (SELECT name FROM copy_probe WHERE id = 7) AS sample,
                 (SELECT note FROM copy_probe WHERE id = 7) AS note
            FROM copy_probe`;
        assert.deepEqual(r, { n: 30_000, nulls: 10_000, sample: "name\t7\\", note: "line\none 7" });
      });

      await t.step(
        "a duplicate key in the last row rejects; nothing of the COPY stays",
        async () => {
          await assert.rejects(
            sql.begin((tx) =>
              copyInto(tx, TARGET, [...rows(40_000, 100, 50), encodeCopyRow([1, "x", null])])
            ),
            /duplicate key/,
          );
          assert.equal(await count(sql), 30_000);
        },
      );

      await t.step("a bad value mid-stream rejects with the server's reason", async () => {
        await assert.rejects(
          sql.begin((tx) =>
            copyInto(tx, TARGET, [
              ...rows(50_000, 20_000, 5_000).take(1),
              encodeCopyRow(["not a number", "x", null]),
              ...rows(60_000, 20_000, 5_000),
            ])
          ),
          /invalid input syntax for type integer/,
        );
        assert.equal(await count(sql), 30_000);
      });

      await t.step("a generator that throws rejects with its own error", async () => {
        function* failing(): Generator<string> {
          yield* rows(80_000, 1_000, 500);
          throw new Error("generator broke");
        }
        await assert.rejects(sql.begin((tx) => copyInto(tx, TARGET, failing())), /generator broke/);
        assert.equal(await count(sql), 30_000);
        // The connection is usable afterwards.
        await sql.begin((tx) => copyInto(tx, TARGET, rows(90_000, 10, 10)));
        assert.equal(await count(sql), 30_010);
      });
    });
  } finally {
    await db.drop();
  }
});
