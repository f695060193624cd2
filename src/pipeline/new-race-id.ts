import { randomBytes } from "node:crypto";

const ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

/** A short race id of lowercase letters and digits (safe in branch names and BullMQ job ids). */
export function newRaceId(length = 6): string {
  const bytes = randomBytes(length);
  let id = "";
  for (const byte of bytes) id += ALPHABET[byte % ALPHABET.length];
  // Never all digits: BullMQ reads an all-digit job id as a number.
  return /^\d+$/.test(id) ? `r${id.slice(1)}` : id;
}
