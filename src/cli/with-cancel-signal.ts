/**
 * Runs `fn` with an AbortSignal that fires on the first SIGINT or SIGTERM, so a race can stop
 * its agents and remove its worktrees before the process exits.
 */
export async function withCancelSignal<T>(fn: (signal: AbortSignal) => Promise<T>, onCancel?: () => void): Promise<T> {
  const controller = new AbortController();
  const handler = (): void => {
    if (controller.signal.aborted) return;
    onCancel?.();
    controller.abort();
  };
  process.on("SIGINT", handler);
  process.on("SIGTERM", handler);
  try {
    return await fn(controller.signal);
  } finally {
    process.off("SIGINT", handler);
    process.off("SIGTERM", handler);
  }
}
