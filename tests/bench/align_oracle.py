#!/usr/bin/env python3
"""align_oracle.py -- the best any monotone aligner with tmkit's bead types can
score on the Bleualign gold set: a DP over beads (1-1, 1-0, 0-1, 2-1, 1-2,
2-2, 3-1, 1-3, 3-2, 2-3, 4-1, 1-4) that takes gold beads where it can (+1)
and pays for any other bead (-0.5).  Writes its alignments into OUTDIR and
scores them with score.py, so the figure says how far tmkit is from the
ceiling (gold beads that are not contiguous, from OCR column breaks, are out
of reach of every monotone aligner).

usage: align_oracle.py SHARED_DIR [OUTDIR]     (Python 3 standard library)
"""
import ast
import os
import subprocess
import sys
import tempfile

BEADS = [(1, 1), (1, 0), (0, 1), (2, 1), (1, 2), (2, 2), (3, 1), (1, 3), (3, 2), (2, 3),
         (4, 1), (1, 4)]


def load(path):
    out = set()
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line:
                a, b = line.split(":")[:2]
                out.add((tuple(ast.literal_eval(a)), tuple(ast.literal_eval(b))))
    return out


def count(path):
    with open(path, encoding="utf-8") as f:
        return len(f.read().rstrip("\n").split("\n"))


def oracle(gold, n, m):
    neg = float("-inf")
    best = [[neg] * (m + 1) for _ in range(n + 1)]
    back = [[None] * (m + 1) for _ in range(n + 1)]
    best[0][0] = 0.0
    for i in range(n + 1):
        for j in range(m + 1):
            if best[i][j] == neg:
                continue
            for a, b in BEADS:
                if i + a > n or j + b > m:
                    continue
                bead = (tuple(range(i, i + a)), tuple(range(j, j + b)))
                s = best[i][j] + (1.0 if bead in gold else -0.5)
                if s > best[i + a][j + b]:
                    best[i + a][j + b] = s
                    back[i + a][j + b] = (a, b)
    out, i, j = [], n, m
    while i or j:
        a, b = back[i][j]
        out.append((list(range(i - a, i)), list(range(j - b, j))))
        i, j = i - a, j - b
    return out[::-1]


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    base = os.path.join(sys.argv[1], "bench", "alignment")
    data = os.path.join(base, "vecalign_bleualign_data")
    outdir = sys.argv[2] if len(sys.argv) > 2 else tempfile.mkdtemp(prefix="tmkit-oracle-")
    os.makedirs(outdir, exist_ok=True)
    for group in (["dev"], ["test%d" % k for k in range(7)]):
        golds, tests, noncontig = [], [], 0
        for d in group:
            g = load(os.path.join(data, d + ".defr"))
            noncontig += sum(1 for s, t in g if (s and list(s) != list(range(s[0], s[-1] + 1)))
                             or (t and list(t) != list(range(t[0], t[-1] + 1))))
            beads = oracle(g, count(os.path.join(data, d + ".de")),
                           count(os.path.join(data, d + ".fr")))
            path = os.path.join(outdir, d + ".align")
            with open(path, "w") as f:
                for a, b in beads:
                    f.write("%s:%s\n" % (a, b))
            golds.append(os.path.join(data, d + ".defr"))
            tests.append(path)
        r = subprocess.run(["python3", os.path.join(base, "score.py"), "-q", "-g"] + golds +
                           ["-t"] + tests, capture_output=True, text=True, check=True)
        print("%-6s ceiling %s (gold beads that are not contiguous: %d)"
              % (group[0] if len(group) == 1 else "test", r.stdout.strip(), noncontig))


if __name__ == "__main__":
    main()
