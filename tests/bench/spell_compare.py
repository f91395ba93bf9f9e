#!/usr/bin/env python3
"""Compare `hunspell -l` with `tmkit spell --format words` on the same text.

usage: spell_compare.py H T H_NOT_T_TMKIT T_NOT_H_HUNSPELL
  H, T                 flagged words, one occurrence a line (hunspell -l, tmkit)
  H_NOT_T_TMKIT        the words of H not in T that tmkit flags when given alone
                       (tmkit spell --words): tmkit's tokeniser never produced them
  T_NOT_H_HUNSPELL     the words of T not in H that hunspell -l flags alone

Prints agreement figures and the differences by kind.  Run by bench_spell.sh.
"""
import collections
import re
import sys


CTX = {"h": set(), "t": set()}


def kind(w, side=""):
    if re.search(r"[^\u0000-\u024f\u2010-\u2027]", w):
        return "letters hunspell's tokeniser does not read (CJK, capital sharp s)"
    if (side == "h" and w.endswith(".") and w[:-1] in CTX["t"]) or \
            (side == "t" and w + "." in CTX["h"]):
        return "final full stop (tmkit reports the word without it)"
    if re.search(r"://|@|/|\\|^www\.", w):
        return "URL, e-mail, path"
    if re.search(r"[\u00ad\u200b\u200c\u200d\u2060\ufeff]", w):
        return "soft hyphen, zero-width"
    if re.search(r"[0-9]", w):
        return "numbers, codes with digits"
    if re.search(r"[\"\u201e\u201c\u201d\u00ab\u00bb\u2039\u203a\u201a\u2018()\[\]{}<>]", w):
        return "quotes, brackets"
    if re.search(r"['\u2019\u02bc]", w):
        return "apostrophes"
    if w.startswith("-") or w.endswith("-") or re.search(r"[\u2010\u2011\u2013\u2014]", w):
        return "dashes (truncated compounds, leading dash)"
    if re.search(r"[a-z\u00df-\u00ff][A-Z\u00c0-\u00de]", w):
        return "camelCase identifiers"
    if "." in w:
        if re.match(r"^[^.]+\.$", w):
            return "final full stop"
        if re.match(r"^\w+(\.\w+)+\.?$", w) and len(re.findall(r"\w{3,}", w)) and w.count(".") >= 2:
            return "dotted identifiers"
        return "inner full stops (file names, abbreviations)"
    if "-" in w:
        return "hyphenated compounds"
    return "other"


def load(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        return [line.rstrip("\n") for line in f if line.strip()]


def table(title, words, counts, side):
    by = collections.defaultdict(list)
    for w in words:
        by[kind(w, side)].append(w)
    print(f"  {title}: {len(words)} distinct, {sum(counts[w] for w in words)} occurrences")
    for k, ws in sorted(by.items(), key=lambda kv: -sum(counts[w] for w in kv[1])):
        ws.sort(key=lambda w: -counts[w])
        ex = ", ".join(ws[:4])
        print(f"    {k:52s} {len(ws):6d} distinct {sum(counts[w] for w in ws):7d} occ.  e.g. {ex}")


def main():
    h, t, h_tok, t_tok = (load(p) for p in sys.argv[1:5])
    hc, tc = collections.Counter(h), collections.Counter(t)
    hs, ts = set(hc), set(tc)
    CTX["h"], CTX["t"] = hs, ts
    h_only, t_only = hs - ts, ts - hs
    h_tok, t_tok = set(h_tok), set(t_tok)
    print(f"hunspell -l: {len(h)} flagged ({len(hs)} distinct); "
          f"tmkit: {len(t)} flagged ({len(ts)} distinct); both: {len(hs & ts)} distinct")
    # verdict differences: a token both treat as a word, different verdicts
    v1 = sorted(w for w in h_only if w not in h_tok)   # hunspell rejects, tmkit accepts
    # hunspell -l reads a token of letters, "-" and "." (WORDCHARS of de_DE):
    # other tokens of tmkit's are not words to it (it splits them)
    hword = re.compile(r"^[A-Za-z\u00c0-\u024f.-]+$")
    v2 = sorted(w for w in t_only if w not in t_tok and hword.match(w))  # tmkit rejects, hunspell accepts
    t_tok |= {w for w in t_only if not hword.match(w)}
    print(f"verdict differences on the same token: {len(v1) + len(v2)}"
          f" (hunspell flags, tmkit accepts: {len(v1)}; tmkit flags, hunspell accepts: {len(v2)})")
    for w in (v1 + v2)[:20]:
        print(f"    {w!r} [{kind(w)}]")
    print("tokenisation differences by kind:")
    table("flagged by hunspell -l only (tokens tmkit does not check as such)",
          sorted(w for w in h_only if w in h_tok), hc, "h")
    table("flagged by tmkit only (tokens hunspell -l does not check as such)",
          sorted(w for w in t_only if w in t_tok), tc, "t")


if __name__ == "__main__":
    main()
