// Demo agent "careful": fixes median() for even-length arrays, touching only src/.
import { replaceInFile, think } from "./edit-file.js";

await think(2.5, ["reading src/stats.js", "median() picks one middle element; even lengths need the mean of two", "writing the fix"]);
replaceInFile(
  "src/stats.js",
  "  return sorted[Math.floor(sorted.length / 2)];",
  "  const mid = Math.floor(sorted.length / 2);\n  return sorted.length % 2 === 0 ? (sorted[mid - 1] + sorted[mid]) / 2 : sorted[mid];",
);
process.stdout.write("done\n");
