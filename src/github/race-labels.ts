import type { GitHubClient } from "./client/github-client.js";
import { httpStatus } from "./client/http-status.js";
import { isAlreadyExists } from "./client/is-already-exists.js";
import type { RepoRef } from "./repo-ref.js";

export interface RaceLabel {
  name: string;
  /** Hex without `#`, as the labels API takes it. */
  color: string;
  description: string;
}

export type RaceLabelState = "running" | "done" | "failed";

export const RACE_LABELS: readonly RaceLabel[] = [
  { name: "agent:race", color: "5319e7", description: "agent-race: race several AI agents on this issue" },
  { name: "agent:run", color: "1d76db", description: "agent-race: run one AI agent on this issue" },
  { name: "agent-race:running", color: "fbca04", description: "agent-race: a race is running" },
  { name: "agent-race:done", color: "0e8a16", description: "agent-race: the race finished" },
  { name: "agent-race:failed", color: "b60205", description: "agent-race: the race failed" },
  { name: "agent-race:overlap", color: "d93f0b", description: "agent-race: open pull requests touch the same files" },
];

const STATE_LABELS: Record<RaceLabelState, string> = {
  running: "agent-race:running",
  done: "agent-race:done",
  failed: "agent-race:failed",
};

/** Creates the labels agent-race uses that the repository lacks; returns the names created. */
export async function ensureLabels(octokit: GitHubClient, repo: RepoRef): Promise<string[]> {
  const existing = await octokit.paginate(octokit.rest.issues.listLabelsForRepo, { owner: repo.owner, repo: repo.repo, per_page: 100 });
  const names = new Set(existing.map((label) => label.name.toLowerCase()));
  const created: string[] = [];
  for (const label of RACE_LABELS) {
    if (names.has(label.name.toLowerCase())) continue;
    try {
      await octokit.rest.issues.createLabel({ owner: repo.owner, repo: repo.repo, ...label });
      created.push(label.name);
    } catch (error) {
      if (!isAlreadyExists(error)) throw error;
    }
  }
  return created;
}

/** Shows the race's state on the issue: removes the other state labels and adds this one. */
export async function setRaceState(octokit: GitHubClient, repo: RepoRef, issueNumber: number, state: RaceLabelState): Promise<void> {
  for (const [other, name] of Object.entries(STATE_LABELS)) {
    if (other === state) continue;
    try {
      await octokit.rest.issues.removeLabel({ owner: repo.owner, repo: repo.repo, issue_number: issueNumber, name });
    } catch (error) {
      if (httpStatus(error) !== 404) throw error;
    }
  }
  await octokit.rest.issues.addLabels({ owner: repo.owner, repo: repo.repo, issue_number: issueNumber, labels: [STATE_LABELS[state]] });
}
