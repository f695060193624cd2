import type { SeedPull } from "../../test/helpers/fake-github/seed-pulls.js";

/**
 * Open pull requests for the overlap benchmark: the same ones for the same `seed`. Each touches 5 to 200
 * files, mostly in one to three areas of a web-app monorepo plus the odd shared file (package.json, the
 * router), so sizes and overlaps look like a busy repository's: about 60 % touch 5–30 files, 28 % 31–100
 * and 12 % 101–200 (so they need a second page of files).
 */
export function openPrSpecs(count: number, seed: number): SeedPull[] {
  const random = mulberry32(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const between = (min: number, max: number): number => min + Math.floor(random() * (max - min + 1));
  return Array.from({ length: count }, (_, i) => {
    const roll = random();
    const size = roll < 0.6 ? between(5, 30) : roll < 0.88 ? between(31, 100) : between(101, 200);
    const areas = Array.from({ length: between(1, 3) }, () => pick(AREAS));
    const paths = new Set<string>();
    for (const shared of SHARED) if (paths.size < size && random() < 0.08) paths.add(shared);
    // Bounded: each area offers far more distinct paths than 200, so this ends long before the limit.
    for (let attempt = 0; paths.size < size && attempt < size * 50; attempt++) {
      const area = pick(areas);
      paths.add(`${area.dir}/${pick(WORDS)}-${pick(WORDS)}${pick(area.ext)}`);
    }
    const files = Object.fromEntries([...paths].map((path) => [path, `// pull request ${i + 1}: ${path}\n`]));
    return { branch: `feature/${i + 1}-${pick(WORDS)}`, files, updatedAt: past(i) };
  });
}

const AREAS: ReadonlyArray<{ dir: string; ext: readonly string[] }> = [
  { dir: "src/api/handlers", ext: [".ts"] },
  { dir: "src/api/middleware", ext: [".ts"] },
  { dir: "src/auth", ext: [".ts"] },
  { dir: "src/billing", ext: [".ts"] },
  { dir: "src/components/forms", ext: [".tsx", ".module.css"] },
  { dir: "src/components/layout", ext: [".tsx", ".module.css"] },
  { dir: "src/db/migrations", ext: [".sql"] },
  { dir: "src/db/models", ext: [".ts"] },
  { dir: "src/jobs", ext: [".ts"] },
  { dir: "src/utils", ext: [".ts"] },
  { dir: "test/unit", ext: [".test.ts"] },
  { dir: "test/integration", ext: [".test.ts"] },
  { dir: "docs/guides", ext: [".md"] },
  { dir: "scripts", ext: [".mjs", ".sh"] },
];

const SHARED = ["package.json", "package-lock.json", "src/index.ts", "src/api/routes.ts", "README.md", ".github/workflows/ci.yml"];

const WORDS = [
  "account", "address", "audit", "batch", "cache", "cart", "checkout", "client", "config", "coupon", "customer", "date",
  "email", "event", "export", "feature", "filter", "invoice", "item", "label", "limit", "list", "login", "order",
  "page", "payment", "plan", "price", "profile", "query", "queue", "refund", "report", "search", "session", "setting",
  "shipping", "signup", "status", "stock", "token", "upload", "user", "webhook",
];

/** GitHub-style timestamps a minute apart, in early 2024 (well before any warm run's margin). */
function past(i: number): string {
  return new Date(Date.UTC(2024, 0, 1) + i * 60_000).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** A small deterministic PRNG (mulberry32): the same seed gives the same pull requests on every machine. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
