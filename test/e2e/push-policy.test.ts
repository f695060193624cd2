import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAppHarness, waitFor, type AppHarness } from "../helpers/app-harness.js";
import { agentCommand, CHECK_EVALS } from "../helpers/race-fixture.js";
import { raceTestKit } from "../helpers/race-test-kit.js";

let h: AppHarness;
beforeAll(async () => {
  h = await startAppHarness({ files: {} });
});
afterAll(async () => {
  await h?.close();
});
const kit = raceTestKit(() => h, "policy");

const AGENTS = [
  "agents:",
  `  good: { command: ${agentCommand("--write", "src/answer.txt=42")} }`,
  `  bad: { command: ${agentCommand("--write", "src/answer.txt=7")} }`,
  `  ci: { command: ${agentCommand("--write", "src/answer.txt=42", "--write", ".github/workflows/ci.yml=on: push")} }`,
  `  deploy: { command: ${agentCommand("--write", "src/answer.txt=42", "--write", "deploy/prod.tf=x")} }`,
].join("\n");

async function race(config: string, title: string) {
  const repo = await kit.repoWith(`${AGENTS}\n${CHECK_EVALS}\n${config}`);
  const issue = h.fake.addIssue(repo, { title, body: "Make the answer 42.", user: "alice" });
  await kit.startRace(repo, issue);
  const comparison = await waitFor(() => kit.marked(repo, issue.number, "agent-race:comparison:"), 40_000, "comparison comment");
  return { repo, issue, comparison, state: h.fake.repo(repo), branches: await kit.agentBranches(repo) };
}

describe("push policy on GitHub", () => {
  it("pushes only the passing lane; the failing one reports, gets no branch or PR, and says why", async () => {
    const { comparison, state, branches } = await race("default_agents: [good, bad]\nlanes: 2", "Only passing lanes");
    expect(branches).toHaveLength(1);
    expect(branches[0]).toMatch(/\/1-good$/);
    const pulls = [...state.pulls.values()];
    expect(pulls.map((p) => p.head)).toEqual(branches);
    expect(comparison.body).toContain("not pushed: the lane did not pass (failed)");
    expect(comparison.body).not.toMatch(/tree\/agent-race\/[^)]*2-bad/);
    expect([...state.checkRuns.values()].map((c) => c.name)).toEqual(["agent-race / lane 1 (good)"]);
  });

  it("pushes failing lanes too with push_failed: true (still no PR for them)", async () => {
    const { state, branches, comparison } = await race("default_agents: [good, bad]\nlanes: 2\npush_failed: true", "Push failed too");
    expect(branches.map((b) => b.split("/").at(-1)).sort()).toEqual(["1-good", "2-bad"]);
    expect([...state.pulls.values()].map((p) => p.head.split("/").at(-1))).toEqual(["1-good"]);
    expect(comparison.body).not.toContain("not pushed");
  });

  it("refuses a lane that edits .github/workflows/ci.yml or a protected_paths glob: status protected, never pushed", async () => {
    const { state, branches, comparison, repo, issue } = await race("default_agents: [ci, deploy, good]\nlanes: 3\nprotected_paths: ['deploy/**']\npush_failed: true", "Protected paths");
    // Even with push_failed, protected lanes are never pushed.
    expect(branches.map((b) => b.split("/").at(-1))).toEqual(["3-good"]);
    expect([...state.pulls.values()].map((p) => p.head.split("/").at(-1))).toEqual(["3-good"]);
    expect(comparison.body).toContain("refused: changes protected paths .github/workflows/ci.yml; not pushed");
    expect(comparison.body).toContain("refused: changes protected paths deploy/prod.tf; not pushed");
    expect(comparison.body).toContain("🛡️");
    const status = await waitFor(() => kit.marked(repo, issue.number, "agent-race:status:")?.body.match(/protected paths/) && kit.marked(repo, issue.number, "agent-race:status:"), 10_000, "final status");
    expect(status.body).toContain("🛡️ protected paths");
    // The winner is the clean lane: the protected ones rank below it.
    expect(comparison.body).toMatch(/\| 1 🏆 \| \[3\]/);
  });

  it("opens the best-mode PR as a draft by default, and ready for review with draft: false", async () => {
    const drafted = await race("default_agents: [good]\nlanes: 1", "Draft by default");
    expect([...drafted.state.pulls.values()].map((p) => p.draft)).toEqual([true]);
    const ready = await race("default_agents: [good]\nlanes: 1\ndraft: false", "Not a draft");
    expect([...ready.state.pulls.values()].map((p) => p.draft)).toEqual([false]);
  });
});
