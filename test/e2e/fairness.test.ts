import { realpathSync } from "node:fs";
import { join } from "node:path";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FakeRepo } from "../helpers/fake-github/index.js";
import { raceTestKit } from "../helpers/race-test-kit.js";
import { REDIS_URL, startAppHarness, waitFor, type AppHarness, UNSANDBOXED_OPERATOR } from "../helpers/app-harness.js";
import { maxConcurrent, readMarkers, writeMarkerAgent, type LaneMarker } from "../helpers/lane-markers.js";
import { CHECK_EVALS, NODE } from "../helpers/race-fixture.js";

// Fairness (max_parallel_lanes): repo A allows one lane at a time and races 3 lanes; repo B races one
// lane with no limit. One worker runs 2 lanes at once. A's lanes must run one after another, and the
// lanes A cannot run yet must not hold up B's lane: they go back to the queue and B's runs meanwhile.

const A_LANES = 3;
const A_SLEEP_MS = 2500;

let h: AppHarness;
let base: string;
let agentScript: string;
let redis: Redis;
let lanesQueue: Queue;

beforeAll(async () => {
  h = await startAppHarness({ operator: UNSANDBOXED_OPERATOR, files: { "README.md": "# unused\n" }, env: { LANE_CONCURRENCY: "2" } });
  base = realpathSync(h.dir);
  agentScript = join(base, "marker-agent.mjs");
  await writeMarkerAgent(agentScript);
  redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  lanesQueue = new Queue("lanes", { connection: redis, prefix: h.prefix });
});

afterAll(async () => {
  await lanesQueue?.close();
  redis?.disconnect();
  await h?.close();
});

async function markerRepo(markers: string, sleepMs: number, extra: string): Promise<FakeRepo> {
  const config = [`agents:\n  marker: { command: ${JSON.stringify([NODE, agentScript, markers, String(sleepMs)])} }`, "default_agents: [marker]", extra, CHECK_EVALS].join("\n");
  return kit.repoWith(config);
}

const kit = raceTestKit(() => h, "fair");
const { markedAll: marked, startRace } = kit;

const starts = (markers: LaneMarker[]): number[] => markers.filter((m) => m.event === "start").map((m) => m.at).sort((x, y) => x - y);

describe("fairness: max_parallel_lanes", () => {
  it("runs a limited repo's lanes one at a time while another repo's lane runs beside them", async () => {
    const markersA = join(base, "a.markers");
    const markersB = join(base, "b.markers");
    const repoA = await markerRepo(markersA, A_SLEEP_MS, `lanes: ${A_LANES}\nmax_parallel_lanes: 1`);
    const repoB = await markerRepo(markersB, 500, "lanes: 1");
    const issueA = h.fake.addIssue(repoA, { title: "Fix the answer", body: "make it 42", user: "alice" });
    const issueB = h.fake.addIssue(repoB, { title: "Fix the answer", body: "make it 42", user: "alice" });

    const raceA = await startRace(repoA, issueA);
    // A's first lane is running, so the others wait for the slot; B arrives after all of A's lanes.
    await waitFor(() => readMarkers(markersA).length > 0, 30_000, "A's first agent");
    const raceB = await startRace(repoB, issueB);
    // What the status comment says about a waiting lane.
    const waiting = await waitFor(() => marked(repoA, issueA.number, "agent-race:status:")[0]?.body.match(/waiting for a lane slot \(repo limit 1\)/), 20_000, "waiting lanes in A's status comment");

    const comparisonB = await waitFor(() => marked(repoB, issueB.number, "agent-race:comparison:")[0], 60_000, "B's comparison");
    const comparisonA = await waitFor(() => marked(repoA, issueA.number, "agent-race:comparison:")[0], 90_000, "A's comparison");
    expect(comparisonA.body.match(/✅ passed/g)).toHaveLength(A_LANES);
    expect(comparisonB.body.match(/✅ passed/g)).toHaveLength(1);
    expect(waiting[0]).toBe("waiting for a lane slot (repo limit 1)");

    const seenA = readMarkers(markersA);
    const seenB = readMarkers(markersB);
    expect(seenA.filter((m) => m.event === "end").map((m) => m.lane).sort()).toEqual([1, 2, 3]);
    // A never ran two agents at once (the worker could have: LANE_CONCURRENCY 2)...
    expect(maxConcurrent(seenA)).toBe(1);
    // ...and B's lane ran while A still had lanes to go, beside one of A's.
    const lastStartA = Math.max(...starts(seenA));
    const [startB] = starts(seenB);
    console.info(`[fairness] A's agents started at +${starts(seenA).map((t) => t - (starts(seenA)[0] as number)).join(", +")} ms; B's at +${(startB as number) - (starts(seenA)[0] as number)} ms`);
    expect(startB).toBeLessThan(lastStartA);
    expect(maxConcurrent([...seenA, ...seenB])).toBe(2);

    // Waiting spent no attempts: every lane job ran once to completion, and some were taken more than once.
    const jobs = await Promise.all(Array.from({ length: A_LANES }, (_, i) => lanesQueue.getJob(`lane-${raceA}-${i + 1}`)));
    console.info(`[fairness] A's lane jobs: attempts made ${jobs.map((j) => j?.attemptsMade).join(", ")}; taken ${jobs.map((j) => j?.attemptsStarted).join(", ")} times`);
    expect(jobs.map((j) => j?.attemptsMade)).toEqual([1, 1, 1]);
    expect(jobs.every((j) => j?.finishedOn && !j.failedReason)).toBe(true);
    expect(jobs.some((j) => (j?.attemptsStarted ?? 0) > 1)).toBe(true);
    expect(await lanesQueue.getFailed()).toEqual([]);
    // The slots are given back.
    expect(await redis.keys(`${h.prefix}:lane-slots:*`)).toEqual([]);
    expect(raceB).not.toBe(raceA);
  }, 120_000);
});
