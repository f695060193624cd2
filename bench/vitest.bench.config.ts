import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// The app-level benchmarks (bench/app/*.bench.ts) run under vitest so they can reuse the test helpers
// (fake GitHub, app harness, worker processes) in TypeScript. bench/run.mjs runs one file at a time.
export default defineConfig({
  root: fileURLToPath(new URL("..", import.meta.url)),
  test: {
    include: ["bench/app/**/*.bench.ts"],
    setupFiles: ["test/helpers/setup.ts"],
    testTimeout: 30 * 60_000,
    hookTimeout: 120_000,
    pool: "forks",
    fileParallelism: false,
    // The lane sandbox mounts neither the repo nor bench/: let lanes read the benchmarks' agents and the tests' fixtures.
    env: { AGENT_RACE_SANDBOX_READ_ONLY: ["../test/fixtures", "fixtures"].map((dir) => fileURLToPath(new URL(dir, import.meta.url))).join(":") },
    reporters: ["default"],
  },
});
