import type { IncomingMessage, ServerResponse } from "node:http";
import type { EventStreams } from "./event-streams.js";
import { newNonce, sendHtml, sendText } from "./http-reply.js";
import { renderPage } from "../views/render-layout.js";
import { renderRaceList, renderRaceRows } from "../views/render-race-list.js";
import { raceFragments, renderRaceBody } from "../views/render-race-page.js";
import type { RaceSource } from "./race-source.js";
import { repoFullName, type RaceSnapshot } from "../views/race-summary.js";
import { canSee, queueAccess, type Viewer } from "../auth/viewer.js";

/** The dashboard's pages and their live event streams, for an already authenticated viewer. */
export class DashboardPages {
  constructor(
    private readonly source: RaceSource,
    private readonly streams: EventStreams,
  ) {}

  private async visibleRaces(viewer: Viewer): Promise<RaceSnapshot[]> {
    return (await this.source.recent()).filter((s) => canSee(viewer, repoFullName(s.meta)));
  }

  private async visibleRace(viewer: Viewer, id: string): Promise<RaceSnapshot | null> {
    const snapshot = await this.source.race(id);
    return snapshot && canSee(viewer, repoFullName(snapshot.meta)) ? snapshot : null;
  }

  async list(res: ServerResponse, viewer: Viewer): Promise<void> {
    const nonce = newNonce();
    const body = renderRaceList(await this.visibleRaces(viewer));
    sendHtml(res, 200, renderPage({ title: "Races", body, nonce, eventsUrl: "/agent-race/events", viewer, showQueues: queueAccess(viewer) !== "none" }), nonce);
  }

  listEvents(req: IncomingMessage, res: ServerResponse, viewer: Viewer): void {
    const since = Date.now();
    this.streams.serve(req, res, async () => ({ "race-rows": renderRaceRows(await this.visibleRaces(viewer), since).value }));
  }

  /** A race the viewer may not see is "not found", like one that does not exist. */
  async race(res: ServerResponse, viewer: Viewer, id: string): Promise<void> {
    const snapshot = await this.visibleRace(viewer, id);
    if (!snapshot) return sendText(res, 404, "No such race.");
    const nonce = newNonce();
    const title = `${repoFullName(snapshot.meta)}#${snapshot.meta.issueNumber}`;
    const body = renderRaceBody(snapshot);
    sendHtml(res, 200, renderPage({ title, body, nonce, eventsUrl: `/agent-race/races/${id}/events`, viewer, showQueues: queueAccess(viewer) !== "none" }), nonce);
  }

  async raceEvents(req: IncomingMessage, res: ServerResponse, viewer: Viewer, id: string): Promise<void> {
    if (!(await this.visibleRace(viewer, id))) return sendText(res, 404, "No such race.");
    const since = Date.now();
    this.streams.serve(req, res, async () => {
      const snapshot = await this.visibleRace(viewer, id);
      return snapshot ? raceFragments(snapshot, since) : null;
    });
  }
}
