import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { issueLabeledPayload } from "../helpers/fake-github/index.js";
import { startAppHarness, waitFor, type AppHarness } from "../helpers/app-harness.js";
import { agentCommand, ANSWER_FILES } from "../helpers/race-fixture.js";

// Octokit's throttling on, as against GitHub: the trigger job's writes are spaced out while the
// instant lane's race finishes on its own client, and the labels must still end in `done`.
let h: AppHarness;
beforeAll(async () => {
  h = await startAppHarness({
    files: { ...ANSWER_FILES, ".github/agent-race.yml": `agents:\n  quick: { command: ${agentCommand("--write", "src/answer.txt=42")} }\ndefault_agents: [quick]\nlanes: 1\n` },
    env: { AGENT_RACE_GITHUB_THROTTLE: "on" },
  });
});
afterAll(async () => {
  await h?.close();
});

describe("a race with GitHub request throttling on", () => {
  it("labels the issue running before its flow is queued, so an instant race still ends labelled done, not running", async () => {
    const issue = h.fake.addIssue(h.repo, { title: "Answer", body: "x", user: "alice", labels: ["agent:race"] });
    await h.send("issues", issueLabeledPayload({ repo: h.repo, issue, label: "agent:race", sender: "alice", installationId: 1 }));
    const labels = () => h.fake.repo(h.repo).issues.get(issue.number)?.labels ?? [];
    await waitFor(() => labels().includes("agent-race:done"), 45_000, "done label");
    await new Promise((resolve) => setTimeout(resolve, 3000)); // a late "running" write would land in this time
    expect(labels()).toContain("agent-race:done");
    expect(labels()).not.toContain("agent-race:running");
  }, 60_000);
});
