import type { FakeGitHub } from "./create-fake-github.js";
import { git, resolveCommit } from "./git-ops.js";
import { branchShas } from "./graphql-pull-nodes.js";
import { seedFiles } from "./seeded-files.js";
import { nextId, nowIso } from "./state.js";
import type { RepoRef } from "./test-api.js";
import type { FakePull, FakeRepoState } from "./types.js";

export interface SeedPull {
  /** Head branch, created from the default branch's tip with one commit that writes `files`. */
  branch: string;
  files: Record<string, string>;
  title?: string;
  /** The pull request's `updatedAt` (default now). */
  updatedAt?: string;
}

/**
 * Opens many pull requests at once, much faster than pushes plus `POST /pulls`: one `git fast-import`
 * writes every head commit into the fake's bare repo, then the pulls go straight into the state, and their file
 * lists into seeded-files.ts (so GraphQL and REST file answers for 1,000 PRs need no git diff per PR).
 */
export async function seedPulls(fake: FakeGitHub, ref: RepoRef, pulls: readonly SeedPull[]): Promise<FakePull[]> {
  const repo = fake.repo(ref);
  const base = await resolveCommit(repo.bareDir, repo.defaultBranch);
  if (!base) throw new Error(`fake-github: ${repo.fullName} has no ${repo.defaultBranch}`);
  await fastImport(repo, pulls.map((p) => ({ branch: p.branch, parent: base, files: p.files })));
  const heads = await branchShas(repo);
  return pulls.map((spec) => {
    const number = repo.nextNumber++;
    const at = spec.updatedAt ?? nowIso();
    repo.issues.set(number, {
      id: nextId(fake.state), number, title: spec.title ?? spec.branch, body: null, user: fake.state.bot, state: "open",
      stateReason: null, labels: [], reactions: [], isPullRequest: true, createdAt: at, updatedAt: at, closedAt: null,
    });
    const pull: FakePull = {
      id: nextId(fake.state), nodeId: `PR_kwDO${Buffer.from(`${repo.id}:${number}`).toString("base64url")}`, number,
      head: spec.branch, base: repo.defaultBranch, headSha: heads.get(spec.branch) ?? "", draft: false, merged: false,
      mergedAt: null, mergeCommitSha: null,
    };
    repo.pulls.set(number, pull);
    seedFiles(repo, pull.headSha, spec.files);
    return pull;
  });
}

/**
 * Pushes one more commit writing `files` to a pull request's branch and bumps its `updatedAt`, as GitHub does.
 * Its files then come from git (`diffFiles`). Returns the new head sha.
 */
export async function pushToPull(fake: FakeGitHub, ref: RepoRef, number: number, files: Record<string, string>): Promise<string> {
  const repo = fake.repo(ref);
  const pull = repo.pulls.get(number);
  const issue = repo.issues.get(number);
  if (!pull || !issue) throw new Error(`fake-github: no pull request #${number}`);
  const parent = await resolveCommit(repo.bareDir, pull.head);
  if (!parent) throw new Error(`fake-github: branch ${pull.head} is gone`);
  await fastImport(repo, [{ branch: pull.head, parent, files }]);
  pull.headSha = (await resolveCommit(repo.bareDir, pull.head)) ?? pull.headSha;
  issue.updatedAt = nowIso();
  return pull.headSha;
}

async function fastImport(repo: FakeRepoState, commits: ReadonlyArray<{ branch: string; parent: string; files: Record<string, string> }>): Promise<void> {
  const data = (text: string): string => `data ${Buffer.byteLength(text)}\n${text}\n`;
  const stream = commits.map(({ branch, parent, files }, i) => {
    const changes = Object.entries(files).map(([path, content]) => `M 100644 inline ${path}\n${data(content)}`);
    const when = 1_700_000_000 + i;
    return `commit refs/heads/${branch}\ncommitter GitHub <noreply@github.com> ${when} +0000\n${data(`update ${branch}`)}from ${parent}\n${changes.join("")}\n`;
  });
  await git(repo.bareDir, ["fast-import", "--quiet", "--force"], { input: `${stream.join("")}done\n` });
}
