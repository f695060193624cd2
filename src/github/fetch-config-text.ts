import { REPO_CONFIG_PATH } from "../config/load-repo-config.js";
import type { GitHubClient } from "./client/github-client.js";
import { httpStatus } from "./client/http-status.js";
import type { RepoRef } from "./repo-ref.js";

/** The raw text of `.github/agent-race.yml` on `ref`, or null when the file does not exist. */
export async function fetchConfigText(octokit: GitHubClient, repo: RepoRef, ref: string): Promise<string | null> {
  try {
    const response = await octokit.rest.repos.getContent({ ...repo, path: REPO_CONFIG_PATH, ref, mediaType: { format: "raw" } });
    const data: unknown = response.data;
    if (typeof data === "string") return data;
    if (data instanceof ArrayBuffer) return Buffer.from(data).toString("utf8");
    throw new Error(`unexpected response for ${REPO_CONFIG_PATH}`);
  } catch (error) {
    if (httpStatus(error) === 404) return null;
    throw error;
  }
}
