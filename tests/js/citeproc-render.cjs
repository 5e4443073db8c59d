// Render CSL-JSON items with citeproc-js, the processor Zotero and Mendeley use.
//
// Usage: node citeproc-render.cjs STYLE.csl LOCALE_DIR LANG ITEMS.json
// Printed: {"items": {id: {"note": "...", "bibliography": "..."}}, "log": [...]}
// One processor holds every item (a style is parsed once: Chicago's takes
// seconds). Each note is made with makeCitationCluster, which does not
// register the citation, so every note is a first, full note (a style's
// short form would hide facts); the bibliography has every item. Plain text.
"use strict";
const fs = require("fs");
const path = require("path");
const CSL = require("citeproc");

const [stylePath, localeDir, lang, itemsPath] = process.argv.slice(2);
if (!itemsPath) {
  process.stderr.write("usage: citeproc-render.cjs STYLE.csl LOCALE_DIR LANG ITEMS.json\n");
  process.exit(2);
}
const log = [];
for (const method of ["log", "info", "warn", "error", "debug"]) {
  console[method] = (...args) => log.push(args.map(String).join(" "));
}
const style = fs.readFileSync(stylePath, "utf8");
const items = JSON.parse(fs.readFileSync(itemsPath, "utf8"));
const byId = new Map(items.map((item) => [String(item.id), item]));
const sys = {
  retrieveLocale(name) {
    const file = path.join(localeDir, `locales-${name}.xml`);
    return fs.existsSync(file) ? fs.readFileSync(file, "utf8") : false;
  },
  retrieveItem(id) {
    return byId.get(String(id));
  },
};
const engine = new CSL.Engine(sys, style, lang, true);
engine.setOutputFormat("text");
const ids = [...byId.keys()];
engine.updateItems(ids);
const [meta, entries] = engine.makeBibliography() || [{ entry_ids: [] }, []];
const bibliography = new Map(meta.entry_ids.map((entryIds, index) => [String(entryIds[0]), entries[index]]));
const out = {};
for (const id of ids) {
  const note = engine.makeCitationCluster([{ id }]);
  out[id] = { note: note.trim(), bibliography: (bibliography.get(id) || "").trim() };
}
process.stdout.write(JSON.stringify({ items: out, log }, null, 1) + "\n");
