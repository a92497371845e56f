#!/usr/bin/env python3
"""Per-rule precision of hegui's Android findings on the labelled corpus.

Scans every APK named in docs/precision/android-corpus-labels.json with a hegui binary,
matches each finding above info level to its label by (file, rule, fingerprint) and prints,
per rule, how many findings were true. Findings without a label are listed and make the exit
status 1 (label them: the criteria are in docs/precision/android-corpus.md). Info-level
findings are statements of fact, not violations, and are counted apart.

    python3 scripts/android-precision.py [--hegui target/release/hegui] [--corpus ../shared/corpus/apk]
"""

import argparse
import collections
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
LABELS = os.path.join(HERE, "..", "docs", "precision", "android-corpus-labels.json")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--hegui", default=os.path.join(HERE, "..", "target", "release", "hegui"))
    ap.add_argument("--corpus", default=os.path.join(HERE, "..", "..", "shared", "corpus", "apk"))
    args = ap.parse_args()

    with open(LABELS, encoding="utf-8") as f:
        labels = json.load(f)["labels"]
    by_key = {(l["file"], l["code"], l["fingerprint"]): l for l in labels}
    files = sorted({l["file"] for l in labels} | set(
        n for n in os.listdir(args.corpus) if n.endswith(".apk")))

    true_n = collections.Counter()
    all_n = collections.Counter()
    info_n = collections.Counter()
    unlabelled = []
    for name in files:
        path = os.path.join(args.corpus, name)
        out = subprocess.run([args.hegui, "scan", path], capture_output=True, check=False)
        report = json.loads(out.stdout)
        for finding in report.get("findings", []):
            code = finding["code"]
            if finding["severity"] == "info":
                info_n[code] += 1
                continue
            label = by_key.get((name, code, finding["fingerprint"]))
            if label is None:
                unlabelled.append((name, code, finding["fingerprint"], finding["message"]["en"][:120]))
                continue
            all_n[code] += 1
            true_n[code] += bool(label["true"])

    print(f"{'rule':8} {'findings':>8} {'true':>5} {'precision':>9} {'info (apart)':>13}")
    for code in sorted(set(all_n) | set(info_n)):
        n, t = all_n[code], true_n[code]
        precision = f"{t / n:.2f}" if n else "-"
        print(f"{code:8} {n:8} {t:5} {precision:>9} {info_n[code]:13}")
    total, good = sum(all_n.values()), sum(true_n.values())
    print(f"{'all':8} {total:8} {good:5} {good / total if total else 0:9.2f} {sum(info_n.values()):13}")
    for u in unlabelled:
        print("unlabelled:", *u, file=sys.stderr)
    return 1 if unlabelled else 0


if __name__ == "__main__":
    sys.exit(main())
