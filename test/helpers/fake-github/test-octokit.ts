import { ProbotOctokit } from "probot";

/**
 * A ProbotOctokit for the fake server with throttling and retries off (the throttling plugin
 * otherwise spaces write requests 1–3 s apart). Use the same defaults for a Probot under test:
 * `new Probot({ …, Octokit: ProbotOctokit.defaults({ throttle: { enabled: false }, retry: { enabled: false } }) })`.
 */
export function createTestOctokit(options: { apiUrl: string; token: string }): InstanceType<typeof ProbotOctokit> {
  return new ProbotOctokit({
    auth: { token: options.token },
    baseUrl: options.apiUrl,
    throttle: { enabled: false },
    retry: { enabled: false },
  });
}
