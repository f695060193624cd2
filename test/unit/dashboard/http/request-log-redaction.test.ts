import { Writable } from "node:stream";
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { redactUrl, requestLogRedaction } from "../../../../src/dashboard/http/request-log-redaction.js";

describe("request log redaction", () => {
  it("redacts the dashboard token and OAuth code/state in URLs, nothing else", () => {
    expect(redactUrl("/agent-race?token=abc&x=1")).toBe("/agent-race?token=[REDACTED]&x=1");
    expect(redactUrl("/agent-race/callback?code=c0de&state=st")).toBe("/agent-race/callback?code=[REDACTED]&state=[REDACTED]");
    expect(redactUrl("/agent-race/races/abc?mytoken=1")).toBe("/agent-race/races/abc?mytoken=1");
  });

  it("keeps authorization, cookies and secret query values out of request log lines", () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const base = pino({ redact: { paths: ["token"], censor: "[REDACTED]" } }, sink);
    const log = requestLogRedaction(base);
    log.child({ req: { url: "/agent-race?token=SECRET1", headers: { authorization: "Bearer SECRET2", cookie: "agent_race_session=SECRET3", host: "h" } } }).info("GET");
    log.info({ token: "SECRET4", res: { headers: { "set-cookie": "agent_race_session=SECRET5" } } }, "other");
    const text = lines.join("");
    expect(text).not.toMatch(/SECRET\d/);
    expect(text).toContain('"host":"h"');
    expect(text).toContain("/agent-race?token=[REDACTED]");
  });
});
