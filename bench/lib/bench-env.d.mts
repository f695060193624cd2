// Types of bench-env.mjs for the TypeScript benchmarks (bench/app/*.bench.ts).
export declare const ROOT: string;
export declare const benchEnv: { quick: boolean; runs: number; cacheDir: string; tmpDir: string; out: string };
export declare function log(line: string): void;
export declare function writeRaw(raw: object): void;
