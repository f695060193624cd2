// msgpackr catches this and falls back to its pure-JavaScript string decoding.
throw new Error("msgpackr-extract is disabled in agent-race (optional native acceleration)");
