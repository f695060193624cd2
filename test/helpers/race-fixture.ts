import { fileURLToPath } from "node:url";
import { parseRepoConfig } from "../../src/config/parse-repo-config.js";
import type { RepoConfig } from "../../src/config/repo-config.js";
import { createTempRepo, type TempRepo } from "./temp-repo.js";

export const AGENT = fileURLToPath(new URL("../fixtures/agents/scripted-agent.mjs", import.meta.url));
export const NODE = process.execPath;

/** An exit-code eval: passes when src/answer.txt says 42. */
export const ANSWER_CHECK = `import { readFileSync } from "node:fs";\nprocess.exit(readFileSync("src/answer.txt", "utf8").trim() === "42" ? 0 : 1);\n`;

/** The files of a repo whose task is "make src/answer.txt say 42" (for the fake GitHub). */
export const ANSWER_FILES: Readonly<Record<string, string>> = { "src/answer.txt": "0\n", "check.mjs": ANSWER_CHECK };

/** Config YAML for the `check` eval on `check.mjs`. */
export const CHECK_EVALS = `evals:\n  - { name: check, run: ${JSON.stringify([NODE, "check.mjs"])} }`;

/** An argv for the scripted agent, as YAML flow-sequence text. */
export function agentCommand(...args: string[]): string {
  return JSON.stringify([NODE, AGENT, ...args]);
}

/**
 * A repo where the task is "make src/answer.txt say 42": `check.mjs` is an exit-code eval and
 * `tests.mjs` prints TAP for two tests.
 */
export async function createAnswerRepo(): Promise<TempRepo> {
  return createTempRepo({
    "README.md": "# answer\n",
    "src/answer.txt": "0\n",
    "check.mjs": ANSWER_CHECK,
    "tests.mjs": [
      `import { readFileSync } from "node:fs";`,
      `const answer = readFileSync("src/answer.txt", "utf8").trim();`,
      `console.log("TAP version 13\\n1..2");`,
      `console.log(answer === "42" ? "ok 1 - answer is 42" : "not ok 1 - answer is 42");`,
      `console.log(/^\\d+$/.test(answer) ? "ok 2 - answer is a number" : "not ok 2 - answer is a number");`,
    ].join("\n"),
  });
}

/** Config YAML with the two evals above (unless `extra` sets its own) plus whatever `extra` adds. */
export function answerConfig(extra: string): RepoConfig {
  const evals = [
    "evals:",
    `  - { name: check, run: ${JSON.stringify([NODE, "check.mjs"])} }`,
    `  - { name: tests, run: ${JSON.stringify([NODE, "tests.mjs"])}, format: tap }`,
  ];
  return parseRepoConfig([...(/^evals:/m.test(extra) ? [] : evals), extra].join("\n"), "test-config.yml");
}
