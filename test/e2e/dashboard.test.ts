import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { issueLabeledPayload, type FakeRepo } from "../helpers/fake-github/index.js";
import { startOAuthFront, type OAuthFront } from "../helpers/fake-github/oauth-front.js";
import { startAppHarness, waitFor, type AppHarness } from "../helpers/app-harness.js";
import { agentCommand, NODE } from "../helpers/race-fixture.js";

const TOKEN = "dashboard-e2e-token-0123456789";
const CLIENT = { clientId: "Iv1.dashboard-e2e", clientSecret: "dashboard-e2e-client-secret" };
const COST = JSON.stringify({ type: "result", is_error: false, result: "done", total_cost_usd: 0.42, usage: { input_tokens: 1000, output_tokens: 234 } });
const CONFIG = [
  "agents:",
  `  slow: { command: ${agentCommand("--sleep", "3000", "--write", "src/answer.txt=42", "--json", COST)}, output: claude-json }`,
  `  hasty: { command: ${agentCommand("--sleep", "500", "--write", "src/answer.txt=7")} }`,
  "default_agents: [slow, hasty]",
  "lanes: 2",
  "evals:",
  `  - { name: check, run: ${JSON.stringify([NODE, "check.mjs"])} }`,
].join("\n");
const FILES = {
  "README.md": "# widgets\n",
  "src/answer.txt": "0\n",
  "check.mjs": `import { readFileSync } from "node:fs";\nconst a = readFileSync("src/answer.txt", "utf8").trim();\nconsole.log("answer is " + a + "; token ghp_${"a".repeat(36)}");\nprocess.exit(a === "42" ? 0 : 1);\n`,
  ".github/agent-race.yml": CONFIG,
};
const BROWSER_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

function findChromium(): string | null {
  for (const path of [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"]) if (path && existsSync(path)) return path;
  return null;
}
const CHROMIUM = findChromium();
if (!CHROMIUM) {
  if (process.env.AGENT_RACE_REQUIRE_CHROMIUM === "1") throw new Error("chromium not found but AGENT_RACE_REQUIRE_CHROMIUM=1 (.ci/run installs it)");
  console.warn("dashboard browser tests SKIPPED: chromium not found (apt-get install chromium, or set CHROMIUM_PATH)");
}

let h: AppHarness;
let front: OAuthFront;
let secret: FakeRepo;
const url = (path: string): string => `http://127.0.0.1:${h.server.port}${path}`;

beforeAll(async () => {
  front = await startOAuthFront(CLIENT);
  h = await startAppHarness({
    files: FILES,
    env: { GHE_HOST: front.host, DASHBOARD_TOKEN: TOKEN, GITHUB_CLIENT_ID: CLIENT.clientId, GITHUB_CLIENT_SECRET: CLIENT.clientSecret, SESSION_SECRET: "s".repeat(40) },
  });
  front.setTarget(h.fake.url);
  secret = await h.fake.addRepo({ owner: "acme", name: "secret", files: FILES, installationId: 1 });
  h.fake.setPermission(secret, "alice", "write");
}, 60_000);
afterAll(async () => {
  await h?.close();
  await front?.close();
});

async function startRace(repo: FakeRepo, title: string): Promise<void> {
  const issue = h.fake.addIssue(repo, { title, body: "Make it 42.", user: "alice", labels: ["agent:race"] });
  // GitHub names clone URLs on its own host: here the front, which GHE_HOST points at (a clone URL on
  // another host is refused as a tampered job).
  const onFront = { ...repo, cloneUrl: repo.cloneUrl.replace(h.fake.host, front.host) };
  const response = await h.send("issues", issueLabeledPayload({ repo: onFront, issue, label: "agent:race", sender: "alice", installationId: 1 }));
  expect(response.status).toBeLessThan(300);
}

describe("dashboard access, health and metrics over HTTP", () => {
  it("answers 401 without a cookie or token, with a sign-in link on pages", async () => {
    const page = await fetch(url("/agent-race"));
    expect(page.status).toBe(401);
    expect(await page.text()).toContain('href="/agent-race/login"');
    for (const path of ["/agent-race/events", "/agent-race/races/abc", "/agent-race/queues", "/agent-race/queues/api/queues"]) expect((await fetch(url(path))).status, path).toBe(401);
    expect((await fetch(url("/agent-race?token=wrong-token-xxxxxxxx"), { redirect: "manual" })).status).toBe(401);
    expect((await fetch(url("/agent-race"), { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(200);
  });

  it("turns ?token= into an HttpOnly cookie and drops it from the URL", async () => {
    const response = await fetch(url("/agent-race?token=" + TOKEN), { redirect: "manual" });
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/agent-race");
    const cookie = response.headers.get("set-cookie") ?? "";
    expect(cookie).toMatch(/^agent_race_token=[^;]+; Path=\/agent-race;.*HttpOnly; SameSite=Lax/);
    expect(cookie).not.toContain(TOKEN);
    const again = await fetch(url("/agent-race"), { headers: { cookie: cookie.split(";")[0] ?? "" } });
    expect(again.status).toBe(200);
  });

  it("reports health and readiness as JSON and protects /metrics with the token", async () => {
    expect(await (await fetch(url("/healthz"))).json()).toEqual({ status: "ok" });
    const ready = await fetch(url("/readyz"));
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: "ready", redis: true, workers: "running" });
    expect((await fetch(url("/metrics"))).status).toBe(401);
    const metrics = await (await fetch(url("/metrics"), { headers: { authorization: `Bearer ${TOKEN}` } })).text();
    expect(metrics).toContain('agent_race_queue_jobs{queue="lanes",state="waiting"}');
  });
});

describe.skipIf(!CHROMIUM)("dashboard in a browser (chromium)", () => {
  let context: BrowserContext;
  let profile: string;
  beforeAll(async () => {
    profile = await mkdtemp(join(tmpdir(), "agent-race-chromium-"));
    context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM ?? undefined, headless: true, args: BROWSER_ARGS, viewport: { width: 1280, height: 900 } });
  }, 60_000);
  afterAll(async () => {
    await context?.close();
    if (profile) await rm(profile, { recursive: true, force: true });
  });

  const watch = (page: Page): { errors: string[]; offsite: string[] } => {
    const seen = { errors: [] as string[], offsite: [] as string[] };
    page.on("console", (m) => void (m.type() === "error" && seen.errors.push(m.text())));
    page.on("pageerror", (e) => void seen.errors.push(e.message));
    page.on("request", (r) => void (!r.url().startsWith(url("/")) && !r.url().startsWith(front.url) && seen.offsite.push(r.url())));
    return seen;
  };

  it("shows a running race and updates a lane's state live, without a reload", { timeout: 120_000 }, async () => {
    const page = await context.newPage();
    const seen = watch(page);
    await page.goto(url(`/agent-race?token=${TOKEN}`));
    expect(page.url()).toBe(url("/agent-race"));
    await startRace(h.repo, "Make the <answer> 42");
    const row = page.locator('tr.race[data-repo="acme/widgets"]').first();
    await row.waitFor({ timeout: 15_000 });
    expect(await row.textContent()).toContain("Make the <answer> 42");
    await row.locator("a.mono").click();
    await page.waitForURL(/\/agent-race\/races\/[a-z0-9]+$/);
    await page.evaluate(() => void ((globalThis as Record<string, unknown>).__sameDocument = true));
    const laneState = () => page.locator("#lane-1 .lane-state").getAttribute("data-state");
    expect(await laneState()).not.toBe("passed");
    await expect.poll(laneState, { timeout: 15_000, interval: 100 }).toBe("agent");
    if (process.env.DASHBOARD_SCREENSHOT) await page.screenshot({ path: process.env.DASHBOARD_SCREENSHOT.replace(/\.png$/, "-running.png"), fullPage: true });
    await expect.poll(laneState, { timeout: 30_000, interval: 100 }).toBe("passed");
    await expect.poll(() => page.locator("#race-head .race-state").getAttribute("data-state"), { timeout: 30_000, interval: 100 }).toBe("done");
    expect(await page.evaluate(() => (globalThis as Record<string, unknown>).__sameDocument)).toBe(true);
    expect(Number(await page.locator("body").getAttribute("data-updates"))).toBeGreaterThan(0);
    expect(await page.locator("#race-head").textContent()).toContain("$0.42");
    expect(await page.locator("#lane-1 table.evals").textContent()).toContain("check");
    const log = (await page.locator("#lane-2 pre.log").textContent()) ?? "";
    expect(log).toContain("answer is 7");
    expect(log).toContain("[REDACTED]");
    expect(log).not.toContain("ghp_aaaa");
    if (process.env.DASHBOARD_SCREENSHOT) await page.screenshot({ path: process.env.DASHBOARD_SCREENSHOT, fullPage: true });
    await page.goto(url("/agent-race"));
    expect(await page.locator('tr.race[data-repo="acme/widgets"] td').nth(7).textContent()).toBe("$0.42");
    if (process.env.DASHBOARD_SCREENSHOT) await page.screenshot({ path: process.env.DASHBOARD_SCREENSHOT.replace(/\.png$/, "-list.png"), fullPage: true });
    expect(seen.errors).toEqual([]);
    expect(seen.offsite).toEqual([]);

    const metrics = await (await fetch(url("/metrics"), { headers: { authorization: `Bearer ${TOKEN}` } })).text();
    expect(metrics).toMatch(/agent_race_races_total\{outcome="done"\} 1/);
    expect(metrics).toMatch(/agent_race_lanes_total\{status="passed"\} 1/);
    expect(metrics).toMatch(/agent_race_lane_step_seconds_count\{step="agent"\} 2/);
    expect(metrics).toMatch(/agent_race_agent_cost_usd_total\{agent="slow"\} 0\.42/);
    expect(metrics).toMatch(/agent_race_agent_tokens_total\{agent="slow"\} 1234/);
    expect(metrics).toMatch(/agent_race_lane_wait_seconds_count 2/);
    expect(metrics).toMatch(/agent_race_github_rate_limit_remaining\{resource="core"\} 4999/);
    await page.close();
  });

  it("opens bull-board behind the same check", async () => {
    const page = await context.newPage();
    await page.goto(url("/agent-race/queues"));
    await page.getByText("lanes", { exact: true }).first().waitFor({ timeout: 15_000 });
    const api = await page.request.get(url("/agent-race/queues/api/queues?activeQueue=lanes&page=1&jobsPerPage=10"));
    expect(api.status()).toBe(200);
    await page.close();
  });

  it("signs a GitHub user in and shows only races of repositories they can access", async () => {
    await context.clearCookies();
    await startRace(secret, "Secret work");
    await waitFor(async () => (await (await fetch(url("/agent-race"), { headers: { authorization: `Bearer ${TOKEN}` } })).text()).includes("acme/secret"), 15_000, "secret race");
    front.signInAs("alice", ["acme/widgets"]);
    const page = await context.newPage();
    const first = await page.goto(url("/agent-race"));
    expect(first?.status()).toBe(401);
    await page.getByText("Sign in with GitHub").click();
    await page.waitForURL(url("/agent-race"));
    const seen = watch(page);
    await page.reload();
    expect(await page.locator("header .who").textContent()).toContain("alice");
    await page.locator('tr.race[data-repo="acme/widgets"]').first().waitFor();
    expect(await page.locator('tr.race[data-repo="acme/secret"]').count()).toBe(0);
    expect(await page.content()).not.toContain("Secret work");
    expect(front.exchanges.at(-1)).toMatchObject({ clientId: CLIENT.clientId, clientSecret: CLIENT.clientSecret, redirectUri: url("/agent-race/callback") });
    const secretId = (await (await fetch(url("/agent-race"), { headers: { authorization: `Bearer ${TOKEN}` } })).text()).match(/data-race="([a-z0-9]+)" data-repo="acme\/secret"/)?.[1];
    expect(secretId).toBeTruthy();
    expect((await page.request.get(url(`/agent-race/races/${secretId}`))).status()).toBe(404);
    expect((await page.request.get(url(`/agent-race/races/${secretId}/events`))).status()).toBe(404);
    expect(seen.errors).toEqual([]);
    await page.goto(url("/agent-race/logout"));
    expect((await page.request.get(url("/agent-race"))).status()).toBe(401);
    await page.close();
  });
});
