import { spawn } from "node:child_process";

export interface GitResult {
  code: number;
  stdout: Buffer;
  stderr: string;
}

const IDENTITY_ENV = {
  GIT_AUTHOR_NAME: "GitHub",
  GIT_AUTHOR_EMAIL: "noreply@github.com",
  GIT_COMMITTER_NAME: "GitHub",
  GIT_COMMITTER_EMAIL: "noreply@github.com",
};

/** Runs git with `--git-dir=<gitDir>`; never throws, returns the exit code. */
export function runGit(gitDir: string, args: readonly string[], options: { workTree?: string; input?: string } = {}): Promise<GitResult> {
  const prefix = [`--git-dir=${gitDir}`, ...(options.workTree ? [`--work-tree=${options.workTree}`] : [])];
  return new Promise((resolve, reject) => {
    const child = spawn("git", [...prefix, ...args], {
      env: { ...process.env, ...IDENTITY_ENV },
      stdio: [options.input === undefined ? "ignore" : "pipe", "pipe", "pipe"],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout?.on("data", (c: Buffer) => out.push(c));
    child.stderr?.on("data", (c: Buffer) => err.push(c));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? 1, stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString("utf8") }));
    if (child.stdin) {
      child.stdin.on("error", () => undefined); // git may exit before reading its input
      child.stdin.end(options.input);
    }
  });
}

/** Like runGit but throws on a non-zero exit and returns trimmed stdout. */
export async function git(gitDir: string, args: readonly string[], options: { workTree?: string; input?: string } = {}): Promise<string> {
  const result = await runGit(gitDir, args, options);
  if (result.code !== 0) throw new Error(`git ${args.join(" ")} failed (${result.code}): ${result.stderr}`);
  return result.stdout.toString("utf8").trim();
}

/** The commit sha `ref` (branch name, full ref or sha) points at, or null. */
export async function resolveCommit(gitDir: string, ref: string): Promise<string | null> {
  const candidates = /^[0-9a-f]{40}$/i.test(ref) || ref.startsWith("refs/") ? [ref] : [`refs/heads/${ref}`, `refs/tags/${ref}`, ref];
  for (const candidate of candidates) {
    const result = await runGit(gitDir, ["rev-parse", "--verify", "--quiet", `${candidate}^{commit}`]);
    if (result.code === 0) return result.stdout.toString("utf8").trim();
  }
  return null;
}

export async function branchExists(gitDir: string, branch: string): Promise<boolean> {
  return (await runGit(gitDir, ["show-ref", "--verify", "--quiet", `refs/heads/${branch}`])).code === 0;
}

export async function deleteBranch(gitDir: string, branch: string): Promise<void> {
  await git(gitDir, ["update-ref", "-d", `refs/heads/${branch}`]);
}

/** Object type and sha at `commit:path`, or null when the path does not exist. */
export async function objectAt(gitDir: string, commit: string, path: string): Promise<{ type: string; sha: string } | null> {
  const spec = path === "" ? `${commit}^{tree}` : `${commit}:${path}`;
  const sha = await runGit(gitDir, ["rev-parse", "--verify", "--quiet", spec]);
  if (sha.code !== 0) return null;
  const oid = sha.stdout.toString("utf8").trim();
  const type = await git(gitDir, ["cat-file", "-t", oid]);
  return { type, sha: oid };
}

export async function readBlob(gitDir: string, sha: string): Promise<Buffer> {
  const result = await runGit(gitDir, ["cat-file", "blob", sha]);
  if (result.code !== 0) throw new Error(`cannot read blob ${sha}: ${result.stderr}`);
  return result.stdout;
}

export interface TreeEntry {
  type: string;
  sha: string;
  name: string;
  size: number | null;
}

export async function listTree(gitDir: string, treeSha: string): Promise<TreeEntry[]> {
  const out = await runGit(gitDir, ["ls-tree", "-z", "--long", treeSha]);
  return out.stdout
    .toString("utf8")
    .split("\0")
    .filter((line) => line.length > 0)
    .map((line) => {
      const [meta = "", name = ""] = line.split("\t");
      const [, type = "blob", sha = "", size = "-"] = meta.trim().split(/\s+/);
      return { type, sha, name, size: size === "-" ? null : Number(size) };
    });
}

/** Merges `head` into `base` with a real merge commit; returns its sha, or null on conflicts. */
export async function mergeBranches(gitDir: string, base: string, head: string, message: string): Promise<string | null> {
  const baseSha = await resolveCommit(gitDir, base);
  const headSha = await resolveCommit(gitDir, head);
  if (!baseSha || !headSha) return null;
  const tree = await runGit(gitDir, ["merge-tree", "--write-tree", baseSha, headSha]);
  if (tree.code !== 0) return null;
  const treeSha = tree.stdout.toString("utf8").split("\n")[0]?.trim() ?? "";
  const commit = await git(gitDir, ["commit-tree", treeSha, "-p", baseSha, "-p", headSha, "-m", message]);
  await git(gitDir, ["update-ref", `refs/heads/${base}`, commit, baseSha]);
  return commit;
}
