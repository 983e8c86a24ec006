/**
 * The V8 flags main.ts runs with (tools/launch.ts; tools/compile.ts bakes them into the binary).
 *
 * V8 lets its heap grow to up to four times what was live after its last full collection when its
 * limit is large (the default, from the machine's memory), and about 1.6 times under a 1 GB limit;
 * its young generation grows to 32 MB semi-spaces. With both bounded, a big day's garbage is
 * collected before it doubles the process: a 1M-invoice day (the third of three at the default
 * model, ≈200 MB of live objects) peaked at 786 MB resident without these flags, 587 MB with the
 * limit, 508 MB with both, in about the same CPU time. The limit leaves room: the plan's columns
 * are typed arrays, outside this heap, and the biggest day the flags allow keeps well under 1 GB
 * of objects. A young generation of 2 MB semi-spaces rather than 8: the history's and a big day's
 * short-lived arrays otherwise grow it to tens of MB, kept for the rest of the run (30-60 MB less
 * peak memory on an embedded first run, a server 100k day no slower).
 */
export const V8_FLAGS: readonly string[] = [
  "--v8-flags=--max-old-space-size=1024,--max-semi-space-size=2",
];
