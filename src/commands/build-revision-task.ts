import { capTaskText, TASK_TEXT_LIMIT } from "./cap-task-text.js";
import { sanitizeTaskText } from "./sanitize-task-text.js";

export interface ReviewComment {
  path: string;
  line: number | null;
  diffHunk: string;
  body: string;
  author: string;
}

/**
 * The task for a revision: the original task, then the reviewer's words and every review comment
 * with its file, line and diff hunk. Reviewer text is sanitized like issue text. Capped like a
 * race's task (64 KB): the original task takes at most a quarter, the review the rest.
 */
export function buildRevisionTask(input: { originalTask: string; reviewer: string; body: string; comments: readonly ReviewComment[] }): string {
  const parts = [
    "Original task:",
    capTaskText(input.originalTask.trim(), TASK_TEXT_LIMIT / 4).text,
    "",
    `Your pull request for this task was reviewed by @${input.reviewer}, who asked for changes. Revise the code on this branch accordingly.`,
  ];
  const body = sanitizeTaskText(input.body).trim();
  if (body) parts.push("", "Review:", body);
  if (input.comments.length > 0) {
    parts.push("", "Review comments:");
    for (const comment of input.comments) {
      parts.push(
        "",
        `- ${comment.path}${comment.line ? `, line ${comment.line}` : ""} (@${comment.author}):`,
        "  ```diff",
        ...comment.diffHunk.split("\n").map((line) => `  ${line}`),
        "  ```",
        ...sanitizeTaskText(comment.body).trim().split("\n").map((line) => `  ${line}`),
      );
    }
  }
  return capTaskText(parts.join("\n")).text;
}
