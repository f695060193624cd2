import { createHmac, randomUUID } from "node:crypto";

export interface SendWebhookOptions {
  /** Full webhook URL, e.g. `http://127.0.0.1:3000/api/github/webhooks`. */
  url: string;
  secret: string;
  /** The `x-github-event` name, e.g. `issues`. */
  event: string;
  /** Serialised with JSON.stringify unless already a string. */
  payload: unknown;
  deliveryId?: string;
}

/** Delivers a webhook like GitHub does: JSON body signed with HMAC-SHA256 (`x-hub-signature-256`). */
export async function sendWebhook(options: SendWebhookOptions): Promise<{ status: number; body: string; deliveryId: string }> {
  const body = Buffer.from(typeof options.payload === "string" ? options.payload : JSON.stringify(options.payload), "utf8");
  const deliveryId = options.deliveryId ?? randomUUID();
  const signature = `sha256=${createHmac("sha256", options.secret).update(body).digest("hex")}`;
  const installation = (options.payload as { installation?: { id?: unknown } } | null)?.installation?.id;
  const response = await fetch(options.url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "user-agent": "GitHub-Hookshot/fake",
      "x-github-event": options.event,
      "x-github-delivery": deliveryId,
      "x-hub-signature-256": signature,
      "x-github-hook-id": "1",
      "x-github-hook-installation-target-type": "integration",
      ...(installation !== undefined ? { "x-github-hook-installation-target-id": String(installation) } : {}),
    },
    body,
  });
  return { status: response.status, body: await response.text(), deliveryId };
}
