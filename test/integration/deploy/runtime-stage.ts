import { cpSync, existsSync, mkdirSync, readFileSync, statSync, symlinkSync } from "node:fs";
import { basename, dirname, join, relative } from "node:path";
import { execa } from "execa";
import { all, parseCopy, parseEnv, parseDockerfile, readRepoFile, REPO, stage, type Stage } from "./deploy-files.js";

/**
 * How the Dockerfile's stages are reproduced outside Docker:
 * - "fast" (CI): the build stage's output is the repo's own dist/ (`npm test` builds it first) and
 *   `npm ci --omit=dev` is the lockfile's production closure (every package entry without
 *   `"dev": true`, what npm installs) linked from the repo's node_modules.
 * - "full": the build stage's COPYs are copied to a scratch dir and built there (dev dependencies
 *   linked from the repo: the same lockfile), and the runtime runs the real
 *   `npm ci --omit=dev --ignore-scripts --prefer-offline`. Minutes, not seconds.
 */
export type Mode = "fast" | "full";

export interface RuntimeImage {
  /** The runtime stage's WORKDIR (`/app`), materialized. */
  appDir: string;
  /** Stands for the `/data` volume. */
  dataDir: string;
  /** The image's ENTRYPOINT, with /app paths mapped to `appDir`. */
  entrypoint: string[];
  /** The image's ENV, with /data paths mapped to `dataDir`. */
  env: Record<string, string>;
  runtime: Stage;
}

export async function assembleRuntime(root: string, mode: Mode): Promise<RuntimeImage> {
  const stages = parseDockerfile(readRepoFile("Dockerfile"));
  const build = stage(stages, "build");
  const runtime = stage(stages, "runtime");
  const buildDir = mode === "full" ? await runBuildStage(build, join(root, "build")) : REPO;
  const appDir = join(root, "app");
  const dataDir = join(root, "data");
  mkdirSync(appDir, { recursive: true });
  mkdirSync(join(dataDir, "cache"), { recursive: true });
  for (const { keyword, args } of runtime.instructions) {
    if (keyword === "COPY") {
      const copy = parseCopy(args);
      if (copy.from && copy.from !== "build") throw new Error(`unexpected COPY --from=${copy.from}`);
      for (const source of copy.sources) {
        const from = copy.from ? join(buildDir, relative("/app", source)) : join(REPO, source);
        copyInto(from, appDir, copy.dest, copy.sources.length > 1 || copy.dest.endsWith("/"));
      }
    } else if (keyword === "RUN" && /\bnpm ci\b/.test(args)) {
      if (mode === "full") await execa("npm", ["ci", "--omit=dev", "--ignore-scripts", "--prefer-offline", "--no-audit", "--no-fund"], { cwd: appDir });
      else linkProductionClosure(appDir);
    }
  }
  const map = (value: string): string => value.replace(/^\/app(?=\/|$)/, appDir).replace(/^\/data(?=\/|$)/, dataDir);
  const entrypoint = (JSON.parse(all(runtime, "ENTRYPOINT").at(-1) ?? "[]") as string[]).map(map);
  const env = Object.fromEntries(Object.entries(parseEnv(all(runtime, "ENV"))).map(([k, v]) => [k, map(v)]));
  return { appDir, dataDir, entrypoint, env, runtime };
}

/** The build stage: its COPYs from the context into `dir`, dev dependencies linked, its build RUN. */
async function runBuildStage(build: Stage, dir: string): Promise<string> {
  mkdirSync(dir, { recursive: true });
  for (const { keyword, args } of build.instructions) {
    if (keyword === "COPY") {
      const copy = parseCopy(args);
      for (const source of copy.sources) copyInto(join(REPO, source), dir, copy.dest, copy.sources.length > 1 || copy.dest.endsWith("/"));
    } else if (keyword === "RUN" && /\bnpm ci\b/.test(args)) {
      symlinkSync(join(REPO, "node_modules"), join(dir, "node_modules"));
    } else if (keyword === "RUN") {
      await execa("sh", ["-c", args], { cwd: dir });
    }
  }
  return dir;
}

/** Docker's COPY: a directory's contents go to dest; a file goes into dest (ends in / or several sources) or to it. */
function copyInto(from: string, workdir: string, dest: string, intoDir: boolean): void {
  const target = join(workdir, dest);
  const to = intoDir && !statSync(from).isDirectory() ? join(target, basename(from)) : target;
  mkdirSync(dirname(to), { recursive: true });
  cpSync(from, to, { recursive: true });
}

/**
 * What `npm ci --omit=dev` installs: the lockfile's non-dev packages (npm keeps `devOptional` ones),
 * linked from the repo's node_modules. Top-level packages only; nested ones come with their parent.
 * Links, not copies: a copy is thousands of files, and the point is which packages are reachable.
 */
function linkProductionClosure(appDir: string): void {
  const lock = JSON.parse(readFileSync(join(appDir, "package-lock.json"), "utf8")) as {
    packages: Record<string, { dev?: boolean; optional?: boolean }>;
  };
  for (const [path, entry] of Object.entries(lock.packages)) {
    if (entry.dev || !/^node_modules\/(@[^/]+\/)?[^/]+$/.test(path)) continue;
    const from = join(REPO, path);
    if (!existsSync(from)) {
      if (entry.optional) continue; // another platform's optional binary
      throw new Error(`${path} is a production dependency in package-lock.json but not installed in the repo: run npm ci`);
    }
    mkdirSync(dirname(join(appDir, path)), { recursive: true });
    symlinkSync(from, join(appDir, path));
  }
}
