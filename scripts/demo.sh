#!/bin/sh
# demo.sh - command (1) of the README: set up, build, and run an election day
# of borne, the whole system at once (scripts/election-day.sh): a demo
# authority, a campaign and two petitions built from assets/demo/, two
# kiosks enrolled, borne-server on 127.0.0.1, agents opening and closing the
# polls, a crowd of a few hundred citizens (refusals included), a kiosk cut
# from the server that catches up, a USB export, and borne-tally verifying,
# reconciling and publishing. With a display, kiosk 1 also opens in a window
# for you to vote; --headless (or no display) runs the day alone.
#   sh scripts/demo.sh [--headless]
set -eu
cd "$(dirname "$0")/.."
sh scripts/setup.sh
sh scripts/build.sh build
exec sh scripts/election-day.sh "$@" build
