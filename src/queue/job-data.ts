import { z } from "zod";
import { resolvedAgentSpecSchema } from "../config/repo-config.js";
import { BRANCH_ROOT, isSafeBranchName } from "../git/branch-name.js";
import type { RaceRepo } from "../model/race-state.js";

/** Job payloads, validated when enqueued and again when a worker takes them. No tokens, no secrets. */
/** Version 2: a lane job names its lane of the parent race job, and a planned lane carries its resolved agent. */
export const JOB_VERSION = 2;

export const repoRefSchema = z.object({
  id: z.number().int(),
  owner: z.string().min(1),
  name: z.string().min(1),
  cloneUrl: z.string().url(),
  htmlUrl: z.string().url(),
  defaultBranch: z.string().min(1),
}) satisfies z.ZodType<RaceRepo>;
export type JobRepo = z.output<typeof repoRefSchema>;

const senderSchema = z.object({ login: z.string().min(1), type: z.string().min(1) });

export const triggerSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("label"), label: z.enum(["agent:race", "agent:run"]) }),
  z.object({ kind: z.literal("comment"), commentId: z.number().int(), body: z.string() }),
  z.object({ kind: z.literal("review"), prNumber: z.number().int(), reviewId: z.number().int(), state: z.string(), headRef: z.string(), body: z.string() }),
  z.object({ kind: z.literal("issue-closed") }),
  z.object({ kind: z.literal("pr-closed"), prNumber: z.number().int(), headRef: z.string(), merged: z.boolean() }),
]);
export type Trigger = z.output<typeof triggerSchema>;

export const triggerJobSchema = z.object({
  v: z.literal(JOB_VERSION),
  deliveryId: z.string().min(1),
  installationId: z.number().int(),
  repo: repoRefSchema,
  sender: senderSchema,
  /** The issue (or PR) as it was in the webhook payload: edits after the trigger are not picked up. */
  issue: z.object({ number: z.number().int(), title: z.string(), body: z.string(), isPullRequest: z.boolean() }),
  trigger: triggerSchema,
});
export type TriggerJob = z.output<typeof triggerJobSchema>;

export const plannedLaneSchema = z.object({
  lane: z.number().int().min(1),
  agent: z.string().min(1),
  approach: z.string().nullable(),
  /** Always a generated lane branch: workers delete and force-push it, so it must stay under `agent-race/`. */
  branch: z.string().refine((b) => isSafeBranchName(b) && b.startsWith(`${BRANCH_ROOT}/`), `lane branches live under ${BRANCH_ROOT}/`),
  port: z.number().int(),
  /** The agent as resolved once, when the race was planned (config and operator presets): the lane runs exactly this. */
  spec: resolvedAgentSpecSchema,
  /** Whether `spec` was resolved for a sandboxed lane (the presets' permission modes differ); a worker without a sandbox refuses one that was. */
  sandboxed: z.boolean(),
});
export type PlannedLane = z.output<typeof plannedLaneSchema>;

/**
 * Why a job's repository is not one the app would clone, or null: its `cloneUrl` must be exactly the
 * configured GitHub server's `<gitHost><owner>/<name>.git` (https on github.com), so a job changed in Redis
 * cannot send the mirror fetch or a push elsewhere.
 */
export function jobRepoProblem(repo: Pick<JobRepo, "owner" | "name" | "cloneUrl">, gitHost: string): string | null {
  const safe = /^[A-Za-z0-9_.-]+$/;
  if (!safe.test(repo.owner) || !safe.test(repo.name)) return "repository owner or name has unexpected characters";
  const expected = `${gitHost}${repo.owner}/${repo.name}.git`;
  // GitHub's owner and repository names are case-insensitive.
  return repo.cloneUrl.toLowerCase() === expected.toLowerCase() ? null : `clone URL ${JSON.stringify(repo.cloneUrl)} is not ${expected} on the configured GitHub server`;
}

const raceCoreSchema = z.object({
  v: z.literal(JOB_VERSION),
  raceId: z.string().regex(/^[a-z0-9]+$/),
  installationId: z.number().int(),
  repo: repoRefSchema,
  issueNumber: z.number().int(),
  issueTitle: z.string(),
  task: z.string(),
  baseSha: z.string().regex(/^[0-9a-f]{40}$/),
  /** The repo's `.github/agent-race.yml` text at trigger time (null: defaults), re-validated by workers. */
  configText: z.string().nullable(),
  lanesTotal: z.number().int().min(1),
});

export const raceJobSchema = raceCoreSchema.extend({
  trigger: z.enum(["label", "comment", "retry"]),
  /** Set for `/retry N`: the lanes re-run, and the rest of the ranking comes from this race's last report. */
  retry: z.object({ attempt: z.number().int().min(1) }).nullable().default(null),
  sender: z.string(),
  single: z.boolean(),
  lanes: z.array(plannedLaneSchema).min(1),
});
export type RaceJob = z.output<typeof raceJobSchema>;

/**
 * A lane of a race flow: which lane of its parent race job it runs. Everything else (task, config,
 * base, the planned agent) is read from the parent, so a race's task is queued once, not per lane.
 */
export const laneJobSchema = z.object({
  v: z.literal(JOB_VERSION),
  raceId: z.string().regex(/^[a-z0-9]+$/),
  lane: z.number().int().min(1),
});

/**
 * A race that waits: `start` for the issues and PRs its issue depends on to close, or for a free
 * race slot (`max_concurrent_races`); `resume` for another race's conflicting PR to merge, after
 * which its lanes are rebased and re-evaluated. A delayed job, woken by the webhook that closes
 * what it waits for (or by a race finishing); it re-checks everything when it runs.
 */
export const waitJobSchema = z.object({
  v: z.literal(JOB_VERSION),
  kind: z.enum(["start", "resume"]),
  race: raceJobSchema,
  /** Issue or PR numbers that must be closed first (empty: only a race slot is missing). */
  waitingFor: z.array(z.number().int().min(1)),
  since: z.number().int(),
});
export type WaitJob = z.output<typeof waitJobSchema>;

/** A review (changes requested) or `/revise` sent back to a lane's agent. */
export const revisionJobSchema = z.object({
  v: z.literal(JOB_VERSION),
  raceId: z.string().regex(/^[a-z0-9]+$/),
  installationId: z.number().int(),
  repo: repoRefSchema,
  prNumber: z.number().int(),
  lane: plannedLaneSchema,
  /** The original task plus the review or instructions, already sanitized. */
  task: z.string(),
  configText: z.string().nullable(),
  requestedBy: z.string(),
  deliveryId: z.string(),
});
export type RevisionJob = z.output<typeof revisionJobSchema>;
export type LaneJob = z.output<typeof laneJobSchema>;

export const statusJobSchema = z.object({ v: z.literal(JOB_VERSION), raceId: z.string(), installationId: z.number().int() });
export type StatusJob = z.output<typeof statusJobSchema>;
