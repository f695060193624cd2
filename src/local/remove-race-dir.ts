import { rmdir } from "node:fs/promises";
import { join } from "node:path";
import { UserError } from "../errors.js";
import { removeLaneCheckout } from "../git/lane-checkout.js";

/**
 * Removes a local race's lane directories (`<worktree_dir>/lane-N`, each through `removeLaneCheckout`'s
 * guards), then its folder if nothing else is left in it. With `strict` off, a directory that is not a
 * lane is left where it is instead of failing (the start-of-command recovery must not block the CLI).
 */
export async function removeRaceDir(dir: string, lanes: readonly number[], strict: boolean): Promise<void> {
  for (const lane of lanes) {
    await removeLaneCheckout(join(dir, `lane-${lane}`)).catch((error: unknown) => {
      if (strict || !(error instanceof UserError)) throw error;
    });
  }
  await rmdir(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== "ENOENT" && error.code !== "ENOTEMPTY" && error.code !== "EEXIST") throw error;
  });
}
