import { fitText } from "../github/render/fit-github-text.js";

/** The most task text (UTF-8 bytes) a race passes to its agents: about 64 KB. */
export const TASK_TEXT_LIMIT = 64 * 1024;

/** What the status comment says when the issue text was cut. */
export const TASK_CUT_NOTE = "The issue text was cut to 64 KB: the agents see its first 64 KB.";

/**
 * Task text cut to `limit` UTF-8 bytes (64 KB unless told), ending with a line that tells the
 * agent it was cut. A 1 MB issue body would otherwise be copied into every lane job, and an
 * agent that takes its prompt as an argument fails with E2BIG.
 */
export function capTaskText(text: string, limit = TASK_TEXT_LIMIT): { text: string; cut: boolean } {
  const ellipsis = "…\n\n(The rest of this text was cut: agent-race passes at most 64 KB of it.)";
  const fitted = fitText(text, limit, { unit: "bytes", ellipsis });
  return { text: fitted, cut: fitted !== text };
}
