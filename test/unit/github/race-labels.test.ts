import nock from "nock";
import { describe, expect, it } from "vitest";
import { ensureLabels, RACE_LABELS, setRaceState } from "../../../src/github/race-labels.js";
import { API, createOctokit, REPO, REPO_PATH, useNock, validationFailed } from "./nock-github.js";

useNock();

describe("RACE_LABELS", () => {
  it("defines the trigger and state labels with valid colors", () => {
    expect(RACE_LABELS.map((label) => label.name)).toEqual([
      "agent:race", "agent:run", "agent-race:running", "agent-race:done", "agent-race:failed", "agent-race:overlap",
    ]);
    for (const label of RACE_LABELS) {
      expect(label.color).toMatch(/^[0-9a-f]{6}$/);
      expect(label.description.length).toBeLessThanOrEqual(100);
    }
  });
});

describe("ensureLabels", () => {
  it("creates only the missing labels and ignores one created meanwhile", async () => {
    const existing = RACE_LABELS.filter((label) => label.name !== "agent:run" && label.name !== "agent-race:overlap");
    nock(API)
      .get(`${REPO_PATH}/labels`)
      .query({ per_page: 100 })
      .reply(200, [...existing.map((label) => ({ name: label.name.toUpperCase() })), { name: "bug" }])
      .post(`${REPO_PATH}/labels`, { name: "agent:run", color: "1d76db", description: "agent-race: run one AI agent on this issue" })
      .reply(201, {})
      .post(`${REPO_PATH}/labels`, (body: { name?: string }) => body.name === "agent-race:overlap")
      .reply(422, validationFailed([{ resource: "Label", code: "already_exists", field: "name" }]));
    expect(await ensureLabels(createOctokit(), REPO)).toEqual(["agent:run"]);
  });

  it("throws other errors", async () => {
    nock(API).get(`${REPO_PATH}/labels`).query({ per_page: 100 }).reply(200, []).post(`${REPO_PATH}/labels`).reply(403, { message: "Forbidden" });
    await expect(ensureLabels(createOctokit(), REPO)).rejects.toMatchObject({ status: 403 });
  });
});

describe("setRaceState", () => {
  it.each([
    ["running", ["agent-race%3Adone", "agent-race%3Afailed"]],
    ["done", ["agent-race%3Arunning", "agent-race%3Afailed"]],
    ["failed", ["agent-race%3Arunning", "agent-race%3Adone"]],
  ] as const)("sets %s, removing the other state labels", async (state, removed) => {
    const scope = nock(API);
    scope.delete(`${REPO_PATH}/issues/7/labels/${removed[0]}`).reply(200, []);
    scope.delete(`${REPO_PATH}/issues/7/labels/${removed[1]}`).reply(404, { message: "Label does not exist" });
    scope.post(`${REPO_PATH}/issues/7/labels`, { labels: [`agent-race:${state}`] }).reply(200, []);
    await setRaceState(createOctokit(), REPO, 7, state);
  });

  it("throws when a removal fails for another reason", async () => {
    nock(API).delete(`${REPO_PATH}/issues/7/labels/agent-race%3Arunning`).reply(500, { message: "boom" });
    await expect(setRaceState(createOctokit(), REPO, 7, "done")).rejects.toMatchObject({ status: 500 });
  });
});
