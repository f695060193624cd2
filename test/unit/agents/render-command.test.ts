import { describe, expect, it } from "vitest";
import { agentEnv } from "../../../src/agents/agent-env.js";
import { renderCommand } from "../../../src/agents/render-command.js";

const values = { prompt: "Task: $(rm -rf ~) `x`", prompt_file: "/tmp/p.md", lane: 2, port: 4102 };

describe("renderCommand", () => {
  it.each<[string, string[], "arg" | "stdin" | "file", string[]]>([
    ["fills placeholders inside single arguments", ["a", "--port={port}", "{lane}"], "stdin", ["a", "--port=4102", "2"]],
    ["appends the prompt as one argument in arg mode", ["a", "-p"], "arg", ["a", "-p", values.prompt]],
    ["uses an explicit {prompt} placeholder where it stands", ["a", "--message", "{prompt}", "--yes"], "arg", ["a", "--message", values.prompt, "--yes"]],
    ["appends the prompt file in file mode", ["a"], "file", ["a", "/tmp/p.md"]],
    ["does not append for stdin", ["a"], "stdin", ["a"]],
  ])("%s", (_name, command, mode, expected) => {
    expect(renderCommand(command, mode, values)).toEqual(expected);
  });
});

describe("agentEnv", () => {
  it("passes only the allowlist, the declared names, PORT and AGENT_RACE_LANE", () => {
    const env = agentEnv({
      source: { PATH: "/bin", HOME: "/h", LANG: "C", ANTHROPIC_API_KEY: "k", GITHUB_TOKEN: "secret", AWS_SECRET_ACCESS_KEY: "s" },
      passthrough: ["ANTHROPIC_API_KEY", "MISSING"],
      lane: 3,
      port: 4103,
    });
    expect(env).toEqual({ PATH: "/bin", HOME: "/h", LANG: "C", ANTHROPIC_API_KEY: "k", PORT: "4103", AGENT_RACE_LANE: "3" });
  });
});
