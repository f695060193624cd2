#!/usr/bin/env node
// @ts-check
// Summarizes a V8 .cpuprofile (node --cpu-prof): self time by package / source area and by function.
//   node bench/lib/summarize-cpuprofile.mjs <file.cpuprofile> [top=25]
// Used to explain benchmark results in docs/performance.md, e.g.:
//   NODE_OPTIONS="--cpu-prof --cpu-prof-dir=/tmp/prof" npm run bench -- ingest --quick
import { readFileSync } from "node:fs";

const [file, topArg] = process.argv.slice(2);
if (!file) throw new Error("usage: summarize-cpuprofile.mjs <file.cpuprofile> [top]");
const top = Number(topArg ?? 25);
/** @type {{ nodes: Array<{ id: number, callFrame: { functionName: string, url: string, lineNumber: number }, hitCount?: number, children?: number[] }>, samples: number[], timeDeltas: number[] }} */
const profile = JSON.parse(readFileSync(file, "utf8"));
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
/** @type {Map<number, number>} */
const parentOf = new Map();
for (const n of profile.nodes) for (const child of n.children ?? []) parentOf.set(child, n.id);
/** The nearest caller with a script URL (native code is charged to whoever called it). */
function jsCaller(/** @type {number} */ id) {
  for (let cur = parentOf.get(id); cur !== undefined; cur = parentOf.get(cur)) {
    const node = byId.get(cur);
    if (node?.callFrame.url) return node;
  }
  return undefined;
}
/** @type {Map<number, number>} */
const selfUs = new Map();
profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
const total = [...selfUs.values()].reduce((a, b) => a + b, 0);

/** Where a frame's code lives: a package, the project's src/dist, node internals, or the engine. */
function area(/** @type {string} */ url, /** @type {string} */ fn) {
  if (!url) return fn === "(garbage collector)" ? "(gc)" : fn === "(idle)" || fn === "(program)" ? fn : "(native)";
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1] ?? "?";
  if (url.startsWith("node:")) return `node:${url.slice(5).split("/")[0]}`;
  const own = /\/(src|dist|test|bench)\/(.*)$/.exec(url);
  if (own) return `${own[1]}/${(own[2] ?? "").split("/")[0]}`;
  return url;
}

/** The nearest frame (itself included) that is neither native nor Node's own code: who asked for the work. */
function owner(/** @type {number} */ id) {
  for (let cur = /** @type {number | undefined} */ (id); cur !== undefined; cur = parentOf.get(cur)) {
    const node = byId.get(cur);
    const url = node?.callFrame.url ?? "";
    if (url && !url.startsWith("node:")) return node;
  }
  return undefined;
}

/** @type {Map<string, number>} */
const areas = new Map();
/** @type {Map<string, number>} */
const owners = new Map();
/** @type {Map<string, number>} */
const functions = new Map();
for (const [id, us] of selfUs) {
  const node = byId.get(id);
  if (!node) continue;
  const { functionName, url, lineNumber } = node.callFrame;
  const caller = url ? undefined : jsCaller(id);
  const a = caller ? `${area(caller.callFrame.url, caller.callFrame.functionName)} (native)` : area(url, functionName);
  areas.set(a, (areas.get(a) ?? 0) + us);
  const o = owner(id);
  const ownerArea = o ? area(o.callFrame.url, o.callFrame.functionName) : area(url, functionName);
  owners.set(ownerArea, (owners.get(ownerArea) ?? 0) + us);
  const key = caller
    ? `${functionName || "(anonymous)"} ← ${caller.callFrame.functionName || "(anonymous)"}  ${area(caller.callFrame.url, "")}:${caller.callFrame.lineNumber + 1}`
    : `${functionName || "(anonymous)"}  ${a}${url ? `:${lineNumber + 1}` : ""}`;
  functions.set(key, (functions.get(key) ?? 0) + us);
}
const show = (/** @type {Map<string, number>} */ map) =>
  [...map].sort((a, b) => b[1] - a[1]).slice(0, top).map(([k, us]) => `${((100 * us) / total).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(7)} ms  ${k}`).join("\n");
console.log(`${file}: ${(total / 1000).toFixed(0)} ms sampled\n\nself time by area:\n${show(areas)}\n\nself time charged to the package or project code that called Node or native code:\n${show(owners)}\n\nself time by function:\n${show(functions)}`);
