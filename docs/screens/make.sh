#!/bin/sh
# make.sh - regenerates the screenshots of docs/screens/ (960 px wide) with
# the kiosk's scripted mode. Usage: sh docs/screens/make.sh BUILD_DIR
# Never edit the PNGs by hand: change the screens or the tour*.txt scripts, run this.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
borne=${1:-build}/ui/borne
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export SDL_VIDEODRIVER=offscreen
"$borne" --init-demo "$tmp/state" --demo-campaigns budget >/dev/null
"$borne" --headless --state "$tmp/state" --script "$here/tour.txt" --shots "$here" \
    --shot-width 960 --today 2027-03-15 >/dev/null
# high contrast and the largest text size; two-switch scanning
"$borne" --init-demo "$tmp/contrast" --demo-campaigns budget >/dev/null
"$borne" --headless --state "$tmp/contrast" --script "$here/tour-contrast.txt" --shots "$here" \
    --shot-width 960 --today 2027-03-15 >/dev/null
"$borne" --headless --state "$tmp/contrast" --script "$here/tour-switch.txt" --shots "$here" \
    --shot-width 960 --today 2027-03-15 >/dev/null
# other screen sizes, scaled by half
for size in 1280x800 1080x1920; do
    "$borne" --init-demo "$tmp/$size" --demo-campaigns budget >/dev/null
    sed "s/SIZE/$size/" "$here/tour-sizes.txt" >"$tmp/tour-$size.txt"
    "$borne" --headless --state "$tmp/$size" --script "$tmp/tour-$size.txt" --shots "$here" \
        --size "$size" --shot-width $((${size%x*} / 2)) --today 2027-03-15 >/dev/null
done
# the petition, with the budget vote open too
"$borne" --init-demo "$tmp/both" >/dev/null
"$borne" --headless --state "$tmp/both" --script "$here/tour-petition.txt" --shots "$here" \
    --shot-width 960 --today 2027-03-15 >/dev/null
# the call for ideas, with the budget vote and the petition open too
"$borne" --init-demo "$tmp/ideas" --demo-campaigns all >/dev/null
"$borne" --headless --state "$tmp/ideas" --script "$here/tour-ideas.txt" --shots "$here" \
    --shot-width 960 --today 2027-03-15 >/dev/null
# the consultation, with the three other campaigns open too
"$borne" --init-demo "$tmp/quest" --demo-campaigns all >/dev/null
"$borne" --headless --state "$tmp/quest" --script "$here/tour-quest.txt" --shots "$here" \
    --shot-width 960 --today 2027-03-15 >/dev/null
# points and rankings (rule.ballot), and audio mode's curtain
for b in cumulative ordinal; do
    "$borne" --init-demo "$tmp/$b" --demo-campaigns budget --demo-ballot $b >/dev/null
    "$borne" --headless --state "$tmp/$b" --script "$here/tour-$b.txt" --shots "$here" \
        --shot-width 960 --today 2027-03-15 >/dev/null
done
"$borne" --init-demo "$tmp/audio" --demo-campaigns budget >/dev/null
"$borne" --headless --state "$tmp/audio" --script "$here/tour-audio.txt" --shots "$here" \
    --shot-width 960 --today 2027-03-15 >/dev/null
# out of service: the polls are not open in this store
"$borne" --init-demo "$tmp/closed" --demo-campaigns budget >/dev/null
rm "$tmp/closed/kiosk.db"
echo "shot outofservice-fr" >"$tmp/oos.txt"
"$borne" --headless --state "$tmp/closed" --script "$tmp/oos.txt" --shots "$here" \
    --shot-width 960 --today 2027-03-15 >/dev/null 2>&1
# agent mode: a town hall's day at one kiosk (tests/ui/agent_flow.sh)
b=$(cd "${1:-build}" && pwd)
SHOT_WIDTH=960 sh "$here/../../tests/ui/agent_flow.sh" "$b/provisioning/borne-admin" "$b/ui/borne" \
    "$b/server/borne-server" "$b/tally/borne-tally" "$here/../../tests/provisioning/src" \
    "$tmp/agents" >/dev/null
SHOT_WIDTH=960 sh "$here/../../tests/ui/supervised_flow.sh" "$b/provisioning/borne-admin" \
    "$b/ui/borne" "$b/server/borne-server" "$b/tally/borne-tally" \
    "$here/../../tests/provisioning/src" "$tmp/agents" >/dev/null
cp "$tmp"/agents/desk-*.png "$tmp"/agents/vcode*.png "$here"/
cp "$tmp"/agents/agent-*.png "$tmp"/agents/citizen-*.png "$tmp"/agents/tech-*.png "$here"/
ls "$here"/*.png
