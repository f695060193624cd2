import { UnrecoverableError, type Job } from "bullmq";
import type { Logger } from "pino";
import type { z } from "zod";
import type { JobSeal } from "../queue/job-seal.js";
import { jobRepoProblem, type JobRepo } from "../queue/job-data.js";

export interface OpenJobDeps {
  queues: { seal: JobSeal };
  github: { gitHost: string };
  log: Logger;
}

/**
 * A worker's first step: the job's signature, its schema, then its repository against the configured GitHub
 * server. A job that fails any of them was changed (or is broken): it fails as unrecoverable before anything
 * runs, and the refusal is logged.
 */
export function openJobData<S extends z.ZodType>(job: Job, schema: S, deps: OpenJobDeps): z.output<S> {
  const refuse = (reason: string): never => {
    deps.log.error({ job: job.id, queue: job.queueName, reason }, "job refused");
    throw new UnrecoverableError(`${job.queueName} job refused: ${reason}`);
  };
  const opened = deps.queues.seal.open(job.data);
  if (!opened.ok) return refuse(opened.reason);
  const parsed = schema.safeParse(opened.data);
  if (!parsed.success) return refuse(`invalid ${job.queueName} job data: ${parsed.error.message}`);
  const data = parsed.data as { repo?: JobRepo; race?: { repo?: JobRepo } };
  for (const repo of [data.repo, data.race?.repo]) {
    const problem = repo ? jobRepoProblem(repo, deps.github.gitHost) : null;
    if (problem) refuse(problem);
  }
  return parsed.data;
}
