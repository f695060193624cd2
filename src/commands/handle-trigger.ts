import { authorize } from "../auth/authorize.js";
import { resolveServerConfig } from "../config/resolve-server-config.js";
import { ConfigError } from "../errors.js";
import { addReaction } from "../github/add-reaction.js";
import { fetchConfigText } from "../github/fetch-config-text.js";
import { replyOnce } from "../github/reply-once.js";
import { upsertComment } from "../github/upsert-comment.js";
import type { TriggerJob } from "../queue/job-data.js";
import { defaultAgents } from "../pipeline/plan-lanes.js";
import type { Command } from "./command.js";
import { cancelRace } from "./cancel-race.js";
import { parseCommand } from "./parse-command.js";
import { startRace } from "./start-race.js";
import type { TriggerDeps } from "./trigger-deps.js";
import { USAGE } from "./usage.js";

/**
 * Turns one queued webhook event into action: authorize the sender (fail closed), read the
 * repo config from the default branch, parse the command, then start, cancel or answer.
 */
export async function handleTrigger(job: TriggerJob, deps: TriggerDeps): Promise<string> {
  const repo = { owner: job.repo.owner, repo: job.repo.name };
  const log = deps.log.child({ delivery: job.deliveryId, repo: `${repo.owner}/${repo.repo}`, issue: job.issue.number });
  if (job.trigger.kind === "review") {
    log.info({ pr: job.trigger.prNumber, state: job.trigger.state }, "review on a generated pull request recorded");
    return "review-recorded";
  }
  if (job.trigger.kind === "issue-closed" || job.trigger.kind === "pr-closed") return "ignored";

  // 1. Who is asking.
  const decision = await authorize({
    sender: job.sender, appSlug: deps.appSlug, allowedBots: deps.operator.allowed_bots,
    getPermission: async (login) => (await deps.octokit.rest.repos.getCollaboratorPermissionLevel({ ...repo, username: login })).data.permission,
  });
  if (!decision.allowed) {
    log.warn({ sender: job.sender.login, reason: decision.reason, detail: decision.detail }, "trigger refused");
    if (decision.reason === "insufficient-permission") {
      await replyOnce(deps.octokit, repo, job.issue.number, "unauthorized", `Sorry @${job.sender.login}, only people with write access to this repository can start or steer agent-race.`);
    }
    return `refused:${decision.reason}`;
  }
  if (job.trigger.kind === "comment") await addReaction(deps.octokit, repo, { commentId: job.trigger.commentId }, "eyes");

  // 2. The repo's config, as on the default branch now.
  const configText = await fetchConfigText(deps.octokit, repo, job.repo.defaultBranch);
  let config;
  try {
    config = resolveServerConfig(configText, deps.operator);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    await upsertComment(deps.octokit, repo, job.issue.number, {
      marker: "<!-- agent-race:config-error -->",
      body: `<!-- agent-race:config-error -->\n**agent-race could not start:** the repository config is invalid.\n\n\`\`\`\n${error.message.replace(/`{3,}/g, "``")}\n\`\`\`\n\nFix \`.github/agent-race.yml\` on \`${job.repo.defaultBranch}\` and trigger again.`,
    });
    return "config-error";
  }

  // 3. The command.
  let command: Command;
  if (job.trigger.kind === "label") {
    command = { kind: "race", lanes: job.trigger.label === "agent:run" ? 1 : null, agents: [], approaches: [] };
  } else {
    const outcome = parseCommand(job.trigger.body, { knownAgents: Object.keys(config.agents), maxLanes: config.max_lanes });
    if (outcome.kind === "none") return "not-a-command";
    if (outcome.kind === "invalid") {
      await deps.octokit.rest.issues.createComment({ ...repo, issue_number: job.issue.number, body: `**agent-race could not run that command.** ${outcome.error}\n\n${outcome.usage}` });
      return "invalid-command";
    }
    command = outcome.command;
  }
  switch (command.kind) {
    case "race":
      return startRace(job, command, config, configText, deps, log, job.trigger.kind === "label" && job.trigger.label === "agent:run");
    case "cancel":
      return cancelRace(job, deps, log);
    case "help":
      await deps.octokit.rest.issues.createComment({ ...repo, issue_number: job.issue.number, body: `${USAGE}\n\nAgents on this server: ${Object.keys(config.agents).map((a) => `\`${a}\``).join(", ")} (default: ${defaultAgents(config).join(", ")}).` });
      return "help";
    default:
      await deps.octokit.rest.issues.createComment({ ...repo, issue_number: job.issue.number, body: `\`/${command.kind}\` is not available on this server yet.\n\n${USAGE}` });
      return "unsupported";
  }
}
