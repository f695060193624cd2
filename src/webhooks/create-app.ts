import type { Webhooks } from "@octokit/webhooks";
import { findCommandLine } from "../commands/find-command-line.js";
import { BRANCH_ROOT } from "../git/branch-name.js";
import type { JobQueues } from "../queue/job-queues.js";
import type { RaceRegistry } from "../redis/race-registry.js";
import type { TriggerJob } from "../queue/job-data.js";
import { toTriggerJob } from "./to-trigger-job.js";

const RACE_LABELS = new Set(["agent:race", "agent:run"]);

export interface AppDeps {
  queues: JobQueues;
  registry: RaceRegistry;
}

/**
 * Where the handlers are registered: the server's plain `Webhooks` (see createWebhookHandler). Each
 * handler gets the bare event (id, name, payload): no Octokit, no per-event logger.
 */
export interface WebhookHost {
  on: Webhooks["on"];
  log: { info(fields: Record<string, unknown>, message: string): void };
}

/**
 * The webhook handlers: they only filter, de-duplicate by delivery id and enqueue a trigger job,
 * then return; authorization and everything else happen in the trigger worker.
 */
export function createApp(deps: AppDeps): (app: WebhookHost) => void {
  return (app) => {
    const enqueue = async (deliveryId: string, job: TriggerJob): Promise<void> => {
      if (!(await deps.registry.deliveries.claim(deliveryId))) {
        app.log.info({ delivery: deliveryId }, "duplicate delivery ignored");
        return;
      }
      try {
        await deps.queues.enqueueTrigger(job);
      } catch (error) {
        await deps.registry.deliveries.forget(deliveryId);
        throw error;
      }
    };

    app.on("issues.labeled", async (context) => {
      const label = context.payload.label?.name;
      if (!label || !RACE_LABELS.has(label) || !context.payload.installation) return;
      await enqueue(context.id, toTriggerJob({
        deliveryId: context.id, installationId: context.payload.installation.id, repository: context.payload.repository,
        sender: context.payload.sender, issue: context.payload.issue, trigger: { kind: "label", label: label as "agent:race" | "agent:run" },
      }));
    });

    app.on("issue_comment.created", async (context) => {
      const { comment, installation } = context.payload;
      if (!installation || !findCommandLine(comment.body)) return;
      await enqueue(context.id, toTriggerJob({
        deliveryId: context.id, installationId: installation.id, repository: context.payload.repository,
        sender: context.payload.sender, issue: context.payload.issue, trigger: { kind: "comment", commentId: comment.id, body: comment.body },
      }));
    });

    app.on("issues.closed", async (context) => {
      const { installation, issue } = context.payload;
      if (!installation) return;
      await enqueue(context.id, toTriggerJob({
        deliveryId: context.id, installationId: installation.id, repository: context.payload.repository,
        sender: context.payload.sender, issue, trigger: { kind: "issue-closed" },
      }));
    });

    // Every closed PR: races may wait for any PR to be merged (`depends on #N`), not only ours.
    app.on("pull_request.closed", async (context) => {
      const { pull_request: pr, installation } = context.payload;
      if (!installation) return;
      await enqueue(context.id, toTriggerJob({
        deliveryId: context.id, installationId: installation.id, repository: context.payload.repository, sender: context.payload.sender,
        issue: { number: pr.number, title: pr.title, body: pr.body, pull_request: {} },
        trigger: { kind: "pr-closed", prNumber: pr.number, headRef: pr.head.ref, merged: Boolean(pr.merged) },
      }));
    });

    app.on("pull_request_review.submitted", async (context) => {
      const { pull_request: pr, review, installation } = context.payload;
      if (!installation || !pr.head.ref.startsWith(`${BRANCH_ROOT}/`)) return;
      await enqueue(context.id, toTriggerJob({
        deliveryId: context.id, installationId: installation.id, repository: context.payload.repository, sender: context.payload.sender,
        issue: { number: pr.number, title: pr.title, body: pr.body, pull_request: {} },
        trigger: { kind: "review", prNumber: pr.number, reviewId: review.id, state: review.state, headRef: pr.head.ref, body: review.body ?? "" },
      }));
    });
  };
}
