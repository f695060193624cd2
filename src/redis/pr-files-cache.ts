import type { Redis } from "ioredis";
import { z } from "zod";
import type { OpenPrIndex, PrFilesStore, RepoKey } from "../model/overlap.js";

const DAY = 24 * 3600;
const SHA = /^[0-9a-f]{40,64}$/;

const filesSchema = z.array(z.string());
const indexSchema = z.object({
  syncedAt: z.number(),
  watermark: z.string().nullable(),
  prs: z.array(z.object({ number: z.number().int().positive(), headRefName: z.string(), headSha: z.string() })),
}) satisfies z.ZodType<OpenPrIndex>;

/**
 * Redis cache of each pull request's complete file list, keyed by repository and head sha (a head sha fixes
 * the diff, so entries never go stale; they expire after `ttlSeconds`, 14 days by default), plus the
 * repository's open-PR index. Keys: `<prefix>:pr-files:<repo>:<sha>` and `<prefix>:open-prs:<repo>`.
 */
export class PrFilesCache implements PrFilesStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly ttlSeconds = 14 * DAY,
  ) {}

  private filesKey(repo: RepoKey, headSha: string): string {
    if (!SHA.test(headSha)) throw new Error(`invalid head sha ${JSON.stringify(headSha)}`);
    return `${this.prefix}:pr-files:${repoPart(repo)}:${headSha}`;
  }

  private indexKey(repo: RepoKey): string {
    return `${this.prefix}:open-prs:${repoPart(repo)}`;
  }

  async get(repo: RepoKey, headSha: string): Promise<string[] | null> {
    return parseFiles(await this.redis.get(this.filesKey(repo, headSha)));
  }

  /** The cached file lists among `headShas` (one round trip). */
  async getMany(repo: RepoKey, headShas: readonly string[]): Promise<Map<string, string[]>> {
    const shas = [...new Set(headShas)];
    const found = new Map<string, string[]>();
    if (shas.length === 0) return found;
    const values = await this.redis.mget(...shas.map((sha) => this.filesKey(repo, sha)));
    shas.forEach((sha, i) => {
      const files = parseFiles(values[i] ?? null);
      if (files) found.set(sha, files);
    });
    return found;
  }

  async set(repo: RepoKey, headSha: string, files: readonly string[]): Promise<void> {
    await this.redis.set(this.filesKey(repo, headSha), JSON.stringify(files), "EX", this.ttlSeconds);
  }

  /** Stores several head sha → files entries (one round trip). */
  async setMany(repo: RepoKey, entries: ReadonlyMap<string, readonly string[]>): Promise<void> {
    if (entries.size === 0) return;
    const pipeline = this.redis.pipeline();
    for (const [sha, files] of entries) pipeline.set(this.filesKey(repo, sha), JSON.stringify(files), "EX", this.ttlSeconds);
    await pipeline.exec();
  }

  async getIndex(repo: RepoKey): Promise<OpenPrIndex | null> {
    const raw = await this.redis.get(this.indexKey(repo));
    if (raw === null) return null;
    const parsed = indexSchema.safeParse(safeJson(raw));
    return parsed.success ? parsed.data : null;
  }

  async setIndex(repo: RepoKey, index: OpenPrIndex): Promise<void> {
    await this.redis.set(this.indexKey(repo), JSON.stringify(index), "EX", this.ttlSeconds);
  }
}

function repoPart(repo: RepoKey): string {
  const text = String(repo).toLowerCase();
  if (!/^[a-z0-9_.-]+(?:\/[a-z0-9_.-]+)?$/.test(text)) throw new Error(`invalid repository key ${JSON.stringify(repo)}`);
  return text;
}

function parseFiles(raw: string | null): string[] | null {
  if (raw === null) return null;
  const parsed = filesSchema.safeParse(safeJson(raw));
  return parsed.success ? parsed.data : null;
}

function safeJson(raw: string): unknown {
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return undefined;
  }
}
