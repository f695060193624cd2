import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { runGit } from "../git/git.js";

export const DEMO_TASK = "Fix median() in src/stats.js: it returns the wrong value for arrays with an even number of elements.";

const STATS = `export function mean(values) {
  return values.reduce((sum, x) => sum + x, 0) / values.length;
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}
`;

const TEST = `import { test } from "node:test";
import assert from "node:assert/strict";
import { mean, median } from "../src/stats.js";

test("mean of a list", () => assert.equal(mean([1, 2, 3, 4]), 2.5));
test("mean of one value", () => assert.equal(mean([7]), 7));
test("median of an odd-length list", () => assert.equal(median([3, 1, 2]), 2));
test("median of an even-length list", () => assert.equal(median([4, 1, 3, 2]), 2.5));
`;

/** Builds the demo's example repo in a temp dir: a failing test, a task and three scripted agents. */
export async function createDemoRepo(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "agent-race-demo-"));
  const agentsDir = join(dirname(fileURLToPath(import.meta.url)), "agents");
  const agent = (name: string): string =>
    `  ${name}:\n    command: [${JSON.stringify(process.execPath)}, ${JSON.stringify(join(agentsDir, `${name}.js`))}]\n    timeout: 2m\n`;
  const files: Record<string, string> = {
    "package.json": `{ "name": "demo-stats", "private": true, "type": "module" }\n`,
    "README.md": "# demo-stats\n\nA tiny statistics module used by the agent-race demo.\n",
    "src/stats.js": STATS,
    "test/stats.test.js": TEST,
    ".github/agent-race.yml": [
      "# agent-race demo config: three scripted example agents, no API key needed.",
      "lanes: 3",
      "agents:",
      agent("careful") + agent("hasty") + agent("wanderer"),
      "default_agents: [careful, hasty, wanderer]",
      "evals:",
      "  - name: tests",
      `    run: [${JSON.stringify(process.execPath)}, --test, --test-reporter=tap, test/stats.test.js]`,
      "    format: tap",
      "scope: [\"src/**\"]",
      "",
    ].join("\n"),
  };
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), content);
  }
  await runGit(["init", "-q", "-b", "main"], { cwd: dir });
  await runGit(["add", "-A"], { cwd: dir });
  await runGit(["-c", "user.name=agent-race demo", "-c", "user.email=demo@agent-race.invalid", "commit", "-q", "-m", "demo: stats module with a failing test"], { cwd: dir });
  return dir;
}
