import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

/** Templates come from `@octokit/webhooks-examples` (real payloads captured from github.com). */
interface ExampleGroup {
  name: string;
  examples: Array<Record<string, unknown>>;
}

let examples: ExampleGroup[] | undefined;

function loadExamples(): ExampleGroup[] {
  if (!examples) {
    const file = createRequire(import.meta.url).resolve("@octokit/webhooks-examples");
    examples = JSON.parse(readFileSync(file, "utf8")) as ExampleGroup[];
  }
  return examples;
}

/** Deep copy of a real `event`/`action` example, preferring one that carries an `installation`. */
export function webhookTemplate(event: string, action: string): Record<string, unknown> {
  const group = loadExamples().find((g) => g.name === event);
  const candidates = (group?.examples ?? []).filter((e) => e.action === action);
  const chosen = candidates.find((e) => "installation" in e && !("organization" in e)) ?? candidates[0];
  if (!chosen) throw new Error(`no @octokit/webhooks-examples template for ${event}.${action}`);
  return structuredClone(chosen);
}

/** Where the payload should point: the fake server's base URL and a repo on it. */
export interface PayloadRepo {
  owner: string;
  name: string;
  /** `${fakeUrl}/${owner}/${name}.git` — the base URL is derived from it. */
  cloneUrl: string;
  id?: number;
  defaultBranch?: string;
}

export type PayloadUser = string | { login: string; id?: number; type?: "User" | "Bot" | "Organization" };

export const TEMPLATE_LOGIN = "Codertocat";
export const TEMPLATE_REPO = "Codertocat/Hello-World";

export function baseUrlOf(repo: PayloadRepo): string {
  const suffix = `/${repo.owner}/${repo.name}.git`;
  return repo.cloneUrl.endsWith(suffix) ? repo.cloneUrl.slice(0, -suffix.length) : new URL(repo.cloneUrl).origin;
}

/** A stable fake numeric id for a login. */
export function idFor(login: string): number {
  return 1_000_000 + (createHash("sha1").update(login).digest().readUInt32BE(0) % 9_000_000);
}

/** Rewrites github.com URLs and the template repo name inside any JSON value. */
export function rewrite<T>(value: T, repo: PayloadRepo): T {
  const base = baseUrlOf(repo);
  const text = JSON.stringify(value)
    .replaceAll("https://api.github.com", `${base}/api/v3`)
    .replaceAll("https://uploads.github.com", `${base}/api/uploads`)
    .replaceAll("git://github.com/", `git://${new URL(base).host}/`)
    .replaceAll("git@github.com:", `git@${new URL(base).host}:`)
    .replaceAll("https://github.com", base)
    .replaceAll(TEMPLATE_REPO, `${repo.owner}/${repo.name}`)
    .replaceAll("Hello-World", repo.name);
  return JSON.parse(text) as T;
}

/** A user object shaped like the template's `sender`, for `user`. */
export function userObject(template: Record<string, unknown>, user: PayloadUser, repo: PayloadRepo): Record<string, unknown> {
  const u = typeof user === "string" ? { login: user } : user;
  const text = JSON.stringify(template).replaceAll(`/${TEMPLATE_LOGIN}`, `/${encodeURIComponent(u.login)}`);
  const json = rewrite(JSON.parse(text) as Record<string, unknown>, repo);
  const id = u.id ?? idFor(u.login);
  return { ...json, login: u.login, id, node_id: Buffer.from(`04:User${id}`).toString("base64"), type: u.type ?? (u.login.endsWith("[bot]") ? "Bot" : "User") };
}

/** The template's `repository`, re-pointed at `repo` on the fake server. */
export function repositoryObject(template: Record<string, unknown>, senderTemplate: Record<string, unknown>, repo: PayloadRepo): Record<string, unknown> {
  const json = rewrite(template, repo);
  const id = repo.id ?? idFor(`${repo.owner}/${repo.name}`);
  return {
    ...json,
    id,
    node_id: Buffer.from(`010:Repository${id}`).toString("base64"),
    name: repo.name,
    full_name: `${repo.owner}/${repo.name}`,
    owner: userObject(senderTemplate, repo.owner, repo),
    clone_url: repo.cloneUrl,
    default_branch: repo.defaultBranch ?? "main",
    private: false,
    archived: false,
  };
}
