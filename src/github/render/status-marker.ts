/** The hidden first line that identifies a race's status comment on its issue. */
export function statusMarker(raceId: string): string {
  return `<!-- agent-race:status:${raceId} -->`;
}
