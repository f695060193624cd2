import { DASHBOARD_CSS } from "./dashboard-style.js";
import { html, rawHtml, type SafeHtml } from "./html.js";
import { LIVE_SCRIPT } from "./live-script.js";
import type { Viewer } from "../auth/viewer.js";

export interface PageOptions {
  title: string;
  body: SafeHtml;
  /** The CSP nonce of this response's inline script. */
  nonce: string;
  /** The server-sent events URL the page follows; null for static pages. */
  eventsUrl: string | null;
  viewer: Viewer | null;
  showQueues?: boolean;
}

/** A whole dashboard page: inline CSS, header, body and the live script. */
export function renderPage(options: PageOptions): string {
  const viewer = options.viewer;
  const who = !viewer ? null
    : viewer.kind === "token" ? html`<span class="who">operator token</span>`
    : html`<span class="who">signed in as <b>${viewer.login}</b> · <a href="/agent-race/logout">sign out</a></span>`;
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer"><link rel="icon" href="data:,"><title>${options.title} · agent-race</title>
<style>${rawHtml(DASHBOARD_CSS)}</style></head>
<body data-events="${options.eventsUrl ?? ""}">
<header class="top"><a class="brand" href="/agent-race">agent-race</a>
<nav><a href="/agent-race">Races</a>${options.showQueues ? html`<a href="/agent-race/queues">Queues</a>` : null}</nav>
${options.eventsUrl ? html`<span id="live" class="live">connecting…</span>` : null}${who}</header>
<main>${options.body}</main>
<script nonce="${options.nonce}">${rawHtml(LIVE_SCRIPT)}</script>
</body></html>`.value;
}

/** The 401 page: a sign-in link when GitHub sign-in is configured, else how to use the token. */
export function renderUnauthorizedPage(nonce: string, oauth: boolean): string {
  const body = html`<div class="center card"><div class="body">
<h1>Sign in to see races</h1>
${oauth
    ? html`<p class="muted">The dashboard shows the races of repositories you can access on GitHub.</p><p><a class="button" href="/agent-race/login">Sign in with GitHub</a></p>`
    : html`<p class="muted">Open the dashboard with <code>?token=&lt;DASHBOARD_TOKEN&gt;</code> once, or send <code>Authorization: Bearer &lt;token&gt;</code>.</p>`}
</div></div>`;
  return renderPage({ title: "Sign in", body, nonce, eventsUrl: null, viewer: null });
}
