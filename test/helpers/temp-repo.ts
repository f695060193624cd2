import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { execa } from "execa";

export interface TempRepo {
  dir: string;
  git(...args: string[]): Promise<string>;
  write(path: string, content: string): Promise<void>;
  commitAll(message: string): Promise<string>;
  cleanup(): Promise<void>;
}

/** Creates a real git repo in a temp dir with `files` committed on `main`. */
export async function createTempRepo(files: Record<string, string> = { "README.md": "# test\n" }): Promise<TempRepo> {
  const dir = await mkdtemp(join(tmpdir(), "agent-race-repo-"));
  const git = async (...args: string[]): Promise<string> => (await execa("git", args, { cwd: dir })).stdout;
  const write = async (path: string, content: string): Promise<void> => {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), content);
  };
  const commitAll = async (message: string): Promise<string> => {
    await git("add", "-A");
    await git("commit", "-q", "-m", message);
    return git("rev-parse", "HEAD");
  };
  await git("init", "-q", "-b", "main");
  for (const [path, content] of Object.entries(files)) await write(path, content);
  await commitAll("initial");
  return { dir, git, write, commitAll, cleanup: () => rm(dir, { recursive: true, force: true }) };
}
