import { existsSync } from "node:fs";
import { join } from "node:path";
import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { loadEnv } from "../../../src/config/env.js";
import { all, dockerignoreKeeps, parseCopy, parseDockerfile, parseEnv, parseFlyToml, readRepoFile, REPO, seconds, stage } from "./deploy-files.js";

// Cheap checks of the deployment files' key facts; entrypoint.test.ts runs the runtime stage itself.
const stages = parseDockerfile(readRepoFile("Dockerfile"));
const build = stage(stages, "build");
const runtime = stage(stages, "runtime");
const runs = (s: typeof build): string[] => all(s, "RUN");

describe("Dockerfile", () => {
  it("is a two-stage build on node:20-slim whose last stage is the runtime", () => {
    expect(stages.map((s) => s.image)).toEqual(["node:20-slim", "node:20-slim"]);
    expect(stages.at(-1)).toBe(runtime);
  });

  it("builds with all dependencies, then installs production dependencies only in the runtime", () => {
    expect(runs(build).some((r) => /\bnpm ci\b/.test(r))).toBe(true);
    expect(runs(build).some((r) => /\bnpm run build\b/.test(r))).toBe(true);
    const install = runs(runtime).find((r) => /\bnpm ci\b/.test(r)) ?? "";
    expect(install).toMatch(/--omit=dev/);
    expect(install).toMatch(/--ignore-scripts/); // `prepare` would build, without the dev dependencies
    expect(all(runtime, "COPY").map(parseCopy)).toContainEqual({ from: "build", sources: ["/app/dist"], dest: "./dist" });
  });

  it("installs git with apt without recommends, and cleans the lists", () => {
    const apt = runs(runtime).find((r) => r.includes("apt-get install")) ?? "";
    expect(apt).toMatch(/--no-install-recommends/);
    expect(apt).toMatch(/\bgit\b/);
    expect(apt).toMatch(/rm -rf \/var\/lib\/apt\/lists/);
  });

  it("installs agent CLIs only when INSTALL_AGENTS is set", () => {
    expect(all(runtime, "ARG")).toContain('INSTALL_AGENTS=""');
    const agents = runs(runtime).find((r) => r.includes("$INSTALL_AGENTS")) ?? "";
    expect(agents).toMatch(/if \[ -n "\$INSTALL_AGENTS" \]; then .*npm install -g .*\$INSTALL_AGENTS/);
  });

  it("runs as a non-root user with the cache on a volume, port 3000 and a health check", () => {
    const user = all(runtime, "USER").at(-1);
    expect(user).toBeDefined();
    expect(user).not.toMatch(/^(root|0)(:|$)/);
    const env = parseEnv(all(runtime, "ENV"));
    expect(env).toMatchObject({ NODE_ENV: "production", AGENT_RACE_CACHE_DIR: "/data/cache" });
    expect(all(runtime, "VOLUME")).toEqual(["/data"]);
    expect(all(runtime, "EXPOSE")).toEqual(["3000"]);
    const healthcheck = all(runtime, "HEALTHCHECK")[0] ?? "";
    expect(healthcheck).toMatch(/CMD \["node", "-e", .*\/healthz/);
  });

  it("has the CLI as entrypoint and serve as the default role", () => {
    expect(all(runtime, "ENTRYPOINT").map((a) => JSON.parse(a) as unknown)).toEqual([["node", "/app/bin/agent-race.js"]]);
    expect(all(runtime, "CMD").map((a) => JSON.parse(a) as unknown)).toEqual([["serve"]]);
    expect(all(runtime, "WORKDIR").at(-1)).toBe("/app");
  });

  it("copies from the context only files that exist and that .dockerignore keeps", async () => {
    const dockerignore = readRepoFile(".dockerignore");
    const sources = [...all(build, "COPY"), ...all(runtime, "COPY")].map(parseCopy).filter((c) => !c.from).flatMap((c) => c.sources);
    const tracked = (await execa("git", ["ls-files", ...sources], { cwd: REPO })).stdout.split("\n").filter(Boolean);
    for (const source of sources) {
      expect(existsSync(join(REPO, source)), source).toBe(true);
      expect(dockerignoreKeeps(source, dockerignore), source).toBe(true);
    }
    for (const file of tracked) expect(dockerignoreKeeps(file, dockerignore), file).toBe(true);
    for (const secret of [".env", "key.pem", "node_modules/x", "dist/main.js", ".git/config"]) {
      expect(dockerignoreKeeps(secret, dockerignore), secret).toBe(false);
    }
  });

  it("gives the build stage everything tsconfig.build.json compiles, and the runtime what package.json ships", () => {
    const copied = (s: typeof build): string[] => all(s, "COPY").map(parseCopy).flatMap((c) => c.sources.map((p) => p.replace(/^\/app\//, "")));
    const buildConfig = JSON.parse(readRepoFile("tsconfig.build.json")) as { extends: string; include: string[] };
    for (const needed of ["tsconfig.build.json", buildConfig.extends.replace(/^\.\//, ""), ...buildConfig.include]) {
      expect(copied(build), needed).toContain(needed);
    }
    const pkg = JSON.parse(readRepoFile("package.json")) as { files: string[] };
    for (const shipped of ["package.json", "package-lock.json", ...pkg.files]) expect(copied(runtime), shipped).toContain(shipped);
  });
});

describe("fly.toml", () => {
  const text = readRepoFile("fly.toml");
  const fly = parseFlyToml(text) as {
    kill_signal: string; kill_timeout: unknown; processes: Record<string, string>; env: Record<string, string>;
    http_service: { processes: string[]; internal_port: number; checks: Array<{ path: string; method: string }> };
    mounts: Array<{ destination: string; processes: string[] }>;
  };

  it("runs the web and worker roles as two process groups", () => {
    expect(fly.processes).toEqual({ web: "serve --no-worker", worker: "worker" });
  });

  it("serves HTTP from the web group on port 3000, checked on /healthz", () => {
    expect(fly.http_service.processes).toEqual(["web"]);
    expect(fly.http_service.internal_port).toBe(3000);
    expect(fly.http_service.checks).toContainEqual(expect.objectContaining({ path: "/healthz", method: "GET" }));
  });

  it("mounts the cache volume at /data on worker Machines", () => {
    expect(fly.mounts).toContainEqual(expect.objectContaining({ destination: "/data", processes: ["worker"] }));
    expect(fly.env.AGENT_RACE_CACHE_DIR).toMatch(/^\/data\//);
  });

  it("sends SIGTERM and waits long enough for agents to be aborted (Fly allows up to 300 s)", () => {
    expect(fly.kill_signal).toBe("SIGTERM");
    expect(seconds(fly.kill_timeout)).toBeGreaterThanOrEqual(60);
    expect(seconds(fly.kill_timeout)).toBeLessThanOrEqual(300);
  });

  it("keeps secrets out of [env], lists them for `fly secrets set`, and sets valid values", () => {
    for (const secret of ["APP_ID", "PRIVATE_KEY", "WEBHOOK_SECRET", "REDIS_URL", "ANTHROPIC_API_KEY", "OPENAI_API_KEY"]) {
      expect(fly.env, secret).not.toHaveProperty(secret);
      expect(text, secret).toMatch(new RegExp(`fly secrets set .*\\b${secret}=`));
    }
    expect(() => loadEnv(fly.env)).not.toThrow();
  });
});

describe("docs/deploy.md", () => {
  it("exists: the Redis eviction-policy error points operators to it", () => {
    expect(readRepoFile("src/redis/connection.ts")).toContain("docs/deploy.md");
    expect(readRepoFile("docs/deploy.md")).toMatch(/maxmemory-policy noeviction/);
  });
});
