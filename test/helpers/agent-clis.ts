import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** A pinned agent CLI of test/agent-clis.json. */
export interface AgentCli {
  name: string;
  package: string;
  version: string;
  bin: string;
  /** The folder holding the CLI's binary: put it first on PATH so a preset's `["<bin>", …]` finds it. */
  binDir: string;
}

const LIST = fileURLToPath(new URL("../agent-clis.json", import.meta.url));

/** Where scripts/install-agent-clis.sh installs them (outside the repo). */
export const AGENT_CLI_DIR = process.env.AGENT_RACE_CLI_DIR ?? join(homedir(), ".cache", "agent-race", "agent-clis");

/**
 * The pinned CLI `name` when it is installed, else undefined. With AGENT_RACE_REQUIRE_AGENT_CLIS=1
 * (set by .ci/run) a missing CLI is an error, so CI cannot silently skip the real-agent tests.
 */
export function installedAgentCli(name: string): AgentCli | undefined {
  const pinned = (JSON.parse(readFileSync(LIST, "utf8")) as Record<string, { package: string; version: string; bin: string }>)[name];
  if (!pinned) throw new Error(`no pinned agent CLI "${name}" in test/agent-clis.json`);
  const binDir = join(AGENT_CLI_DIR, `${name}-${pinned.version}`, "bin");
  if (existsSync(join(binDir, pinned.bin))) return { name, ...pinned, binDir };
  if (process.env.AGENT_RACE_REQUIRE_AGENT_CLIS === "1") {
    throw new Error(`${pinned.package}@${pinned.version} is not installed in ${AGENT_CLI_DIR}: run scripts/install-agent-clis.sh`);
  }
  console.warn(`[real agents] skipping ${name}: ${pinned.package}@${pinned.version} is not installed (run scripts/install-agent-clis.sh)`);
  return undefined;
}
