/**
 * The V8 flags main.ts runs with (tools/launch.ts; tools/compile.ts bakes them into the binary).
 *
 * V8 lets its heap grow to up to four times what was live after its last full collection on a
 * machine with a few GB of memory, and its young generation to 32 MB semi-spaces: a big day's
 * garbage then doubles the process. Here the heap grows by 50% between full collections: a
 * growing factor rather than a heap limit, so the process never runs out of memory for want of a
 * limit (a day's objects are not bounded by one), it only collects sooner. A 1M-invoice day (the
 * third of three at the default model, ≈200 MB of live objects) peaked at 645-786 MB resident
 * without flags (7.2-7.4 s of CPU), 534-566 MB with a 1 GB heap limit instead, 468-482 MB at 50%
 * (8.8 s of CPU; 456-480 MB and 9.2 s at 30%), all with 8 MB semi-spaces. Semi-spaces of 2 MB
 * rather than 8: the history's and a big day's short-lived arrays otherwise grow the young
 * generation to tens of MB, kept for the rest of the run (30-60 MB less peak memory on an embedded
 * first run, a server 100k day no slower).
 */
export const V8_FLAGS: readonly string[] = [
  "--v8-flags=--heap-growing-percent=50,--max-semi-space-size=2",
];
