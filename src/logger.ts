import { pino, type Logger } from "pino";

/** The app's logger: JSON lines, secrets redacted at the logger by path. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { name: "agent-race" },
    redact: {
      paths: ["token", "*.token", "authorization", "*.authorization", "headers.authorization", "privateKey", "*.privateKey", "secret", "*.secret"],
      censor: "[REDACTED]",
    },
  });
}
