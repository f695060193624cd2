import type { JobRepo, Trigger, TriggerJob } from "../queue/job-data.js";
import { JOB_VERSION } from "../queue/job-data.js";

interface PayloadRepo {
  id: number;
  name: string;
  owner: { login: string };
  clone_url: string;
  html_url: string;
  default_branch: string;
}

interface PayloadIssue {
  number: number;
  title: string;
  body?: string | null;
  pull_request?: unknown;
}

/** Maps the fields agent-race needs from a webhook payload into a trigger job (no tokens). */
export function toTriggerJob(input: {
  deliveryId: string;
  installationId: number;
  repository: PayloadRepo;
  sender: { login: string; type: string };
  issue: PayloadIssue;
  trigger: Trigger;
}): TriggerJob {
  const repo: JobRepo = {
    id: input.repository.id,
    owner: input.repository.owner.login,
    name: input.repository.name,
    cloneUrl: input.repository.clone_url,
    htmlUrl: input.repository.html_url,
    defaultBranch: input.repository.default_branch,
  };
  return {
    v: JOB_VERSION,
    deliveryId: input.deliveryId,
    installationId: input.installationId,
    repo,
    sender: { login: input.sender.login, type: input.sender.type },
    issue: { number: input.issue.number, title: input.issue.title, body: input.issue.body ?? "", isPullRequest: Boolean(input.issue.pull_request) },
    trigger: input.trigger,
  };
}
