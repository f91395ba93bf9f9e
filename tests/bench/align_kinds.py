#!/usr/bin/env python3
"""align_kinds.py -- where an alignment goes wrong, by bead kind.

usage: align_kinds.py [-v] -g GOLD... -t TEST... [-s SRC... -f TGT...]
Pools the files in order (GOLD[i] with TEST[i]); prints the gold beads by
kind (n-m), the gold beads the test missed and the test beads that are not
in the gold, by kind.  With -v and the texts (-s/-f), lists every wrong and
missed bead with the start of its sentences.  Bead lines are score.py's
"[0, 1]:[0]" (further ':' fields ignored).  Python 3 standard library only.
"""
import argparse
import ast
import collections


def load(path):
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line:
                a, b = line.split(":")[:2]
                out.append((tuple(ast.literal_eval(a)), tuple(ast.literal_eval(b))))
    return out


def lines(path):
    with open(path, encoding="utf-8") as f:
        return f.read().split("\n")


def kind(b):
    return "%d-%d" % (len(b[0]), len(b[1]))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("-g", nargs="+", required=True)
    ap.add_argument("-t", nargs="+", required=True)
    ap.add_argument("-s", nargs="*", default=[])
    ap.add_argument("-f", nargs="*", default=[])
    ap.add_argument("-v", action="store_true")
    o = ap.parse_args()
    if len(o.g) != len(o.t):
        ap.error("as many -g as -t files")
    gold, miss, wrong = collections.Counter(), collections.Counter(), collections.Counter()
    for n, (gp, tp) in enumerate(zip(o.g, o.t)):
        g, t = load(gp), load(tp)
        gs, ts = set(g), set(t)
        gold.update(kind(b) for b in g)
        miss.update(kind(b) for b in g if b not in ts)
        wrong.update(kind(b) for b in t if b not in gs)
        if o.v and n < len(o.s) and n < len(o.f):
            src, tgt = lines(o.s[n]), lines(o.f[n])
            show = lambda b: ([src[i][:50] for i in b[0]], [tgt[j][:50] for j in b[1]])
            for b in sorted((b for b in t if b not in gs), key=lambda b: (b[0] or b[1])[0]):
                print("TEST", tp, b, *show(b))
            for b in sorted((b for b in g if b not in ts), key=lambda b: (b[0] or b[1])[0]):
                print("GOLD", gp, b, *show(b))
    order = sorted(gold.keys() | wrong.keys(), key=lambda k: (-gold[k], k))
    print("%-5s %6s %7s %6s" % ("kind", "gold", "missed", "wrong"))
    for k in order:
        print("%-5s %6d %7d %6d" % (k, gold[k], miss[k], wrong[k]))


if __name__ == "__main__":
    main()
