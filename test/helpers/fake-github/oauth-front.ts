import { randomBytes } from "node:crypto";
import { createServer, request, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface OAuthFront {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** `127.0.0.1:<port>`, the value for GHE_HOST. */
  host: string;
  /** Where every other request goes (the fake GitHub's URL); set once it runs. */
  setTarget(url: string): void;
  /** The GitHub user the next authorize request signs in, and the repos `GET /user/repos` lists. */
  signInAs(login: string, repos: string[]): void;
  /** Code exchanges seen, for assertions (client id and secret as sent). */
  exchanges: Array<{ clientId: unknown; clientSecret: unknown; redirectUri: unknown }>;
  close(): Promise<void>;
}

/**
 * A front for the fake GitHub that plays GitHub's web OAuth flow for one scripted user:
 * `GET /login/oauth/authorize` redirects straight back with a code, `POST /login/oauth/access_token`
 * trades it for a user token, and `GET /api/v3/user` and `/api/v3/user/repos` answer for that token.
 * Everything else is proxied to the fake, so it can stand in as GHE_HOST for the whole app.
 */
export async function startOAuthFront(options: { clientId: string; clientSecret: string }): Promise<OAuthFront> {
  let target: string | null = null;
  let user = { login: "nobody", repos: [] as string[] };
  const codes = new Map<string, typeof user>();
  const tokens = new Map<string, typeof user>();
  const exchanges: OAuthFront["exchanges"] = [];

  const json = (res: ServerResponse, status: number, body: unknown): void => {
    res.writeHead(status, { "content-type": "application/json; charset=utf-8" }).end(JSON.stringify(body));
  };
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? "/", "http://front.invalid");
    if (req.method === "GET" && url.pathname === "/login/oauth/authorize") {
      const redirectUri = url.searchParams.get("redirect_uri") ?? "";
      if (url.searchParams.get("client_id") !== options.clientId || !redirectUri) return json(res, 400, { error: "bad client" });
      const code = randomBytes(8).toString("hex");
      codes.set(code, user);
      const back = new URL(redirectUri);
      back.searchParams.set("code", code);
      back.searchParams.set("state", url.searchParams.get("state") ?? "");
      res.writeHead(302, { location: back.toString() }).end();
      return;
    }
    if (req.method === "POST" && url.pathname === "/login/oauth/access_token") {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}") as Record<string, unknown>;
      exchanges.push({ clientId: body.client_id, clientSecret: body.client_secret, redirectUri: body.redirect_uri });
      const who = typeof body.code === "string" ? codes.get(body.code) : undefined;
      if (!who || body.client_id !== options.clientId || body.client_secret !== options.clientSecret) return json(res, 200, { error: "bad_verification_code" });
      codes.delete(body.code as string);
      const token = `ghu_${randomBytes(16).toString("hex")}`;
      tokens.set(token, who);
      return json(res, 200, { access_token: token, token_type: "bearer", scope: "" });
    }
    if (req.method === "GET" && (url.pathname === "/api/v3/user" || url.pathname === "/api/v3/user/repos")) {
      const who = tokens.get(/^bearer\s+(\S+)$/i.exec(req.headers.authorization ?? "")?.[1] ?? "");
      if (!who) return json(res, 401, { message: "Bad credentials" });
      if (url.pathname === "/api/v3/user") return json(res, 200, { login: who.login, id: 1, type: "User" });
      const page = Number(url.searchParams.get("page") ?? "1");
      return json(res, 200, page > 1 ? [] : who.repos.map((fullName) => ({ full_name: fullName })));
    }
    proxy(req, res);
  };
  const proxy = (req: IncomingMessage, res: ServerResponse): void => {
    if (!target) return json(res, 502, { message: "oauth front: no target yet" });
    const upstreamUrl = new URL(req.url ?? "/", target);
    const upstream = request(upstreamUrl, { method: req.method, headers: { ...req.headers, host: upstreamUrl.host } }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on("error", (error) => (res.headersSent ? res.destroy() : json(res, 502, { message: String(error) })));
    req.pipe(upstream);
  };

  const server = createServer((req, res) => void handle(req, res).catch((error: unknown) => json(res, 500, { message: String(error) })));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    setTarget: (url) => {
      target = url;
    },
    signInAs: (login, repos) => {
      user = { login, repos };
    },
    exchanges,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
