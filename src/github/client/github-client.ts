import type { ProbotOctokit } from "probot";

/** The authenticated REST client the GitHub edge works with (an installation's ProbotOctokit). */
export type GitHubClient = InstanceType<typeof ProbotOctokit>;
