#!/bin/sh
# check-deb.sh - builds borne's Debian packages and checks them.
#
#   sh scripts/check-deb.sh [--contents] [--keep]
#
# 1. builds the five packages (CPack, Release, Debian's hardening flags) in
#    build-deb/;
# 2. checks their contents with dpkg-deb: every file where it belongs, owned
#    by root, with its mode; the configuration a conffile; the dependencies
#    computed; no path of the build machine in a program; maintainer scripts
#    that never delete state; lintian with no error and no warning;
# 3. (not with --contents) as root: a fresh Debian 12 made with debootstrap,
#    borne-tally installed alone (no server comes with it), then the rest;
#    files, owners and modes as installed; every program's --version and
#    --help; man pages; the server's folder made with borne-admin, the
#    server unit's ExecStart run by hand as its user, its health endpoint
#    queried; systemd-analyze verify and security on the units; purge, and
#    the state is still there.
#
# CI runs --contents (.ci/run). Step 3 needs root, debootstrap and Debian's
# mirror (deb.debian.org, or $BORNE_MIRROR); $BORNE_DEBOOTSTRAP_TARBALL, if
# it names a file made by `debootstrap --make-tarball`, saves the download.
# --keep leaves the root in build-deb/root for a look.
set -eu
cd "$(dirname "$0")/.."
SRC=$(pwd)
contents_only=0 keep=0
for a in "$@"; do
    case $a in
    --contents) contents_only=1 ;;
    --keep) keep=1 ;;
    *) echo "check-deb: unknown option '$a' (--contents, --keep)" >&2; exit 2 ;;
    esac
done

fail() { echo "check-deb: FAILED: $*" >&2; exit 1; }
ok() { echo "  ok  $*"; }

# --- 0. what this needs ---------------------------------------------------------
need="dpkg-dev lintian file"
[ $contents_only = 1 ] || need="$need debootstrap"
missing=""
for p in $need; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
        missing="$missing $p"
done
if [ -n "$missing" ]; then
    if [ "$(id -u)" != 0 ]; then
        echo "check-deb: needs the Debian packages$missing (apt-get install as root)" >&2
        exit 1
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing \
        >/dev/null
fi
if [ $contents_only = 0 ] && [ "$(id -u)" != 0 ]; then
    echo "check-deb: the installation check (step 3) makes a Debian root with debootstrap and" >&2
    echo "  chroots into it: run this as root, or run 'sh scripts/check-deb.sh --contents'" >&2
    echo "  for the package contents only" >&2
    exit 1
fi
sh scripts/setup.sh

# --- 1. build -----------------------------------------------------------------------
echo "1. the packages (build-deb/)"
B=build-deb
mkdir -p "$B"
rm -f "$B"/*.deb
export DEB_BUILD_MAINT_OPTIONS=hardening=+all
cmake -S . -B "$B" -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX=/usr -DBORNE_WERROR=ON \
    -DCMAKE_C_FLAGS="$(dpkg-buildflags --get CFLAGS) $(dpkg-buildflags --get CPPFLAGS)" \
    -DCMAKE_EXE_LINKER_FLAGS="$(dpkg-buildflags --get LDFLAGS)" \
    >"$B/build.log" 2>&1 || { cat "$B/build.log"; fail "cmake"; }
cmake --build "$B" -j2 --target borne borne-server borne-admin borne-tally borne_gz >>"$B/build.log" 2>&1 ||
    { tail -40 "$B/build.log"; fail "build"; }
(cd "$B" && cpack -G DEB >>"build.log" 2>&1) || { tail -40 "$B/build.log"; fail "cpack"; }
V=$(sed -n 's/^project(borne VERSION \([0-9.]*\).*/\1/p' CMakeLists.txt)
for p in common:all kiosk:amd64 server:amd64 admin:amd64 tally:amd64; do
    f="$B/borne-${p%%:*}_${V}_${p#*:}.deb"
    [ -f "$f" ] || fail "$f was not made"
    ok "$(basename "$f") $(stat -c %s "$f") bytes"
done
deb() { echo "$B/borne-$1_${V}_$([ "$1" = common ] && echo all || echo amd64).deb"; }

# --- 2. contents ---------------------------------------------------------------------
echo "2. their contents (dpkg-deb)"
# has PKG MODE PATH: PATH in PKG, root-owned, with MODE
has() {
    line=$(dpkg-deb -c "$(deb "$1")" | awk -v p="./$3" '$6 == p')
    [ -n "$line" ] || fail "borne-$1: no $3"
    set -- "$1" "$2" "$3" $line
    [ "$5" = root/root ] || fail "borne-$1: $3 is owned by $5, not root/root"
    [ "$4" = "$2" ] || fail "borne-$1: $3 is $4, not $2"
}
for p in common kiosk server admin tally; do
    bad=$(dpkg-deb -c "$(deb $p)" | awk '$2 != "root/root" {print $6}')
    [ -z "$bad" ] || fail "borne-$p: not owned by root: $bad"
    bad=$(dpkg-deb -c "$(deb $p)" | awk '$1 ~ /^d/ && $1 != "drwxr-xr-x" {print $6}')
    [ -z "$bad" ] || fail "borne-$p: a folder is not 0755: $bad"
    has $p -rw-r--r-- usr/share/doc/borne-$p/copyright
    has $p -rw-r--r-- usr/share/doc/borne-$p/changelog.gz
done
has kiosk -rwxr-xr-x usr/bin/borne
has server -rwxr-xr-x usr/bin/borne-server
has admin -rwxr-xr-x usr/bin/borne-admin
has tally -rwxr-xr-x usr/bin/borne-tally
has kiosk -rw-r--r-- usr/share/man/man1/borne.1.gz
has server -rw-r--r-- usr/share/man/man1/borne-server.1.gz
has admin -rw-r--r-- usr/share/man/man1/borne-admin.1.gz
has tally -rw-r--r-- usr/share/man/man1/borne-tally.1.gz
has common -rw-r--r-- usr/share/man/man5/borne.conf.5.gz
has common -rw-r--r-- etc/borne/borne.conf
has common -rw-r--r-- usr/lib/sysusers.d/borne.conf
has common -rw-r--r-- usr/share/borne/i18n/fr.txt
has common -rw-r--r-- usr/share/borne/data/communes-35-cantons.csv
has kiosk -rw-r--r-- lib/systemd/system/borne-kiosk.service
for u in borne-server.service borne-server-backup.service borne-server-backup.timer; do
    has server -rw-r--r-- lib/systemd/system/$u
done
ok "files in place, owned by root, modes 0755 (programs, folders) and 0644"
dpkg-deb -c "$(deb common)" | grep -q 'fonts\|\.ttf' && fail "borne-common ships fonts"
dpkg-deb -c "$(deb common)" | grep -q 'var/lib' && fail "borne-common ships files in /var/lib"
ok "no font (Debian's fonts-dejavu-core), no state shipped"
t=$(mktemp -d)
dpkg-deb -e "$(deb common)" "$t/common"
grep -qx /etc/borne/borne.conf "$t/common/conffiles" || fail "borne.conf is not a conffile"
ok "/etc/borne/borne.conf is a conffile"
for p in kiosk server admin tally; do
    dpkg-deb -x "$(deb $p)" "$t/$p"
    dep=$(dpkg-deb -f "$(deb $p)" Depends)
    echo "$dep" | grep -q 'libc6 (>=' || fail "borne-$p: Depends not computed: $dep"
    if strings -a "$t/$p/usr/bin/"* | grep -qF "$SRC"; then
        fail "borne-$p: a path of the build machine ($SRC) is in the program"
    fi
done
dpkg-deb -f "$(deb kiosk)" Depends | grep -q 'cage' || fail "borne-kiosk does not depend on cage"
dpkg-deb -f "$(deb kiosk)" Depends | grep -q 'fonts-dejavu-core' ||
    fail "borne-kiosk does not depend on fonts-dejavu-core"
dpkg-deb -f "$(deb tally)" Depends | grep -q 'borne-' && fail "borne-tally depends on another borne package"
ok "Depends computed (dpkg-shlibdeps), no build path in a program, borne-tally alone"
for p in common kiosk server; do
    dpkg-deb -e "$(deb $p)" "$t/ctl-$p"
    for s in "$t/ctl-$p"/postinst "$t/ctl-$p"/prerm "$t/ctl-$p"/postrm; do
        [ -f "$s" ] || continue
        [ "$(stat -c %a "$s")" = 755 ] || fail "borne-$p: $(basename "$s") is not 0755"
        if grep -E '^[^#]*\brm\b' "$s" | grep -q '/var/'; then
            fail "borne-$p: $(basename "$s") deletes state"
        fi
    done
done
ok "maintainer scripts never delete /var/lib/borne"
rm -rf "$t"
lintian --tag-display-limit 0 "$B"/*.deb >"$B/lintian.txt" 2>&1 || true
grep -v 'running with root privileges' "$B/lintian.txt" | grep -q '^[EW]:' &&
    { cat "$B/lintian.txt"; fail "lintian"; }
ok "lintian: no error, no warning ($(grep -c '^I:' "$B/lintian.txt" || true) notes in $B/lintian.txt)"
if [ $contents_only = 1 ]; then
    echo "check-deb: the packages' contents are right (installation not checked: --contents)"
    exit 0
fi

# --- 3. installed in a fresh Debian 12 ----------------------------------------------
echo "3. installed in a fresh Debian 12 (debootstrap bookworm)"
R=$SRC/$B/root
mirror=${BORNE_MIRROR:-http://deb.debian.org/debian}
umount_all() {
    for m in dev/pts dev proc; do
        mountpoint -q "$R/$m" 2>/dev/null && umount -l "$R/$m" || true
    done
}
cleanup() {
    for f in "$R"/tmp/server.pid "$R"/tmp/unit-*.pid; do
        [ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null || true
    done
    umount_all
    [ $keep = 1 ] || rm -rf "$R"
}
umount_all
rm -rf "$R"
trap cleanup EXIT
if [ -n "${BORNE_DEBOOTSTRAP_TARBALL:-}" ] && [ -f "$BORNE_DEBOOTSTRAP_TARBALL" ]; then
    debootstrap --variant=minbase --unpack-tarball="$BORNE_DEBOOTSTRAP_TARBALL" bookworm "$R" \
        "$mirror" >"$B/debootstrap.log" 2>&1 || { tail "$B/debootstrap.log"; fail "debootstrap"; }
else
    debootstrap --variant=minbase bookworm "$R" "$mirror" >"$B/debootstrap.log" 2>&1 ||
        { tail "$B/debootstrap.log"; fail "debootstrap"; }
fi
ok "debootstrap --variant=minbase bookworm"
mount -t proc proc "$R/proc"
mount --bind /dev "$R/dev"
mount --bind /dev/pts "$R/dev/pts"
cp /etc/resolv.conf "$R/etc/resolv.conf"
printf '#!/bin/sh\nexit 101\n' >"$R/usr/sbin/policy-rc.d"
chmod 755 "$R/usr/sbin/policy-rc.d"
mkdir -p "$R/tmp/debs"
cp "$B"/*.deb "$R/tmp/debs/"
in_root() { chroot "$R" /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 \
    DEBIAN_FRONTEND=noninteractive HOME=/root "$@"; }
in_root apt-get update -qq >"$B/apt.log" 2>&1 || { tail "$B/apt.log"; fail "apt-get update"; }
# what an administrator has besides: systemd, man, curl (the checks below)
in_root apt-get install -y -qq --no-install-recommends systemd man-db curl >>"$B/apt.log" 2>&1 ||
    { tail "$B/apt.log"; fail "apt-get install systemd man-db curl"; }

in_root apt-get install -y -qq --no-install-recommends "/tmp/debs/$(basename "$(deb tally)")" \
    >>"$B/apt.log" 2>&1 || { tail "$B/apt.log"; fail "borne-tally alone"; }
for p in borne-server borne-common borne-kiosk; do
    in_root dpkg-query -W -f='${Status}' $p 2>/dev/null | grep -q "install ok" &&
        fail "installing borne-tally brought $p"
done
in_root apt-get purge -y -qq borne-tally >>"$B/apt.log" 2>&1 || fail "apt-get purge borne-tally"
ok "borne-tally installs alone (no borne-server, no borne-common), and goes"

# docs/installation.md, replayed: its "$ " commands (English; the French
# part gives the same), as written, in order, as root, in /tmp/debs.
# Stand-ins: no systemd runs here, so systemctl start/stop run the unit's
# ExecStart as its User (enable, set-default: the real systemctl, which
# works offline); passphrases are typed on a terminal (script(1)).
DOC=docs/installation.md
cmds() { sed -n "/^## $1\$/,/^---\$/p" "$DOC" | sed -n 's/^\$ //p'; }
cmds English >"$B/doc-en"
cmds Français >"$B/doc-fr"
[ -s "$B/doc-en" ] || fail "no command in the English part of $DOC"
cmp -s "$B/doc-en" "$B/doc-fr" || fail "$DOC: the French and English parts give different commands"
mkdir -p "$R/usr/local/bin"
cat >"$R/usr/local/bin/systemctl" <<'SHIM'
#!/bin/sh
# check-deb's stand-in for systemctl in a root where systemd does not run
real=/usr/bin/systemctl
unit_file() { case $1 in *.*) echo "/lib/systemd/system/$1" ;; *) echo "/lib/systemd/system/$1.service" ;; esac; }
key() { sed -n "s/^$1=//p" "$2" | tail -n 1; }
start() {
    f=$(unit_file "$1")
    [ -f "$f" ] || { echo "systemctl: no unit $1" >&2; exit 5; }
    case $f in *.timer) echo "(stand-in: $1 enabled; no timer runs here)"; return 0 ;; esac
    user=$(key User "$f"); exe=$(key ExecStart "$f"); type=$(key Type "$f")
    if [ "$type" = oneshot ]; then
        setpriv --reuid="$user" --regid="$user" --init-groups sh -c "umask 077; exec $exe"
    else
        setpriv --reuid="$user" --regid="$user" --init-groups sh -c "umask 077; exec $exe" \
            >>"/tmp/unit-$(basename "$f").log" 2>&1 &
        echo $! >"/tmp/unit-$(basename "$f").pid"
    fi
}
stop() {
    f=$(unit_file "$1"); pidf="/tmp/unit-$(basename "$f").pid"
    [ -f "$pidf" ] || return 0
    kill "$(cat "$pidf")" 2>/dev/null || true
    while kill -0 "$(cat "$pidf")" 2>/dev/null; do sleep 0.1; done
    rm -f "$pidf"
}
cmd=$1; shift
case $cmd in
enable)
    now=0; [ "$1" = --now ] && { now=1; shift; }
    $real enable "$@" || exit
    [ $now = 0 ] || for u in "$@"; do start "$u"; done ;;
start) for u in "$@"; do start "$u"; done ;;
stop) for u in "$@"; do stop "$u"; done ;;
restart) for u in "$@"; do stop "$u"; start "$u"; done ;;
*) exec $real "$cmd" "$@" ;;
esac
SHIM
chmod 755 "$R/usr/local/bin/systemctl"
in_root apt-get install -y -qq --no-install-recommends bsdutils >>"$B/apt.log" 2>&1
i=0
: >"$B/doc.log"
while IFS= read -r cmd; do
    i=$((i + 1))
    case $cmd in
    *"authority init"*|*"server init"*|*"kiosk enroll"*|*"campaign sign"*) input='la phrase de passe du test\nla phrase de passe du test\n' ;;
    *) input='' ;;
    esac
    echo "\$ $cmd" >>"$B/doc.log"
    rc=0
    in_root sh -c "cd /tmp/debs && printf '$input' | script -qec '$(echo "$cmd" | sed "s/'/'\\\\''/g")' /dev/null" \
        >"$B/doc.$i" 2>&1 </dev/null || rc=$?
    cat "$B/doc.$i" >>"$B/doc.log"
    [ $rc = 0 ] || { cat "$B/doc.$i"; fail "$DOC, command $i: $cmd: exit $rc"; }
done <"$B/doc-en"
n=$i
grep -q '"status":"ok"' "$B/doc.$(grep -n 'v1/health' "$B/doc-en" | tail -n 1 | cut -d: -f1)" ||
    fail "$DOC: the restored server's health is not ok"
grep -q 'kiosk-35238-01 provisioned' "$B/doc.log" || fail "$DOC: the kiosk was not provisioned"
ok "docs/installation.md: $n commands replayed as written (log: $B/doc.log)"

# stat PATH OWNER MODE
st() {
    got=$(in_root stat -c '%U:%G %a' "$1" 2>/dev/null) || fail "$1 is not installed"
    [ "$got" = "$2 $3" ] || fail "$1 is $got, not $2 $3"
}
in_root getent passwd borne >/dev/null || fail "no user borne"
st /var/lib/borne borne:borne 700
st /var/lib/borne/server borne:borne 700
st /var/lib/borne/kiosk borne:borne 700
st /var/backups/borne borne:borne 700
st /etc/borne/borne.conf root:root 644
for b in borne borne-server borne-admin borne-tally; do st /usr/bin/$b root:root 755; done
st /usr/share/borne/i18n/fr.txt root:root 644
st /lib/systemd/system/borne-server.service root:root 644
ok "user borne (systemd-sysusers); /var/lib/borne and its folders borne:borne 0700"
for b in borne borne-server borne-admin borne-tally; do
    v=$(in_root $b --version) || fail "$b --version"
    [ "$v" = "$b $V" ] || fail "$b --version says '$v', not '$b $V'"
    in_root $b --help >/dev/null 2>&1 || fail "$b --help"
    in_root $b --help 2>&1 | grep -q . || fail "$b --help says nothing"
done
ok "--version ($V) and --help of borne, borne-server, borne-admin, borne-tally"
for m in borne borne-server borne-admin borne-tally borne.conf; do
    in_root man -P cat "$m" 2>/dev/null | grep -q 'NAME' || fail "man $m"
done
ok "man borne, borne-server, borne-admin, borne-tally, borne.conf"
[ -L "$R/etc/systemd/system/graphical.target.wants/borne-kiosk.service" ] ||
    fail "borne-kiosk.service is not enabled for graphical.target"
[ "$(in_root systemctl get-default)" = graphical.target ] || fail "the default target is not graphical"
ok "borne-kiosk.service enabled, default target graphical.target: the kiosk starts at boot"

# the kiosk as its unit starts it (its ExecStart, minus cage: no display
# here), headless: the installed configuration, assets and Debian's fonts
kexe=$(sed -n 's/^ExecStart=.* -- //p' "$R/lib/systemd/system/borne-kiosk.service")
printf 'expect screen closed\nshot first\n' >"$R/tmp/first.txt"
rm -rf "$R/tmp/kiosk-shots"
install -d -o "$(stat -c %u "$R/var/lib/borne")" "$R/tmp/kiosk-shots"
in_root setpriv --reuid=borne --regid=borne --init-groups env SDL_VIDEODRIVER=offscreen \
    $kexe --headless --script /tmp/first.txt --shots /tmp/kiosk-shots >"$B/kiosk.log" 2>&1 ||
    { cat "$B/kiosk.log"; fail "the kiosk does not start: $kexe"; }
[ -s "$R/tmp/kiosk-shots/first.png" ] || { cat "$B/kiosk.log"; fail "the kiosk drew nothing"; }
cp "$R/tmp/kiosk-shots/first.png" "$B/kiosk-first.png"
ok "the kiosk starts as user borne with $kexe: \"the polls are not open\" (none opened yet), in $B/kiosk-first.png"

# the server unit's ExecStart, by hand, as its user (the stand-in ran it too)
exec_start=$(sed -n 's/^ExecStart=//p' "$R/lib/systemd/system/borne-server.service")
in_root systemctl stop borne-server.service
in_root setpriv --reuid=borne --regid=borne --init-groups sh -c \
    "umask 077; $exec_start >/tmp/server.out 2>&1 & echo \$! >/tmp/server.pid"
i=0
until in_root curl -sS --cacert /root/autorite/authority.crt --resolve borne.example.fr:8443:127.0.0.1 \
    https://borne.example.fr:8443/v1/health >"$B/health.json" 2>/dev/null; do
    i=$((i + 1))
    [ $i -lt 100 ] || { cat "$R/tmp/server.out"; fail "the server does not answer on 8443"; }
    sleep 0.1
done
grep -q '"status":"ok"' "$B/health.json" || { cat "$B/health.json"; fail "health"; }
ok "ExecStart as user borne ($exec_start); GET /v1/health: $(head -c 160 "$B/health.json")"
kill "$(cat "$R/tmp/server.pid")"
rm -f "$R/tmp/server.pid"

in_root systemd-analyze verify /lib/systemd/system/borne-server.service \
    /lib/systemd/system/borne-server-backup.service /lib/systemd/system/borne-server-backup.timer \
    /lib/systemd/system/borne-kiosk.service >"$B/verify.log" 2>&1 ||
    { cat "$B/verify.log"; fail "systemd-analyze verify"; }
[ -s "$B/verify.log" ] && { cat "$B/verify.log"; fail "systemd-analyze verify has remarks"; }
ok "systemd-analyze verify: the four units, no remark"
exposure=$(in_root systemd-analyze security --offline=true /lib/systemd/system/borne-server.service \
    2>/dev/null | sed -n 's/.*Overall exposure level for .*: \([0-9.]*\).*/\1/p')
ok "systemd-analyze security borne-server.service: exposure $exposure"

in_root apt-get purge -y -qq borne-kiosk borne-server borne-common >>"$B/apt.log" 2>&1 ||
    { tail "$B/apt.log"; fail "apt-get purge"; }
[ -f "$R/var/lib/borne/server/authority.crt" ] || fail "purging deleted the server's state"
st /var/lib/borne borne:borne 700
ok "purged: /var/lib/borne and the server's folder are still there"
echo "check-deb: the packages install, run and leave state alone on Debian 12"
