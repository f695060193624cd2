import type { Job } from "bullmq";
import { renderStatusComment } from "../github/render-status-comment.js";
import { statusMarker } from "../github/status-marker.js";
import { upsertComment } from "../github/upsert-comment.js";
import { statusJobSchema } from "../queue/job-data.js";
import type { WorkerDeps } from "./worker-deps.js";
import { JOB_PERMISSIONS } from "./job-permissions.js";

/** Renders a race's current state into its one status comment (throttled by the queue). */
export async function processStatusJob(job: Job, deps: WorkerDeps): Promise<void> {
  const data = statusJobSchema.parse(job.data);
  const meta = await deps.registry.getMeta(data.raceId);
  if (!meta) return;
  const lanes = await deps.registry.getLanes(data.raceId);
  const state = meta.state === "queued" && lanes.some((l) => l.step !== "queued") ? "running" : meta.state;
  const octokit = await deps.github.octokitFor(data.installationId, { repo: meta.repo.name, permissions: JOB_PERMISSIONS.status });
  const commentId = await upsertComment(octokit, { owner: meta.repo.owner, repo: meta.repo.name }, meta.issueNumber, {
    marker: statusMarker(meta.raceId),
    commentId: meta.statusCommentId,
    body: renderStatusComment({
      raceId: meta.raceId, state, now: Date.now(), unsandboxed: deps.operator.sandbox.mode === "none", ...(meta.message ? { message: meta.message } : {}),
      ...(meta.state === "waiting" && meta.waiting ? { waiting: { for: meta.waiting.for, reason: meta.waiting.reason } } : {}),
      lanes: lanes.map(({ lane, agent, approach, step, status, detail, startedAt, updatedAt }) => ({
        lane, agent, approach, step, startedAt, updatedAt, ...(status ? { status } : {}), ...(detail ? { detail } : {}),
      })),
    }),
  });
  if (commentId !== meta.statusCommentId) await deps.registry.updateMeta(meta.raceId, (m) => ({ ...m, statusCommentId: commentId }));
}
