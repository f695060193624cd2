import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomUUID } from "node:crypto";
import { execa } from "execa";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { issueLabeledPayload, pullRequestClosedPayload, pullRequestReviewPayload, type FakeRepo } from "../helpers/fake-github/index.js";
import { REDIS_URL, startAppHarness, waitFor, type AppHarness, UNSANDBOXED_OPERATOR } from "../helpers/app-harness.js";
import { raceTestKit } from "../helpers/race-test-kit.js";
import { agentCommand, CHECK_EVALS, NODE } from "../helpers/race-fixture.js";

const evals = CHECK_EVALS;

let h: AppHarness;
let scratch: string;
beforeAll(async () => {
  h = await startAppHarness({ operator: UNSANDBOXED_OPERATOR, files: { "README.md": "# unused\n" } });
  scratch = await mkdtemp(join(tmpdir(), "agent-race-review-"));
});
afterAll(async () => {
  await h?.close();
});

const { repoWith, comments, marked, label, comment, agentBranches: branchesOf } = raceTestKit(() => h, "review");
const pulls = (repo: FakeRepo) => [...h.fake.repo(repo).pulls.values()].sort((a, b) => a.head.localeCompare(b.head));
const payloadPull = (pr: { number: number; head: string; headSha: string }) => ({ number: pr.number, head: pr.head, headSha: pr.headSha, title: "t" });

async function finishedRace(config: string, title = "Make the answer 42") {
  const repo = await repoWith(config);
  const issue = h.fake.addIssue(repo, { title, body: "The answer must be 42.", user: "alice", labels: ["agent:race"] });
  await label(repo, issue);
  await waitFor(() => marked(repo, issue.number, "agent-race:comparison:"), 30_000, "comparison");
  return { repo, issue };
}

async function review(repo: FakeRepo, prNumber: number, state: "approved" | "changes_requested", user = "alice", options: { body?: string; comments?: Array<{ path: string; line: number; diff_hunk: string; body: string }>; deliveryId?: string } = {}) {
  const pr = h.fake.repo(repo).pulls.get(prNumber)!;
  const fakeReview = await h.fake.addReview(repo, prNumber, { state: state === "approved" ? "APPROVED" : "CHANGES_REQUESTED", body: options.body ?? "", user, comments: options.comments ?? [] });
  return h.send("pull_request_review", pullRequestReviewPayload({ repo, pull: payloadPull(pr), review: { id: fakeReview.id, state, body: options.body ?? "" }, sender: user, installationId: 1 }), options.deliveryId);
}

describe("review iteration", () => {
  it("sends a changes-requested review with every comment back to the lane's agent, pushes and updates evals", async () => {
    const promptFile = join(scratch, "prompt-revise.txt");
    const { repo } = await finishedRace(`agents:\n  fixer: { command: ${agentCommand("--prompt-to", promptFile, "--write", "src/answer.txt=42", "--append", "src/log.txt=pass\\n")} }\nlanes: 1\n${evals}`);
    const [pr] = pulls(repo);
    const before = pr!.headSha;
    const delivery = randomUUID();
    const reviewComments = [
      { path: "src/answer.txt", line: 1, diff_hunk: "@@ -1 +1 @@\n-0\n+42", body: "Name this constant." },
      { path: "check.mjs", line: 2, diff_hunk: "@@ -1,2 +1,2 @@\n import x", body: "<!-- hidden -->Also check the type." },
    ];
    await review(repo, pr!.number, "changes_requested", "alice", { body: "Close, but please tidy up.", comments: reviewComments, deliveryId: delivery });
    const reply = await waitFor(() => marked(repo, pr!.number, "Revised by lane 1"), 30_000, "revision reply");
    expect(reply.body).toContain("@alice");
    expect(reply.body).toMatch(/✅ check 1\/1/);
    const prompt = await readFile(promptFile, "utf8");
    expect(prompt).toContain("Make the answer 42");
    expect(prompt).toContain("Close, but please tidy up.");
    expect(prompt).toContain("src/answer.txt, line 1");
    expect(prompt).toContain("Name this constant.");
    expect(prompt).toContain("check.mjs, line 2");
    expect(prompt).toContain("  +42");
    expect(prompt).toContain("Also check the type.");
    expect(prompt).not.toContain("hidden");
    const after = h.fake.repo(repo).pulls.get(pr!.number)!.headSha;
    expect(after).not.toBe(before);
    expect((await execa("git", ["rev-list", "--count", `${before}..${after}`], { cwd: repo.bareDir })).stdout).toBe("1");
    // The race's commit says the issue's title; the revision's says whose review it addresses.
    const subjects = (await execa("git", ["log", "--format=%s", "-2", after], { cwd: repo.bareDir })).stdout.split("\n");
    expect(subjects).toEqual(["agent-race: address review by @alice", expect.stringMatching(/^agent-race: Make the answer 42/)]);
    expect(h.fake.repo(repo).issues.get(pr!.number)?.body).toContain("check");
    const checks = [...h.fake.repo(repo).checkRuns.values()].filter((c) => c.headSha === after);
    expect(checks.map((c) => c.conclusion)).toEqual(["success"]);

    // The same delivery again does nothing twice.
    await h.send("pull_request_review", pullRequestReviewPayload({ repo, pull: payloadPull(pr!), review: { id: 1, state: "changes_requested", body: "" }, sender: "alice", installationId: 1 }), delivery);
    await new Promise((r) => setTimeout(r, 1500));
    expect(comments(repo, pr!.number).filter((c) => c.body.includes("Revised by lane 1"))).toHaveLength(1);
  });

  it("ignores a review from someone without write access", async () => {
    const { repo } = await finishedRace(`agents:\n  fixer: { command: ${agentCommand("--write", "src/answer.txt=42", "--append", "src/log.txt=x\\n")} }\nlanes: 1\n${evals}`);
    const [pr] = pulls(repo);
    await review(repo, pr!.number, "changes_requested", "mallory", { body: "rewrite everything" });
    await new Promise((r) => setTimeout(r, 2000));
    expect(h.fake.repo(repo).pulls.get(pr!.number)?.headSha).toBe(pr!.headSha);
    expect(marked(repo, pr!.number, "Revised by")).toBeUndefined();
  });

  it("retries once from the new head when a human pushed meanwhile", async () => {
    const { repo } = await finishedRace(`agents:\n  slow: { command: ${agentCommand("--sleep", "1500", "--write", "src/answer.txt=42", "--append", "src/log.txt=agent\\n")} }\nlanes: 1\n${evals}`);
    const [pr] = pulls(repo);
    await review(repo, pr!.number, "changes_requested", "alice", { body: "more" });
    await new Promise((r) => setTimeout(r, 700));
    // A human commit lands on the branch while the agent works.
    const work = await mkdtemp(join(scratch, "human-"));
    await execa("git", ["clone", "-q", "--branch", pr!.head, repo.bareDir, work]);
    await execa("git", ["-C", work, "commit", "-q", "--allow-empty", "-m", "human change"]);
    await execa("git", ["-C", work, "push", "-q", "origin", pr!.head]);
    const human = (await execa("git", ["-C", work, "rev-parse", "HEAD"])).stdout;
    await waitFor(() => marked(repo, pr!.number, "Revised by lane 1"), 30_000, "revision reply");
    const head = h.fake.repo(repo).pulls.get(pr!.number)!.headSha;
    expect((await execa("git", ["merge-base", "--is-ancestor", human, head], { cwd: repo.bareDir, reject: false })).exitCode).toBe(0);
  });
});

describe("picking a winner and clean-up", () => {
  const compare = `agents:\n  a: { command: ${agentCommand("--write", "src/answer.txt=42")} }\n  b: { command: ${agentCommand("--write", "src/answer.txt=42", "--write", "src/b.txt=b")} }\ndefault_agents: [a, b]\nlanes: 2\nmode: compare\n${evals}`;

  it("an approving review picks that lane: un-drafted, siblings closed and their branches deleted; /pick switches", async () => {
    const { repo, issue } = await finishedRace(compare);
    const [first, second] = pulls(repo);
    expect([first?.draft, second?.draft]).toEqual([true, true]);
    await review(repo, second!.number, "approved");
    await waitFor(() => !h.fake.repo(repo).pulls.get(second!.number)!.draft, 15_000, "un-drafted");
    await waitFor(() => h.fake.repo(repo).issues.get(first!.number)?.state === "closed", 15_000, "sibling closed");
    expect(marked(repo, first!.number, `#${second!.number}`)).toBeDefined();
    await waitFor(async () => (await branchesOf(repo)).length === 1, 10_000, "sibling branch deleted");
    expect(await branchesOf(repo)).toEqual([second!.head]);
    expect(h.fake.repo(repo).issues.get(second!.number)?.body).toContain("Chosen over lanes 1");
    await waitFor(() => marked(repo, issue.number, "Picked: lane 2"), 10_000, "comparison marks winner");

    // /pick 1 switches the choice and reopens what it closed.
    await comment(repo, issue, "/pick 1");
    await waitFor(() => h.fake.repo(repo).issues.get(first!.number)?.state === "open" && h.fake.repo(repo).issues.get(second!.number)?.state === "closed", 15_000, "switched");
    expect(h.fake.repo(repo).pulls.get(first!.number)?.draft).toBe(false);
    await waitFor(async () => (await branchesOf(repo)).join() === first!.head, 10_000, "switched branches");
    await waitFor(() => marked(repo, issue.number, "Picked: lane 1"), 10_000, "comparison marks new winner");
  });

  it("after a merge, deletes the race's other branches and marks the issue done; a later /pick is refused", async () => {
    const { repo, issue } = await finishedRace(compare);
    const [first, second] = pulls(repo);
    await h.send("pull_request", pullRequestClosedPayload({ repo, pull: payloadPull(first!), merged: true, sender: "alice", installationId: 1 }));
    await waitFor(async () => (await branchesOf(repo)).length === 1, 15_000, "other branches deleted");
    expect(await branchesOf(repo)).toEqual([first!.head]);
    await waitFor(() => h.fake.repo(repo).issues.get(second!.number)?.state === "closed", 10_000, "sibling closed");
    expect(h.fake.repo(repo).issues.get(issue.number)?.labels).toContain("agent-race:done");
    await comment(repo, issue, "/pick 2");
    await waitFor(() => marked(repo, issue.number, "This race is finished"), 10_000, "finished reply");
  });

  it("closing the issue cancels a running race", async () => {
    const repo = await repoWith(`agents:\n  stuck: { command: ${agentCommand("--write", "src/answer.txt=42", "--hang")} }\nlanes: 1\n${evals}`);
    const issue = h.fake.addIssue(repo, { title: "Task", body: "x", user: "alice", labels: ["agent:race"] });
    await label(repo, issue);
    await waitFor(() => marked(repo, issue.number, "agent-race:status:")?.body.includes("agent running"), 15_000, "running");
    const closed = issueLabeledPayload({ repo, issue: { ...issue, state: "closed" }, label: "agent:race", sender: "alice", installationId: 1 });
    await h.send("issues", { ...closed, action: "closed" });
    await waitFor(() => /issue was closed; agents stopped/.test(marked(repo, issue.number, "agent-race:status:")?.body ?? ""), 20_000, "cancelled");
    expect(await branchesOf(repo)).toEqual([]);
  });

  it("/retry N re-runs one lane and updates the comparison", async () => {
    const flag = join(scratch, `flaky-${randomUUID()}`);
    // Fails the first time (no flag file yet), passes on the retry.
    const flaky = [NODE, "-e", `const fs=require("fs");if(!fs.existsSync(${JSON.stringify(flag)})){fs.writeFileSync(${JSON.stringify(flag)},"1");fs.writeFileSync("src/answer.txt","7")}else{fs.writeFileSync("src/answer.txt","42")}`];
    const { repo, issue } = await finishedRace(`agents:\n  flaky: { command: ${JSON.stringify(flaky)} }\nlanes: 1\n${evals}`);
    expect(pulls(repo)).toHaveLength(0);
    expect(marked(repo, issue.number, "agent-race:comparison:")?.body).toContain("No lane passed");
    await comment(repo, issue, "/retry 1");
    await waitFor(() => marked(repo, issue.number, "agent-race:comparison:")?.body.includes("Winner: lane 1"), 30_000, "updated comparison");
    expect(pulls(repo)).toHaveLength(1);
    expect(comments(repo, issue.number).filter((c) => c.body.includes("agent-race:comparison:"))).toHaveLength(1);
  });
});

describe("the daily sweep", () => {
  it("deletes branches of closed PRs whose retention ended and keeps fresh ones", async () => {
    const base = `agents:\n  ok: { command: ${agentCommand("--write", "src/answer.txt=42")} }\nlanes: 1\n${evals}`;
    const expired = await finishedRace(`${base}\nbranch_retention_days: 0`);
    const fresh = await finishedRace(`${base}\nbranch_retention_days: 7`);
    for (const { repo } of [expired, fresh]) {
      const [pr] = pulls(repo);
      h.fake.repo(repo).issues.get(pr!.number)!.state = "closed";
      await h.send("pull_request", pullRequestClosedPayload({ repo, pull: payloadPull(pr!), merged: false, sender: "alice", installationId: 1 }));
    }
    await new Promise((r) => setTimeout(r, 1500));
    const connection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
    const queue = new Queue("maintenance", { connection, prefix: h.prefix });
    const job = await queue.add("sweep", {});
    await waitFor(async () => (await job.isCompleted()) || undefined, 15_000, "sweep");
    await queue.close();
    connection.disconnect();
    expect(await branchesOf(expired.repo)).toEqual([]);
    expect(await branchesOf(fresh.repo)).toHaveLength(1);
  });
});
