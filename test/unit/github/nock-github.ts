import nock from "nock";
import { ProbotOctokit } from "probot";
import { afterAll, afterEach, beforeAll, expect } from "vitest";
import type { GitHubClient } from "../../../src/github/client/github-client.js";
import type { RepoRef } from "../../../src/github/repo-ref.js";

export const API = "https://api.github.com";
export const REPO: RepoRef = { owner: "octo", repo: "widgets" };
export const REPO_PATH = `/repos/${REPO.owner}/${REPO.repo}`;

/** A ProbotOctokit against api.github.com with throttling and retries off, as nock expects. */
export function createOctokit(): GitHubClient {
  return new ProbotOctokit({ auth: { token: "test" }, throttle: { enabled: false }, retry: { enabled: false } });
}

/** Registers the nock lifecycle for the file: no real network, and every mock used by each test. */
export function useNock(): void {
  beforeAll(() => nock.disableNetConnect());
  afterEach(() => {
    const pending = nock.pendingMocks();
    nock.cleanAll();
    expect(pending).toEqual([]);
  });
  afterAll(() => nock.enableNetConnect());
}

/** A 422 body the way GitHub words validation failures. */
export function validationFailed(errors: Array<Record<string, string>>): Record<string, unknown> {
  return { message: "Validation Failed", errors, documentation_url: "https://docs.github.com/rest" };
}
