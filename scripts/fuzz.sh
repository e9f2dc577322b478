#!/usr/bin/env bash
# Runs every parser's fuzz target for a while (default 60 s each) with cargo-fuzz on nightly,
# seeded with the real fixtures. A crash is saved under fuzz/artifacts/<target>/; copy it into
# fuzz/regressions/<target>/ so that `cargo test` replays it forever.
#   scripts/fuzz.sh [SECONDS] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/.."
secs="${1:-60}"; shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    mapfile -t targets < <(sed -n 's/^name = "\(.*\)"/\1/p' fuzz/Cargo.toml | grep -v yapdns-fuzz)
fi
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
for t in "${targets[@]}"; do
    seeds="fuzz/corpus/$t"
    mkdir -p "$seeds"
    # A target that checks one reader against another (`bind_zone_readers`) takes its
    # format's fixtures.
    fixtures="yapdns-parsers/tests/fixtures/${t//_/-}"
    fixtures="${fixtures%-readers}"
    if [ -d "$fixtures" ]; then
        find "$fixtures" -type f ! -name '*.snap' ! -name '*.md' -exec cp -n {} "$seeds/" \;
    fi
    echo "==> fuzz $t for ${secs}s"
    cargo +nightly fuzz run -O "$t" "$seeds" -- -max_total_time="$secs" -max_len=65536 -rss_limit_mb=2048 2>&1 \
        | grep -E '^(#[0-9]+.*DONE|==[0-9]+==|SUMMARY|Done|artifact_prefix|Test unit written)' || true
done
