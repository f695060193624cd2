/**
 * The JSON value a line of agent output holds (an object, or with `arrays` an array too), or
 * undefined when it holds none: CLIs mix their JSON events with plain log lines.
 */
export function tryJson(text: string, options: { arrays?: boolean } = {}): unknown {
  if (!text.startsWith("{") && !(options.arrays && text.startsWith("["))) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
