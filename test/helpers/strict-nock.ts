import nock from "nock";
import { afterAll, beforeAll } from "vitest";

/**
 * nock for a test file: no network but loopback (Redis, local servers), and a record of every
 * request no mock matched. `settle()` (in afterEach) returns the pending mocks and unmatched
 * requests since the last call and clears the mocks, so the test can assert both are empty after
 * its own clean-up.
 */
export function useStrictNock(): { settle(): { pending: string[]; requests: string[] } } {
  const unmatched: string[] = [];
  const onNoMatch = (req: { method?: string; href?: string; path?: string }) => unmatched.push(`${req.method} ${req.href ?? req.path}`);
  beforeAll(() => {
    nock.disableNetConnect();
    nock.enableNetConnect(/127\.0\.0\.1|localhost/);
    nock.emitter.on("no match", onNoMatch);
  });
  afterAll(() => {
    nock.emitter.removeListener("no match", onNoMatch);
    nock.enableNetConnect();
  });
  return {
    settle: () => {
      const pending = nock.pendingMocks();
      const requests = unmatched.splice(0);
      nock.cleanAll();
      return { pending, requests };
    },
  };
}
