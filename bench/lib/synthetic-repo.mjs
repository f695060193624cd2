// @ts-check
// A synthetic "large repository" written with `git fast-import`, generated once per parameter set and
// cached under bench/.cache. Deterministic: the content comes from an AES-CTR stream with a fixed key.
import { spawn } from "node:child_process";
import { createCipheriv, createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { git, duBytes } from "./proc.mjs";

/**
 * @typedef {object} SyntheticParams
 * @property {number} files        source files in the tip tree
 * @property {number} commits      commits after the initial one
 * @property {number} editsPerCommit  small source edits per commit
 * @property {number} assets       size of the churned "asset" pool (bounded, so the worktree stays small)
 * @property {number} assetsPerCommit  assets rewritten per commit (incompressible, no deltas: history bulk)
 * @property {number} assetBytes   random bytes per asset version (stored base64)
 */

/** @type {Record<"full" | "quick", SyntheticParams>} */
export const SYNTHETIC = {
  // ~50k files, ~300 MB of packed history, 3,000 commits.
  full: { files: 50_000, commits: 3_000, editsPerCommit: 3, assets: 100, assetsPerCommit: 3, assetBytes: 26_000 },
  quick: { files: 600, commits: 40, editsPerCommit: 2, assets: 5, assetsPerCommit: 1, assetBytes: 4_000 },
};

const WORDS = ("const let function return if else for while import export from class new this await async type interface " +
  "value result index count item list map set get error options config state data node path file name id key").split(" ");

/** A deterministic pseudo-random byte stream (AES-128-CTR over zeros). */
function randomStream(seed) {
  const key = createHash("sha256").update(`agent-race-bench:${seed}`).digest().subarray(0, 16);
  const cipher = createCipheriv("aes-128-ctr", key, Buffer.alloc(16));
  return (/** @type {number} */ n) => cipher.update(Buffer.alloc(n));
}

/**
 * Ensures the synthetic repository for `params` exists under `cacheRoot` and returns its bare path and stats.
 * @param {string} cacheRoot
 * @param {SyntheticParams} params
 * @param {(line: string) => void} log
 */
export async function ensureSyntheticRepo(cacheRoot, params, log) {
  const key = createHash("sha256").update(JSON.stringify(params)).digest("hex").slice(0, 10);
  const dir = join(cacheRoot, `synthetic-${key}`);
  const origin = join(dir, "origin.git");
  const statsFile = join(dir, "stats.json");
  if (existsSync(statsFile)) {
    const stats = JSON.parse(await readFile(statsFile, "utf8"));
    return { origin, ...stats, cached: true };
  }
  const scratch = `${dir}.tmp`;
  await rm(scratch, { recursive: true, force: true });
  await mkdir(scratch, { recursive: true });
  const scratchOrigin = join(scratch, "origin.git");
  const started = performance.now();
  try {
    await git(["init", "--quiet", "--bare", "-b", "main", scratchOrigin], scratch);
    log(`generating the synthetic repo (${params.files} files, ${params.commits} commits) with git fast-import…`);
    await fastImport(scratchOrigin, params);
    const importedMs = performance.now() - started;
    // One pack with a reachability bitmap, as a hosted server keeps it; --window=0 reuses fast-import's deltas.
    await git(["repack", "-a", "-d", "-b", "-q", "--window=0"], scratchOrigin);
    await git(["config", "uploadpack.allowAnySHA1InWant", "true"], scratchOrigin);
    const stats = {
      params,
      files: (await git(["ls-tree", "-r", "--name-only", "main"], scratchOrigin)).trim().split("\n").length,
      commits: Number(await git(["rev-list", "--count", "main"], scratchOrigin)),
      history_bytes: await duBytes(join(scratchOrigin, "objects")),
      head: (await git(["rev-parse", "main"], scratchOrigin)).trim(),
      generated_ms: Math.round(performance.now() - started),
      import_ms: Math.round(importedMs),
    };
    await writeFile(join(scratch, "stats.json"), `${JSON.stringify(stats, null, 2)}\n`);
    await rm(dir, { recursive: true, force: true });
    await rename(scratch, dir);
    log(`generated in ${(stats.generated_ms / 1000).toFixed(1)} s: ${stats.files} files, ${stats.commits} commits, ${(stats.history_bytes / 1e6).toFixed(0)} MB of history`);
    return { origin, ...stats, cached: false };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/**
 * Streams a fast-import script: an initial commit with `files` text files (nested 100 per directory), then
 * `commits` commits that each edit a few source files and rewrite a few incompressible assets.
 * @param {string} bareDir
 * @param {SyntheticParams} p
 */
async function fastImport(bareDir, p) {
  const child = spawn("git", ["fast-import", "--quiet", "--done", "--depth=10"], { cwd: bareDir, stdio: ["pipe", "ignore", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (chunk) => (stderr += chunk.toString()));
  const exited = new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code) => (code === 0 ? resolve(undefined) : reject(new Error(`git fast-import exited ${code}: ${stderr.slice(-2000)}`))));
  });
  const rand = randomStream(JSON.stringify(p));
  /** @type {Buffer[]} */
  let pending = [];
  let pendingBytes = 0;
  const flush = async () => {
    if (pending.length === 0) return;
    const chunk = Buffer.concat(pending);
    pending = [];
    pendingBytes = 0;
    if (!child.stdin.write(chunk)) await new Promise((resolve) => child.stdin.once("drain", resolve));
  };
  const out = async (/** @type {string | Buffer} */ data) => {
    const buf = typeof data === "string" ? Buffer.from(data) : data;
    pending.push(buf);
    pendingBytes += buf.length;
    if (pendingBytes > 4 << 20) await flush();
  };
  const inline = async (/** @type {string} */ path, /** @type {Buffer} */ content) => {
    await out(`M 100644 inline ${path}\ndata ${content.length}\n`);
    await out(content);
    await out("\n");
  };
  const pathOf = (/** @type {number} */ i) => `src/pkg${String(Math.floor(i / 1000)).padStart(2, "0")}/mod${String(Math.floor(i / 100) % 10)}/file${String(i % 100).padStart(2, "0")}.ts`;
  const sourceText = (/** @type {number} */ i) => {
    const bytes = rand(40 + (rand(1)[0] ?? 0) * 2);
    const lines = [`// file ${i}`];
    for (let l = 0; l + 4 <= bytes.length; l += 4) {
      lines.push(`  ${WORDS[(bytes[l] ?? 0) % WORDS.length]} ${WORDS[(bytes[l + 1] ?? 0) % WORDS.length]}${(bytes[l + 2] ?? 0) % 97} = ${WORDS[(bytes[l + 3] ?? 0) % WORDS.length]}(${(bytes[l] ?? 0) * 31 + i});`);
    }
    return Buffer.from(`${lines.join("\n")}\n`);
  };
  let time = 1_600_000_000;
  const commitHeader = async (/** @type {string} */ message, /** @type {boolean} */ first) => {
    time += 600;
    await out(`commit refs/heads/main\ncommitter Bench Bot <bench@example.com> ${time} +0000\ndata ${Buffer.byteLength(message)}\n${message}\n`);
    if (first) await out("deleteall\n");
  };
  try {
    await commitHeader("initial import", true);
    await inline("README.md", Buffer.from("# synthetic benchmark repository\n"));
    for (let i = 0; i < p.files; i++) await inline(pathOf(i), sourceText(i));
    for (let a = 0; a < p.assets; a++) await inline(`assets/blob${String(a).padStart(3, "0")}.b64`, Buffer.from(rand(p.assetBytes).toString("base64")));
    await out("\n");
    for (let c = 1; c <= p.commits; c++) {
      await commitHeader(`change ${c}`, false);
      for (let e = 0; e < p.editsPerCommit; e++) {
        const i = (c * 7919 + e * 104_729) % p.files;
        await inline(pathOf(i), sourceText(i));
      }
      for (let a = 0; a < p.assetsPerCommit; a++) {
        const asset = (c * p.assetsPerCommit + a) % p.assets;
        await inline(`assets/blob${String(asset).padStart(3, "0")}.b64`, Buffer.from(rand(p.assetBytes).toString("base64")));
      }
      await out("\n");
    }
    await out("done\n");
    await flush();
    child.stdin.end();
    await exited;
  } catch (error) {
    child.kill("SIGKILL");
    await exited.catch(() => undefined);
    throw error;
  }
}
