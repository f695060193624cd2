import type { Job } from "bullmq";
import { renderStatusComment } from "../github/render/render-status-comment.js";
import { statusMarker } from "../github/render/status-marker.js";
import { statusJobSchema } from "../queue/job-data.js";
import type { WorkerDeps } from "./worker-deps.js";
import { JOB_PERMISSIONS } from "./job-permissions.js";

/** Renders a race's current state into its one status comment (throttled by the queue). */
export async function processStatusJob(job: Job, deps: WorkerDeps): Promise<void> {
  const data = statusJobSchema.parse(job.data);
  const meta = await deps.registry.races.get(data.raceId);
  if (!meta) return;
  const lanes = await deps.registry.races.lanes(data.raceId);
  const state = meta.state === "queued" && lanes.some((l) => l.step !== "queued") ? "running" : meta.state;
  const github = await deps.github.clientFor(data.installationId, meta.repo, JOB_PERMISSIONS.status);
  const commentId = await github.upsertComment(meta.issueNumber, {
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
  if (commentId !== meta.statusCommentId) await deps.registry.races.update(meta.raceId, (m) => ({ ...m, statusCommentId: commentId }));
}
