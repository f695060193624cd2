import nock from "nock";
import { describe, expect, it } from "vitest";
import { fetchPrFilePages } from "../../../../src/github/open-prs/fetch-pr-file-pages.js";
import { listOpenPrs } from "../../../../src/github/open-prs/list-open-prs.js";
import { prFilesQuery, prFilesSchema } from "../../../../src/github/open-prs/pr-queries.js";
import { runGraphql } from "../../../../src/github/open-prs/run-graphql.js";
import { API, createOctokit, REPO, useNock } from "../nock-github.js";

useNock();
const SHA = "1".repeat(40);

function page(numbers: number[], hasNextPage: boolean) {
  return {
    data: {
      repository: {
        latest: { nodes: [{ updatedAt: "2024-05-01T00:00:00Z" }] },
        pullRequests: {
          totalCount: 3,
          pageInfo: { hasNextPage, endCursor: hasNextPage ? "c1" : null },
          nodes: numbers.map((number) => ({ number, headRefName: `b${number}`, headRefOid: SHA, updatedAt: "2024-01-01T00:00:00Z" })),
        },
      },
    },
  };
}

describe("overlap GraphQL calls", () => {
  it("halves the page size when GitHub times out (502) and counts every attempt", async () => {
    const sizes: number[] = [];
    const record = (body: { variables: { first: number } }): boolean => {
      sizes.push(body.variables.first);
      return true;
    };
    nock(API)
      .post("/graphql", record)
      .reply(502, { message: "Something went wrong while executing your query. This may be the result of a timeout" })
      .post("/graphql", record)
      .reply(200, page([1, 2], true))
      .post("/graphql", record)
      .reply(200, page([3], false));
    const counter = { requests: 0 };
    const listing = await listOpenPrs(createOctokit(), counter, REPO, { withFiles: false, pageSize: 100 });
    expect(listing.prs.map((pr) => pr.number)).toEqual([1, 2, 3]);
    expect(listing.watermark).toBe("2024-05-01T00:00:00Z");
    expect(sizes).toEqual([100, 50, 50]);
    expect(counter.requests).toBe(3);
  });

  it("keeps the partial data of a NOT_FOUND answer and drops the missing pull request", async () => {
    nock(API)
      .post("/graphql")
      .reply(200, {
        data: { repository: { pr5: null, pr6: { number: 6, state: "OPEN", headRefName: "b6", headRefOid: SHA, files: { pageInfo: { hasNextPage: false, endCursor: null }, nodes: [{ path: "a.ts" }] } } } },
        errors: [{ type: "NOT_FOUND", path: ["repository", "pr5"], message: "Could not resolve to a PullRequest with the number of 5." }],
      });
    const counter = { requests: 0 };
    const result = await fetchPrFilePages(createOctokit(), counter, REPO, [5, 6].map((number) => ({ number, headSha: SHA, paths: [], after: null })), 50);
    expect(result).toEqual({ complete: [{ number: 6, headRefName: "b6", headSha: SHA, files: ["a.ts"] }], gone: [5] });
    expect(counter.requests).toBe(1);
  });

  it("throws on other GraphQL errors and on answers of the wrong shape", async () => {
    nock(API)
      .post("/graphql")
      .reply(200, { data: null, errors: [{ type: "RATE_LIMITED", message: "API rate limit exceeded" }] })
      .post("/graphql")
      .reply(200, { data: { repository: { pr1: { number: "one" } } } });
    const counter = { requests: 0 };
    await expect(runGraphql(createOctokit(), counter, prFilesQuery([1]), { owner: "o", name: "r" }, prFilesSchema)).rejects.toThrow(/rate limit/);
    await expect(runGraphql(createOctokit(), counter, prFilesQuery([1]), { owner: "o", name: "r" }, prFilesSchema)).rejects.toThrow(/unexpected GraphQL response/);
    expect(counter.requests).toBe(2);
  });

  it("builds one aliased query per batch and refuses bad numbers", () => {
    expect(prFilesQuery([12, 15])).toContain("pr12: pullRequest(number: 12)");
    expect(prFilesQuery([12, 15])).toContain("$a15: String");
    expect(() => prFilesQuery([0])).toThrow(/invalid pull request number/);
  });
});
