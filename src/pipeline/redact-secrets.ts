const REDACTED = "[REDACTED]";
/** Shorter literals would redact ordinary words; real tokens are far longer. */
const MIN_LITERAL_LENGTH = 8;

/** Token shapes redacted wherever they appear, whether or not the caller knows the value. */
const TOKEN_PATTERNS: readonly RegExp[] = [
  // PEM private keys, also when the log was cut before the END line.
  /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY-----|$)/g,
  /\bgh[opusr]_[A-Za-z0-9_]{20,}/g,
  /\bgithub_pat_[A-Za-z0-9_]{20,}/g,
  /\bsk-ant-[A-Za-z0-9_-]{10,}/g,
  /\bsk-[A-Za-z0-9_-]{20,}/g,
  /\bAKIA[0-9A-Z]{16}\b/g,
  /\bxox[abposr]-[A-Za-z0-9-]{10,}/g,
];

/** `Authorization: Bearer x`, `AUTHORIZATION: basic x`, `"authorization": "token x"`: keeps the scheme. */
const AUTH_HEADER = /(\bauthorization["']?\s*[:=]\s*["']?)(?:(basic|bearer|token)\s+)?[^\s"',;]+/gi;
/** Credentials in URLs (`https://user:TOKEN@host`) and git's `x-access-token:TOKEN@` anywhere. */
const URL_CREDENTIALS = /(\b[a-z][a-z0-9+.-]*:\/\/[^\s:@/]+|\bx-access-token):[^\s@/]+@/gi;

/**
 * Removes secrets from text before it leaves the worker (comments, check runs, PR bodies):
 * the given literals (8+ characters) with their base64 forms and that of a git basic-auth pair,
 * then well-known token shapes, Authorization header values, URL credentials and private keys.
 */
export function redactSecrets(text: string, literals: readonly string[] = []): string {
  let result = text;
  for (const literal of literalForms(literals)) result = result.split(literal).join(REDACTED);
  for (const pattern of TOKEN_PATTERNS) result = result.replace(pattern, REDACTED);
  result = result.replace(AUTH_HEADER, (_match, prefix: string, scheme: string | undefined) =>
    `${prefix}${scheme ? `${scheme} ` : ""}${REDACTED}`,
  );
  return result.replace(URL_CREDENTIALS, `$1:${REDACTED}@`);
}

/** Every form a literal may take in a log, longest first so a longer form is not cut by a shorter one. */
function literalForms(literals: readonly string[]): string[] {
  const forms = new Set<string>();
  for (const literal of literals) {
    if (literal.length < MIN_LITERAL_LENGTH) continue;
    forms.add(literal);
    for (const encoded of [literal, `x-access-token:${literal}`].map((value) => Buffer.from(value).toString("base64"))) {
      forms.add(encoded);
      forms.add(encoded.replace(/=+$/, ""));
      forms.add(encoded.replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, ""));
    }
  }
  return [...forms].filter((form) => form.length >= MIN_LITERAL_LENGTH).sort((a, b) => b.length - a.length);
}
