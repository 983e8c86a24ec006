import assert from "node:assert/strict";
import { ConfigError } from "../cli/errors.ts";
import { loadChinookSource, MAX_DUMP_BYTES, PUBLIC_CHINOOK_SHA256 } from "./sources.ts";

/** Runs `work` with fetch answering `respond` (no network in unit tests). */
async function withFetch<T>(respond: () => Response, work: () => Promise<T>): Promise<T> {
  const real = globalThis.fetch;
  globalThis.fetch = () => Promise.resolve(respond());
  try {
    return await work();
  } finally {
    globalThis.fetch = real;
  }
}

Deno.test("the public sample: another checksum is refused, never loaded or replaced", async () => {
  const tampered = 'COPY public."Genre" ("GenreId", "Name") FROM stdin;\n1\tRock\n\\.\n';
  await withFetch(() => new Response(tampered), async () => {
    await assert.rejects(
      () => loadChinookSource(undefined, { seed: "x" }),
      (error: Error) => {
        assert.ok(error instanceof ConfigError);
        assert.match(
          error.message,
          new RegExp(
            `its sha256 is [0-9a-f]{64}, expected ${PUBLIC_CHINOOK_SHA256}; nothing was executed`,
          ),
        );
        return true;
      },
    );
  });
});

Deno.test("a dump URL: a body announced past the cap is refused before it is read", async () => {
  const body = new ReadableStream<Uint8Array>({ pull: (c) => c.enqueue(new Uint8Array(1 << 16)) });
  const response = () =>
    new Response(body, { headers: { "content-length": String(MAX_DUMP_BYTES + 1) } });
  await withFetch(response, async () => {
    await assert.rejects(
      () => loadChinookSource("https://example.org/chinook.sql", { seed: "x" }),
      /Cannot load --chinook-sql "https:\/\/example.org\/chinook.sql": it is larger than 32 MiB/,
    );
  });
});

Deno.test("a dump URL: a body past the cap is refused as it is read", async () => {
  let sent = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      sent += 1 << 20;
      controller.enqueue(new Uint8Array(1 << 20));
    },
  });
  await withFetch(() => new Response(body), async () => {
    await assert.rejects(
      () => loadChinookSource("https://example.org/chinook.sql", { seed: "x" }),
      /it is larger than 32 MiB/,
    );
  });
  assert.ok(sent <= MAX_DUMP_BYTES + 2 * (1 << 20), `read ${sent} bytes, not more`);
});
