import { createHash, randomBytes } from "node:crypto";

const ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

/**
 * A short race id of lowercase letters and digits (safe in branch names and BullMQ job ids).
 * With a seed (a webhook delivery id) the id is deterministic, so a retried trigger reuses it.
 */
export function newRaceId(length = 6, seed?: string): string {
  const bytes = seed === undefined ? randomBytes(length) : createHash("sha256").update(seed).digest().subarray(0, length);
  let id = "";
  for (const byte of bytes) id += ALPHABET[byte % ALPHABET.length];
  // Never all digits: BullMQ reads an all-digit job id as a number.
  return /^\d+$/.test(id) ? `r${id.slice(1)}` : id;
}
