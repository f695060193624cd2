import { describe, expect, it } from "vitest";
import { agentPresets, expandAgent } from "../../../../src/config/agents/agent-presets.js";
import type { AgentSpec } from "../../../../src/config/repo-config.js";

const sandboxed = agentPresets({ sandboxed: true });
const unsandboxed = agentPresets({ sandboxed: false });
const modes = [["sandboxed", sandboxed], ["unsandboxed", unsandboxed]] as const;
const preset = (name: string, entry: { model?: string; base_url?: string }, isSandboxed = true): AgentSpec =>
  expandAgent(name, { env: [], ...entry }, { sandboxed: isSandboxed });

/** The value following `flag` in an argv (and that the flag occurs once). */
function flagValue(command: readonly string[], flag: string): string | undefined {
  const at = command.flatMap((arg, i) => (arg === flag ? [i] : []));
  expect(at, `${flag} in ${command.join(" ")}`).toHaveLength(1);
  return command[(at[0] as number) + 1];
}

function opencodeConfig(spec: AgentSpec): Record<string, unknown> {
  const content = spec.env_values.OPENCODE_CONFIG_CONTENT;
  expect(content).toBeDefined();
  return JSON.parse(content as string) as Record<string, unknown>;
}

describe("opencode preset", () => {
  it.each(modes)("%s: `opencode run --format json`, prompt on stdin, repo-planted config and downloads off", (_mode, presets) => {
    const opencode = presets.opencode!;
    expect(opencode.command.slice(0, 4)).toEqual(["opencode", "run", "--format", "json"]);
    expect(opencode).toMatchObject({ prompt: "stdin", output: "opencode-jsonl", egress: ["api.anthropic.com", "api.openai.com", "opencode.ai"] });
    expect(opencode.command.some((arg) => arg.includes("{prompt"))).toBe(false);
    expect(opencode.env_values).toMatchObject({
      OPENCODE_DISABLE_PROJECT_CONFIG: "1",
      OPENCODE_DISABLE_EXTERNAL_SKILLS: "1",
      OPENCODE_DISABLE_MODELS_FETCH: "1",
      OPENCODE_DISABLE_AUTOUPDATE: "1",
    });
    expect(opencodeConfig(opencode)).toMatchObject({ autoupdate: false, share: "disabled", snapshot: false });
    expect(opencode.env).toEqual(["ANTHROPIC_API_KEY", "OPENAI_API_KEY", "OPENCODE_API_KEY"]);
  });

  it("approves every ask only inside the lane sandbox; outside it the bash tool is denied", () => {
    expect(sandboxed.opencode!.command).toContain("--auto");
    expect(opencodeConfig(sandboxed.opencode!)).not.toHaveProperty("permission");
    expect(unsandboxed.opencode!.command).not.toContain("--auto");
    expect(opencodeConfig(unsandboxed.opencode!)).toMatchObject({ permission: { bash: "deny" } });
  });

  it("passes a model of its own providers as it is", () => {
    const spec = preset("opencode", { model: "anthropic/claude-sonnet-4-5" });
    expect(flagValue(spec.command, "--model")).toBe("anthropic/claude-sonnet-4-5");
    expect(opencodeConfig(spec)).not.toHaveProperty("provider");
  });

  it("makes a base_url an OpenAI-compatible provider keyed by OPENAI_API_KEY, reached on its host only", () => {
    const spec = preset("opencode", { model: "qwen3-coder", base_url: "http://localhost:4000/v1" });
    expect(flagValue(spec.command, "--model")).toBe("agent-race/qwen3-coder");
    expect(opencodeConfig(spec)).toMatchObject({
      provider: {
        "agent-race": { npm: "@ai-sdk/openai-compatible", options: { baseURL: "http://localhost:4000/v1", apiKey: "{env:OPENAI_API_KEY}" }, models: { "qwen3-coder": { name: "qwen3-coder" } } },
      },
    });
    expect(spec).toMatchObject({ env: ["OPENAI_API_KEY"], egress: ["127.0.0.1:4000"] });
    expect(spec.env_values.OPENCODE_CONFIG_CONTENT!.length).toBeLessThan(4096);
  });

  it("refuses a base_url without a model: opencode has no default model for a provider of its own", () => {
    expect(() => preset("opencode", { base_url: "https://gateway.example/v1" })).toThrow(/needs a model with base_url/);
  });
});

describe("qwen preset", () => {
  it.each(modes)("%s: bare mode (no repo settings, context files, hooks or MCP servers), stream-json, prompt on stdin", (_mode, presets) => {
    const qwen = presets.qwen!;
    expect(qwen.command.slice(0, 4)).toEqual(["qwen", "--bare", "--output-format", "stream-json"]);
    expect(flagValue(qwen.command, "--auth-type")).toBe("openai");
    expect(qwen.command).toContain("--no-chat-recording");
    expect(qwen.command).not.toContain("--safe-mode");
    expect(qwen.command.some((arg) => arg.includes("{prompt") || arg === "-p")).toBe(false);
    expect(qwen).toMatchObject({ prompt: "stdin", output: "qwen-json", env: ["OPENAI_API_KEY"], egress: ["dashscope.aliyuncs.com"] });
    // The endpoint is always set, so a repo's .env cannot choose it.
    expect(qwen.env_values).toMatchObject({ OPENAI_BASE_URL: "https://dashscope.aliyuncs.com/compatible-mode/v1", QWEN_USAGE_STATISTICS_ENABLED: "false" });
  });

  it("runs every tool only inside the lane sandbox; outside it edits run and shell commands are denied", () => {
    expect(flagValue(sandboxed.qwen!.command, "--approval-mode")).toBe("yolo");
    expect(flagValue(unsandboxed.qwen!.command, "--approval-mode")).toBe("auto-edit");
    for (const [, presets] of modes) expect(presets.qwen!.command).not.toContain("--yolo");
    expect(unsandboxed.qwen!.env_values).not.toHaveProperty("QWEN_CODE_SUPPRESS_YOLO_WARNING");
  });

  it("maps model onto --model and base_url onto OPENAI_BASE_URL and its host", () => {
    const spec = preset("qwen", { model: "qwen3-coder-plus", base_url: "https://gateway.example:8443/v1" }, false);
    expect(flagValue(spec.command, "--model")).toBe("qwen3-coder-plus");
    expect(spec.env_values.OPENAI_BASE_URL).toBe("https://gateway.example:8443/v1");
    expect(spec.egress).toEqual(["gateway.example:8443"]);
    expect(preset("qwen", {}).command).not.toContain("--model");
  });
});
