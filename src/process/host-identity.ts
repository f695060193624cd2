import { createHash } from "node:crypto";
import { readFileSync, readlinkSync } from "node:fs";
import { hostname } from "node:os";

/**
 * Where a pid means the same process: the hostname plus a hash of the boot id and the pid
 * namespace, so two containers that share a hostname, or one host after a reboot, differ.
 */
export function hostIdentity(): string {
  const read = (get: () => string): string => {
    try {
      return get().trim();
    } catch {
      return "";
    }
  };
  const boot = read(() => readFileSync("/proc/sys/kernel/random/boot_id", "utf8"));
  const pidNamespace = read(() => readlinkSync("/proc/self/ns/pid"));
  return `${hostname()}-${createHash("sha256").update(`${boot}|${pidNamespace}`).digest("hex").slice(0, 12)}`;
}
