#!/bin/sh
# tests/tap-run.sh PROGRAM [ARG...] -- runs one test of `make check` (the
# LOG_COMPILER of every test, see Makefile.am) and passes its TAP on to
# automake's tap-driver.sh, which counts each check in the summary.
#
#  - cmocka tests print TAP (CMOCKA_MESSAGE_OUTPUT=TAP).  cmocka 1.1 prints a
#    skipped test as "not ok N # SKIP name", which would count as a failure: it
#    becomes "ok N - name # SKIP reason", the reason being the last line the
#    test printed before skip() (print_message), so the summary says why.
#  - With TMKIT_NO_SKIP=1 a skip is a failure ("not ok ... skipped: reason").
#    build-aux/test-all.sh sets it where it installed every tool and
#    ../shared is present; `make check` alone on a clone still skips.  Skips
#    whose reason starts with "optional:" stay skips: data that the README's
#    test command does not provide (the corpora of make_corpora.sh).
#  - A whole-script skip ("1..0 # SKIP reason") is a failure under it, too.
# The test's exit status is kept.
CMOCKA_MESSAGE_OUTPUT=TAP
export CMOCKA_MESSAGE_OUTPUT
rcfile=$(mktemp) || exit 99
{
  "$@"
  echo $? >"$rcfile"
} | ${AWK:-awk} -v noskip="${TMKIT_NO_SKIP:-0}" '
  function skipline(line, is_ok,   head, rest, num, desc, reason, at) {
    at = match(toupper(line), /#[ \t]*SKIP/)
    head = substr(line, 1, at - 1)
    rest = substr(line, at + RLENGTH)
    sub(/^[:]?[ \t]*/, "", rest)
    sub(/[ \t]+$/, "", rest)
    sub(/^(not[ \t]+)?ok[ \t]*/, "", head)
    num = head; sub(/[^0-9].*$/, "", num)
    desc = substr(head, length(num) + 1)
    sub(/^[ \t]*-?[ \t]*/, "", desc); sub(/[ \t]+$/, "", desc)
    if (!is_ok) {
      # cmocka: "not ok N # SKIP name"; the reason is what it printed before
      desc = rest
      reason = msg != "" ? msg : "no reason given (see the test source)"
    } else {
      reason = rest != "" ? rest : "no reason given (see the test source)"
    }
    if (noskip == 1 && reason !~ /^optional:/) {
      printf "not ok %s - %s%sskipped, and TMKIT_NO_SKIP=1 makes a skip a failure: %s\n",
        num, desc, desc != "" ? ": " : "", reason
    } else {
      printf "ok %s%s # SKIP %s\n", num, desc != "" ? " - " desc : "", reason
    }
  }
  /^(not[ \t]+)?ok([ \t]|$)/ {
    if (toupper($0) ~ /#[ \t]*SKIP/) skipline($0, $0 !~ /^not/)
    else print
    msg = ""
    next
  }
  /^1\.\.0([ \t]|$)/ && noskip == 1 {
    r = $0; sub(/^1\.\.0[ \t]*#?[ \t]*([Ss][Kk][Ii][Pp][: \t]*)?/, "", r)
    print "not ok 1 - whole test skipped, and TMKIT_NO_SKIP=1 makes a skip a failure: " r
    print "1..1"
    next
  }
  /^(#|1\.\.|Bail out!)/ { print; next }
  NF { m = $0; sub(/^[ \t]+/, "", m); sub(/^[Ss]kip(ped)?:[ \t]*/, "", m); msg = m }
  { print }
'
rc=$(cat "$rcfile" 2>/dev/null)
rm -f "$rcfile"
exit "${rc:-99}"
