import { describe, expect, it } from "vitest";
import { JOB_VERSION, jobRepoProblem, plannedLaneSchema } from "../../../src/queue/job-data.js";
import { JobSeal, jobKey } from "../../../src/queue/job-seal.js";

describe("JobSeal", () => {
  const seal = new JobSeal(jobKey({ AGENT_RACE_JOB_KEY: "k".repeat(32) }));
  const job = { v: JOB_VERSION, raceId: "abc", repo: { owner: "o", name: "r", cloneUrl: "https://github.com/o/r.git" }, configText: null, n: [1, 2] };

  it("opens what it sealed after a JSON round trip (as BullMQ stores it)", () => {
    const opened = seal.open(JSON.parse(JSON.stringify(seal.seal(job))));
    expect(opened).toEqual({ ok: true, data: job });
  });

  it.each([
    ["a changed clone URL", (d: Record<string, unknown>) => ({ ...d, repo: { owner: "o", name: "r", cloneUrl: "https://evil.test/o/r.git" } })],
    ["a changed configText", (d: Record<string, unknown>) => ({ ...d, configText: "setup: [curl evil]" })],
    ["an added field", (d: Record<string, unknown>) => ({ ...d, extra: 1 })],
    ["no signature", (d: Record<string, unknown>) => ({ ...d, sig: undefined })],
    ["a short signature", (d: Record<string, unknown>) => ({ ...d, sig: "00" })],
  ])("refuses %s", (_name, tamper) => {
    const sealed = JSON.parse(JSON.stringify(seal.seal(job))) as Record<string, unknown>;
    expect(seal.open(JSON.parse(JSON.stringify(tamper(sealed))))).toMatchObject({ ok: false });
  });

  it("refuses a job sealed with another key, and signs nothing without a key", () => {
    const other = new JobSeal(jobKey({ privateKey: "-----BEGIN KEY----- other" }));
    expect(seal.open(other.seal(job))).toMatchObject({ ok: false });
    const none = new JobSeal(jobKey({}));
    expect(none.enabled).toBe(false);
    expect(none.seal(job)).toEqual(job);
  });
});

describe("job data checks", () => {
  it("accepts only the configured host's canonical clone URL", () => {
    const repo = { owner: "Octo", name: "widgets", cloneUrl: "https://github.com/Octo/widgets.git" };
    expect(jobRepoProblem(repo, "https://github.com/")).toBeNull();
    expect(jobRepoProblem({ ...repo, cloneUrl: "http://github.com/Octo/widgets.git" }, "https://github.com/")).toMatch(/not https:\/\/github.com/);
    expect(jobRepoProblem({ ...repo, cloneUrl: "https://evil.test/Octo/widgets.git" }, "https://github.com/")).not.toBeNull();
    expect(jobRepoProblem({ ...repo, cloneUrl: "https://github.com/Octo/other.git" }, "https://github.com/")).not.toBeNull();
    expect(jobRepoProblem({ ...repo, cloneUrl: "https://ghe.corp/Octo/widgets.git" }, "https://ghe.corp/")).toBeNull();
    expect(jobRepoProblem({ ...repo, name: "../x" }, "https://github.com/")).toMatch(/unexpected characters/);
  });

  it("keeps lane branches under agent-race/", () => {
    const lane = { lane: 1, agent: "claude", approach: null, port: 4101, spec: { command: ["claude"], prompt: "stdin", env: [], output: "text", egress: [], env_values: {} }, sandboxed: true };
    expect(plannedLaneSchema.safeParse({ ...lane, branch: "agent-race/x-abc/1-claude" }).success).toBe(true);
    for (const branch of ["main", "release/1", "agent-race", "agent-race-x/1", "agent-race/../main", "refs/heads/main"]) {
      expect(plannedLaneSchema.safeParse({ ...lane, branch }).success, branch).toBe(false);
    }
  });
});
