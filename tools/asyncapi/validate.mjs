// Validates an AsyncAPI document with the official parser (@asyncapi/parser, pinned by
// package-lock.json): prints every diagnostic, exits 1 when one is an error, 2 on bad usage.
//
//   npm ci --prefix tools/asyncapi && node tools/asyncapi/validate.mjs streams/schemas/asyncapi.yaml
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { createRequire } from 'node:module';
import parserPackage from '@asyncapi/parser';

const { Parser, fromFile, DiagnosticSeverity } = parserPackage;
const PARSER_VERSION = createRequire(import.meta.url)('@asyncapi/parser/package.json').version;
const SEVERITY = {
  [DiagnosticSeverity.Error]: 'error',
  [DiagnosticSeverity.Warning]: 'warning',
  [DiagnosticSeverity.Information]: 'info',
  [DiagnosticSeverity.Hint]: 'hint',
};

const [path] = process.argv.slice(2);
if (!path) {
  console.error('usage: node validate.mjs PATH/TO/asyncapi.yaml');
  process.exit(2);
}
const file = resolve(path);
if (!existsSync(file)) {
  console.error(`${path}: no such file`);
  process.exit(2);
}

// Every rule of the parser's default ruleset runs: the spec's JSON Schema, references,
// operations against their channels, message examples against their payloads.
const parser = new Parser();
const { document, diagnostics } = await fromFile(parser, file).parse();

const counts = { error: 0, warning: 0, info: 0, hint: 0 };
for (const diagnostic of diagnostics) {
  const severity = SEVERITY[diagnostic.severity] ?? 'error';
  counts[severity] += 1;
  const where = diagnostic.path.length ? diagnostic.path.join('.') : '(document)';
  const line = diagnostic.range ? `:${diagnostic.range.start.line + 1}` : '';
  console.log(`${severity} ${diagnostic.code} ${path}${line} ${where}: ${diagnostic.message}`);
}
const summary =
  `${path}: @asyncapi/parser ${PARSER_VERSION}: ` +
  `${counts.error} errors, ${counts.warning} warnings, ${counts.info} infos, ${counts.hint} hints`;
if (counts.error > 0 || document === undefined) {
  console.log(`${summary}: INVALID`);
  process.exit(1);
}
console.log(`${summary}: valid AsyncAPI ${document.version()}`);
