import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestOctokit, gitAuthArgs, issueLabeledPayload, type FakeRepo } from "../helpers/fake-github/index.js";
import { startAppHarness, waitFor, type AppHarness } from "../helpers/app-harness.js";
import { agentCommand } from "../helpers/race-fixture.js";

let h: AppHarness;
let work: string;
beforeAll(async () => {
  h = await startAppHarness({ files: { "README.md": "# unused\n" } });
  work = await mkdtemp(join(tmpdir(), "agent-race-overlap-"));
});
afterAll(async () => {
  await h?.close();
});

// Lane 1 edits src/answer.txt (which the human PR also changes: a real conflict); lane 2 edits
// only src/other.txt, with a bigger diff, so lane 1 ranks first unless it is penalized.
const agents = [
  "agents:",
  `  conflicting: { command: ${agentCommand("--write", "src/answer.txt=42\\n")} }`,
  `  separate: { command: ${agentCommand("--write", "src/other.txt=a\\nb\\nc\\n")} }`,
  "default_agents: [conflicting, separate]",
  "lanes: 2",
  'evals:\n  - { name: ok, run: "true" }',
].join("\n");

let count = 0;
async function repoWithOpenPr(policy: string): Promise<{ repo: FakeRepo; prNumber: number }> {
  const repo = await h.fake.addRepo({ owner: "acme", name: `overlap${++count}`, installationId: 1, files: { "src/answer.txt": "0\n", "src/other.txt": "x\n", ".github/agent-race.yml": `${agents}\noverlap: ${policy}\n` } });
  h.fake.setPermission(repo, "alice", "write");
  const token = h.fake.createInstallationToken(1);
  const dir = join(work, repo.name);
  await execa("git", [...gitAuthArgs(token), "clone", "-q", repo.cloneUrl, dir]);
  await execa("git", ["-C", dir, "checkout", "-q", "-b", "human/answer"]);
  await writeFile(join(dir, "src/answer.txt"), "100\n");
  await execa("git", ["-C", dir, "commit", "-qam", "human: answer is 100"]);
  await execa("git", ["-C", dir, ...gitAuthArgs(token), "push", "-q", "origin", "human/answer"]);
  const octokit = createTestOctokit({ apiUrl: h.fake.apiUrl, token });
  const { data } = await octokit.rest.pulls.create({ owner: "acme", repo: repo.name, head: "human/answer", base: "main", title: "Human change" });
  return { repo, prNumber: data.number };
}

async function race(repo: FakeRepo) {
  const issue = h.fake.addIssue(repo, { title: "Change things", body: "x", user: "alice", labels: ["agent:race"] });
  await h.send("issues", issueLabeledPayload({ repo, issue, label: "agent:race", sender: "alice", installationId: 1 }));
  const comparison = await waitFor(() => [...h.fake.repo(repo).comments.values()].find((c) => c.issueNumber === issue.number && c.body.includes("agent-race:comparison:")), 40_000, "comparison");
  const ours = [...h.fake.repo(repo).pulls.values()].filter((p) => p.head.startsWith("agent-race/"));
  return { comparison: comparison.body, ours };
}

describe("overlap with open PRs", () => {
  it("warn: flags the conflicting lane in its PR body, label and the comparison's Overlap column", async () => {
    const { repo, prNumber } = await repoWithOpenPr("warn");
    const { comparison, ours } = await race(repo);
    expect(ours).toHaveLength(1);
    expect(ours[0]?.head).toMatch(/\/1-conflicting$/);
    const body = h.fake.repo(repo).issues.get(ours[0]!.number)!;
    expect(body.body).toContain(`#${prNumber} (conflict: src/answer.txt)`);
    expect(body.labels).toContain("agent-race:overlap");
    expect(comparison).toContain("| Overlap |");
    expect(comparison).toContain(`#${prNumber} conflict`);
  });

  it("penalize: ranks the conflicting lane after an equal lane without conflicts", async () => {
    const { repo } = await repoWithOpenPr("penalize");
    const { comparison, ours } = await race(repo);
    expect(comparison).toContain("Winner: lane 2");
    expect(ours.map((p) => p.head.split("/").at(-1))).toEqual(["2-separate"]);
  });

  it("block: the conflicting lane opens no PR and the comment names the PR that blocks it", async () => {
    const { repo, prNumber } = await repoWithOpenPr("block");
    const { comparison, ours } = await race(repo);
    expect(ours.map((p) => p.head.split("/").at(-1))).toEqual(["2-separate"]);
    expect(comparison).toContain(`Lane 1 opened no pull request: it conflicts with #${prNumber}`);
  });
});
