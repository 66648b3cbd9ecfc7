#!/usr/bin/env bash
# Coverage-guided fuzzing of one target with SharpFuzz + AFL++ (README "Fuzzing").
#   tests/CleanProdFlow.Fuzz/fuzz.sh [bpmn|csv|xlsx] [seconds]     (defaults: bpmn, 600)
# Needs: apt-get install -y afl++ ; dotnet tool install -g SharpFuzz.CommandLine --version 2.3.0
# Findings (crashes/, hangs/) go to $FUZZ_OUT (default /tmp/cpf-fuzz/<target>); turn each into a regression test.
set -euo pipefail
target="${1:-bpmn}"
seconds="${2:-600}"
here="$(cd "$(dirname "$0")" && pwd)"
out="${FUZZ_OUT:-/tmp/cpf-fuzz/$target}"
bin="$out/bin"
export PATH="$PATH:$HOME/.dotnet/tools"

rm -rf "$bin" && mkdir -p "$out"
dotnet publish "$here/CleanProdFlow.Fuzz.csproj" -c Release -o "$bin" -v q --nologo
# Instrument the assemblies under test (not the harness, not the framework).
sharpfuzz "$bin/CleanProdFlow.Engine.dll"
sharpfuzz "$bin/CleanProdFlow.Domain.dll"

seeds="$here/corpus/$target"
[ -d "$seeds" ] || seeds="$here/corpus/bpmn"
# -t: a run over 5 s is a hang; -m none: .NET reserves more virtual memory than AFL's default allows (the reader
# bounds its own memory: size limit before parsing); -V: stop after the given time.
AFL_SKIP_BIN_CHECK=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1 \
  afl-fuzz -i "$seeds" -o "$out/findings" -t 5000 -m none -V "$seconds" -- dotnet "$bin/CleanProdFlow.Fuzz.dll" "$target"

echo "crashes: $(find "$out/findings" -path '*crashes/id*' | wc -l)  hangs: $(find "$out/findings" -path '*hangs/id*' | wc -l)"
echo "reproduce one: dotnet $bin/CleanProdFlow.Fuzz.dll $target --once <file>"
