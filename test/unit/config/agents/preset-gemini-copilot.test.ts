import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { agentPresets, expandAgent } from "../../../../src/config/agents/agent-presets.js";
import { copilotPreset } from "../../../../src/config/agents/presets/copilot.js";
import { GEMINI_LANE_SETTINGS, GEMINI_SETTINGS_FILES, geminiPreset } from "../../../../src/config/agents/presets/gemini.js";
import { agentSpecSchema } from "../../../../src/config/repo-config.js";
import { parseRepoConfig } from "../../../../src/config/parse-repo-config.js";

// Argv checked against `gemini --help` of @google/gemini-cli 0.61.0 and `copilot --help` (and
// `copilot help permissions|providers|environment`) of @github/copilot 1.0.102.

const sandboxed = agentPresets({ sandboxed: true });
const unsandboxed = agentPresets({ sandboxed: false });
const repo = (yaml: string) => parseRepoConfig(yaml, ".github/agent-race.yml");

/** The value following `flag` in an argv (and that the flag occurs once). */
function flagValue(command: readonly string[], flag: string): string | undefined {
  const at = command.flatMap((arg, i) => (arg === flag ? [i] : []));
  expect(at, `${flag} in ${command.join(" ")}`).toHaveLength(1);
  return command[(at[0] as number) + 1];
}

describe("gemini preset", () => {
  it("auto-approves every tool only inside the lane sandbox; outside it edits only", () => {
    expect(flagValue(sandboxed.gemini!.command, "--approval-mode")).toBe("yolo");
    expect(flagValue(unsandboxed.gemini!.command, "--approval-mode")).toBe("auto_edit");
    for (const presets of [sandboxed, unsandboxed]) {
      expect(presets.gemini!.command).not.toContain("--yolo");
      expect(presets.gemini!.command).not.toContain("-y");
    }
  });

  it.each([["sandboxed", sandboxed], ["unsandboxed", unsandboxed]] as const)("%s: headless with the prompt on stdin, stream-json on stdout, the worktree trusted", (_name, presets) => {
    const spec = presets.gemini!;
    expect(spec.command.slice(0, 3)).toEqual(["gemini", "--output-format", "stream-json"]);
    expect(spec.command).toContain("--skip-trust");
    // No -p/--prompt and no positional: the prompt is never on the command line.
    expect(spec.command.some((arg) => arg === "-p" || arg === "--prompt" || arg === "-i")).toBe(false);
    expect(spec.prompt).toBe("stdin");
    expect(spec.output).toBe("gemini-json");
    expect(spec.env_values.GEMINI_CLI_NO_RELAUNCH).toBe("true");
    expect(agentSpecSchema.parse(spec)).toEqual(spec);
  });

  it("turns Gemini's own sandbox off only inside the lane sandbox", () => {
    expect(sandboxed.gemini!.env_values.GEMINI_SANDBOX).toBe("false");
    expect(unsandboxed.gemini!.env_values).not.toHaveProperty("GEMINI_SANDBOX");
    for (const presets of [sandboxed, unsandboxed]) expect(presets.gemini!.command).not.toContain("--sandbox");
  });

  it("passes Gemini's auth variables and reaches only the Gemini API", () => {
    expect(sandboxed.gemini!.env).toEqual(["GEMINI_API_KEY", "GOOGLE_API_KEY", "GOOGLE_GENAI_USE_VERTEXAI", "GOOGLE_GENAI_USE_GCA", "GOOGLE_CLOUD_PROJECT", "GOOGLE_CLOUD_LOCATION"]);
    expect(sandboxed.gemini!.egress).toEqual(["generativelanguage.googleapis.com"]);
    expect(sandboxed.gemini!.env_values).not.toHaveProperty("GOOGLE_GEMINI_BASE_URL");
  });

  it("maps model to --model and base_url to GOOGLE_GEMINI_BASE_URL, with egress to that host only", () => {
    const config = repo('agents:\n  gemini: { model: gemini-2.5-flash, base_url: "http://localhost:8080" }\n');
    const spec = expandAgent("gemini", config.agents.gemini!, { sandboxed: true });
    expect(flagValue(spec.command, "--model")).toBe("gemini-2.5-flash");
    expect(spec.env_values.GOOGLE_GEMINI_BASE_URL).toBe("http://localhost:8080");
    expect(spec.egress).toEqual(["127.0.0.1:8080"]);
    expect(geminiPreset.build({ sandboxed: true }).command).not.toContain("--model");
  });

  it("sandboxed lanes get a settings file in their HOME; with a base_url it pins the API-key auth (gemini-cli#27550)", () => {
    const plain = geminiPreset.build({ sandboxed: true });
    const gateway = geminiPreset.build({ sandboxed: true, baseUrl: "https://gemini-gateway.example.com" });
    expect(plain.home_files).toEqual({ ".gemini/settings.json": GEMINI_SETTINGS_FILES.default });
    expect(gateway.home_files).toEqual({ ".gemini/settings.json": GEMINI_SETTINGS_FILES.gateway });
    for (const [variant, path] of Object.entries(GEMINI_SETTINGS_FILES)) {
      expect(JSON.parse(readFileSync(path, "utf8"))).toEqual(GEMINI_LANE_SETTINGS[variant as keyof typeof GEMINI_LANE_SETTINGS]);
    }
    expect(GEMINI_LANE_SETTINGS.gateway.security.auth.selectedType).toBe("gemini-api-key");
    expect(GEMINI_LANE_SETTINGS.default).not.toHaveProperty("security");
    for (const settings of Object.values(GEMINI_LANE_SETTINGS)) {
      expect(settings.general.maxAttempts).toBe(3);
      expect(settings.privacy.usageStatisticsEnabled).toBe(false);
    }
    // Unsandboxed, HOME is the user's own: nothing is copied into it.
    expect(geminiPreset.build({ sandboxed: false, baseUrl: "https://gemini-gateway.example.com" })).not.toHaveProperty("home_files");
  });

  it("the build puts the settings files next to the compiled preset", () => {
    // `npm test` builds dist/ first.
    const dist = fileURLToPath(new URL("../../../../dist/config/agents/presets/", import.meta.url));
    expect(existsSync(`${dist}gemini.js`)).toBe(true);
    for (const name of ["gemini-settings.json", "gemini-settings-gateway.json"]) expect(existsSync(`${dist}${name}`), name).toBe(true);
  });
});

describe("copilot preset", () => {
  it("allows every tool, path and URL only inside the lane sandbox; outside it no shell, no paths outside, no URLs", () => {
    const inside = sandboxed.copilot!.command;
    const outside = unsandboxed.copilot!.command;
    expect(inside).toContain("--allow-all");
    expect(outside).not.toContain("--allow-all");
    expect(outside).toContain("--allow-all-tools");
    expect(outside).toContain("--deny-tool=shell");
    for (const flag of ["--allow-all-paths", "--allow-all-urls", "--yolo"]) expect(outside).not.toContain(flag);
  });

  it.each([["sandboxed", sandboxed], ["unsandboxed", unsandboxed]] as const)("%s: JSONL, prompt on stdin, the folder never trusted", (_name, presets) => {
    const spec = presets.copilot!;
    expect(spec.command.slice(0, 3)).toEqual(["copilot", "--output-format", "json"]);
    // --trust-folder (or COPILOT_ALLOW_ALL=true) would load the repo's MCP servers, skills, plugins and hooks.
    expect(spec.command).not.toContain("--trust-folder");
    expect(spec.env_values).not.toHaveProperty("COPILOT_ALLOW_ALL");
    expect(spec.env).not.toContain("COPILOT_ALLOW_ALL");
    for (const flag of ["--no-ask-user", "--no-auto-update", "--disable-client-telemetry"]) expect(spec.command).toContain(flag);
    expect(spec.command.some((arg) => arg === "-p" || arg === "--prompt" || arg === "-i" || arg === "--sandbox")).toBe(false);
    expect(spec.prompt).toBe("stdin");
    expect(spec.output).toBe("copilot-jsonl");
    expect(agentSpecSchema.parse(spec)).toEqual(spec);
  });

  it("passes only Copilot's own token and reaches GitHub's Copilot API", () => {
    const spec = copilotPreset.build({ sandboxed: true });
    expect(spec.env).toEqual(["COPILOT_GITHUB_TOKEN"]);
    expect(spec.env_values).toEqual({});
    expect(spec.egress).toEqual(["api.github.com", "api.githubcopilot.com", "*.githubcopilot.com"]);
  });

  it("maps model to --model and base_url to a BYOK provider in offline mode, with egress to that host only", () => {
    const config = repo('agents:\n  copilot: { model: gpt-5.4, base_url: "http://127.0.0.1:11434/v1" }\n');
    const spec = expandAgent("copilot", config.agents.copilot!, { sandboxed: true });
    expect(flagValue(spec.command, "--model")).toBe("gpt-5.4");
    expect(spec.env_values).toEqual({ COPILOT_PROVIDER_BASE_URL: "http://127.0.0.1:11434/v1", COPILOT_OFFLINE: "true" });
    expect(spec.env).toEqual(["COPILOT_GITHUB_TOKEN", "COPILOT_PROVIDER_API_KEY", "COPILOT_PROVIDER_BEARER_TOKEN", "COPILOT_PROVIDER_TYPE", "COPILOT_PROVIDER_WIRE_API"]);
    expect(spec.egress).toEqual(["127.0.0.1:11434"]);
  });
});
