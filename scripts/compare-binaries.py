#!/usr/bin/env python3
"""Time two hegui binaries on the same packages, interleaved, in one run.

    scripts/compare-binaries.py OLD_HEGUI NEW_HEGUI PATH... [--runs N]

Prints per package the median wall time of `hegui scan --quiet --output /dev/null` for each
binary and the ratio new/old. Used to measure what a change adds to scan time (ratios from one
run; these machines are noisy).
"""
import statistics
import subprocess
import sys
import time
from pathlib import Path


def scan(exe, apk):
    start = time.perf_counter()
    subprocess.run([exe, "scan", "--quiet", "--output", "/dev/null", str(apk)],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def main():
    args = sys.argv[1:]
    runs = 9
    if "--runs" in args:
        i = args.index("--runs")
        runs = int(args[i + 1])
        del args[i:i + 2]
    old, new, *paths = args
    apks = []
    for p in map(Path, paths):
        apks.extend(sorted(p.rglob("*.apk")) if p.is_dir() else [p])
    ratios = []
    print(f"{'package':<44} {'old ms':>8} {'new ms':>8} {'new/old':>8}")
    for apk in apks:
        o, n = [], []
        for _ in range(runs):
            o.append(scan(old, apk))
            n.append(scan(new, apk))
        mo, mn = statistics.median(o), statistics.median(n)
        ratios.append(mn / mo)
        print(f"{apk.name:<44} {mo*1e3:>8.1f} {mn*1e3:>8.1f} {mn/mo:>7.2f}x")
    print(f"\nmedian new/old: {statistics.median(ratios):.2f}x over {len(apks)} package(s), {runs} runs each")


if __name__ == "__main__":
    main()
