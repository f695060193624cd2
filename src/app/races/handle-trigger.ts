import { authorize } from "../../auth/authorize.js";
import { resolveServerConfig } from "../../config/agents/resolve-server-config.js";
import { ConfigError } from "../../errors.js";
import { shortNote } from "../../github/render/fit-github-text.js";
import type { TriggerJob } from "../../queue/job-data.js";
import { defaultAgents } from "../../pipeline/plan-lanes.js";
import type { Command } from "../../commands/command.js";
import { cancelRace } from "./cancel-race.js";
import { findRace } from "./find-race.js";
import { handlePrClosed } from "./handle-pr-closed.js";
import { pickRaceLane } from "./pick-race-lane.js";
import { requestRevision } from "./request-revision.js";
import { retryRaceLane } from "./retry-race-lane.js";
import { parseCommand } from "../../commands/parse-command.js";
import { startRace } from "./start-race.js";
import { wakeRace } from "../../queue/wake-race.js";
import type { TriggerDeps } from "./trigger-deps.js";
import { USAGE } from "../../commands/usage.js";
import type { AuthDecision } from "../../auth/auth-decision.js";
import type { Logger } from "pino";

/** The most of a config error's message the error comment quotes (characters). */
const MAX_CONFIG_ERROR = 8_000;

/**
 * Turns one queued webhook event into action: authorize the sender (fail closed), read the
 * repo config from the default branch, parse the command, then start, cancel or answer.
 */
export async function handleTrigger(job: TriggerJob, given: TriggerDeps): Promise<string> {
  const deps: TriggerDeps = { ...given, receivedAt: given.receivedAt ?? Date.now() };
  const log = deps.log.child({ delivery: job.deliveryId, repo: `${job.repo.owner}/${job.repo.name}`, issue: job.issue.number });
  // 0. Lifecycle events. Races waiting for this issue or PR to close re-check now: no permission
  // check, as the wait job asks GitHub whether it really closed.
  if (job.trigger.kind === "issue-closed" || job.trigger.kind === "pr-closed") {
    const closed = job.trigger.kind === "pr-closed" ? job.trigger.prNumber : job.issue.number;
    for (const raceId of await deps.registry.waits.waitersOf(job.repo.id, closed)) {
      if (await wakeRace(raceId, deps)) log.info({ race: raceId, closed }, "waiting race woken");
    }
  }
  // Closing cancels the issue's race only when the closer may steer races (an issue's author may
  // close it without write access); a merged `Fixes #N` PR closes it as the merger.
  if (job.trigger.kind === "issue-closed") return cancelOnClose(job, deps, log);
  if (job.trigger.kind === "pr-closed") {
    const closed = await findRace(job, deps, job.trigger.prNumber);
    if (!closed) return "not-ours";
    return handlePrClosed(closed.meta, { number: job.trigger.prNumber, headRef: job.trigger.headRef, merged: job.trigger.merged }, job.installationId, deps, log);
  }
  const race = job.trigger.kind === "review" ? await findRace(job, deps, job.trigger.prNumber) : null;
  if (job.trigger.kind === "review" && !race) return "not-ours";

  // 1. Who is asking.
  const decision = await authorizeSender(job, deps);
  if (!decision.allowed) {
    log.warn({ sender: job.sender.login, reason: decision.reason, detail: decision.detail }, "trigger refused");
    if (decision.reason === "insufficient-permission") {
      await deps.github.replyOnce(job.issue.number, "unauthorized", `Sorry @${job.sender.login}, only people with write access to this repository can start or steer agent-race.`);
    }
    return `refused:${decision.reason}`;
  }
  if (job.trigger.kind === "comment") await deps.github.react({ commentId: job.trigger.commentId }, "eyes");
  if (job.trigger.kind === "review" && race?.lane) {
    const state = job.trigger.state.toLowerCase();
    if (state === "changes_requested") {
      return requestRevision(job, race.meta, { prNumber: job.trigger.prNumber, lane: race.lane, body: job.trigger.body, reviewId: job.trigger.reviewId, agent: null }, deps, log);
    }
    if (state === "approved") return pickRaceLane(race.meta, race.lane, job.sender.login, deps, log);
    return "review-recorded";
  }

  // 2. The repo's config, as on the default branch now.
  const configText = await deps.github.configText(job.repo.defaultBranch);
  let config;
  try {
    config = resolveServerConfig(configText, deps.operator);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    await deps.github.upsertComment(job.issue.number, {
      marker: "<!-- agent-race:config-error -->",
      // The message quotes the config: a huge invalid file would make a comment GitHub refuses.
      body: `<!-- agent-race:config-error -->\n**agent-race could not start:** the repository config is invalid.\n\n\`\`\`\n${shortNote(error.message, MAX_CONFIG_ERROR).replace(/`{3,}/g, "``")}\n\`\`\`\n\nFix \`.github/agent-race.yml\` on \`${job.repo.defaultBranch}\` and trigger again.`,
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
      await deps.github.comment(job.issue.number, `**agent-race could not run that command.** ${outcome.error}\n\n${outcome.usage}`);
      return "invalid-command";
    }
    command = outcome.command;
  }
  switch (command.kind) {
    case "race":
      return startRace(job, command, config, configText, deps, log, job.trigger.kind === "label" && job.trigger.label === "agent:run");
    case "cancel":
      return cancelRace(job, deps, log);
    case "pick":
    case "retry":
    case "revise": {
      const found = await findRace(job, deps);
      if (!found) {
        await deps.github.comment(job.issue.number, `There is no agent-race race here to \`/${command.kind}\`.`);
        return "no-race";
      }
      if (command.kind === "pick") return pickRaceLane(found.meta, command.lane, job.sender.login, deps, log);
      if (command.kind === "retry") return retryRaceLane(job, found.meta, command.lane, deps, log);
      if (!found.lane) {
        await deps.github.comment(job.issue.number, "`/revise` works on a pull request that agent-race opened.");
        return "revise-not-on-pr";
      }
      return requestRevision(job, found.meta, { prNumber: job.issue.number, lane: found.lane, body: command.instructions, reviewId: null, agent: command.agent }, deps, log);
    }
    case "help":
      await deps.github.comment(job.issue.number, `${USAGE}\n\nAgents on this server: ${Object.keys(config.agents).map((a) => `\`${a}\``).join(", ")} (default: ${defaultAgents(config).join(", ")}).`);
      return "help";
  }
}

/** The live permission check every steering trigger passes (fail closed). */
function authorizeSender(job: TriggerJob, deps: TriggerDeps): Promise<AuthDecision> {
  return authorize({
    sender: job.sender, appSlug: deps.appSlug, allowedBots: deps.operator.allowed_bots,
    getPermission: (login) => deps.github.permission(login),
  });
}

/**
 * `issues.closed`: cancels the issue's race like `/cancel`, if the closer has write access (or is
 * an allowlisted bot). A close by anyone else leaves the race running and says so once per issue.
 */
async function cancelOnClose(job: TriggerJob, deps: TriggerDeps, log: Logger): Promise<string> {
  const raceId = await deps.registry.issues.active(job.repo.id, job.issue.number);
  if (!raceId) return "nothing-to-cancel";
  const decision = await authorizeSender(job, deps);
  if (!decision.allowed) {
    log.warn({ race: raceId, sender: job.sender.login, reason: decision.reason, detail: decision.detail }, "close did not cancel the race");
    if (decision.reason === "insufficient-permission") {
      await deps.github.replyOnce(job.issue.number, "close-unauthorized",
        `@${job.sender.login} closed this issue, but only people with write access can stop agent-race, so race \`${raceId}\` goes on. Someone with write access can \`/cancel\` it.`);
    }
    return `close-refused:${decision.reason}`;
  }
  return cancelRace(job, deps, log, "issue-closed");
}
