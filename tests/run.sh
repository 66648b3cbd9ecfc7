#!/usr/bin/env bash
# The one test command (README "Quick start"): builds the solution, starts a throwaway PostgreSQL when its
# binaries are installed, runs every test project and ends with one line "N passed, N failed, N skipped".
# PostgreSQL tests are skipped with their reason when no server can be started, unless CPF_REQUIRE_POSTGRES=1
# (CI), which turns that into failures. SQL Server tests run when CPF_TEST_SQLSERVER holds a connection string.
# The browser tests need Debian's Chromium at /usr/bin/chromium: installed here when missing and this runs as root
# (or with password-less sudo); otherwise they are skipped with the reason, unless CPF_REQUIRE_BROWSER=1 (CI).
set -uo pipefail
cd "$(dirname "$0")/.."
root_dir=$(pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/cpf-tests.XXXXXX")
pg_ctl_bin=""
pg_data=""

cleanup() {
  if [ -n "$pg_ctl_bin" ] && [ -n "$pg_data" ] && [ -f "$pg_data/postmaster.pid" ]; then
    as_pg "$pg_ctl_bin" -D "$pg_data" -m immediate stop >/dev/null 2>&1 || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

# initdb refuses to run as root, so a root shell runs the server as the postgres user.
as_pg() {
  if [ "$(id -u)" = "0" ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()' 2>/dev/null \
    || echo $((20000 + RANDOM % 20000))
}

start_postgres() {
  local bin
  bin=$(command -v pg_ctl 2>/dev/null || ls -d /usr/lib/postgresql/*/bin/pg_ctl 2>/dev/null | sort -V | tail -n 1)
  if [ -z "$bin" ]; then
    echo "tests/run.sh: no PostgreSQL binaries found; PostgreSQL tests will be skipped (apt-get install -y postgresql)."
    return 1
  fi
  if [ "$(id -u)" = "0" ] && ! id postgres >/dev/null 2>&1; then
    echo "tests/run.sh: running as root but there is no postgres user to run the server; PostgreSQL tests will be skipped."
    return 1
  fi
  local bindir port
  bindir=$(dirname "$bin")
  port=$(free_port)
  mkdir -p "$work/pg"
  if [ "$(id -u)" = "0" ]; then
    chmod 755 "$work"  # mktemp makes it 700; the postgres user must reach its folder inside
    chown postgres "$work/pg"
  fi
  pg_data="$work/pg/data"
  pg_ctl_bin="$bin"
  if ! as_pg "$bindir/initdb" -D "$pg_data" --auth=trust -U postgres -E UTF8 --no-locale >"$work/pg-initdb.log" 2>&1; then
    echo "tests/run.sh: initdb failed:"; cat "$work/pg-initdb.log"; pg_data=""; return 1
  fi
  # fsync=off only makes the throwaway server faster; synchronous_commit keeps its default (on).
  if ! as_pg "$bin" -D "$pg_data" -l "$work/pg/server.log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $work/pg -c fsync=off -c max_connections=300" start >/dev/null; then
    echo "tests/run.sh: PostgreSQL did not start:"; cat "$work/pg/server.log"; return 1
  fi
  export CPF_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres;Timeout=30;Command Timeout=120"
  echo "tests/run.sh: throwaway PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') on 127.0.0.1:$port"
}

# Chromium for the Playwright tests (their bundled driver needs no browser download), with CJK fonts so that the
# screenshots the tests save show Chinese text.
install_chromium() {
  [ -x /usr/bin/chromium ] && return 0
  local sudo=""
  if [ "$(id -u)" != "0" ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo="sudo -n"; else
      echo "tests/run.sh: /usr/bin/chromium is missing and this shell may not install it (apt-get install -y chromium); browser tests will be skipped."
      return 1
    fi
  fi
  echo "tests/run.sh: installing Chromium for the browser tests"
  if ! ($sudo apt-get update -qq && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk) >"$work/chromium-install.log" 2>&1; then
    echo "tests/run.sh: could not install Chromium:"; tail -n 20 "$work/chromium-install.log"; return 1
  fi
}

# The official documents embed a CJK font (fonts-noto-cjk) in their PDFs, and the rendering tests rasterise them
# with pdftoppm (poppler-utils): installed here when missing, like Chromium.
install_document_tools() {
  [ -f /usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc ] && command -v pdftoppm >/dev/null 2>&1 && return 0
  local sudo=""
  if [ "$(id -u)" != "0" ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo="sudo -n"; else
      echo "tests/run.sh: fonts-noto-cjk or poppler-utils is missing and this shell may not install them (apt-get install -y fonts-noto-cjk poppler-utils)."
      return 1
    fi
  fi
  echo "tests/run.sh: installing fonts-noto-cjk and poppler-utils for the document tests"
  if ! ($sudo apt-get update -qq && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-cjk poppler-utils) >"$work/documents-install.log" 2>&1; then
    echo "tests/run.sh: could not install the document tools:"; tail -n 20 "$work/documents-install.log"; return 1
  fi
}

if [ -z "${CPF_TEST_POSTGRES:-}" ]; then
  start_postgres || true
fi
install_chromium || true
install_document_tools || true

echo "tests/run.sh: building"
if ! dotnet build "$root_dir/CleanProdFlow.sln" -c Debug -nologo -v quiet >"$work/build.log" 2>&1; then
  cat "$work/build.log"
  echo "0 passed, 1 failed, 0 skipped"
  exit 1
fi

dotnet test "$root_dir/CleanProdFlow.sln" --no-build -c Debug --nologo --blame-hang-timeout 10m 2>&1 | tee "$work/test.log"
status=${PIPESTATUS[0]}

# dotnet test prints one summary line per test project: "Passed!  - Failed: 0, Passed: 24, Skipped: 14, Total: 38, ...".
read -r passed failed skipped < <(grep -E '^(Passed|Failed)!' "$work/test.log" | awk '
  { for (i = 1; i <= NF; i++) {
      if ($i == "Failed:")  f += $(i+1) + 0
      if ($i == "Passed:")  p += $(i+1) + 0
      if ($i == "Skipped:") s += $(i+1) + 0 } }
  END { printf "%d %d %d\n", p, f, s }')

if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  failed=1  # the runner itself failed (crash, hang, build break) without counting a test as failed
fi
if [ "$passed" -eq 0 ] && [ "$failed" -eq 0 ]; then
  echo "tests/run.sh: no test ran"
  failed=1
fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
