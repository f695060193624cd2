import nock from "nock";
import { describe, expect, it } from "vitest";
import { upsertComment } from "../../../src/github/upsert-comment.js";
import { API, createOctokit, REPO, REPO_PATH, useNock } from "./nock-github.js";

useNock();

const MARKER = "<!-- agent-race:status:abc123 -->";
const BODY = `${MARKER}\nracing`;
const bot = { login: "agent-race[bot]", type: "Bot" };
const human = { login: "mallory", type: "User" };

describe("upsertComment", () => {
  it("updates the known comment", async () => {
    nock(API).patch(`${REPO_PATH}/issues/comments/55`, { body: BODY }).reply(200, { id: 55 });
    expect(await upsertComment(createOctokit(), REPO, 7, { marker: MARKER, body: BODY, commentId: 55 })).toBe(55);
  });

  it("falls back to the search when the known comment was deleted", async () => {
    nock(API)
      .patch(`${REPO_PATH}/issues/comments/55`)
      .reply(404, { message: "Not Found" })
      .get(`${REPO_PATH}/issues/7/comments`)
      .query({ per_page: 100 })
      .reply(200, [{ id: 60, user: bot, body: `${MARKER}\nold` }])
      .patch(`${REPO_PATH}/issues/comments/60`, { body: BODY })
      .reply(200, { id: 60 });
    expect(await upsertComment(createOctokit(), REPO, 7, { marker: MARKER, body: BODY, commentId: 55 })).toBe(60);
  });

  it("finds the app's comment on a later page, ignoring people quoting the marker", async () => {
    nock(API)
      .get(`${REPO_PATH}/issues/7/comments`)
      .query({ per_page: 100 })
      .reply(200, [{ id: 1, user: human, body: `${MARKER} fake` }, { id: 2, user: bot, body: `> ${MARKER}` }], {
        link: `<${API}${REPO_PATH}/issues/7/comments?per_page=100&page=2>; rel="next"`,
      })
      .get(`${REPO_PATH}/issues/7/comments`)
      .query({ per_page: 100, page: 2 })
      .reply(200, [{ id: 3, user: bot, body: `${MARKER}\nold` }])
      .patch(`${REPO_PATH}/issues/comments/3`, { body: BODY })
      .reply(200, { id: 3 });
    expect(await upsertComment(createOctokit(), REPO, 7, { marker: MARKER, body: BODY })).toBe(3);
  });

  it("creates the comment, marker first, when there is none", async () => {
    nock(API)
      .get(`${REPO_PATH}/issues/7/comments`)
      .query({ per_page: 100 })
      .reply(200, [{ id: 1, user: bot, body: "<!-- agent-race:status:other -->" }])
      .post(`${REPO_PATH}/issues/7/comments`, { body: `${MARKER}\nplain body` })
      .reply(201, { id: 99 });
    expect(await upsertComment(createOctokit(), REPO, 7, { marker: MARKER, body: "plain body", commentId: null })).toBe(99);
  });

  it("throws other errors rather than creating a duplicate", async () => {
    nock(API).patch(`${REPO_PATH}/issues/comments/55`).reply(500, { message: "boom" });
    await expect(upsertComment(createOctokit(), REPO, 7, { marker: MARKER, body: BODY, commentId: 55 })).rejects.toMatchObject({ status: 500 });
  });
});
