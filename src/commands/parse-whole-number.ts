/** Parses a plain decimal integer from 1 to `max`; anything else (signs, decimals, huge values) is null. */
export function parseWholeNumber(token: string, max: number): number | null {
  if (!/^\d{1,6}$/.test(token)) return null;
  const value = Number(token);
  return value >= 1 && value <= max ? value : null;
}
