/** What an agent CLI's output says about its run; every field is null when it does not say. */
export interface AgentReport {
  /** The agent reported a failure (e.g. Claude Code's `is_error: true`, even with exit code 0). */
  isError: boolean;
  /** The final message, or the error message when `isError`. */
  message: string | null;
  tokens: number | null;
  costUsd: number | null;
}

export const EMPTY_AGENT_REPORT: AgentReport = { isError: false, message: null, tokens: null, costUsd: null };
