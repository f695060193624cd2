// Demo agent "wanderer": fixes median() correctly, but also edits files outside the scope.
import { appendFileSync } from "node:fs";
import { replaceInFile, think } from "./edit-file.js";

await think(3.5, ["exploring the repository", "fixing median()", "tidying the README while I'm here"]);
replaceInFile(
  "src/stats.js",
  "  return sorted[Math.floor(sorted.length / 2)];",
  "  const n = sorted.length;\n  return n % 2 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;",
);
appendFileSync("README.md", "\nmedian() now handles even-length input.\n");
process.stdout.write("done\n");
