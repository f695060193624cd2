import { mkdir, readFile, readdir, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { RaceRecord } from "./race-record.js";

/** Local race state, one JSON file per race under `<git common dir>/agent-race/races/`. */
export class RaceStore {
  readonly root: string;

  constructor(gitCommonDir: string) {
    this.root = join(gitCommonDir, "agent-race");
  }

  logDir(raceId: string): string {
    return join(this.root, "logs", raceId);
  }

  async save(record: RaceRecord): Promise<void> {
    const dir = join(this.root, "races");
    await mkdir(dir, { recursive: true });
    const file = join(dir, `${record.id}.json`);
    const tmp = `${file}.${process.pid}.tmp`;
    await writeFile(tmp, `${JSON.stringify({ ...record, updated_at: new Date().toISOString() }, null, 2)}\n`);
    await rename(tmp, file);
  }

  async get(raceId: string): Promise<RaceRecord | null> {
    if (!/^[a-z0-9]+$/.test(raceId)) return null;
    try {
      return JSON.parse(await readFile(join(this.root, "races", `${raceId}.json`), "utf8")) as RaceRecord;
    } catch {
      return null;
    }
  }

  /** All races, newest first. */
  async list(): Promise<RaceRecord[]> {
    const names = await readdir(join(this.root, "races")).catch(() => [] as string[]);
    const records = await Promise.all(names.filter((n) => n.endsWith(".json")).map((n) => this.get(n.slice(0, -5))));
    return records.filter((r): r is RaceRecord => r !== null).sort((a, b) => b.created_at.localeCompare(a.created_at));
  }

  async remove(raceId: string): Promise<void> {
    await rm(join(this.root, "races", `${raceId}.json`), { force: true });
    await rm(this.logDir(raceId), { recursive: true, force: true });
  }
}
