// Demo agent "hasty": fixes median() but "simplifies" mean() and breaks it.
import { replaceInFile, think } from "./edit-file.js";

await think(1.5, ["skimming src/stats.js", "rewriting both functions"]);
replaceInFile(
  "src/stats.js",
  "  return sorted[Math.floor(sorted.length / 2)];",
  "  const mid = Math.floor(sorted.length / 2);\n  return sorted.length % 2 === 0 ? (sorted[mid - 1] + sorted[mid]) / 2 : sorted[mid];",
);
replaceInFile("src/stats.js", "return values.reduce((sum, x) => sum + x, 0) / values.length;", "return values.reduce((sum, x) => sum + x, 0) / (values.length + 1);");
process.stdout.write("done\n");
