import nock from "nock";
import { describe, expect, it } from "vitest";
import { addReaction } from "../../../src/github/add-reaction.js";
import { deleteRemoteBranches } from "../../../src/github/delete-remote-branches.js";
import { replyOnce } from "../../../src/github/reply-once.js";
import { API, createOctokit, REPO, REPO_PATH, useNock } from "./nock-github.js";

useNock();

describe("deleteRemoteBranches", () => {
  it("returns the branches it deleted, skipping missing and protected ones", async () => {
    nock(API)
      .delete(`${REPO_PATH}/git/refs/heads%2Fagent-race%2F7-abc%2F1-claude`)
      .reply(204)
      .delete(`${REPO_PATH}/git/refs/heads%2Fagent-race%2F7-abc%2F2-codex`)
      .reply(422, { message: "Reference does not exist" })
      .delete(`${REPO_PATH}/git/refs/heads%2Fagent-race%2F7-abc%2F3-aider`)
      .reply(404, { message: "Not Found" });
    const branches = ["agent-race/7-abc/1-claude", "agent-race/7-abc/2-codex", "agent-race/7-abc/3-aider"];
    expect(await deleteRemoteBranches(createOctokit(), REPO, branches)).toEqual(["agent-race/7-abc/1-claude"]);
  });

  it("throws other errors", async () => {
    nock(API).delete(`${REPO_PATH}/git/refs/heads%2Fagent-race%2Fx`).reply(403, { message: "Forbidden" });
    await expect(deleteRemoteBranches(createOctokit(), REPO, ["agent-race/x"])).rejects.toMatchObject({ status: 403 });
  });

  it("never deletes a branch outside agent-race/ (no request is made for it)", async () => {
    // Any DELETE would be an unmatched request and fail under nock's disableNetConnect.
    const names = ["main", "release/1.0", "agent-race", "agent-race-evil/x", "agent-race/../main", "Agent-Race/x"];
    expect(await deleteRemoteBranches(createOctokit(), REPO, names)).toEqual([]);
  });
});

describe("addReaction", () => {
  it.each([
    ["a comment", { commentId: 5 }, `${REPO_PATH}/issues/comments/5/reactions`, "eyes", undefined],
    ["an issue", { issueNumber: 7 }, `${REPO_PATH}/issues/7/reactions`, "rocket", "rocket" as const],
  ])("reacts to %s", async (_name, target, path, content, argument) => {
    nock(API).post(path, { content }).reply(201, { id: 1 });
    expect(await addReaction(createOctokit(), REPO, target, argument)).toBe(true);
  });

  it("swallows failures", async () => {
    nock(API).post(`${REPO_PATH}/issues/comments/5/reactions`).reply(403, { message: "Forbidden" });
    expect(await addReaction(createOctokit(), REPO, { commentId: 5 }, "confused")).toBe(false);
  });
});

describe("replyOnce", () => {
  const marker = "<!-- agent-race:reply:denied:mallory -->";

  it("posts the reply with its marker the first time", async () => {
    nock(API)
      .get(`${REPO_PATH}/issues/7/comments`)
      .query({ per_page: 100 })
      .reply(200, [{ id: 1, user: { type: "User" }, body: marker }])
      .post(`${REPO_PATH}/issues/7/comments`, { body: `${marker}\nSorry, you need write access.` })
      .reply(201, { id: 2 });
    expect(await replyOnce(createOctokit(), REPO, 7, "denied:mallory", "Sorry, you need write access.")).toBe(true);
  });

  it("stays quiet when the app already replied", async () => {
    nock(API)
      .get(`${REPO_PATH}/issues/7/comments`)
      .query({ per_page: 100 })
      .reply(200, [{ id: 1, user: { type: "Bot" }, body: `${marker}\nSorry` }]);
    expect(await replyOnce(createOctokit(), REPO, 7, "denied:mallory", "again")).toBe(false);
  });
});
