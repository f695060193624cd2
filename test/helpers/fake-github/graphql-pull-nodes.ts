import { diffFiles } from "./diff-files.js";
import { git } from "./git-ops.js";
import { connection, fieldArgs, selects, type GraphqlValue } from "./graphql-args.js";
import { seededFiles } from "./seeded-files.js";
import type { FakePull, FakeRepoState } from "./types.js";

/**
 * Pull request nodes for graphql-alias-route.ts, built for volume: one `git for-each-ref` per request for every
 * head and base sha, and file lists from seeded-files.ts (see seed-pulls.ts) or, failing that, computed once per
 * base/head pair with git and remembered.
 */

interface FileEntry {
  path: string;
  additions: number;
  deletions: number;
  changeType: string;
}

const computed = new WeakMap<FakeRepoState, Map<string, FileEntry[]>>();

/** Every branch's sha, read once per request. */
export async function branchShas(repo: FakeRepoState): Promise<Map<string, string>> {
  const out = await git(repo.bareDir, ["for-each-ref", "--format=%(objectname) %(refname:lstrip=2)", "refs/heads/"]);
  return new Map(out.split("\n").filter(Boolean).map((line) => [line.slice(line.indexOf(" ") + 1), line.slice(0, line.indexOf(" "))]));
}

export function pullState(repo: FakeRepoState, pull: FakePull): "OPEN" | "CLOSED" | "MERGED" {
  return pull.merged ? "MERGED" : repo.issues.get(pull.number)?.state === "closed" ? "CLOSED" : "OPEN";
}

async function filesOf(repo: FakeRepoState, baseSha: string, headSha: string): Promise<FileEntry[]> {
  const known = seededFiles(repo, headSha);
  if (known) return known.map((f) => ({ path: f.path, additions: f.additions, deletions: 0, changeType: "MODIFIED" }));
  const memo = computed.get(repo) ?? new Map<string, FileEntry[]>();
  computed.set(repo, memo);
  const key = `${baseSha}:${headSha}`;
  const cached = memo.get(key);
  if (cached) return cached;
  const files = (await diffFiles(repo.bareDir, baseSha, headSha)).map((f) => ({
    path: f.filename,
    additions: f.additions,
    deletions: f.deletions,
    changeType: f.status === "removed" ? "DELETED" : f.status.toUpperCase(),
  }));
  memo.set(key, files);
  return files;
}

/** A pull request node with every field graphql-route.ts documents, plus `updatedAt` and `createdAt`. */
export async function pullNodeFast(
  ctx: { url: string },
  repo: FakeRepoState,
  pull: FakePull,
  shas: Map<string, string>,
  fieldText: string,
  variables: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const issue = repo.issues.get(pull.number);
  const head = shas.get(pull.head);
  if (head) pull.headSha = head;
  const node: Record<string, unknown> = {
    id: pull.nodeId,
    number: pull.number,
    title: issue?.title ?? "",
    headRefName: pull.head,
    headRefOid: pull.headSha,
    baseRefName: pull.base,
    isDraft: pull.draft,
    state: pullState(repo, pull),
    url: `${ctx.url}/${repo.fullName}/pull/${pull.number}`,
    createdAt: issue?.createdAt ?? null,
    updatedAt: issue?.updatedAt ?? null,
  };
  if (selects(fieldText, "files")) {
    const args: Record<string, GraphqlValue> = fieldArgs(fieldText, "files", variables) ?? {};
    const files = await filesOf(repo, shas.get(pull.base) ?? pull.headSha, pull.headSha);
    node.files = connection(files, args.first, args.after);
  }
  return node;
}
