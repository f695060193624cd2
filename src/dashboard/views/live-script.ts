/**
 * The page's only script (inline, with a CSP nonce): it applies the fragments the server pushes
 * over server-sent events (`{ elementId: html }`, already escaped server-side) and ticks the
 * elapsed times of running items (`data-since`). No reload, no external code.
 */
export const LIVE_SCRIPT = `(() => {
  const body = document.body;
  const live = document.getElementById("live");
  const fmt = (ms) => {
    const s = Math.max(0, Math.round(ms / 1000));
    if (s < 60) return s + "s";
    const m = Math.floor(s / 60);
    if (m < 60) return m + "m " + String(s % 60).padStart(2, "0") + "s";
    return Math.floor(m / 60) + "h " + String(m % 60).padStart(2, "0") + "m";
  };
  const tick = () => {
    for (const el of document.querySelectorAll("[data-since]")) el.textContent = fmt(Date.now() - Number(el.dataset.since));
  };
  setInterval(tick, 1000);
  tick();
  const url = body.dataset.events;
  if (!url || !window.EventSource) return;
  const source = new EventSource(url);
  source.onopen = () => { if (live) { live.textContent = "live"; live.className = "live on"; } };
  source.onerror = () => { if (live) { live.textContent = "reconnecting…"; live.className = "live off"; } };
  source.addEventListener("update", (event) => {
    const parts = JSON.parse(event.data);
    for (const id of Object.keys(parts)) {
      const el = document.getElementById(id);
      if (el) el.innerHTML = parts[id];
    }
    body.dataset.updates = String(Number(body.dataset.updates || "0") + 1);
    tick();
  });
})();`;
