import nock from "nock";
import { describe, expect, it } from "vitest";
import { openPullRequest } from "../../../src/github/open-pull-request.js";
import { API, createOctokit, REPO, REPO_PATH, useNock, validationFailed } from "./nock-github.js";

useNock();

const INPUT = { head: "agent-race/7-abc123/1-claude", base: "main", title: "Fix it", body: "Fixes #7", draft: false };
const LIST_QUERY = { state: "open", head: `octo:${INPUT.head}`, per_page: 1 };
const pull = (number: number) => ({ number, html_url: `https://github.com/octo/widgets/pull/${number}` });

describe("openPullRequest", () => {
  it("creates a pull request when the branch has none", async () => {
    nock(API)
      .get(`${REPO_PATH}/pulls`)
      .query(LIST_QUERY)
      .reply(200, [])
      .post(`${REPO_PATH}/pulls`, INPUT)
      .reply(201, pull(12));
    expect(await openPullRequest(createOctokit(), REPO, INPUT)).toEqual({ number: 12, url: pull(12).html_url, created: true });
  });

  it("updates the open pull request instead of opening another", async () => {
    nock(API)
      .get(`${REPO_PATH}/pulls`)
      .query(LIST_QUERY)
      .reply(200, [pull(8)])
      .patch(`${REPO_PATH}/pulls/8`, { title: INPUT.title, body: INPUT.body })
      .reply(200, pull(8));
    expect(await openPullRequest(createOctokit(), REPO, INPUT)).toEqual({ number: 8, url: pull(8).html_url, created: false });
  });

  it("looks again when a concurrent create won", async () => {
    nock(API)
      .get(`${REPO_PATH}/pulls`)
      .query(LIST_QUERY)
      .reply(200, [])
      .post(`${REPO_PATH}/pulls`)
      .reply(422, validationFailed([{ resource: "PullRequest", code: "custom", message: `A pull request already exists for octo:${INPUT.head}.` }]))
      .get(`${REPO_PATH}/pulls`)
      .query(LIST_QUERY)
      .reply(200, [pull(13)])
      .patch(`${REPO_PATH}/pulls/13`)
      .reply(200, pull(13));
    expect(await openPullRequest(createOctokit(), REPO, INPUT)).toEqual({ number: 13, url: pull(13).html_url, created: false });
  });

  it("rethrows other validation errors", async () => {
    nock(API)
      .get(`${REPO_PATH}/pulls`)
      .query(LIST_QUERY)
      .reply(200, [])
      .post(`${REPO_PATH}/pulls`)
      .reply(422, validationFailed([{ resource: "PullRequest", code: "custom", message: "No commits between main and x" }]));
    await expect(openPullRequest(createOctokit(), REPO, INPUT)).rejects.toMatchObject({ status: 422 });
  });
});
