// Types of stats.mjs for the TypeScript benchmarks (bench/app/*.bench.ts).
export declare function median(values: readonly number[]): number;
export declare function round(n: number, digits?: number): number;
