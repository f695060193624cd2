import { git, runGit } from "./git-ops.js";

/** One entry of `GET /repos/{o}/{r}/pulls/{n}/files` (before URLs are added). */
export interface DiffFile {
  sha: string;
  filename: string;
  status: "added" | "removed" | "modified" | "renamed" | "copied" | "changed";
  additions: number;
  deletions: number;
  changes: number;
  patch?: string;
  previous_filename?: string;
}

const STATUS: Record<string, DiffFile["status"]> = { A: "added", D: "removed", M: "modified", R: "renamed", C: "copied", T: "changed" };

/** The files changed between the merge base of `base` and `head` and `head` (GitHub's three-dot diff). */
export async function diffFiles(gitDir: string, base: string, head: string): Promise<DiffFile[]> {
  const range = `${base}...${head}`;
  const raw = (await git(gitDir, ["diff", "--raw", "--no-abbrev", "-M", "-z", range])).split("\0");
  const numstat = (await git(gitDir, ["diff", "--numstat", "-M", "-z", range])).split("\0");
  const patches = splitPatches((await runGit(gitDir, ["diff", "-M", range])).stdout.toString("utf8"));

  const files: DiffFile[] = [];
  for (let i = 0; i < raw.length; ) {
    const meta = raw[i++] ?? "";
    if (!meta.startsWith(":")) continue;
    const [, , , newSha = "", code = "M"] = meta.slice(1).split(" ");
    const letter = code.charAt(0);
    const first = raw[i++] ?? "";
    const second = letter === "R" || letter === "C" ? (raw[i++] ?? "") : undefined;
    const file: DiffFile = {
      sha: letter === "D" ? "0000000000000000000000000000000000000000" : newSha,
      filename: second ?? first,
      status: STATUS[letter] ?? "modified",
      additions: 0,
      deletions: 0,
      changes: 0,
    };
    if (second !== undefined) file.previous_filename = first;
    files.push(file);
  }

  let index = 0;
  for (let i = 0; i < numstat.length && index < files.length; ) {
    const entry = numstat[i++] ?? "";
    if (entry === "") continue;
    const [added = "0", deleted = "0", path = ""] = entry.split("\t");
    if (path === "") i += 2; // rename: the two paths follow as separate fields
    const file = files[index++];
    if (!file) break;
    file.additions = added === "-" ? 0 : Number(added);
    file.deletions = deleted === "-" ? 0 : Number(deleted);
    file.changes = file.additions + file.deletions;
    const patch = patches[index - 1];
    if (patch) file.patch = patch;
  }
  return files;
}

/** Splits a unified diff into per-file hunks (GitHub's `patch` omits the `diff --git` header lines). */
function splitPatches(diff: string): Array<string | undefined> {
  return diff
    .split(/^diff --git .*$/m)
    .slice(1)
    .map((chunk) => {
      const at = chunk.indexOf("\n@@");
      return at === -1 ? undefined : chunk.slice(at + 1).replace(/\n$/, "");
    });
}
