#!/usr/bin/env python3
"""Keep a fuzz corpus small: pick the files that cover the most edges per byte, up to a budget.

`cargo fuzz cmin` keeps every file that adds a feature (hit counts included), taking files in
size order; for targets whose inputs are whole APKs that is megabytes. This script asks the
built fuzz target for the edge coverage of each file (a libFuzzer merge with -use_counters=0
and a control file), then keeps a greedy weighted set cover: repeatedly the file with the
most not-yet-covered edges per byte, until every edge is covered or the byte budget is spent.

Usage: python3 fuzz/trim_corpus.py TARGET BUDGET_BYTES   (after `cargo fuzz build TARGET`)
Deletes the files of fuzz/corpus/TARGET/ that are not kept; prints what was lost, if any.
"""
import heapq
import os
import pathlib
import subprocess
import sys
import tempfile

FUZZ = pathlib.Path(__file__).resolve().parent


def coverage(binary, corpus):
    with tempfile.TemporaryDirectory() as tmp:
        control = os.path.join(tmp, "control")
        out = os.path.join(tmp, "out")
        os.mkdir(out)
        subprocess.run(
            [binary, "-merge=1", "-use_counters=0", f"-merge_control_file={control}",
             "-rss_limit_mb=2048", out, str(corpus)],
            check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        lines = pathlib.Path(control).read_text().splitlines()
    count = int(lines[0])
    files = lines[2 : 2 + count]
    features = {}
    for line in lines[2 + count :]:
        parts = line.split()
        if parts and parts[0] == "FT":
            features[files[int(parts[1])]] = set(map(int, parts[2:]))
    return features


def main():
    target, budget = sys.argv[1], int(sys.argv[2])
    corpus = FUZZ / "corpus" / target
    binary = FUZZ / "target" / "x86_64-unknown-linux-gnu" / "release" / target
    features = coverage(binary, corpus)
    universe = set().union(*features.values()) if features else set()
    size = {f: max(1, os.path.getsize(f)) for f in features}
    covered, kept, spent = set(), [], 0
    heap = [(-len(ft) / size[f], f) for f, ft in features.items() if ft]
    heapq.heapify(heap)
    while heap:
        score, f = heapq.heappop(heap)
        fresh = len(features[f] - covered)
        if fresh == 0:
            continue
        if -score > fresh / size[f] + 1e-12:  # stale score: re-queue with the current one
            heapq.heappush(heap, (-fresh / size[f], f))
            continue
        if spent + size[f] > budget:
            continue
        kept.append(f)
        spent += size[f]
        covered |= features[f]
    keep = set(kept)
    all_files = [p for p in corpus.iterdir() if p.is_file()]
    for p in all_files:
        if str(p) not in keep:
            p.unlink()
    print(f"{target}: kept {len(kept)} of {len(all_files)} files, {spent} bytes, "
          f"{len(covered)} of {len(universe)} edge features")


if __name__ == "__main__":
    main()
