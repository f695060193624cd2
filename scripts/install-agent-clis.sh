#!/usr/bin/env bash
# Installs the pinned agent CLIs of test/agent-clis.json, each into its own npm prefix under the cache
# dir ($AGENT_RACE_CLI_DIR, default ~/.cache/agent-race/agent-clis): <dir>/<name>-<version>/bin/<bin>.
# Outside the repo, and not devDependencies: Claude Code and Codex alone are hundreds of MB.
# An install that is already there is kept. Exit status: 0 when every CLI is installed.
set -uo pipefail
cd "$(dirname "$0")/.."
dir="${AGENT_RACE_CLI_DIR:-$HOME/.cache/agent-race/agent-clis}"
mkdir -p "$dir"
status=0
while IFS=$'\t' read -r name package version bin; do
  prefix="$dir/$name-$version"
  if [ -x "$prefix/bin/$bin" ]; then
    echo "[agent-clis] $name $version: already installed"
    continue
  fi
  echo "[agent-clis] installing $package@$version"
  rm -rf "$prefix.partial"
  if npm install --global --prefix "$prefix.partial" --no-audit --no-fund --loglevel=error "$package@$version" >"$dir/$name.log" 2>&1 \
    && [ -x "$prefix.partial/bin/$bin" ]; then
    rm -rf "$prefix" && mv "$prefix.partial" "$prefix"
  else
    echo "[agent-clis] $package@$version failed; see $dir/$name.log"; tail -n 5 "$dir/$name.log"
    status=1
  fi
done < <(node -e '
  const clis = JSON.parse(require("fs").readFileSync("test/agent-clis.json", "utf8"));
  for (const [name, c] of Object.entries(clis)) if (!name.startsWith("$")) console.log([name, c.package, c.version, c.bin].join("\t"));
')
exit "$status"
