import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

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
