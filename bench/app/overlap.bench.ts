// overlap: every open pull request's changed files, as overlap detection needs them, for 1,000 open PRs of
// 5 to 200 files (bench/app/open-pr-specs.ts) on the tests' fake GitHub over loopback. The project's fetch
// (`fetchOpenPrFiles`: batched GraphQL, file lists cached in Redis by head sha) cold, warm and after pushes to
// 1 % of the heads, against a naive bot in the same run: REST list of open PRs, then one paginated
// `GET /pulls/{n}/files?per_page=100` per PR, one after another. Requests are counted in the fake's log.
import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { it } from "vitest";
import { fetchOpenPrFiles, type OpenPr } from "../../src/github/open-prs/fetch-open-pr-files.js";
import { PrFilesCache } from "../../src/redis/pr-files-cache.js";
import { deleteKeys, REDIS_URL } from "../../test/helpers/app-harness.js";
import { createFakeGitHub, createTestOctokit, type FakeGitHub } from "../../test/helpers/fake-github/index.js";
import { pushToPull, seedPulls } from "../../test/helpers/fake-github/seed-pulls.js";
import { benchEnv, log, median, round, writeRaw } from "./lib.js";
import { openPrSpecs } from "./open-pr-specs.js";

type Octokit = ReturnType<typeof createTestOctokit>;
type Files = Map<number, string[]>;

const SEED = 20_240_101;
const MOVED = 0.01;
const TARGET = { owner: "octo", repo: "busy" };

interface Sample {
  value: number;
  ms: number;
  graphql: number;
  rest: number;
}

/** The naive bot: list the open PRs 100 a page, then every PR's files 100 a page, one PR after another. */
async function naiveFetch(octokit: Octokit, maxPrs = Number.POSITIVE_INFINITY): Promise<Files> {
  const prs = await octokit.paginate(octokit.rest.pulls.list, { ...TARGET, state: "open", per_page: 100 });
  const files: Files = new Map();
  for (const pr of prs.slice(0, maxPrs)) {
    const list = await octokit.paginate(octokit.rest.pulls.listFiles, { ...TARGET, pull_number: pr.number, per_page: 100 });
    files.set(pr.number, list.map((f) => f.filename).sort());
  }
  return files;
}

/** Runs `fetch` once, timing it and counting the fake's logged requests (GraphQL and REST). */
async function measure<T>(fake: FakeGitHub, fetch: () => Promise<T>): Promise<{ result: T; sample: Sample }> {
  const from = fake.requests.length;
  const t0 = performance.now();
  const result = await fetch();
  const ms = performance.now() - t0;
  const requests = fake.requests.slice(from);
  const graphql = requests.filter((r) => r.path === "/api/graphql").length;
  return { result, sample: { value: requests.length, ms: round(ms, 1), graphql, rest: requests.length - graphql } };
}

/** Throws unless `got` holds exactly the expected pull requests and files: a fast wrong answer is no result. */
function check(what: string, got: Files, expected: Files): void {
  if (got.size !== expected.size) throw new Error(`${what}: ${got.size} pull requests, expected ${expected.size}`);
  for (const [number, files] of expected) {
    if (JSON.stringify(got.get(number)) !== JSON.stringify(files)) throw new Error(`${what}: wrong files for #${number}`);
  }
}

const byNumber = (prs: readonly OpenPr[]): Files => new Map(prs.map((pr) => [pr.number, [...pr.files].sort()]));
const timeSeries = (samples: readonly Sample[]) => samples.map((s) => ({ ...s, value: s.ms }));

it("overlap", async () => {
  const { quick, runs } = benchEnv;
  const count = quick ? 200 : 1000;
  const prefix = `agent-race-bench-overlap-${randomUUID()}`;
  const specs = openPrSpecs(count, SEED);
  const cold: Sample[] = [];
  const warm: Sample[] = [];
  const moved: Sample[] = [];
  const naive: Sample[] = [];
  let fake: FakeGitHub | undefined;
  const redis = new Redis(REDIS_URL);
  try {
    fake = await createFakeGitHub();
    const f = fake;
    const repo = await f.addRepo({ owner: TARGET.owner, name: TARGET.repo, installationId: 3 });
    const t0 = performance.now();
    const pulls = await seedPulls(f, repo, specs);
    log(`seeded ${count} open pull requests in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const expected: Files = new Map(pulls.map((pull, i) => [pull.number, Object.keys(specs[i]?.files ?? {}).sort()]));
    const octokit = (): Octokit => createTestOctokit({ apiUrl: f.apiUrl, token: f.createInstallationToken(3) });
    const ours = (cache: PrFilesCache) => {
      const client = octokit();
      return measure(f, () => fetchOpenPrFiles(client, TARGET, { cache }));
    };

    // Warm-up (JIT, connections, the fake's first answers): a throw-away cold fetch and a few naive PRs.
    await fetchOpenPrFiles(octokit(), TARGET, { cache: new PrFilesCache(redis, `${prefix}:warm-up`) });
    await naiveFetch(octokit(), quick ? 20 : 50);
    log("warmed up");

    for (let run = 1; run <= runs; run++) {
      const order = run % 2 ? (["ours", "naive"] as const) : (["naive", "ours"] as const);
      for (const who of order) {
        if (who === "naive") {
          const client = octokit();
          const n = await measure(f, () => naiveFetch(client));
          check("naive", n.result, expected);
          naive.push(n.sample);
          log(`run ${run}/${runs} naive: ${n.sample.value} requests, ${n.sample.ms.toFixed(0)} ms`);
          continue;
        }
        // A fresh key prefix per run: the cold fetch starts from an empty cache.
        const cache = new PrFilesCache(redis, `${prefix}:run-${run}`);
        const c = await ours(cache);
        check("cold", byNumber(c.result.prs), expected);
        const w = await ours(cache);
        check("warm", byNumber(w.result.prs), expected);
        // Pushes to 1 % of the heads (different ones each run): only those are fetched again.
        const pushed = Array.from({ length: Math.max(1, Math.round(count * MOVED)) }, (_, i) => pulls[(run * 37 + i * 97) % pulls.length]);
        for (const pull of pushed) {
          if (!pull) continue;
          const path = `src/hotfix/run-${run}.ts`;
          await pushToPull(f, repo, pull.number, { [path]: `// run ${run}\n` });
          expected.set(pull.number, [...(expected.get(pull.number) ?? []), path].sort());
        }
        const m = await ours(cache);
        check("moved", byNumber(m.result.prs), expected);
        for (const [sample, result] of [[c.sample, c.result], [w.sample, w.result], [m.sample, m.result]] as const) {
          if (sample.value !== result.requests) throw new Error(`the fake logged ${sample.value} requests, fetchOpenPrFiles counted ${result.requests}`);
        }
        cold.push(c.sample);
        warm.push(w.sample);
        moved.push(m.sample);
        log(`run ${run}/${runs} ours:  cold ${c.sample.value} requests ${c.sample.ms.toFixed(0)} ms, warm ${w.sample.value} / ${w.sample.ms.toFixed(0)} ms, ${pushed.length} moved ${m.sample.value} / ${m.sample.ms.toFixed(0)} ms`);
      }
    }
  } finally {
    try {
      await deleteKeys(prefix);
    } finally {
      redis.disconnect();
      await fake?.close();
    }
  }

  const sizes = specs.map((s) => Object.keys(s.files).length);
  const naiveRequests = { description: "naive REST: list + listFiles per PR", runs: naive };
  const naiveTime = { description: "naive REST, one PR after another", runs: timeSeries(naive) };
  const maxCold = Math.max(...cold.map((s) => s.value));
  const maxWarm = Math.max(...warm.map((s) => s.value));
  const ratio = (a: readonly Sample[], b: readonly Sample[], key: "value" | "ms") => round(median(a.map((s) => s[key])) / median(b.map((s) => s[key])), 1);
  const movedCount = Math.max(1, Math.round(count * MOVED));
  writeRaw({
    name: "overlap",
    metric: `API requests to read every open pull request's changed files (${count} open PRs of 5–200 files), the project's fetch cold vs a naive REST bot`,
    unit: "requests",
    ratio_mode: "baseline/value",
    params: {
      open_prs: count, files_total: sizes.reduce((a, b) => a + b, 0), files_per_pr: { min: Math.min(...sizes), median: median(sizes), max: Math.max(...sizes) },
      prs_over_100_files: sizes.filter((n) => n > 100).length, heads_moved: movedCount, seed: SEED, runs, quick,
      ours: "fetchOpenPrFiles: GraphQL, 100 PRs a page with their first 100 files, remaining files 50 PRs a query; Redis cache by head sha (own key prefix, emptied per run)",
      naive: "Octokit paginate: GET /pulls?state=open&per_page=100, then GET /pulls/{n}/files?per_page=100 per PR, sequential",
      server: "the tests' fake GitHub on 127.0.0.1 (no network latency), same process", redis: "127.0.0.1:6379",
    },
    runs: cold,
    baseline: naiveRequests,
    cases: [
      { label: "cold: API requests", unit: "requests", ratio_mode: "baseline/value", runs: cold, baseline: naiveRequests },
      { label: "cold: wall time", unit: "ms", ratio_mode: "baseline/value", runs: timeSeries(cold), baseline: naiveTime },
      { label: "warm: API requests", unit: "requests", ratio_mode: "baseline/value", runs: warm, baseline: naiveRequests },
      { label: "warm: wall time", unit: "ms", ratio_mode: "baseline/value", runs: timeSeries(warm), baseline: naiveTime },
      { label: `${movedCount} heads moved: API requests`, unit: "requests", ratio_mode: "baseline/value", runs: moved, baseline: naiveRequests },
      { label: `${movedCount} heads moved: wall time`, unit: "ms", ratio_mode: "baseline/value", runs: timeSeries(moved), baseline: naiveTime },
    ],
    goals: [
      { text: `≤ 20 API requests cold for ${count} open PRs${quick ? " (the target is for 1,000)" : ""}`, value: `${maxCold} (max of ${runs})`, met: maxCold <= 20 },
      { text: "≤ 2 API requests warm (heads unchanged)", value: `${maxWarm} (max of ${runs})`, met: maxWarm <= 2 },
    ],
    details: {
      naive_over_ours: {
        cold_requests: ratio(naive, cold, "value"), cold_time: ratio(naive, cold, "ms"),
        warm_requests: ratio(naive, warm, "value"), warm_time: ratio(naive, warm, "ms"),
      },
    },
    notes: [
      "ratio = naive ÷ ours (how many times fewer requests, or how many times faster). The naive bot has no cache, so its warm cost is its cold cost.",
      "Every answer is checked against the seeded files. runs[] carry graphql/rest request counts and ms; requests are counted in the fake's request log and must equal fetchOpenPrFiles' own count.",
      "Loopback: no network latency, so wall time is the client's and the fake's work; against github.com every request adds a round trip, and the request counts matter more.",
    ],
  });
});
