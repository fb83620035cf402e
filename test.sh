#!/usr/bin/env bash
# ./test.sh — installs what the tests need, then runs every test:
#   1. the host solution build (net10.0, warnings are errors),
#   2. the host tests (xunit),
#   3. the nanoFramework surface check (every .nfproj of Gateway.nfproj.sln against the real 1.x API),
#   4. the JavaScript decoder tests (node), when present.
# Ends with one summary line: "summary: N passed, N failed".
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$root"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

passed=0
failed=0
log_dir="$root/.build/test-logs"
mkdir -p "$log_dir"

step() { printf '\n==> %s\n' "$*"; }
fail_hard() { echo "test.sh: $*" >&2; echo "summary: $passed passed, $((failed + 1)) failed"; exit 1; }

step "setup"
./scripts/setup.sh || fail_hard "setup failed (see above)"

step "build the host solution (warnings as errors)"
if ! dotnet build Gateway.Host.slnx -c Release --nologo -v q -clp:Summary 2>&1 | tee "$log_dir/build.log" | grep -E "error|warn|Build succeeded" ; then
  :
fi
grep -qE "^\s*0 Error\(s\)" "$log_dir/build.log" || fail_hard "host build failed"
grep -qE "^\s*0 Warning\(s\)" "$log_dir/build.log" || fail_hard "host build has warnings"

step "host tests (xunit)"
dotnet test Gateway.Host.slnx -c Release --no-build --nologo 2>&1 | tee "$log_dir/host-tests.log"
while read -r f p; do
  failed=$((failed + f)); passed=$((passed + p))
done < <(grep -oE "Failed: +[0-9]+, Passed: +[0-9]+" "$log_dir/host-tests.log" | sed -E 's/Failed: +([0-9]+), Passed: +([0-9]+)/\1 \2/')
grep -qE "(Passed|Failed)!" "$log_dir/host-tests.log" || { echo "no test results were reported"; failed=$((failed + 1)); }

step "nanoFramework surface check"
if dotnet tools/SurfaceCheck/bin/Release/net10.0/Gateway.SurfaceCheck.dll --solution Gateway.nfproj.sln 2>&1 | tee "$log_dir/surface.log"; then
  passed=$((passed + 1))
else
  echo "surface check FAILED: firmware code uses what nanoFramework 1.x does not have (errors above name file and line)"
  failed=$((failed + 1))
fi

step "hardware in the loop against a virtual gateway (./gateway hil --sim --scenario flood)"
# The CLI builds itself on first use (outside the time limit below, which is for the run alone).
./gateway --help >/dev/null 2>"$log_dir/cli-first-use.log" || { cat "$log_dir/cli-first-use.log"; fail_hard "the ./gateway CLI did not build"; }
if timeout 120 ./gateway hil --sim --scenario flood 2>&1 | tee "$log_dir/hil.log" | grep -vE "^  cycle " ; then :; fi
if grep -qE "^hil flood: .*failures=0 => PASSED" "$log_dir/hil.log"; then
  passed=$((passed + 1))
else
  echo "hil FAILED (full log: $log_dir/hil.log)"
  failed=$((failed + 1))
fi

if [ -d tools/decoder-js ] && [ -f tools/decoder-js/package.json ]; then
  step "JavaScript decoder tests (node)"
  if (cd tools/decoder-js && node --test 2>&1 | tee "$log_dir/js.log"); then :; fi
  jp=$(grep -oE "^# pass [0-9]+" "$log_dir/js.log" | grep -oE "[0-9]+" || echo 0)
  jf=$(grep -oE "^# fail [0-9]+" "$log_dir/js.log" | grep -oE "[0-9]+" || echo 1)
  passed=$((passed + jp)); failed=$((failed + jf))
fi

if [ -d tools/verifier-js ] && [ -f tools/verifier-js/package.json ]; then
  step "JavaScript log verifier tests (node)"
  if (cd tools/verifier-js && node --test 2>&1 | tee "$log_dir/verifier-js.log"); then :; fi
  vp=$(grep -oE "^# pass [0-9]+" "$log_dir/verifier-js.log" | grep -oE "[0-9]+" || echo 0)
  vf=$(grep -oE "^# fail [0-9]+" "$log_dir/verifier-js.log" | grep -oE "[0-9]+" || echo 1)
  passed=$((passed + vp)); failed=$((failed + vf))
fi

echo
echo "summary: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
