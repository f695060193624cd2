import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { git } from "./git-ops.js";

/**
 * Creates `<reposRoot>/<owner>/<name>.git` as a bare repo whose `defaultBranch` holds one commit
 * with `files` (committed through a temporary work tree, so no clone is needed).
 */
export async function createBareRepo(
  reposRoot: string,
  owner: string,
  name: string,
  defaultBranch: string,
  files: Record<string, string>,
): Promise<string> {
  const bareDir = join(reposRoot, owner, `${name}.git`);
  await mkdir(bareDir, { recursive: true });
  await git(bareDir, ["init", "--quiet", "--bare", `--initial-branch=${defaultBranch}`]);
  await git(bareDir, ["config", "http.receivepack", "true"]);
  const work = await mkdtemp(join(tmpdir(), "fake-github-init-"));
  try {
    for (const [path, content] of Object.entries(files)) {
      await mkdir(dirname(join(work, path)), { recursive: true });
      await writeFile(join(work, path), content);
    }
    const env = { workTree: work };
    await git(bareDir, ["add", "-A"], env);
    await git(bareDir, ["commit", "--quiet", "--allow-empty", "-m", "Initial commit"], env);
  } finally {
    await rm(join(bareDir, "index"), { force: true });
    await rm(work, { recursive: true, force: true });
  }
  return bareDir;
}
