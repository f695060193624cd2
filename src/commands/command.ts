/**
 * A maintainer's command from an issue or pull-request comment, as parsed by `parseCommand`.
 * Lane numbers are 1-based, as shown to users.
 */
export type Command =
  | {
      kind: "race";
      /** Lanes asked for, or null for the repo config's default. */
      lanes: number | null;
      /** Agents in lane order; lanes cycle through them. Empty means the config's defaults. */
      agents: string[];
      /** One approach hint per lane, already sanitised; lanes without one get none. */
      approaches: string[];
    }
  | { kind: "pick"; lane: number }
  | { kind: "cancel" }
  | { kind: "retry"; lane: number }
  | { kind: "help" }
  | {
      kind: "revise";
      /** The agent to revise with, or null for the one that wrote the picked lane. */
      agent: string | null;
      /** Already sanitised with `sanitizeTaskText`; never empty. */
      instructions: string;
    };

export type CommandName = Command["kind"];
