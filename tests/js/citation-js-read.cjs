// Read a BibTeX or RIS file with citation-js; print the CSL-JSON it makes and what it logged.
//
// Usage: node citation-js-read.cjs FILE bibtex|ris
// Printed: {"items": [CSL-JSON...], "log": ["...", ...]}. citation-js logs
// a field or tag it does not map (level "unmapped") and anything it had to
// guess; the tests read both.
"use strict";
const fs = require("fs");
const { plugins, logger } = require("@citation-js/core");
require("@citation-js/plugin-bibtex");
require("@citation-js/plugin-ris");

const [file, kind] = process.argv.slice(2);
const forced = { bibtex: "@biblatex/text", ris: "@ris/file" }[kind];
if (!file || !forced) {
  process.stderr.write("usage: citation-js-read.cjs FILE bibtex|ris\n");
  process.exit(2);
}
const log = [];
logger.level = "unmapped";
for (const method of ["log", "info", "warn", "error", "debug"]) {
  console[method] = (...args) => log.push(args.map(String).join(" "));
}
const items = plugins.input.chain(fs.readFileSync(file, "utf8"), { forceType: forced, generateGraph: false });
process.stdout.write(JSON.stringify({ items, log }, null, 1) + "\n");
