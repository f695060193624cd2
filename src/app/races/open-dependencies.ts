import type { TriggerJob } from "../../queue/job-data.js";
import type { IssueState } from "../../github/fetch-issue-state.js";
import { findDependencyCycle } from "../../commands/find-dependency-cycle.js";
import { parseDependencies } from "../../commands/parse-dependencies.js";
import type { TriggerDeps } from "./trigger-deps.js";

/** The issue's declared dependencies that are still open, and a cycle through them, if any. */
export async function openDependencies(job: TriggerJob, deps: TriggerDeps): Promise<{ open: number[]; cycle: number[] | null }> {
  const declared = parseDependencies(job.issue.body, job.issue.number);
  if (declared.length === 0) return { open: [], cycle: null };
  const issues = new Map<number, IssueState | null>();
  const lookup = async (n: number): Promise<IssueState | null> => {
    if (!issues.has(n)) issues.set(n, await deps.github.issueState(n));
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
