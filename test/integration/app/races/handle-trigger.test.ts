import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { handleTrigger } from "../../../../src/app/races/handle-trigger.js";
import { USAGE } from "../../../../src/commands/usage.js";
import { statusMarker } from "../../../../src/github/render/status-marker.js";
import { newRaceId } from "../../../../src/pipeline/new-race-id.js";
import { JOB_VERSION, laneJobSchema, raceJobSchema, statusJobSchema } from "../../../../src/queue/job-data.js";
import type { RaceMeta } from "../../../../src/model/race-state.js";
import {
  allJobIds, BASE_SHA, comment, CONFIG_YAML, createQueueEnv, ISSUE, label, mockComments, mockConfig, mockCreateComment,
  mockPermission, mockRaceStart, mockReaction, triggerJob, type QueueEnv,
} from "../../queue/trigger-fixtures.js";
import { useStrictNock } from "../../../helpers/strict-nock.js";

const github = useStrictNock();
let env: QueueEnv;
beforeEach(() => {
  env = createQueueEnv();
});
afterEach(async () => {
  const { pending, requests } = github.settle();
  await env.close();
  expect(pending).toEqual([]);
  expect(requests).toEqual([]);
});

/** Starts a race on the issue with every GitHub call mocked; returns the job and what was posted. */
async function startRace(job = triggerJob(label())) {
  const bodies: string[] = [];
  mockPermission("alice", "write");
  mockConfig(CONFIG_YAML);
  mockRaceStart(bodies);
  const result = await handleTrigger(job, env.deps());
  return { job, result, bodies, raceId: newRaceId(6, job.deliveryId) };
}

describe("an authorized label trigger", () => {
  it("posts a status comment and queues the race as a flow with one child per lane", async () => {
    const { result, bodies, raceId } = await startRace();
    expect(result).toBe("race-started");
    expect(bodies).toHaveLength(1);
    expect(bodies[0]).toContain(`agent-race:status:${raceId}`);

    const race = await env.races.getJob(`race-${raceId}`);
    expect(race).toBeDefined();
    expect(await race!.getState()).toBe("waiting-children");
    const data = raceJobSchema.parse(race!.data);
    expect(data).toMatchObject({ raceId, issueNumber: ISSUE, baseSha: BASE_SHA, configText: CONFIG_YAML, lanesTotal: 2, trigger: "label", sender: "alice", single: false });
    expect(data.task).toBe("Fix the flaky parser\n\nIt fails on empty input.");
    expect(data.lanes.map((l) => [l.lane, l.agent])).toEqual([[1, "alpha"], [2, "beta"]]);
    // Each lane's agent is resolved once, here, for the lane sandbox; the workers run exactly that.
    expect(data.lanes.map((l) => [l.spec.command, l.sandboxed])).toEqual([[["node", "alpha.js"], true], [["node", "beta.js"], true]]);
    expect((await race!.getDependenciesCount()).unprocessed).toBe(2);

    for (const lane of [1, 2]) {
      const child = await env.lanes.getJob(`lane-${raceId}-${lane}`);
      expect(child, `lane ${lane}`).toBeDefined();
      expect(child!.opts.ignoreDependencyOnFailure).toBe(true);
      expect(child!.opts.attempts).toBe(3);
      expect(child!.parentKey).toBe(`${env.prefix}:races:race-${raceId}`);
      // A lane job names its lane of the parent; the task and config are queued once, in the race job.
      expect(laneJobSchema.parse(child!.data)).toEqual({ v: JOB_VERSION, raceId, lane });
      expect(JSON.stringify(child!.data)).not.toContain("flaky parser");
      expect(JSON.stringify(child!.data)).not.toMatch(/ghs_|token/i);
    }
    expect(JSON.stringify(race!.data)).not.toMatch(/ghs_|token/i);
    expect(await allJobIds(env)).toEqual([`lanes:lane-${raceId}-1`, `lanes:lane-${raceId}-2`, `races:race-${raceId}`]);
    expect(await env.registry.issues.active(99, ISSUE)).toBe(raceId);
    expect((await env.registry.races.get(raceId))?.statusCommentId).toBe(5001);
  });

  it("answers a second trigger on the same issue with 'already running' and queues nothing more", async () => {
    const first = await startRace();
    const bodies: string[] = [];
    mockPermission("alice", "write");
    mockConfig(CONFIG_YAML);
    mockCreateComment(bodies);
    expect(await handleTrigger(triggerJob(label()), env.deps())).toBe("already-running");
    expect(bodies).toEqual([expect.stringContaining("already running")]);
    expect(bodies[0]).toContain(first.raceId);
    expect(await allJobIds(env)).toHaveLength(3);
  });

  it("is safe to retry: the same delivery reuses its race id and adds no second flow", async () => {
    const first = await startRace();
    const bodies: string[] = [];
    mockPermission("alice", "write");
    mockConfig(CONFIG_YAML);
    mockRaceStart(bodies, { id: 5001, body: first.bodies[0]! });
    expect(await handleTrigger(first.job, env.deps())).toBe("race-started");
    expect(bodies).toEqual([expect.stringContaining(statusMarker(first.raceId))]);
    expect(bodies.join()).not.toContain("already running");
    expect(await allJobIds(env)).toHaveLength(3);
  });
});

describe("authorization", () => {
  it.each([
    ["read", "read"],
    ["triage", "read"],
    ["none", "none"],
  ])("refuses %s access once per issue, with one explanation", async (_role, permission) => {
    const bodies: string[] = [];
    mockPermission("alice", permission);
    mockComments([]);
    mockCreateComment(bodies);
    expect(await handleTrigger(triggerJob(label()), env.deps())).toBe("refused:insufficient-permission");
    expect(bodies).toHaveLength(1);
    expect(bodies[0]).toContain("write access");

    mockPermission("alice", permission);
    mockComments([{ id: 5001, body: bodies[0]! }]);
    expect(await handleTrigger(triggerJob(comment("/race")), env.deps())).toBe("refused:insufficient-permission");
    expect(await allJobIds(env)).toEqual([]);
  });

  it.each([500, 404])("fails closed and stays silent when the permission API answers %i", async (status) => {
    mockPermission("alice", "boom", status);
    expect(await handleTrigger(triggerJob(label()), env.deps())).toBe("refused:permission-check-failed");
    expect(await allJobIds(env)).toEqual([]);
  });

  it.each([
    ["a bot that is not allowlisted", "renovate[bot]", "Bot", [], "refused:bot"],
    ["a bot that is not the allowlisted one", "evil[bot]", "Bot", ["good[bot]"], "refused:bot"],
    ["a user claiming a bot login", "good[bot]", "User", ["good[bot]"], "refused:bot"],
    ["the app itself", "agent-race[bot]", "Bot", ["agent-race[bot]"], "refused:self"],
  ])("refuses %s without calling GitHub", async (_what, login, type, allowedBots, expected) => {
    const job = triggerJob(comment("/race"), { sender: { login, type } });
    expect(await handleTrigger(job, env.deps({ allowed_bots: allowedBots }))).toBe(expected);
    expect(await allJobIds(env)).toEqual([]);
  });

  it("trusts an allowlisted bot without a permission check", async () => {
    const bodies: string[] = [];
    mockConfig("lanes: 99\n");
    mockComments([]);
    mockCreateComment(bodies);
    const job = triggerJob(label(), { sender: { login: "good[bot]", type: "Bot" } });
    expect(await handleTrigger(job, env.deps({ allowed_bots: ["good[bot]"] }))).toBe("config-error");
  });
});

describe("config and commands", () => {
  it("reports an invalid config and queues nothing", async () => {
    const bodies: string[] = [];
    mockPermission("alice", "write");
    mockConfig("lanes: 99\n");
    mockComments([]);
    mockCreateComment(bodies);
    expect(await handleTrigger(triggerJob(label()), env.deps())).toBe("config-error");
    expect(bodies).toHaveLength(1);
    expect(bodies[0]).toContain("lanes (99) is more than max_lanes (8)");
    expect(bodies[0]).toContain("agent-race:config-error");
    expect(await allJobIds(env)).toEqual([]);
    expect(await env.registry.issues.active(99, ISSUE)).toBeNull();
  });

  /** A comment trigger by a writer: permission, the eyes reaction, the config, then one reply. */
  async function commentReply(body: string, config: string | null = CONFIG_YAML): Promise<{ result: string; reply: string }> {
    const bodies: string[] = [];
    mockPermission("alice", "write");
    mockReaction(1001);
    mockConfig(config);
    mockCreateComment(bodies);
    const result = await handleTrigger(triggerJob(comment(body)), env.deps());
    expect(bodies).toHaveLength(1);
    return { result, reply: bodies[0]! };
  }

  it("names an unknown agent in /race", async () => {
    const { result, reply } = await commentReply("/race foo");
    expect(result).toBe("invalid-command");
    expect(reply).toContain("unknown agent `foo`");
    expect(reply).toContain("`alpha`");
    expect(await allJobIds(env)).toEqual([]);
  });

  it("answers /help with the usage and the server's agents", async () => {
    const { result, reply } = await commentReply("/help", null);
    expect(result).toBe("help");
    expect(reply).toContain(USAGE);
    expect(reply).toContain("(default: claude)");
  });

  it("answers /cancel when no race is running", async () => {
    const { result, reply } = await commentReply("/cancel");
    expect(result).toBe("nothing-to-cancel");
    expect(reply).toContain("no running race");
    expect(await allJobIds(env)).toEqual([]);
  });

  it("cancels the running race and queues a status update", async () => {
    const raceId = "abc123";
    await env.registry.issues.claim(99, ISSUE, raceId);
    await env.registry.races.save(raceMeta(raceId));
    mockPermission("alice", "write");
    mockReaction(1001);
    mockConfig(CONFIG_YAML);
    expect(await handleTrigger(triggerJob(comment("/cancel")), env.deps())).toBe("cancelled");
    expect(await env.registry.cancels.isCancelled(raceId)).toBe(true);
    expect((await env.registry.races.get(raceId))?.message).toContain("Cancelled by @alice");
    const status = await env.queues.status.getJobs(["waiting", "delayed"]);
    expect(status.map((job) => statusJobSchema.parse(job.data))).toEqual([{ v: JOB_VERSION, raceId, installationId: 4242 }]);
  });

  it("ignores a review on a PR that agent-race did not open, without calling GitHub", async () => {
    const job = triggerJob({ kind: "review", prNumber: 12, reviewId: 3, state: "approved", headRef: "agent-race/x-abc123/1-alpha", body: "" });
    expect(await handleTrigger(job, env.deps())).toBe("not-ours");
  });
});

function raceMeta(raceId: string): RaceMeta {
  return {
    raceId, installationId: 4242, repo: triggerJob(label()).repo, issueNumber: ISSUE, issueTitle: "Fix the flaky parser", task: "Fix the flaky parser", baseSha: "a".repeat(40), mode: "best",
    single: false, sender: "alice", state: "running", statusCommentId: 5001, comparisonCommentId: null, createdAt: 0, finishedAt: null,
    lanes: [], prs: {}, report: null, message: null,
  };
}
