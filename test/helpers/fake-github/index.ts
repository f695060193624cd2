export { createFakeGitHub, type FakeGitHub } from "./create-fake-github.js";
export type { AddIssueOptions, AddRepoOptions, AddReviewOptions, FakeRepo, RepoRef } from "./test-api.js";
export { sendWebhook, type SendWebhookOptions } from "./send-webhook.js";
export * from "./payloads.js";
export { createTestOctokit } from "./test-octokit.js";
export { APP_SLUG, BOT_LOGIN } from "./state.js";
export { gitAuthArgs } from "./git-auth.js";
export type * from "./types.js";
