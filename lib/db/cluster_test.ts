import * as assert from "node:assert/strict";
import {
  CLUSTER_FILE,
  clusterTar,
  readCluster,
  readTar,
  unpackCluster,
  writeTar,
} from "./cluster.ts";
import { EMBEDDED_PG_VERSION } from "./data_dir.ts";

Deno.test("cluster: a tar written is read back the same (long paths, directories, empty files)", () => {
  const long = `${"d".repeat(120)}/${"f".repeat(90)}`;
  const files = [
    { path: "base", mode: 0o700 | 0o40000, data: new Uint8Array() },
    { path: "base/1", mode: 0o600, data: new Uint8Array([1, 2, 3]) },
    { path: "empty", mode: 0o600, data: new Uint8Array() },
    { path: long, mode: 0o644, data: new Uint8Array(1000).fill(7) },
  ];
  assert.deepEqual(readTar(writeTar(files)), files);
  assert.deepEqual(writeTar(files), writeTar(files));
});

const canRead =
  Deno.permissions.querySync({ name: "read", path: CLUSTER_FILE }).state === "granted";

Deno.test({
  name: "cluster: the committed cluster is a whole PostgreSQL cluster of the embedded version",
  // It needs read access (`deno task test`, `deno test -R`).
  ignore: !canRead,
}, async () => {
  const files = readTar(await clusterTar());
  const byPath = new Map(files.map((f) => [f.path, f]));
  assert.equal(
    new TextDecoder().decode(byPath.get("PG_VERSION")?.data).trim(),
    EMBEDDED_PG_VERSION,
  );
  for (const path of ["global/pg_control", "postgresql.conf", "pg_hba.conf", "base/5"]) {
    assert.ok(byPath.has(path), path);
  }
  assert.ok(files.some((f) => f.path.startsWith("pg_wal/0000")), "a WAL segment");
});

Deno.test({
  name: "cluster: unpacked as it is decompressed, the directory holds exactly the archive's files",
  ignore: !canRead,
}, async () => {
  const dir = await Deno.makeTempDir({ prefix: "chinook-sim-cluster-" });
  try {
    await unpackCluster(dir);
    const archived = readTar(await clusterTar());
    const written = await readCluster(dir);
    assert.deepEqual(written.map((f) => f.path), archived.map((f) => f.path));
    for (const [i, file] of written.entries()) {
      assert.deepEqual(file.data, archived[i]!.data, file.path);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
