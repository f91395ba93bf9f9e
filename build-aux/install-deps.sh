#!/bin/sh
# Install what tmkit needs on Debian 12 (bookworm) with apt.
#   sh build-aux/install-deps.sh          build and run
#   sh build-aux/install-deps.sh --test   also what the whole test suite uses
# Uses sudo when not run as root.  Installs only what is missing.
set -e
SUDO=
[ "$(id -u)" = 0 ] || SUDO=sudo
# hunspell-de-de (2016) stays the default here: the alignment figures and golden files are
# measured with it.  hunspell-de-de-frami (newer; conflicts with it) is preferred by tmkit
# when installed instead; see README "Dictionaries"
pkgs="build-essential autoconf automake libtool pkg-config autoconf-archive
  libexpat1-dev libhunspell-dev hunspell-de-de hunspell-en-us libpcre2-dev
  libutf8proc-dev libunistring-dev zlib1g-dev libcmocka-dev libzip-dev libgumbo-dev"
if [ "$1" = "--test" ]; then
  pkgs="$pkgs libxml2-utils clang libclang-rt-14-dev python3 hunspell
    hunspell-fr hunspell-es dict-freedict-deu-eng dict-freedict-deu-fra trans-de-en
    chromium omegat default-jdk-headless translate-toolkit gettext poppler-utils
    libreoffice-writer-nogui parallel zip"
fi
missing=
for p in $pkgs; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
  echo "install-deps: installing:$missing"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi
echo "install-deps: all packages present"
