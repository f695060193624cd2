import type { TriggerJob } from "../queue/job-data.js";
import { httpStatus } from "../github/http-status.js";
import { findDependencyCycle } from "./find-dependency-cycle.js";
import { parseDependencies } from "./parse-dependencies.js";
import type { TriggerDeps } from "./trigger-deps.js";

/** The issue's declared dependencies that are still open, and a cycle through them, if any. */
export async function openDependencies(job: TriggerJob, deps: TriggerDeps): Promise<{ open: number[]; cycle: number[] | null }> {
  const declared = parseDependencies(job.issue.body, job.issue.number);
  if (declared.length === 0) return { open: [], cycle: null };
  const issues = new Map<number, { open: boolean; body: string } | null>();
  const lookup = async (n: number) => {
    if (!issues.has(n)) {
      try {
        const { data } = await deps.octokit.rest.issues.get({ owner: job.repo.owner, repo: job.repo.name, issue_number: n });
        issues.set(n, { open: data.state === "open", body: data.body ?? "" });
      } catch (error) {
        if (httpStatus(error) !== 404 && httpStatus(error) !== 410) throw error;
        issues.set(n, null);
      }
    }
    return issues.get(n) ?? null;
  };
  const open: number[] = [];
  for (const n of declared) if ((await lookup(n))?.open) open.push(n);
  const cycle = open.length === 0 ? null : await findDependencyCycle(job.issue.number, open, async (n) => {
    const issue = await lookup(n);
    return issue?.open ? parseDependencies(issue.body, n) : null;
  });
  return { open, cycle };
}
