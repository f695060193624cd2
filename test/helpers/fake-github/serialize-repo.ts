import { userJson } from "./serialize-user.js";
import { ensureUser } from "./state.js";
import type { FakeRepoState, FakeState } from "./types.js";

/** GitHub's full repository object (the fields apps commonly read). */
export function repoJson(state: FakeState, repo: FakeRepoState, baseUrl: string): Record<string, unknown> {
  const api = `${baseUrl}/api/v3/repos/${repo.fullName}`;
  const owner = ensureUser(state, repo.owner);
  return {
    id: repo.id,
    node_id: Buffer.from(`010:Repository${repo.id}`).toString("base64"),
    name: repo.name,
    full_name: repo.fullName,
    private: false,
    owner: userJson(owner, baseUrl),
    html_url: `${baseUrl}/${repo.fullName}`,
    description: null,
    fork: false,
    url: api,
    issues_url: `${api}/issues{/number}`,
    pulls_url: `${api}/pulls{/number}`,
    git_url: `git://127.0.0.1/${repo.fullName}.git`,
    ssh_url: `git@127.0.0.1:${repo.fullName}.git`,
    clone_url: `${baseUrl}/${repo.fullName}.git`,
    svn_url: `${baseUrl}/${repo.fullName}`,
    homepage: null,
    size: 1,
    stargazers_count: 0,
    watchers_count: 0,
    language: null,
    has_issues: true,
    has_projects: true,
    has_wiki: false,
    forks_count: 0,
    archived: false,
    disabled: false,
    open_issues_count: [...repo.issues.values()].filter((i) => i.state === "open").length,
    visibility: "public",
    default_branch: repo.defaultBranch,
    allow_merge_commit: true,
    allow_squash_merge: true,
    allow_rebase_merge: true,
    delete_branch_on_merge: false,
    created_at: "2024-01-01T00:00:00Z",
    updated_at: "2024-01-01T00:00:00Z",
    pushed_at: "2024-01-01T00:00:00Z",
    permissions: { admin: false, maintain: false, push: true, triage: true, pull: true },
  };
}
