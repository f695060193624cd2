// @ts-check
// The statistics every benchmark uses, plain scripts and vitest files alike (types: stats.d.mts).

/** @param {readonly number[]} values */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? /** @type {number} */ (sorted[mid]) : (/** @type {number} */ (sorted[mid - 1]) + /** @type {number} */ (sorted[mid])) / 2;
}

/** @param {number} n */
export const round = (n, digits = 3) => (Number.isFinite(n) ? Number(n.toFixed(digits)) : n);
