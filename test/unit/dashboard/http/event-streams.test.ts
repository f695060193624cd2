import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { EventStreams } from "../../../../src/dashboard/http/event-streams.js";

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r));
});

describe("server-sent events", () => {
  it("pushes only the fragments that changed, and ends streams on close", async () => {
    const streams = new EventStreams(50);
    let version = 0;
    server = createServer((req, res) => streams.serve(req, res, async () => ({ a: `a${Math.min(version, 1)}`, b: `b${version}` })));
    await new Promise<void>((r) => server!.listen(0, "127.0.0.1", r));
    const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    expect(response.headers.get("content-type")).toContain("text/event-stream");
    const reader = response.body!.getReader();
    let text = "";
    const readUntil = async (count: number): Promise<string[]> => {
      while ((text.match(/event: update/g) ?? []).length < count) text += new TextDecoder().decode((await reader.read()).value);
      return [...text.matchAll(/data: (.*)\n/g)].map((m) => m[1] ?? "");
    };
    expect(await readUntil(1)).toEqual(['{"a":"a0","b":"b0"}']);
    version = 2;
    expect((await readUntil(2))[1]).toBe('{"a":"a1","b":"b2"}');
    version = 3;
    expect((await readUntil(3))[2]).toBe('{"b":"b3"}');
    expect(streams.size).toBe(1);
    streams.close();
    expect(streams.size).toBe(0);
    while (!(await reader.read()).done);
  });
});
