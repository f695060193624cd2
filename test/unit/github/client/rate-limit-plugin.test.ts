import { ProbotOctokit } from "probot";
import { describe, expect, it } from "vitest";
import { rateLimitFrom, rateLimitPlugin } from "../../../../src/github/client/rate-limit-plugin.js";

const reply = (status: number, remaining: string) => async (): Promise<Response> =>
  new Response(JSON.stringify(status < 400 ? { login: "octocat" } : { message: "nope" }), {
    status, headers: { "content-type": "application/json", "x-ratelimit-remaining": remaining, "x-ratelimit-resource": "core" },
  });

describe("rate-limit plugin", () => {
  it("parses the headers", () => {
    expect(rateLimitFrom({ "x-ratelimit-remaining": "12", "x-ratelimit-resource": "graphql" })).toEqual({ resource: "graphql", remaining: 12 });
    expect(rateLimitFrom({ "x-ratelimit-remaining": "12" })).toEqual({ resource: "core", remaining: 12 });
    expect(rateLimitFrom({})).toBeNull();
    expect(rateLimitFrom({ "x-ratelimit-remaining": "lots" })).toBeNull();
  });

  it("reports x-ratelimit-remaining of successful and failed requests", async () => {
    const seen: Array<[string, number]> = [];
    const Octokit = ProbotOctokit.plugin(rateLimitPlugin((resource, remaining) => seen.push([resource, remaining])));
    const ok = new Octokit({ request: { fetch: reply(200, "4321") }, retry: { enabled: false }, throttle: { enabled: false } });
    await ok.request("GET /user");
    const failing = new Octokit({ request: { fetch: reply(404, "4320") }, retry: { enabled: false }, throttle: { enabled: false } });
    await expect(failing.request("GET /user")).rejects.toThrow();
    expect(seen).toEqual([["core", 4321], ["core", 4320]]);
  });
});
