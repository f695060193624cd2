# agent-race: one image, two process roles (docs/deploy.md).
#   docker run IMAGE serve [--no-worker]   webhook server (+ an in-process worker unless --no-worker)
#   docker run IMAGE worker                lane workers only
# Agent CLIs are optional:
#   docker build --build-arg INSTALL_AGENTS="@anthropic-ai/claude-code @openai/codex" -t agent-race .

# ---- build: dev dependencies + TypeScript -> dist/ ------------------------------------------
FROM node:20-slim AS build
WORKDIR /app
# `prepare` would run the build before src/ is here: install first, build explicitly below.
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

# ---- runtime: git, production dependencies, dist/ -------------------------------------------
FROM node:20-slim AS runtime

# git runs the mirrors, worktrees, commits and pushes; ca-certificates lets it speak HTTPS;
# bubblewrap is the lane sandbox every agent, setup line and eval runs in (docs/security.md).
# The container needs the settings in docs/deploy.md ("The lane sandbox") for bwrap to start.
# Unpinned on purpose: the versions follow the base image's Debian release.
# hadolint ignore=DL3008
RUN apt-get update \
 && apt-get install -y --no-install-recommends git ca-certificates bubblewrap \
 && rm -rf /var/lib/apt/lists/*

# Optional agent CLIs, installed globally as root (space-separated npm package specs; pin versions
# for reproducible images, e.g. "@anthropic-ai/claude-code@2.0.0"). Empty: no agent is installed.
ARG INSTALL_AGENTS=""
# hadolint ignore=DL3016,SC2086
RUN if [ -n "$INSTALL_AGENTS" ]; then \
      npm install -g --no-audit --no-fund $INSTALL_AGENTS && npm cache clean --force; \
    fi

ENV NODE_ENV=production \
    AGENT_RACE_CACHE_DIR=/data/cache \
    PORT=3000

WORKDIR /app
# Production dependencies only. --ignore-scripts: `prepare` (the build) needs dev dependencies;
# dist/ comes from the build stage instead.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY bin ./bin
COPY app.yml ./
COPY --from=build /app/dist ./dist

# Mirrors, lane worktrees and lane logs live on a volume. Created here, owned by `node`, so a
# fresh named volume starts out writable by the non-root user.
RUN mkdir -p /data/cache && chown -R node:node /data
VOLUME /data

# The image's own `node` user (uid 1000); the app files stay root-owned and read-only to it.
USER node

EXPOSE 3000

# /healthz answers only in the `serve` role; any other role (worker) has no HTTP server and counts
# as healthy (BullMQ's lock renewal and stalled-job detection watch workers).
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "const a = require('fs').readFileSync('/proc/1/cmdline', 'utf8').split('\\0'); if (!a.includes('serve')) process.exit(0); fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz', { signal: AbortSignal.timeout(4000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]

ENTRYPOINT ["node", "/app/bin/agent-race.js"]
CMD ["serve"]
