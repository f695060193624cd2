import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

// Every test sees the same, minimal git identity and no user or system config.
const home = mkdtempSync(join(tmpdir(), "agent-race-test-home-"));
const gitconfig = join(home, ".gitconfig");
writeFileSync(
  gitconfig,
  "[user]\n\tname = Test User\n\temail = test@example.com\n[init]\n\tdefaultBranch = main\n[advice]\n\tdetachedHead = false\n[protocol \"file\"]\n\tallow = always\n",
);
process.env.GIT_CONFIG_GLOBAL = gitconfig;
process.env.GIT_CONFIG_NOSYSTEM = "1";
process.env.AGENT_RACE_WORKTREE_DIR ??= join(home, "worktrees");
// The scripted agents and eval fixtures live in the repo, which the lane sandbox does not mount: let lanes read them.
process.env.AGENT_RACE_SANDBOX_READ_ONLY ??= fileURLToPath(new URL("../fixtures", import.meta.url));
