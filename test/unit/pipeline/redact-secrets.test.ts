import { describe, expect, it } from "vitest";
import { redactSecrets } from "../../../src/pipeline/redact-secrets.js";

const LITERAL = "s3cr3t-value-42";
const base64 = (text: string): string => Buffer.from(text).toString("base64");

describe("redactSecrets", () => {
  it.each([
    ["a literal secret", `token is ${LITERAL}.`, [LITERAL], "token is [REDACTED]."],
    ["every occurrence of a literal", `${LITERAL} and ${LITERAL}`, [LITERAL], "[REDACTED] and [REDACTED]"],
    ["a literal's base64 form", `b64 ${base64(LITERAL)}`, [LITERAL], "b64 [REDACTED]"],
    ["git's basic-auth pair in base64", `x ${base64(`x-access-token:${LITERAL}`)} y`, [LITERAL], "x [REDACTED] y"],
    ["nothing for literals under 8 characters", "short abc1234 text", ["abc1234"], "short abc1234 text"],
    ["a regex-special literal", "value a.b*c+d?e(f) here", ["a.b*c+d?e(f)"], "value [REDACTED] here"],
    ["an installation token", `ghs_${"a".repeat(36)} done`, [], "[REDACTED] done"],
    ["a personal access token", `use ghp_${"A1".repeat(18)}`, [], "use [REDACTED]"],
    ["an OAuth token", `gho_${"b".repeat(36)}`, [], "[REDACTED]"],
    ["a user-to-server token", `ghu_${"c".repeat(36)}`, [], "[REDACTED]"],
    ["a refresh token", `ghr_${"d".repeat(36)}`, [], "[REDACTED]"],
    ["a fine-grained PAT", `github_pat_11ABCDEFG_${"x".repeat(40)}`, [], "[REDACTED]"],
    ["an Anthropic key", "ANTHROPIC_API_KEY=sk-ant-api03-abcDEF123_-xyz", [], "ANTHROPIC_API_KEY=[REDACTED]"],
    ["an OpenAI key", `OPENAI_API_KEY=sk-proj-${"Z9".repeat(12)}`, [], "OPENAI_API_KEY=[REDACTED]"],
    ["not a short sk- word", "use sk-learn for that", [], "use sk-learn for that"],
    ["an AWS access key id", "AKIAIOSFODNN7EXAMPLE in env", [], "[REDACTED] in env"],
    ["a Slack token", "xoxb-123456789-abcdefghij", [], "[REDACTED]"],
    ["a bearer header", "Authorization: Bearer abc.def.ghi", [], "Authorization: Bearer [REDACTED]"],
    ["git's extraheader", "http.extraheader=AUTHORIZATION: basic eC1hY2Nlc3M6dG9rZW4=", [], "http.extraheader=AUTHORIZATION: basic [REDACTED]"],
    ["a token header in JSON", '{"authorization": "token abcdef123456"}', [], '{"authorization": "token [REDACTED]"}'],
    ["a schemeless header value", "authorization: abcdef123456", [], "authorization: [REDACTED]"],
    ["URL credentials", "fetch https://x-access-token:abc123@github.com/o/r.git", [], "fetch https://x-access-token:[REDACTED]@github.com/o/r.git"],
    ["any user:password in a URL", "https://bob:hunter2@example.com/x", [], "https://bob:[REDACTED]@example.com/x"],
    ["x-access-token without a scheme", "remote x-access-token:abc123@github.com", [], "remote x-access-token:[REDACTED]@github.com"],
    ["not a plain email or URL", "mail me@example.com or see https://example.com:8080/a", [], "mail me@example.com or see https://example.com:8080/a"],
    [
      "a private key block",
      "key:\n-----BEGIN RSA PRIVATE KEY-----\nMIIEow\nIBAAKC\n-----END RSA PRIVATE KEY-----\nafter",
      [],
      "key:\n[REDACTED]\nafter",
    ],
    ["a private key cut off", "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC", [], "[REDACTED]"],
    ["plain text unchanged", "all 12 tests passed in 3.2s", [], "all 12 tests passed in 3.2s"],
  ])("redacts %s", (_name, text, literals, expected) => {
    expect(redactSecrets(text, literals)).toBe(expected);
  });

  it("is idempotent", () => {
    const once = redactSecrets(`Authorization: token ${LITERAL} https://u:${LITERAL}@h`, [LITERAL]);
    expect(redactSecrets(once, [LITERAL])).toBe(once);
  });
});
