export interface LaneBranchParts {
  /** Free text (usually the task title); slugified here. */
  slug: string;
  raceId: string;
  lane: string | number;
  agent: string;
}

export const BRANCH_ROOT = "agent-race";
const MAX_BRANCH_LENGTH = 120;

/**
 * Lowercase ASCII slug of `text`: diacritics stripped, every run of other characters becomes one `-`,
 * cut at `maxLength` on a word boundary when there is one; `fallback` when nothing is left.
 */
export function slugify(text: string, maxLength = 40, fallback = "task"): string {
  const slug = text
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  const limit = Math.max(1, Math.floor(maxLength));
  if (slug.length <= limit) return slug || fallback;
  let cut = slug.slice(0, limit);
  if (slug[limit] !== "-") {
    const boundary = cut.lastIndexOf("-");
    if (boundary > 0) cut = cut.slice(0, boundary);
  }
  return cut.replace(/-+$/, "") || fallback;
}

/** `agent-race/<slug>-<raceId>`: the folder under which all of one race's lane branches live. */
export function raceBranchPrefix(slug: string, raceId: string): string {
  const id = slugify(raceId, 32, "race");
  const budget = MAX_BRANCH_LENGTH - BRANCH_ROOT.length - id.length - 2 - 40;
  return `${BRANCH_ROOT}/${slugify(slug, Math.min(40, budget))}-${id}`;
}

/** `agent-race/<slug>-<raceId>/<lane>-<agent>`, at most 120 characters of `[a-z0-9._/-]`, always a valid ref. */
export function laneBranchName(parts: LaneBranchParts): string {
  const lane = slugify(String(parts.lane), 12, "lane");
  const agent = slugify(parts.agent, 24, "agent");
  const name = `${raceBranchPrefix(parts.slug, parts.raceId)}/${lane}-${agent}`;
  if (!isSafeBranchName(name)) throw new Error(`internal error: generated an unsafe branch name: ${JSON.stringify(name)}`);
  return name;
}

/**
 * True when `name` uses only `[a-z0-9._/-]`, is at most 120 characters and follows git's
 * check-ref-format rules for a branch; deliberately stricter than git (no uppercase, no unicode).
 */
export function isSafeBranchName(name: string): boolean {
  if (name.length === 0 || name.length > MAX_BRANCH_LENGTH) return false;
  if (!/^[a-z0-9._/-]+$/.test(name)) return false;
  if (name.includes("..") || name.includes("//") || name.includes("@{")) return false;
  if (name.endsWith("/") || name.endsWith(".")) return false;
  return name.split("/").every((part) => part.length > 0 && !part.startsWith(".") && !part.startsWith("-") && !part.endsWith(".lock"));
}
