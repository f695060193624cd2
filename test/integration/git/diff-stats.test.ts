import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { diffStats } from "../../../src/git/diff-stats.js";
import { createTempRepo, type TempRepo } from "../../helpers/temp-repo.js";

describe("diffStats", () => {
  let repo: TempRepo;
  beforeEach(async () => {
    repo = await createTempRepo({ "a.txt": "1\n2\n3\n", "gone.txt": "x\ny\n", "move-me.txt": "m\n" });
  });
  afterEach(async () => {
    await repo.cleanup();
  });

  it("counts files, insertions and deletions; binary files are 0/0; renames are add + delete", async () => {
    const base = await repo.git("rev-parse", "HEAD");
    await repo.write("a.txt", "1\nTWO\n3\n4\n");
    await repo.git("rm", "-q", "gone.txt");
    await repo.git("mv", "move-me.txt", "moved.txt");
    await writeFile(join(repo.dir, "image.bin"), Buffer.from([0, 1, 2, 0, 255, 0]));
    await repo.write("dir/tab\there.txt", "t\n");
    const head = await repo.commitAll("change");
    const stats = await diffStats(repo.dir, base, head);
    expect([...stats.files].sort()).toEqual(["a.txt", "dir/tab\there.txt", "gone.txt", "image.bin", "move-me.txt", "moved.txt"]);
    expect(stats.insertions).toBe(2 + 1 + 1);
    expect(stats.deletions).toBe(1 + 2 + 1);
  });

  it("is empty for identical commits", async () => {
    const head = await repo.git("rev-parse", "HEAD");
    expect(await diffStats(repo.dir, head, head)).toEqual({ files: [], insertions: 0, deletions: 0 });
  });
});
