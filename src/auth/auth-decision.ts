/** Whether the sender of a trigger may start or steer a race, and why not. */
export type AuthDecision =
  | {
      allowed: true;
      /** The sender's repository permission, or `"allowlisted-bot"` for a trusted bot. */
      permission: string;
    }
  | {
      allowed: false;
      reason: AuthDenialReason;
      /** For the log; may name the sender, never shown with secrets. */
      detail: string;
    };

export type AuthDenialReason = "bot" | "self" | "insufficient-permission" | "permission-check-failed";

export interface AuthorizeInput {
  /** `sender` from the webhook payload: the account that commented or labelled. */
  sender: { login: string; type: string };
  /** This app's slug; its own bot account is `${appSlug}[bot]`. */
  appSlug: string;
  /** Exact bot logins (with `[bot]`) trusted to trigger races without a permission check. */
  allowedBots: readonly string[];
  /**
   * The sender's permission on the repository from the collaborator-permission API
   * (`admin`, `maintain`, `write`, `triage`, `read` or `none`). May throw.
   */
  getPermission: (login: string) => Promise<string>;
  /** How long to wait for `getPermission` before failing closed. Default 10 s. */
  timeoutMs?: number;
}
