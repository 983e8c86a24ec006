/**
 * Makes lib/db/cluster.tar.br, the initialised cluster a new embedded database is copied from
 * (lib/db/cluster.ts): PGlite's own initdb into a temporary directory, with the clock and the
 * random source fixed while it runs (initdb writes the time and random bytes into pg_control), the
 * files packed in path order with no owner or time, brotli at its best. Run it after upgrading
 * PGlite; the same PGlite gives the same bytes.
 *
 *   deno task cluster [--check]     (--check: exit 1 when the committed file differs)
 */
import { PGlite } from "@electric-sql/pglite";
import nodeCrypto from "node:crypto";
import { brotliCompressSync, constants } from "node:zlib";
import { CLUSTER_FILE, readCluster, writeTar } from "../lib/db/cluster.ts";

/** 2000-01-01 UTC (PostgreSQL's epoch): initdb's clock while it runs. */
const FIXED_TIME_MS = 946_684_800_000;

async function makeCluster(): Promise<Uint8Array> {
  const dir = await Deno.makeTempDir({ prefix: "chinook-sim-cluster" });
  const now = Date.now;
  const random = crypto.getRandomValues;
  const randomFill = nodeCrypto.randomFillSync;
  try {
    Date.now = () => FIXED_TIME_MS;
    crypto.getRandomValues = <T extends ArrayBufferView | null>(array: T): T => {
      if (array) new Uint8Array(array.buffer, array.byteOffset, array.byteLength).fill(0x5a);
      return array;
    };
    // PGlite reads /dev/urandom through node:crypto's randomFillSync.
    nodeCrypto.randomFillSync = <T extends ArrayBufferView>(array: T): T =>
      crypto.getRandomValues(array as unknown as Uint8Array) as unknown as T;
    const db = await PGlite.create(dir);
    await db.close();
    Date.now = now;
    crypto.getRandomValues = random;
    nodeCrypto.randomFillSync = randomFill;
    const tar = writeTar(await readCluster(dir));
    return new Uint8Array(brotliCompressSync(tar, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: 11,
        [constants.BROTLI_PARAM_LGWIN]: 24,
        [constants.BROTLI_PARAM_SIZE_HINT]: tar.length,
      },
    }));
  } finally {
    Date.now = now;
    crypto.getRandomValues = random;
    nodeCrypto.randomFillSync = randomFill;
    await Deno.remove(dir, { recursive: true });
  }
}

if (import.meta.main) {
  const made = await makeCluster();
  if (Deno.args.includes("--check")) {
    const committed = await Deno.readFile(CLUSTER_FILE);
    const same = committed.length === made.length && committed.every((b, i) => b === made[i]);
    // deno-lint-ignore no-console
    console.log(
      same ? "cluster.tar.br is up to date" : "cluster.tar.br differs: run deno task cluster",
    );
    Deno.exit(same ? 0 : 1);
  }
  await Deno.writeFile(CLUSTER_FILE, made);
  // deno-lint-ignore no-console
  console.log(`wrote ${CLUSTER_FILE.pathname} (${made.length} bytes)`);
}
