#!/usr/bin/env python3
"""Compare the first suggestion of `tmkit spell` with that of `hunspell -a`.

usage: spell_sugg_compare.py HUNSPELL_A_OUTPUT TMKIT_TEXT_REPORT

For every distinct word both flag, counts how often tmkit's first suggestion
is hunspell's first suggestion (both without suggestions counts as the
same), and how often one of them has none.  Run by bench_spell.sh.
"""
import sys


def hunspell_first(path):
    first = {}
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("& "):
                head, _, sugg = line.partition(": ")
                word = head.split(" ")[1]
                first.setdefault(word, sugg.split(", ")[0] if sugg else "")
            elif line.startswith("# "):
                first.setdefault(line.split(" ")[1], "")
    return first


def tmkit_first(path):
    first = {}
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            line = line.rstrip("\n")
            # FILE:LINE:COL: WORD[: s1, s2, ...]
            parts = line.split(": ", 2)
            if len(parts) < 2:
                continue
            word = parts[1]
            sugg = parts[2].split(", ")[0] if len(parts) > 2 else ""
            first.setdefault(word, sugg)
    return first


def main():
    h, t = hunspell_first(sys.argv[1]), tmkit_first(sys.argv[2])
    both = sorted(set(h) & set(t))
    same = sum(1 for w in both if h[w] == t[w])
    same_some = sum(1 for w in both if h[w] and h[w] == t[w])
    t_none = sum(1 for w in both if h[w] and not t[w])
    h_none = sum(1 for w in both if t[w] and not h[w])
    t_has = sum(1 for w in both if t[w] and h[w])
    differ = [w for w in both if h[w] and t[w] and h[w] != t[w]]
    pct = (lambda a, b: f"{100.0 * a / b:.1f}%" if b else "n/a")
    print(f"first suggestion, {len(both)} distinct words flagged by both: "
          f"same as hunspell -a {same} ({pct(same, len(both))}); "
          f"when both suggest: same {same_some} of {t_has} ({pct(same_some, t_has)}); "
          f"tmkit none but hunspell some {t_none}; hunspell none but tmkit some {h_none}")
    if differ:
        print("  e.g. differ: " + ", ".join(f"{w}: {t[w]} (hunspell: {h[w]})"
                                            for w in differ[:5]))


if __name__ == "__main__":
    main()
