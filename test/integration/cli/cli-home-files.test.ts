import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../helpers/run-cli.js";
import { createTempRepo, type TempRepo } from "../../helpers/temp-repo.js";

// `home_files` (issue 13): the operator's config files for an agent are in the lane's HOME while the
// agent runs, and only then; a symlink a lane process planted in HOME is not followed; a repository
// may not list any.

const bwrapAvailable = existsSync("/usr/bin/bwrap") || existsSync("/usr/local/bin/bwrap");

describe.skipIf(!bwrapAvailable)("home_files through agent-race race", () => {
  let repo: TempRepo;
  let scratch: string;
  let trap: string;
  let operatorFile: string;

  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), "agent-race-home-files-"));
    trap = join(scratch, "trap");
    await mkdir(trap);
    await writeFile(join(scratch, "codex.toml"), 'model = "seeded"\n');
    operatorFile = join(scratch, "operator.yml");
    // The agent copies what it finds in its HOME into the worktree (so it lands on the lane branch).
    await writeFile(operatorFile, [
      "agents:",
      "  seeded:",
      `    command: ["/bin/sh", "-c", "cp \\"$HOME/.codex/config.toml\\" seen.toml"]`,
      `    home_files: { ".codex/config.toml": ${JSON.stringify(join(scratch, "codex.toml"))} }`,
    ].join("\n"));
    repo = await createTempRepo({
      "README.md": "# home files\n",
      // Setup (the repo's code) plants $HOME/.codex as a symlink to a host path; the evals look for the seeded file.
      ".github/agent-race.yml": [
        "default_agents: [seeded]",
        "lanes: 1",
        "setup:",
        `  - ln -s ${trap} "$HOME/.codex"`,
        "evals:",
        `  - { name: seeded-file-gone, run: 'test ! -e "$HOME/.codex/config.toml"' }`,
        `  - { name: agent-saw-it, run: 'grep -q seeded seen.toml' }`,
      ].join("\n"),
    });
  });
  afterAll(async () => {
    await repo.cleanup();
    await rm(scratch, { recursive: true, force: true });
  });

  it("copies the operator's file into HOME for the agent only, through a planted symlink's place, never into its target", async () => {
    const result = await runCli(repo.dir, ["race", "Use the seeded config", "--json"], { AGENT_RACE_CONFIG: operatorFile });
    expect(result.exitCode, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as { lanes: { status: string; note: string | null; evals: { name: string; passed: boolean }[] }[] };
    expect(report.lanes[0]?.evals.map((e) => [e.name, e.passed])).toEqual([["seeded-file-gone", true], ["agent-saw-it", true]]);
    expect(await readdir(trap)).toEqual([]);
  });

  it("refuses home_files in a repository's config (exit 2)", async () => {
    await repo.write(".github/agent-race.yml", `agents:\n  mine: { command: ["true"], home_files: { ".x": "/etc/passwd" } }\n`);
    await repo.commitAll("repo home_files");
    const result = await runCli(repo.dir, ["race", "x"]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain("home_files is set in the operator's config (AGENT_RACE_CONFIG) only");
  });
});
