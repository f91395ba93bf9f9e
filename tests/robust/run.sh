#!/bin/sh
# Robustness suite (issue 16): what must hold however a run ends and whatever
# it is fed.  Each group says what it checks; a check that cannot run here
# (not root, no unshare, a sanitizer build that cannot start under ulimit -v)
# is reported as a skip with its reason, never as a pass.
#   signals     every catchable terminating signal, sent while outputs are
#               open, leaves no temporary file; so do the natural ones (a
#               closed pipe, ulimit -f); SIGKILL leaves the documented name
#   full        /dev/full as an output of every command: exit 4
#   tmpfs       a 1 MB tmpfs (as root, private mount namespace): a full disk
#               leaves the old file and no temporary file; merge and stats
#               put their temporary files in $TMPDIR, not in /tmp
#   tmpdir      TMPDIR that cannot be used: exit 4 naming the folder
#   endless     /dev/zero, /dev/urandom, endless lines and one endless line
#               under a time limit (and a memory limit where possible):
#               exit 3 with a message, never a timeout or out of memory
#   owner       (as root) a replaced file keeps its owner, group and mode,
#               through a symbolic link too; a file that cannot keep its
#               owner is refused and left as it was
# Runs in a scratch folder; ROBUST_ONLY="signals endless" runs some groups.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib.sh"
work=$(mktemp -d)
trap 'cd /; rm -rf "$work"' EXIT
cd "$work" || exit 1
only() { [ -z "$ROBUST_ONLY" ] || case " $ROBUST_ONLY " in *" $1 "*) ;; *) return 1 ;; esac; }
tmps() { ls -A "${1:-.}" | grep -c '\.tmp-'; }
# after each check: no temporary file of one check is counted by the next
clean() { rm -f .*.tmp-*; }
# expect NAME WANT GOT [DETAIL]
expect() { if [ "$2" = "$3" ]; then ok "$1"; else bad "$1: got $3, expected $2${4:+ ($4)}"; fi; }

printf 'Hallo Welt. Ein Fehlerr.\n' > de.txt
printf 'Hello world. An error.\n' > en.txt
printf 'a\tA\n' > in.tsv
$TMKIT convert -q in.tsv -s de -t en -o in.tmx || { bad "setup: convert"; finish; exit; }
# a TSV whose rows each give a warning (a character XML forbids)
awk 'BEGIN { for (i = 0; i < 200000; i++) printf "Satz %d \001hier.\tSentence %d.\n", i, i }' > warn.tsv
awk 'BEGIN { for (i = 0; i < 300000; i++) printf "Satz Nummer %d ist hier.\tSentence number %d is here.\n", i, i }' > big.tsv
# memories with enough units that merge (48-byte records, 8 MiB) and stats
# (8-byte hashes, 6 MiB) write sorted runs to temporary files
tmx_units() {
  awk -v n="$1" 'BEGIN {
    print "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
    print "<tmx version=\"1.4\"><header creationtool=\"t\" creationtoolversion=\"1\" segtype=\"sentence\" o-tmf=\"t\" adminlang=\"en\" srclang=\"de\" datatype=\"plaintext\"/><body>"
    for (i = 0; i < n; i++) printf "<tu><tuv xml:lang=\"de\"><seg>a%d</seg></tuv><tuv xml:lang=\"en\"><seg>b%d</seg></tuv></tu>\n", i, i
    print "</body></tmx>" }'
}
tmx_units 200000 > merge.tmx
tmx_units 800000 > stats.tmx

# ---- signals ---------------------------------------------------------------
if only signals; then
  # INT and QUIT are ignored in background jobs of a script: give them back
  # their default action (coreutils env, 8.31 and later)
  dflt=
  env --default-signal=INT,QUIT true 2>/dev/null && dflt="env --default-signal=INT,QUIT"
  mkfifo fifo
  for sig in HUP INT QUIT TERM PIPE XFSZ XCPU ALRM VTALRM PROF USR1 USR2 ABRT TRAP SYS SEGV BUS FPE ILL KILL; do
    case $sig in INT|QUIT) [ -n "$dflt" ] || { skipped "signals: $sig (env --default-signal missing: ignored in background jobs)"; continue; } ;; esac
    # a signal ignored where the suite runs (HUP under nohup) stays ignored
    # in tmkit, as documented: nothing to check then
    if [ $sig = HUP ] && [ -r /proc/$$/status ] &&
       [ $(( 0x$(awk '/^SigIgn:/ { print $2 }' /proc/$$/status) & 1 )) -eq 1 ]; then
      skip_optional "signals: HUP is ignored here (run under nohup?): tmkit keeps it ignored"
      continue
    fi
    rm -f m.tmx r.txt; clean
    # build opens both outputs, then waits for its source on the fifo
    { sleep 60 > fifo & } ; feeder=$!
    $dflt $TMKIT build -q - en.txt -o m.tmx --report r.txt < fifo 2>err & pid=$!
    n=0; while [ $n -lt 300 ] && [ "$(tmps)" -lt 2 ]; do sleep 0.1; n=$((n+1)); done
    open=$(tmps)
    kill -s $sig $pid; wait $pid 2>/dev/null; rc=$?
    kill $feeder 2>/dev/null; wait $feeder 2>/dev/null
    # died of the signal: the status is 128 + its number, which kill -l names
    died=none; [ $rc -gt 128 ] && died=$(kill -l $rc 2>/dev/null)
    # a sanitizer build hands a crash signal to the sanitizer, which reports
    # and exits: that counts as dying of it (after the cleanup)
    case $sig in SEGV|BUS|FPE|ILL) grep -q "Sanitizer:DEADLYSIGNAL" err && died=$sig ;; esac
    if [ $sig = KILL ]; then
      # cannot be caught: the README says to remove .NAME.tmp-XXXXXX by hand
      left=$(ls -A | grep -c '^\.m\.tmx\.tmp-......$')
      expect "signals: KILL leaves the documented temporary names" "open 2 died of KILL left 1" "open $open died of $died left $left"
    else
      expect "signals: $sig during a write" "open 2 died of $sig left 0" "open $open died of $died left $(tmps)"
    fi
  done
  rm -f fifo err; clean
  # a closed pipe: the warnings go to head, which stops after one line
  echo old > out.tmx
  # (the status of the left side of a pipe, portably)
  rc=$( { { $TMKIT convert warn.tsv -s de -t en -o out.tmx 2>&1; echo $? >&3; } | head -n 1 >/dev/null; } 3>&1 )
  expect "signals: SIGPIPE from a closed pipe" "PIPE left 0 old kept" "$(kill -l $rc) left $(tmps) $(test "$(cat out.tmx)" = old && echo old kept)"
  clean
  # a file size limit (ulimit -f: SIGXFSZ)
  rc=$( (ulimit -f 64; exec $TMKIT convert -q big.tsv -s de -t en -o out.tmx 2>/dev/null); echo $?)
  expect "signals: SIGXFSZ from ulimit -f" "XFSZ left 0 old kept" "$(kill -l $rc) left $(tmps) $(test "$(cat out.tmx)" = old && echo old kept)"
  clean
  rm -f out.tmx
fi

# ---- a full device -----------------------------------------------------------
if only full; then
  for c in "build -q de.txt en.txt -o /dev/full" "build -q de.txt en.txt -o m.tmx --report /dev/full" \
           "align --src de.txt --tgt en.txt -s de -t en -o /dev/full" "convert -q in.tsv -s de -t en -o /dev/full" \
           "filter -q in.tmx -o /dev/full" "merge -q in.tmx -o /dev/full" "spell -d de_DE de.txt -o /dev/full" \
           "segment de.txt" "validate in.tmx" "stats in.tmx" "spell -d de_DE de.txt"; do
    $TMKIT $c > /dev/full 2>/dev/null; rc=$?
    expect "full: tmkit $c (>/dev/full)" "rc 4 left 0" "rc $rc left $(tmps)"
    clean
  done
  rm -f m.tmx
fi

# ---- a 1 MB tmpfs --------------------------------------------------------------
if only tmpfs; then
  if [ "$(id -u)" != 0 ]; then
    skipped "tmpfs: needs root (a tmpfs mounted in a private mount namespace)"
  elif ! unshare -m true 2>/dev/null; then
    skipped "tmpfs: unshare -m is not possible here (no CAP_SYS_ADMIN in this container?)"
  else
    mkdir small roomy
    echo old > small/out.tmx
    case "$TMKIT" in /tmp/*) tmp_ok=0 ;; *) tmp_ok=1 ;; esac
    export tmp_ok
    # in a private mount namespace: a 1 MB tmpfs on small/, then on /tmp
    # (this folder stays reachable as the current folder)
    unshare -m sh -c '
      mount -t tmpfs -o size=1m tmpfs small || exit 9
      echo old > small/out.tmx
      $TMKIT convert -q big.tsv -s de -t en -o small/out.tmx 2>err.full; echo "full $? $(cat small/out.tmx) $(ls -A small | grep -c tmp-)" > res
      TMPDIR=$PWD/small $TMKIT merge -q merge.tmx -o m1.tmx 2>err.merge; echo "merge-small $?" >> res
      TMPDIR=$PWD/small $TMKIT stats stats.tmx >/dev/null 2>err.stats; echo "stats-small $? $(ls -A small | grep -vc out.tmx)" >> res
      if [ "$tmp_ok" = 1 ]; then
        mount -t tmpfs -o size=1m tmpfs /tmp || exit 9
        TMPDIR=roomy $TMKIT merge -q merge.tmx -o m2.tmx 2>>err; echo "merge-roomy $? $(grep -c "<tu>" m2.tmx)" >> res
        TMPDIR=roomy $TMKIT stats stats.tmx > st 2>>err; echo "stats-roomy $? $(grep "^units:" st)" >> res
      fi' 2>err.unshare
    if [ $? = 9 ] || [ ! -f res ]; then
      skipped "tmpfs: cannot mount a tmpfs ($(head -c 200 err.unshare))"
    else
      expect "tmpfs: a full disk keeps the old file" "full 4 old 0" "$(grep ^full res)"
      expect "tmpfs: merge with TMPDIR on a full disk" "merge-small 4" "$(grep ^merge-small res)"
      grep -q "small'.*No space left on device.*TMPDIR" err.merge && ok "tmpfs: merge names the temporary folder" || bad "tmpfs: merge message: $(cat err.merge)"
      expect "tmpfs: stats with TMPDIR on a full disk" "stats-small 4 0" "$(grep ^stats-small res)"
      grep -q "small'.*No space left on device.*TMPDIR" err.stats && ok "tmpfs: stats names the temporary folder" || bad "tmpfs: stats message: $(cat err.stats)"
      if [ "$tmp_ok" = 1 ]; then
        expect "tmpfs: merge uses TMPDIR, not a full /tmp" "merge-roomy 0 200000" "$(grep ^merge-roomy res)"
        expect "tmpfs: stats uses TMPDIR, not a full /tmp" "stats-roomy 0 units: 800000" "$(grep ^stats-roomy res)"
      else
        skipped "tmpfs: the program lies under /tmp ($TMKIT): /tmp cannot be made full"
      fi
    fi
    rm -rf small roomy m1.tmx m2.tmx st res err*
  fi
fi

# ---- TMPDIR that cannot be used ---------------------------------------------------
if only tmpdir; then
  TMPDIR=$work/no-such-folder $TMKIT merge -q merge.tmx -o m.tmx 2>err; rc=$?
  expect "tmpdir: merge with a missing TMPDIR" "rc 4 no output" "rc $rc $(test -e m.tmx && echo output || echo no output)"
  grep -q "in the folder '$work/no-such-folder'.*TMPDIR" err && ok "tmpdir: merge names the folder" || bad "tmpdir: merge message: $(cat err)"
  printf x > afile
  TMPDIR=$work/afile $TMKIT stats stats.tmx >/dev/null 2>err; rc=$?
  expect "tmpdir: stats with a TMPDIR that is a file" "rc 4" "rc $rc"
  grep -q "in the folder '$work/afile'" err && ok "tmpdir: stats names the folder" || bad "tmpdir: stats message: $(cat err)"
  rm -f afile err m.tmx
fi

# ---- endless inputs -----------------------------------------------------------------
if only endless; then
  limit=60
  vmem=1500000 # KiB
  if (ulimit -v $vmem && $TMKIT --version) >/dev/null 2>&1; then
    lim() { ulimit -v $vmem; }
  else
    # a sanitizer reserves terabytes of address space: no ulimit -v for it
    # (the plain build runs these with the memory limit)
    skip_optional "endless: no memory limit (the program does not start under ulimit -v: a sanitizer build); time limit only"
    lim() { :; }
  fi
  yes_lines() { yes 'Ein Satz.'; }
  one_line() { tr '\0' a < /dev/zero; }
  for c in "spell /dev/zero" "spell /dev/urandom" "spell -" "spell --no-suggest -|lines" \
           "align --src /dev/zero --tgt en.txt" "align --src de.txt --tgt /dev/urandom" "align --src - --tgt en.txt" \
           "align --src de.txt --tgt en.txt --dict /dev/zero" "build -q /dev/zero en.txt -o m.tmx" "build -q de.txt - -o m.tmx" \
           "build -q - en.txt -o m.tmx|lines" "spell --personal /dev/zero de.txt" "build -q de.txt en.txt --personal /dev/zero -o m.tmx" \
           "segment /dev/zero" "segment -" "segment --paragraphs=blank -|lines" "segment --srx /dev/zero de.txt"; do
    cmd=${c%|lines}
    feed=one_line; [ "$cmd" != "$c" ] && feed=yes_lines
    start=$(date +%s)
    rc=$( ($feed 2>/dev/null | (lim; exec timeout $limit $TMKIT $cmd) >/dev/null 2>err); echo $?)
    took=$(( $(date +%s) - start ))
    msg=$(head -n 1 err | cut -c 1-160)
    case "$msg" in
      *"NUL byte"*|*"not valid UTF-8"*|*"longer than"*|*"larger than"*) m=message ;;
      *) m="message '$msg'" ;;
    esac
    case "$cmd " in *" - "*) what="$cmd < $feed" ;; *) what=$cmd ;; esac
    expect "endless: tmkit $what" "rc 3 message" "rc $rc $m" "${took}s"
  done
  rm -f err m.tmx
fi

# ---- owner, group and mode of a replaced file -------------------------------------------
if only owner; then
  if [ "$(id -u)" != 0 ]; then
    skipped "owner: needs root (files of another user)"
  elif ! id nobody >/dev/null 2>&1; then
    skipped "owner: no user 'nobody'"
  else
    grp=$(id -gn nobody)
    mkdir own && cd own
    cp ../in.tmx target.tmx && chown nobody:"$grp" target.tmx && chmod 640 target.tmx && ln -s target.tmx link.tmx
    $TMKIT convert -q ../in.tsv -s en -t de -o link.tmx; rc=$?
    expect "owner: through a symbolic link to another user's file" "rc 0 nobody:$grp 640 new link" \
      "rc $rc $(stat -c '%U:%G %a' target.tmx) $(grep -q 'srclang="en"' target.tmx && echo new) $(test -L link.tmx && echo link)"
    chmod 4754 target.tmx
    $TMKIT convert -q ../in.tsv -s de -t en -o target.tmx; rc=$?
    expect "owner: replacing another user's file directly (set-user-ID kept)" "rc 0 nobody:$grp 4754" "rc $rc $(stat -c '%U:%G %a' target.tmx)"
    chown root:"$grp" target.tmx && chmod 640 target.tmx
    $TMKIT build -q --no-spell ../de.txt ../en.txt -o target.tmx; rc=$?
    expect "owner: a file of another group keeps its group" "rc 0 root:$grp 640" "rc $rc $(stat -c '%U:%G %a' target.tmx)"
    # a user who may write in the folder but cannot give the new file the
    # old one's owner: refused, the file stays as it was
    cd .. && chmod 755 "$work" && chmod 777 own && echo old > own/rootfile && chmod 666 own/rootfile
    if ! command -v setpriv >/dev/null; then
      skipped "owner: setpriv missing (util-linux): cannot run tmkit as nobody"
    elif ! setpriv --reuid=nobody --regid="$grp" --clear-groups $TMKIT --version >/dev/null 2>&1; then
      skipped "owner: user nobody cannot run $TMKIT (a folder on its path is closed to others)"
    else
      setpriv --reuid=nobody --regid="$grp" --clear-groups $TMKIT convert -q in.tsv -s de -t en -o own/rootfile 2>err; rc=$?
      expect "owner: refused when the owner cannot be kept" "rc 4 old root:root 666 left 0" \
        "rc $rc $(cat own/rootfile) $(stat -c '%U:%G %a' own/rootfile) left $(tmps own)"
      grep -q "without changing its owner" err && ok "owner: the refusal says why" || bad "owner: message: $(cat err)"
    fi
    rm -rf own err
  fi
fi
finish
