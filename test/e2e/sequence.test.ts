import { randomUUID } from "node:crypto";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createTestOctokit, gitAuthArgs, issueLabeledPayload, pullRequestClosedPayload, type FakeIssue, type FakeRepo,
} from "../helpers/fake-github/index.js";
import { startAppHarness, waitFor, type AppHarness, UNSANDBOXED_OPERATOR } from "../helpers/app-harness.js";
import { agentCommand, NODE } from "../helpers/race-fixture.js";
import { raceTestKit } from "../helpers/race-test-kit.js";

let h: AppHarness;
let work: string;
beforeAll(async () => {
  h = await startAppHarness({ operator: UNSANDBOXED_OPERATOR, files: { "README.md": "# unused\n" } });
  work = await mkdtemp(join(tmpdir(), "agent-race-sequence-"));
});
afterAll(async () => {
  await h?.close();
});

const { repoWith: kitRepo, marked, label, comment, agentBranches } = raceTestKit(() => h, "seq");
const repoWith = (config: string) => kitRepo(config, { "src/notes.txt": "notes\n" });
const status = (repo: FakeRepo, issue: number) => marked(repo, issue, "agent-race:status:")?.body ?? "";
const comparison = (repo: FakeRepo, issue: number) => waitFor(() => marked(repo, issue, "agent-race:comparison:")?.body, 40_000, `comparison on #${issue}`);
const pullsFor = (repo: FakeRepo, issue: number) => [...h.fake.repo(repo).pulls.values()].filter((p) => p.head.startsWith(`agent-race/${issue}-`));
const git = (dir: string, ...args: string[]) => execa("git", ["-C", dir, ...args]).then((r) => r.stdout.trim());

async function closeIssue(repo: FakeRepo, issue: FakeIssue) {
  h.fake.repo(repo).issues.get(issue.number)!.state = "closed";
  const payload = issueLabeledPayload({ repo, issue: { ...issue, state: "closed" }, label: "bug", sender: "alice", installationId: 1 });
  await h.send("issues", { ...payload, action: "closed" });
}
async function mergePr(repo: FakeRepo, number: number) {
  const octokit = createTestOctokit({ apiUrl: h.fake.apiUrl, token: h.fake.createInstallationToken(1) });
  await octokit.rest.pulls.merge({ owner: repo.owner, repo: repo.name, pull_number: number });
  const pr = h.fake.repo(repo).pulls.get(number)!;
  await h.send("pull_request", pullRequestClosedPayload({ repo, pull: { number, head: pr.head, headSha: pr.headSha, title: "t" }, merged: true, sender: "alice", installationId: 1 }));
}
/** Commits `files` on `branch` of the fake repo, as a human would push them; returns the new head. */
async function pushCommit(repo: FakeRepo, branch: string, files: Record<string, string>, message: string): Promise<string> {
  const token = h.fake.createInstallationToken(1);
  const dir = await mkdtemp(join(work, "push-"));
  await execa("git", [...gitAuthArgs(token), "clone", "-q", "--branch", branch, repo.cloneUrl, dir]);
  for (const [path, text] of Object.entries(files)) await writeFile(join(dir, path), text);
  await execa("git", ["-C", dir, "add", "-A"]);
  await execa("git", ["-C", dir, "-c", "user.name=Human", "-c", "user.email=human@example.com", "commit", "-qm", message]);
  await execa("git", ["-C", dir, ...gitAuthArgs(token), "push", "-q", "origin", branch]);
  return git(dir, "rev-parse", "HEAD");
}
const remoteHead = (repo: FakeRepo, ref: string) => git(repo.bareDir, "rev-parse", ref);

const answer = (...extra: string[]) => agentCommand("--write", "src/answer.txt=42\\n", ...extra);

describe("declared dependencies", () => {
  it("`depends on #N` waits, says so, and starts from the new default-branch head when #N closes", async () => {
    const repo = await repoWith(`agents:\n  ok: { command: ${answer()} }\nlanes: 1\nevals:\n  - { name: check, run: ${JSON.stringify([NODE, "check.mjs"])} }\n`);
    const blocker = h.fake.addIssue(repo, { title: "Refactor first", body: "x", user: "alice" });
    const issue = h.fake.addIssue(repo, { title: "Make the answer 42", body: `The answer must be 42.\n\nDepends on #${blocker.number}.`, user: "alice", labels: ["agent:race"] });
    await label(repo, issue);
    await waitFor(() => status(repo, issue.number).includes(`waiting for #${blocker.number}`), 15_000, "waiting status");
    await new Promise((r) => setTimeout(r, 1500));
    expect(status(repo, issue.number)).toContain(`waiting for #${blocker.number}`);
    expect(await agentBranches(repo)).toEqual([]);

    const newHead = await pushCommit(repo, "main", { "README.md": "# refactored\n" }, "refactor (the blocker's fix)");
    await closeIssue(repo, blocker);
    expect(await comparison(repo, issue.number)).toContain("Winner: lane 1");
    const [pr] = pullsFor(repo, issue.number);
    expect(await git(repo.bareDir, "rev-parse", `${pr!.headSha}^`)).toBe(newHead);
    expect(status(repo, issue.number)).toContain(`once #${blocker.number} closed`);
  });

  it("reports a dependency cycle instead of waiting forever", async () => {
    const repo = await repoWith(`agents:\n  ok: { command: ${answer()} }\nlanes: 1\n`);
    const first = h.fake.addIssue(repo, { title: "A", body: "placeholder", user: "alice" });
    const second = h.fake.addIssue(repo, { title: "B", body: `Blocked by #${first.number}`, user: "alice" });
    h.fake.repo(repo).issues.get(first.number)!.body = `depends on #${second.number}`;
    await label(repo, { ...first, body: `depends on #${second.number}` });
    const reply = await waitFor(() => marked(repo, first.number, "cycle"), 15_000, "cycle reply");
    expect(reply.body).toContain(`#${first.number} → #${second.number} → #${first.number}`);
    expect(marked(repo, first.number, "agent-race:status:")).toBeUndefined();
    // The issue is free again: once the cycle is broken, a race can start.
    await comment(repo, { ...first, body: "no dependencies now" }, "/race");
    expect(await comparison(repo, first.number)).toContain("Winner");
  });

  it("/cancel ends a waiting race without running anything", async () => {
    const repo = await repoWith(`agents:\n  ok: { command: ${answer()} }\nlanes: 1\n`);
    const blocker = h.fake.addIssue(repo, { title: "Other", body: "x", user: "alice" });
    const issue = h.fake.addIssue(repo, { title: "Task", body: `depends on #${blocker.number}`, user: "alice", labels: ["agent:race"] });
    await label(repo, issue);
    await waitFor(() => status(repo, issue.number).includes("waiting for"), 15_000, "waiting");
    await comment(repo, issue, "/cancel");
    await waitFor(() => status(repo, issue.number).includes("cancelled"), 15_000, "cancelled status");
    await closeIssue(repo, blocker);
    await new Promise((r) => setTimeout(r, 1500));
    expect(await agentBranches(repo)).toEqual([]);
    expect(marked(repo, issue.number, "agent-race:comparison:")).toBeUndefined();
  });
});

describe("max_concurrent_races", () => {
  it("runs at most N races of a repo at once; the next starts when one finishes", async () => {
    const log = join(work, "concurrent.log");
    // The agent runs until the test has seen the second race wait for the slot (a release file), so
    // however slowly a loaded machine delivers the second trigger, the first race still holds the slot.
    const release = join(work, "concurrent.release");
    const agent = [NODE, "-e", `const fs=require("fs");fs.appendFileSync(${JSON.stringify(log)},"start "+Date.now()+"\\n");setTimeout(()=>process.exit(1),60000);setInterval(()=>{if(!fs.existsSync(${JSON.stringify(release)}))return;fs.writeFileSync("src/answer.txt","42\\n");fs.appendFileSync(${JSON.stringify(log)},"end "+Date.now()+"\\n");process.exit(0)},100)`];
    const repo = await repoWith(`agents:\n  slow: { command: ${JSON.stringify(agent)} }\nlanes: 1\nmax_concurrent_races: 1\n`);
    const first = h.fake.addIssue(repo, { title: "One", body: "x", user: "alice", labels: ["agent:race"] });
    const second = h.fake.addIssue(repo, { title: "Two", body: "x", user: "alice", labels: ["agent:race"] });
    await label(repo, first);
    // Its agent running: the first race's start is complete (a start retried under load frees its slot meanwhile).
    await waitFor(() => status(repo, first.number).includes("agent running"), 20_000, "first race's agent running");
    await label(repo, second);
    await waitFor(() => status(repo, second.number).includes("waiting for a free race slot"), 20_000, "second waits for a slot");
    await writeFile(release, "");
    await comparison(repo, first.number);
    await comparison(repo, second.number);
    const events = (await readFile(log, "utf8")).trim().split("\n").map((line) => line.split(" ")[0]);
    expect(events).toEqual(["start", "end", "start", "end"]);
  });
});

describe("two races that conflict", () => {
  // Each race's agent writes its own line 1 of src/notes.txt: the two lanes conflict.
  const config = (counter: string) => [
    "agents:",
    `  first: { command: ${answer("--write", "src/notes.txt=from the first race\\n")} }`,
    `  second: { command: ${answer("--write", "src/notes.txt=from the second race\\n")} }`,
    "lanes: 1",
    "evals:",
    `  - { name: check, run: ${JSON.stringify([NODE, "-e", `require("fs").appendFileSync(${JSON.stringify(counter)},"run\\n");process.exit(require("fs").readFileSync("src/answer.txt","utf8").trim()==="42"?0:1)`])} }`,
  ].join("\n");

  async function twoRaces() {
    const counter = join(work, `evals-${randomUUID()}.log`);
    const repo = await repoWith(config(counter));
    const one = h.fake.addIssue(repo, { title: "First task", body: "x", user: "alice" });
    const two = h.fake.addIssue(repo, { title: "Second task", body: "x", user: "alice" });
    await comment(repo, one, "/race first");
    await comparison(repo, one.number);
    const [firstPr] = pullsFor(repo, one.number);
    expect(firstPr).toBeDefined();
    await comment(repo, two, "/race second");
    await waitFor(() => status(repo, two.number).includes(`waiting for #${firstPr!.number} to be merged or closed`), 40_000, "second waits for the first PR");
    expect(status(repo, two.number)).toContain("src/notes.txt");
    expect(pullsFor(repo, two.number)).toEqual([]);
    expect(marked(repo, two.number, "agent-race:comparison:")).toBeUndefined();
    return { repo, one, two, firstPr: firstPr!, counter };
  }

  it("the later race waits for the earlier PR to merge, rebases its lane, re-runs its evals, then opens its PR", async () => {
    const { repo, two, firstPr, counter } = await twoRaces();
    const runsBefore = (await readFile(counter, "utf8")).split("\n").filter(Boolean).length;
    // A reviewer moves the first PR's note elsewhere before merging, so the second lane now rebases cleanly.
    await pushCommit(repo, firstPr.head, { "src/notes.txt": "notes\n", "README.md": "# from the first race\n" }, "review: keep notes.txt as it was");
    await mergePr(repo, firstPr.number);
    const mergedMain = await remoteHead(repo, "main");
    const body = await comparison(repo, two.number);
    expect(body).toContain("Winner: lane 1");
    expect(body).toContain(`rebased onto ${mergedMain.slice(0, 7)} after #${firstPr.number} was merged`);
    const [secondPr] = pullsFor(repo, two.number);
    expect(secondPr).toBeDefined();
    expect(await git(repo.bareDir, "rev-parse", `${secondPr!.headSha}^`)).toBe(mergedMain);
    expect(await git(repo.bareDir, "show", `${secondPr!.headSha}:src/notes.txt`)).toBe("from the second race");
    expect((await readFile(counter, "utf8")).split("\n").filter(Boolean).length).toBe(runsBefore + 1);
  });

  it("/cancel on a race waiting for the other race's merge deletes its pushed branch and opens nothing", async () => {
    const { repo, two, firstPr } = await twoRaces();
    const branchesOfTwo = async () => (await agentBranches(repo)).filter((b) => b.startsWith(`agent-race/${two.number}-`));
    expect(await branchesOfTwo()).toHaveLength(1);
    await comment(repo, two, "/cancel");
    await waitFor(() => status(repo, two.number).includes("cancelled"), 15_000, "cancelled status");
    expect(await branchesOfTwo()).toEqual([]);
    await mergePr(repo, firstPr.number);
    await new Promise((r) => setTimeout(r, 1500));
    expect(pullsFor(repo, two.number)).toEqual([]);
  });

  it("a rebase that conflicts marks the lane needs-rerun and offers /retry", async () => {
    const { repo, two, firstPr } = await twoRaces();
    await mergePr(repo, firstPr.number);
    const body = await comparison(repo, two.number);
    expect(body).toContain("/retry 1");
    expect(body).toMatch(/needs.re.?run|🔁/i);
    expect(pullsFor(repo, two.number)).toEqual([]);
    await waitFor(() => status(repo, two.number).includes("needs re-run"), 10_000, "status shows needs re-run");
  });
});
