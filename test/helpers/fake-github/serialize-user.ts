import type { FakeUser } from "./types.js";

/** GitHub's "simple user" object. */
export function userJson(user: FakeUser, baseUrl: string): Record<string, unknown> {
  const api = `${baseUrl}/api/v3/users/${encodeURIComponent(user.login)}`;
  return {
    login: user.login,
    id: user.id,
    node_id: Buffer.from(`04:User${user.id}`).toString("base64"),
    avatar_url: `${baseUrl}/avatars/u/${user.id}?v=4`,
    gravatar_id: "",
    url: api,
    html_url: `${baseUrl}/${user.login.replace(/\[bot\]$/, "")}`,
    followers_url: `${api}/followers`,
    repos_url: `${api}/repos`,
    events_url: `${api}/events{/privacy}`,
    type: user.type,
    site_admin: false,
  };
}
