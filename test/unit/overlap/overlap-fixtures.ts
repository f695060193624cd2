import type { ClassifiedOverlap, OpenPr } from "../../../src/model/overlap.js";

export const sha = (c: string): string => c.repeat(40);

export function pr(number: number, files: string[], headRefName = `feature/${number}`): OpenPr {
  return { number, headRefName, headSha: sha(String(number % 10)), files };
}

export function classified(lane: number, number: number, kind: "clean" | "conflict", conflicts: string[] = []): ClassifiedOverlap {
  return { lane, laneHead: sha("a"), pr: { number, headRefName: `feature/${number}`, headSha: sha("b") }, files: ["src/a.ts"], kind, conflicts };
}
