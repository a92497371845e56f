#!/usr/bin/env bash
# Run a fuzzing campaign: each target in turn for SECONDS_PER_TARGET (default 300), one job,
# one worker, 2 GiB RSS limit. Logs and a summary line per target go to $LOG_DIR (default
# /tmp/hegui-fuzz-logs). Usage: bash fuzz/campaign.sh [target...]   (default: every target)
set -u
cd "$(dirname "$0")"
export RUSTC_BOOTSTRAP=1
secs=${SECONDS_PER_TARGET:-300}
logs=${LOG_DIR:-/tmp/hegui-fuzz-logs}
mkdir -p "$logs"
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(zip axml arsc dex signing apk)
# Default cargo-fuzz build: release, with debug assertions and overflow checks (-O would
# turn those off).
cargo fuzz build ${FUZZ_BUILD_FLAGS:-} >/dev/null 2>&1
for t in "${targets[@]}"; do
  mkdir -p "corpus/$t"
  before=$(find "corpus/$t" -type f | wc -l)
  # With -jobs=1 libFuzzer runs the fuzzer in a child whose output goes to ./fuzz-0.log.
  rm -f fuzz-0.log
  cargo fuzz run ${FUZZ_BUILD_FLAGS:-} "$t" -- -max_total_time="$secs" -rss_limit_mb=2048 -jobs=1 -workers=1 \
    -print_final_stats=1 >"$logs/$t.driver.log" 2>&1
  rc=$?
  mv -f fuzz-0.log "$logs/$t.log" 2>/dev/null
  after=$(find "corpus/$t" -type f | wc -l)
  stat() { grep -oE "^stat::$1: *[0-9]+" "$logs/$t.log" | grep -oE '[0-9]+$' | tail -1; }
  crash=$(grep -oE 'Test unit written to [^ ]+' "$logs/$t.log" | awk '{print $5}' | tr '\n' ' ')
  echo "$t rc=$rc execs=$(stat number_of_executed_units) exec/s=$(stat average_exec_per_sec)" \
    "corpus_before=$before corpus_after=$after crash=${crash:-none}" | tee -a "$logs/summary.txt"
done
