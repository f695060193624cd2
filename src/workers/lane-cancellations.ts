/** The abort controllers of the lanes this process runs, by race, so `/cancel` and SIGTERM reach them. */
export class LaneCancellations {
  private readonly byRace = new Map<string, Set<AbortController>>();
  shuttingDown = false;

  register(raceId: string): AbortController {
    const controller = new AbortController();
    const set = this.byRace.get(raceId) ?? new Set();
    set.add(controller);
    this.byRace.set(raceId, set);
    return controller;
  }

  release(raceId: string, controller: AbortController): void {
    const set = this.byRace.get(raceId);
    set?.delete(controller);
    if (set?.size === 0) this.byRace.delete(raceId);
  }

  cancelRace(raceId: string): void {
    for (const controller of this.byRace.get(raceId) ?? []) controller.abort();
  }

  cancelAll(): void {
    this.shuttingDown = true;
    for (const set of this.byRace.values()) for (const controller of set) controller.abort();
  }
}
