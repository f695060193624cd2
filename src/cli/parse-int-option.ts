import { UserError } from "../errors.js";

/** Commander option parser for whole numbers ≥ 1, with a usage error otherwise. */
export function parseIntOption(name: string): (value: string) => number {
  return (value: string): number => {
    if (!/^\d+$/.test(value) || Number(value) < 1) throw new UserError(`${name} must be a whole number of at least 1, got "${value}"`);
    return Number(value);
  };
}

export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
