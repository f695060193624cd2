/** Who is looking: the operator's token (sees everything) or a GitHub user (sees their repos' races). */
export type Viewer = { kind: "token" } | { kind: "user"; login: string; repos: ReadonlySet<string> };

/** Whether the viewer may see races of `repo` (`owner/name`, any case). */
export function canSee(viewer: Viewer, repo: string): boolean {
  return viewer.kind === "token" || viewer.repos.has(repo.toLowerCase());
}

/** bull-board: token users, or signed-in users with at least one repo (read-only for them). */
export function queueAccess(viewer: Viewer): "full" | "read-only" | "none" {
  if (viewer.kind === "token") return "full";
  return viewer.repos.size > 0 ? "read-only" : "none";
}
