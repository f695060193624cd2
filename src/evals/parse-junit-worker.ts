import { parentPort, workerData } from "node:worker_threads";
import { parseJunit } from "./parse-junit.js";

/**
 * The worker thread behind `parseJunitOffThread`: parses one report (its UTF-8 bytes in
 * `workerData.xml`) and posts `{ ok: true, counts }` or `{ ok: false, message }`.
 */
const { xml } = workerData as { xml: Uint8Array };
try {
  parentPort?.postMessage({ ok: true, counts: parseJunit(Buffer.from(xml.buffer, xml.byteOffset, xml.byteLength).toString("utf8")) });
} catch (error) {
  parentPort?.postMessage({ ok: false, message: error instanceof Error ? error.message : String(error) });
}
