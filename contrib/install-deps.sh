#!/bin/sh
# Install everything dsnmilter needs to build and to run its tests on
# Debian 12 (as root, or through sudo).  Postfix is preseeded with "No
# configuration" so that installing it starts nothing.
set -eu
SUDO=
[ "$(id -u)" -eq 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
echo 'postfix postfix/main_mailer_type select No configuration' | $SUDO debconf-set-selections
$SUDO apt-get install -y -qq --no-install-recommends \
	build-essential autoconf automake pkg-config \
	libmilter-dev libconfig-dev libcmocka-dev libpcre2-dev \
	postfix swaks python3 libsisimai-perl perl \
	chromium ca-certificates procps iproute2 >/dev/null
echo "dsnmilter: dependencies installed"
