import { execa } from "execa";
import { waitFor, type AppHarness } from "./app-harness.js";
import { issueCommentPayload, issueLabeledPayload, type FakeComment, type FakeRepo } from "./fake-github/index.js";
import { ANSWER_FILES } from "./race-fixture.js";

type IssueRef = Parameters<typeof issueLabeledPayload>[0]["issue"];

/**
 * What the e2e files do on their harness's fake GitHub, written once: repos with the "answer is
 * 42" task and a config (alice may write, mallory may read), an issue's comments, triggers, and
 * the agent-race branches on the remote. `harness` is read when called (it is set in beforeAll);
 * `name` keeps each file's repos apart.
 */
export function raceTestKit(harness: () => AppHarness, name: string) {
  let repos = 0;
  let commentIds = 0;
  const h = () => harness();
  const comments = (repo: FakeRepo, issue: number): FakeComment[] => [...h().fake.repo(repo).comments.values()].filter((c) => c.issueNumber === issue);
  const label = (repo: FakeRepo, issue: IssueRef, sender = "alice") =>
    h().send("issues", issueLabeledPayload({ repo, issue, label: "agent:race", sender, installationId: 1 }));
  return {
    async repoWith(config: string, files: Record<string, string> = {}): Promise<FakeRepo> {
      const repo = await h().fake.addRepo({ owner: "acme", name: `${name}${++repos}`, installationId: 1, files: { ...ANSWER_FILES, ...files, ".github/agent-race.yml": config } });
      h().fake.setPermission(repo, "alice", "write");
      h().fake.setPermission(repo, "mallory", "read");
      return repo;
    },
    comments,
    /** The first comment on the issue containing `text`. */
    marked: (repo: FakeRepo, issue: number, text: string): FakeComment | undefined => comments(repo, issue).find((c) => c.body.includes(text)),
    /** Every comment on the issue containing `text`. */
    markedAll: (repo: FakeRepo, issue: number, text: string): FakeComment[] => comments(repo, issue).filter((c) => c.body.includes(text)),
    label,
    /** Labels the issue `agent:race` and returns the race id from its status comment's marker. */
    async startRace(repo: FakeRepo, issue: IssueRef, timeoutMs = 20_000): Promise<string> {
      const sent = await label(repo, issue);
      if (sent.status >= 300) throw new Error(`the webhook was refused with ${sent.status}`);
      const status = await waitFor(() => comments(repo, issue.number).find((c) => c.body.includes("agent-race:status:")), timeoutMs, "status comment");
      return (/agent-race:status:([a-z0-9]+)/.exec(status.body) as RegExpExecArray)[1] as string;
    },
    comment: (repo: FakeRepo, issue: IssueRef, body: string, sender = "alice", deliveryId?: string) =>
      h().send("issue_comment", issueCommentPayload({ repo, issue, body, sender, installationId: 1, commentId: 100_000 + ++commentIds }), deliveryId),
    /** The `agent-race/…` branches on the remote. */
    agentBranches: async (repo: FakeRepo): Promise<string[]> =>
      (await execa("git", ["for-each-ref", "--format=%(refname:short)", "refs/heads/agent-race/"], { cwd: repo.bareDir })).stdout.split("\n").filter(Boolean),
  };
}
