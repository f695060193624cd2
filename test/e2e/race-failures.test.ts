import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { issueCommentPayload } from "../helpers/fake-github/index.js";
import { startAppHarness, waitFor, type AppHarness } from "../helpers/app-harness.js";
import { raceTestKit } from "../helpers/race-test-kit.js";
import { agentCommand, CHECK_EVALS } from "../helpers/race-fixture.js";

const evals = CHECK_EVALS;

let h: AppHarness;
beforeAll(async () => {
  h = await startAppHarness({ files: { "README.md": "# unused\n" } });
});
afterAll(async () => {
  await h?.close();
});

const { repoWith, comments, marked, label, comment, agentBranches: remoteBranches } = raceTestKit(() => h, "r");

describe("triggers that must not start a race", () => {
  it("ignores an unauthorized commenter, replying at most once per issue", async () => {
    const repo = await repoWith(`agents:\n  ok: { command: ${agentCommand("--write", "src/answer.txt=42")} }\n${evals}`);
    const issue = h.fake.addIssue(repo, { title: "Task", body: "x", user: "mallory" });
    await comment(repo, issue, "/race 2", "mallory");
    await waitFor(() => marked(repo, issue.number, "only people with write access"), 10_000, "refusal");
    await comment(repo, issue, "/race 3", "mallory");
    await new Promise((r) => setTimeout(r, 1500));
    expect(comments(repo, issue.number)).toHaveLength(1);
    expect(h.fake.repo(repo).pulls.size).toBe(0);
    expect(await remoteBranches(repo)).toEqual([]);
  });

  it("answers an invalid repo config with the validation errors and no race", async () => {
    const repo = await repoWith("lanes: 99\ncolour: blue\n");
    const issue = h.fake.addIssue(repo, { title: "Task", body: "x", user: "alice" });
    await label(repo, issue);
    const reply = await waitFor(() => marked(repo, issue.number, "config is invalid"), 10_000, "config error");
    expect(reply.body).toContain("lanes (99) is more than max_lanes (8)");
    expect(reply.body).toContain('Unrecognized key: "colour"');
    await new Promise((r) => setTimeout(r, 500));
    expect(marked(repo, issue.number, "agent-race:status:")).toBeUndefined();
  });

  it("answers a malformed command with what is wrong and the usage", async () => {
    const repo = await repoWith(`agents:\n  ok: { command: ${agentCommand("--write", "src/answer.txt=42")} }\n${evals}`);
    const issue = h.fake.addIssue(repo, { title: "Task", body: "x", user: "alice" });
    await comment(repo, issue, "/race 0");
    const reply = await waitFor(() => comments(repo, issue.number).find((c) => c.body.includes("/race")), 10_000, "usage reply");
    expect(reply.body).toMatch(/between 1 and 8/);
    expect(marked(repo, issue.number, "agent-race:status:")).toBeUndefined();
  });
});

describe("races that do not end in a PR", () => {
  it("explains per lane, with a log excerpt, why no lane passed", async () => {
    const repo = await repoWith(`agents:\n  wrong: { command: ${agentCommand("--write", "src/answer.txt=7")} }\n  crash: { command: ${agentCommand("--exit", "4")} }\ndefault_agents: [wrong, crash]\nlanes: 2\n${evals}`);
    const issue = h.fake.addIssue(repo, { title: "Task", body: "x", user: "alice" });
    await label(repo, issue);
    const comparison = await waitFor(() => marked(repo, issue.number, "agent-race:comparison:"), 30_000, "comparison");
    expect(comparison.body).toContain("No lane passed");
    expect(comparison.body).toContain("code 4");
    expect(comparison.body).toContain("<details>");
    expect(h.fake.repo(repo).pulls.size).toBe(0);
    await waitFor(() => h.fake.repo(repo).issues.get(issue.number)?.labels.includes("agent-race:failed"), 5000, "failed label");
  });

  it("marks a lane whose agent hangs past its timeout as timeout", async () => {
    const repo = await repoWith(`agents:\n  slow: { command: ${agentCommand("--hang")}, timeout: 1s }\n  ok: { command: ${agentCommand("--write", "src/answer.txt=42")} }\ndefault_agents: [slow, ok]\nlanes: 2\n${evals}`);
    const issue = h.fake.addIssue(repo, { title: "Task", body: "x", user: "alice" });
    await label(repo, issue);
    const comparison = await waitFor(() => marked(repo, issue.number, "agent-race:comparison:"), 30_000, "comparison");
    expect(comparison.body).toMatch(/slow \|[^\n]*timeout/);
    expect(h.fake.repo(repo).pulls.size).toBe(1);
  });

  it("/cancel mid-race kills the agents, deletes the branches and updates the status comment", async () => {
    const repo = await repoWith(`agents:\n  stuck: { command: ${agentCommand("--write", "src/answer.txt=42", "--hang")} }\ndefault_agents: [stuck]\nlanes: 2\n${evals}`);
    const issue = h.fake.addIssue(repo, { title: "Task", body: "x", user: "alice" });
    await comment(repo, issue, "/race");
    await waitFor(() => marked(repo, issue.number, "agent-race:status:")?.body.includes("agent running"), 15_000, "agents running");
    await comment(repo, issue, "/cancel");
    const status = await waitFor(() => {
      const body = marked(repo, issue.number, "agent-race:status:")?.body ?? "";
      return /cancelled/i.test(body) && /branches deleted/.test(body) ? body : undefined;
    }, 20_000, "cancelled status");
    expect(status).toContain("Cancelled by @alice");
    expect(await remoteBranches(repo)).toEqual([]);
    expect(h.fake.repo(repo).pulls.size).toBe(0);
    expect(marked(repo, issue.number, "agent-race:comparison:")).toBeUndefined();
    // The issue is free again: a new race may start.
    await comment(repo, issue, "/cancel");
    await waitFor(() => marked(repo, issue.number, "no running race"), 10_000, "nothing to cancel");
  });
});

describe("duplicates", () => {
  it("starts one race for a redelivered webhook, and answers a second trigger while one runs", async () => {
    const repo = await repoWith(`agents:\n  slowok: { command: ${agentCommand("--sleep", "1500", "--write", "src/answer.txt=42")} }\ndefault_agents: [slowok]\nlanes: 1\n${evals}`);
    const issue = h.fake.addIssue(repo, { title: "Task", body: "x", user: "alice", labels: ["agent:race"] });
    const delivery = randomUUID();
    const first = await label(repo, issue);
    expect(first.status).toBeLessThan(300);
    const payload = issueCommentPayload({ repo, issue, body: "/race 1", sender: "alice", installationId: 1, commentId: 5001 });
    await h.send("issue_comment", payload, delivery);
    await h.send("issue_comment", payload, delivery);
    await waitFor(() => marked(repo, issue.number, "already running"), 10_000, "already running reply");
    await waitFor(() => marked(repo, issue.number, "agent-race:comparison:"), 30_000, "comparison");
    await new Promise((r) => setTimeout(r, 1000));
    expect(comments(repo, issue.number).filter((c) => c.body.includes("agent-race:status:"))).toHaveLength(1);
    expect(comments(repo, issue.number).filter((c) => c.body.includes("already running"))).toHaveLength(1);
    expect(h.fake.repo(repo).pulls.size).toBe(1);
  });
});
