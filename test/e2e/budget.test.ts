import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { issueLabeledPayload } from "../helpers/fake-github/index.js";
import { startAppHarness, waitFor, type AppHarness } from "../helpers/app-harness.js";
import { agentCommand, ANSWER_FILES, CHECK_EVALS } from "../helpers/race-fixture.js";

let h: AppHarness;
beforeAll(async () => {
  h = await startAppHarness({
    files: { "README.md": "# unused\n" },
    // The operator's own agents too: a repo's default_agents may name them (issue 13).
    operator: [
      "allow_repo_agents: true",
      "budget: { per_installation_usd_per_day: 100 }",
      "agents:",
      `  good: { command: ${agentCommand("--write", "src/answer.txt=42")} }`,
      `  bad: { command: ${agentCommand("--write", "src/answer.txt=7")} }`,
    ].join("\n"),
    env: { LANE_CONCURRENCY: "3" },
  });
});
afterAll(async () => {
  await h?.close();
});

describe("a race that runs out of budget on GitHub", () => {
  it("stops the lanes still running, opens the PR of the lane that passed and shows the spend per lane and in total", async () => {
    const config = [
      "agents:",
      `  ok: { command: ${agentCommand("--write", "src/answer.txt=42")} }`,
      `  spender: { command: ${agentCommand("--write", "src/answer.txt=42", "--cost-stream", "0.2,0.4,0.6,0.8:700", "--hang")}, output: claude-json, timeout: 60s }`,
      `  quiet: { command: ${agentCommand("--sleep", "1000", "--write", "src/answer.txt=42", "--hang")}, timeout: 60s }`,
      "default_agents: [ok, spender, quiet]",
      "lanes: 3",
      "budget: { per_race_usd: 0.5 }",
      CHECK_EVALS,
    ].join("\n");
    const repo = await h.fake.addRepo({ owner: "acme", name: "budget", installationId: 1, files: { ...ANSWER_FILES, ".github/agent-race.yml": config } });
    h.fake.setPermission(repo, "alice", "write");
    const issue = h.fake.addIssue(repo, { title: "Make the answer 42", body: "x", user: "alice" });
    const started = Date.now();
    await h.send("issues", issueLabeledPayload({ repo, issue, label: "agent:race", sender: "alice", installationId: 1 }));

    const comparison = await waitFor(
      () => [...h.fake.repo(repo).comments.values()].find((c) => c.issueNumber === issue.number && c.body.includes("agent-race:comparison:")),
      40_000,
      "comparison comment",
    );
    // Well before the 60 s timeouts of the hanging agents: the budget stopped them.
    expect(Date.now() - started).toBeLessThan(30_000);
    const rows = comparison.body.split("\n").filter((line) => /^\| \d/.test(line));
    const row = (agent: string) => rows.find((line) => line.includes(`| ${agent} |`)) ?? "";
    const wall = String.raw`(\d+ms|\d+\.\ds|\d+m\d\ds) wall`;
    expect(row("ok")).toMatch(new RegExp(String.raw`✅ passed.*\| ${wall} \|`));
    // Notes are made inert for GitHub (underscores escaped).
    expect(row("spender")).toMatch(/💸 budget.*\| \$0\.60 \| stopped: budget per\\_race\\_usd \$0\.50 reached \(\$0\.60 spent\)/);
    expect(row("quiet")).toMatch(new RegExp(String.raw`💸 budget.*\| ${wall} \| (stopped|not started): budget per\\_race\\_usd \$0\.50 reached`));
    expect(comparison.body).toMatch(/\*\*Total spend:\*\* \$0\.60 reported by 1 lane \+ \S+ wall time of 2 lanes without a reported cost/);
    // A budget stop is not a cancel: the race finishes and the passing lane's PR opens.
    expect(h.fake.repo(repo).pulls.size).toBe(1);
    await waitFor(() => h.fake.repo(repo).issues.get(issue.number)?.labels.includes("agent-race:done"), 5000, "done label");
  });
});

describe("a repo naming the operator's agents", () => {
  it("races default_agents [good, bad], both defined only in the operator's config", async () => {
    const config = ["default_agents: [good, bad]", "lanes: 2", CHECK_EVALS].join("\n");
    const repo = await h.fake.addRepo({ owner: "acme", name: "operator-agents", installationId: 1, files: { ...ANSWER_FILES, ".github/agent-race.yml": config } });
    h.fake.setPermission(repo, "alice", "write");
    const issue = h.fake.addIssue(repo, { title: "Make the answer 42", body: "x", user: "alice" });
    await h.send("issues", issueLabeledPayload({ repo, issue, label: "agent:race", sender: "alice", installationId: 1 }));
    const comparison = await waitFor(
      () => [...h.fake.repo(repo).comments.values()].find((c) => c.issueNumber === issue.number && c.body.includes("agent-race:comparison:")),
      30_000,
      "comparison comment",
    );
    const rows = comparison.body.split("\n").filter((line) => /^\| \d/.test(line));
    expect(rows.find((line) => line.includes("| good |"))).toMatch(/✅ passed/);
    expect(rows.find((line) => line.includes("| bad |"))).toMatch(/❌ failed/);
    expect([...h.fake.repo(repo).pulls.values()].map((pr) => pr.head)).toEqual([expect.stringMatching(/-good$/)]);
  });
});
