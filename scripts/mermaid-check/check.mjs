// Parses every ```mermaid block of the given Markdown files with the mermaid package (as GitHub
// renders them); exits 1 when one does not parse. Run by scripts/check-mermaid.sh.
import { JSDOM } from 'jsdom';
import fs from 'node:fs';
const dom = new JSDOM('<!doctype html><html><body></body></html>');
globalThis.window = dom.window; globalThis.document = dom.window.document;
globalThis.DOMParser = dom.window.DOMParser; globalThis.Element = dom.window.Element;
const { default: mermaid } = await import('mermaid');
mermaid.initialize({ startOnLoad: false });
let failed = 0, checked = 0;
for (const file of process.argv.slice(2)) {
  const text = fs.readFileSync(file, 'utf8');
  const blocks = [...text.matchAll(/```mermaid\n([\s\S]*?)```/g)].map(m => m[1]);
  for (const [i, block] of blocks.entries()) {
    checked++;
    try { await mermaid.parse(block); } catch (e) { failed++; console.error(`${file} block ${i + 1}: ${e.message ?? e}`); }
  }
}
console.log(`mermaid: ${checked} diagrams checked, ${failed} invalid`);
process.exit(failed ? 1 : 0);
