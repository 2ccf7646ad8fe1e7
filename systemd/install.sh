#!/bin/sh
# lockerd installer and upgrader for Raspberry Pi OS (Debian bookworm based, arm64) and Debian.
#
#   sudo systemd/install.sh [--profile NAME | --config FILE] [--kiosk]      install or upgrade
#   sudo systemd/install.sh --rollback                                      back to the previous release
#   systemd/install.sh --root /tmp/r --no-systemctl                         into a throwaway root (CI)
#
# Layout (PREFIX defaults to /opt/lockerd):
#   PREFIX/releases/<version>-<content hash>/   one virtual environment per release (+ libexec, docs)
#   PREFIX/current  -> releases/...             what the units run (switched atomically)
#   PREFIX/previous -> releases/...             what --rollback goes back to
#   /etc/lockerd/site.toml                      from firmware-config/<profile>.toml; never overwritten
#   /etc/systemd/system/lockerd*.{service,timer}
#   /var/lib/lockerd                            database, backups, keys (StateDirectory)
#
# Idempotent: a second run with the same source changes nothing. An upgrade backs the database up,
# migrates it with the new release while the service is stopped, switches `current`, and starts the
# service; if it does not come up, it switches back by itself. Needs network only for PyPI.
set -eu

PREFIX=/opt/lockerd
ROOT=/
SOURCE=
PROFILE=sim
CONFIG_FILE=
KIOSK=0
SYSTEMCTL=1
PYTHON=python3
ROLLBACK=0
IMAGE=0
WHEELHOUSE=
KEEP_RELEASES=3
DEFAULT_PREFIX=/opt/lockerd

usage() {
    sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'
    cat <<'EOF'
Options:
  --prefix DIR        install prefix (default /opt/lockerd)
  --root DIR          install into DIR as a filesystem root (files only: no users, no chown, no systemctl)
  --image             with --root: DIR is a system image (e.g. a mounted SD card): also create the users
                      and groups in DIR/etc, set ownership with DIR's ids, enable the units offline
  --source DIR        lockerd checkout to install (default: the one holding this script)
  --profile NAME      firmware-config/NAME.toml for a new /etc/lockerd/site.toml (default sim)
  --config FILE       use FILE for a new /etc/lockerd/site.toml instead of a profile
  --kiosk             also install the Chromium kiosk (cage) unit and its user
  --no-systemctl      do not run systemctl (files only)
  --python PATH       interpreter for the virtual environment (default python3, 3.11+)
  --wheelhouse DIR    install Python packages only from wheels in DIR (offline; build it with
                      `pip wheel -w DIR /path/to/lockerd` on a machine of the same architecture)
  --keep-releases N   releases kept under PREFIX/releases (default 3)
  --rollback          switch back to the previous release (restoring the pre-upgrade database
                      backup if the schema changed)
EOF
}

die() { echo "install.sh: error: $*" >&2; exit 1; }
say() { echo "install.sh: $*"; }

while [ $# -gt 0 ]; do
    case "$1" in
        --prefix) PREFIX=${2:?}; shift 2 ;;
        --prefix=*) PREFIX=${1#*=}; shift ;;
        --root) ROOT=${2:?}; shift 2 ;;
        --root=*) ROOT=${1#*=}; shift ;;
        --source) SOURCE=${2:?}; shift 2 ;;
        --profile) PROFILE=${2:?}; shift 2 ;;
        --config) CONFIG_FILE=${2:?}; shift 2 ;;
        --kiosk) KIOSK=1; shift ;;
        --no-systemctl) SYSTEMCTL=0; shift ;;
        --python) PYTHON=${2:?}; shift 2 ;;
        --keep-releases) KEEP_RELEASES=${2:?}; shift 2 ;;
        --wheelhouse) WHEELHOUSE=${2:?}; shift 2 ;;
        --rollback) ROLLBACK=1; shift ;;
        --image) IMAGE=1; shift ;;
        -h|--help) usage; exit 0 ;;
        *) usage >&2; die "unknown option $1" ;;
    esac
done

case "$PREFIX" in /*) ;; *) die "--prefix must be absolute" ;; esac
case "$KEEP_RELEASES" in ''|*[!0-9]*) die "--keep-releases must be a number" ;; esac
[ "$KEEP_RELEASES" -ge 2 ] || die "--keep-releases must be 2 or more"
ROOT=$(cd "$ROOT" 2>/dev/null && pwd) || die "--root directory does not exist"
[ "$ROOT" = / ] && R= || R=$ROOT
ON_HOST=0
if [ -z "$R" ]; then
    ON_HOST=1
    IMAGE=0
    [ "$(id -u)" = 0 ] || die "run as root (sudo), or use --root DIR for a throwaway root"
else
    SYSTEMCTL=0
    if [ "$IMAGE" = 1 ]; then
        [ -f "$R/etc/passwd" ] && [ -f "$R/etc/group" ] || die "--image: $R/etc/passwd and $R/etc/group are missing"
    fi
fi
MANAGE_USERS=0
if [ "$ON_HOST" = 1 ] || [ "$IMAGE" = 1 ]; then MANAGE_USERS=1; fi
if [ -z "$SOURCE" ]; then
    SOURCE=$(cd "$(dirname "$0")/.." && pwd)
fi
SOURCE=$(cd "$SOURCE" && pwd) || die "--source not found"
[ -f "$SOURCE/pyproject.toml" ] || die "$SOURCE is not a lockerd checkout (no pyproject.toml)"

P=$R$PREFIX
ETC=$R/etc/lockerd
UNITDIR=$R/etc/systemd/system
DATA=$R/var/lib/lockerd
SVC_USER=lockerd
KIOSK_USER=lockerd-kiosk
umask 022

as_lockerd_lk() {
    # as_lockerd_lk RELEASE_DIR ARGS...: a release's lockerd as the service user on a real host
    # (as ourselves in a throwaway root or an image)
    _rel=$1; shift
    if [ "$ON_HOST" = 1 ]; then
        runuser -u "$SVC_USER" -- "$_rel/bin/python" -I -m edge.cli.main "$@"
    else
        "$_rel/bin/python" -I -m edge.cli.main "$@"
    fi
}

lk() {
    # lk RELEASE_DIR ARGS...: run that release's lockerd. -I: never import from the current directory
    # (the installer usually runs inside the source checkout).
    _rel=$1; shift
    "$_rel/bin/python" -I -m edge.cli.main "$@"
}

schema_of_db() {
    # user_version of the database, 0 if there is none
    [ -f "$DATA/lockerd.db" ] || { echo 0; return; }
    "$1/bin/python" -I -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("PRAGMA user_version").fetchone()[0])' "$DATA/lockerd.db"
}

schema_of_release() {
    "$1/bin/python" -I -c 'from edge.store.db import SCHEMA_VERSION; print(SCHEMA_VERSION)'
}

service_active() {
    [ "$SYSTEMCTL" = 1 ] && systemctl is-active --quiet lockerd.service
}

switch_link() {
    # switch_link NAME TARGET: atomic symlink replacement
    ln -sfn "$2" "$P/.$1.new"
    mv -Tf "$P/.$1.new" "$P/$1"
}

start_service() {
    [ "$SYSTEMCTL" = 1 ] || return 0
    systemctl daemon-reload
    systemctl enable --quiet lockerd.service lockerd-backup.timer
    if [ "$KIOSK" = 1 ]; then systemctl enable --quiet lockerd-kiosk.service; fi
    # Type=notify: this returns once lockerd says READY=1 (restart: an upgrade must not keep old code)
    systemctl restart lockerd.service || return 1
    systemctl start lockerd-backup.timer
    if [ "$KIOSK" = 1 ]; then systemctl start lockerd-kiosk.service || say "warning: the kiosk did not start (journalctl -u lockerd-kiosk)"; fi
}

new_venv() {
    # With a pip >= 22.3 outside, the venv gets no pip of its own (faster, smaller; releases are immutable).
    if "$PYTHON" -c 'import pip, sys; sys.exit(0 if tuple(int(x) for x in pip.__version__.split(".")[:2]) >= (22, 3) else 1)' 2>/dev/null; then
        "$PYTHON" -m venv --without-pip "$REL"
        PIP_MODE=outer
    else
        "$PYTHON" -m venv "$REL"
        PIP_MODE=inner
    fi
}

pip_run() {
    if [ "$PIP_MODE" = outer ]; then
        "$PYTHON" -m pip --python "$REL/bin/python" --disable-pip-version-check "$@"
    else
        "$REL/bin/python" -m pip --disable-pip-version-check "$@"
    fi
}

pip_install() {
    if [ -n "$WHEELHOUSE" ]; then
        pip_run install --quiet --no-index --find-links "$WHEELHOUSE" "$@"
    else
        pip_run install --quiet "$@"
    fi
}

py_tag() { "$1" -c 'import sys; print("%d.%d" % sys.version_info[:2])'; }

site_packages() { "$1/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])'; }

reuse_deps() {
    # Seed the new venv with the current release's packages, then reinstall only lockerd itself.
    # Upgrades on a Pi then take seconds and need no network when the dependencies did not change.
    cp -a "$(site_packages "$1")/." "$(site_packages "$REL")/" || return 1
    pip_install --no-deps --force-reinstall "$STAGE" || return 1
    pip_run check >/dev/null || { say "reused dependencies are inconsistent; doing a full install"; return 1; }
}

# --- rollback -------------------------------------------------------------------------------------
if [ "$ROLLBACK" = 1 ]; then
    [ -L "$P/previous" ] || die "no previous release to roll back to"
    CUR=$(readlink "$P/current"); PREV=$(readlink "$P/previous")
    [ -f "$P/$PREV/.complete" ] || die "previous release $PREV is incomplete"
    say "rolling back from $CUR to $PREV"
    WAS_ACTIVE=0
    if service_active; then WAS_ACTIVE=1; systemctl stop lockerd.service; fi
    DBV=$(schema_of_db "$P/$PREV"); PREVV=$(schema_of_release "$P/$PREV")
    if [ "$DBV" -gt "$PREVV" ]; then
        BK=$(cat "$P/$CUR/.pre-upgrade-backup" 2>/dev/null || true)
        [ -n "$BK" ] && [ -f "$R$BK" ] || die "database schema v$DBV is newer than $PREV understands (v$PREVV) and no pre-upgrade backup is recorded"
        say "database schema v$DBV > v$PREVV: restoring the pre-upgrade backup $BK (the newer database is kept beside it)"
        as_lockerd_lk "$P/$PREV" restore "$R$BK" --data-dir "$DATA"
        if [ "$IMAGE" = 1 ]; then chown -R --reference="$DATA" "$DATA"; fi
    fi
    switch_link current "$PREV"
    switch_link previous "$CUR"
    if [ "$WAS_ACTIVE" = 1 ]; then start_service; fi
    say "now running $PREV (rollback again to return to $CUR)"
    exit 0
fi

# --- the release to install ------------------------------------------------------------------------
"$PYTHON" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' \
    || die "$PYTHON is older than 3.11"
"$PYTHON" -c 'import venv, ensurepip' 2>/dev/null \
    || die "$PYTHON cannot make virtual environments: apt install python3-venv"

SRC_PATHS="pyproject.toml README.md edge drivers cloudsync kiosk"
VERSION=$(sed -n 's/^version *= *"\(.*\)"/\1/p' "$SOURCE/pyproject.toml" | head -n1)
[ -n "$VERSION" ] || die "no version in $SOURCE/pyproject.toml"
HASH_PATHS=
for p in $SRC_PATHS firmware-config systemd docs; do
    if [ -e "$SOURCE/$p" ]; then HASH_PATHS="$HASH_PATHS $p"; fi
done
# shellcheck disable=SC2086 # word splitting of the path list is intended
HASH=$(cd "$SOURCE" && find $HASH_PATHS -type f ! -name '*.pyc' ! -path '*/__pycache__/*' ! -path '*.egg-info/*' -print0 \
    | LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum | cut -c1-12)
ID="$VERSION-$HASH"
DEPS_HASH=$(sed -n '/^dependencies *= *\[/,/^\]/p' "$SOURCE/pyproject.toml" | sha256sum | cut -c1-12)
REL=$P/releases/$ID

mkdir -p "$P/releases"
if [ -f "$REL/.complete" ]; then
    say "release $ID is already built"
else
    say "building release $ID in $REL"
    rm -rf "$REL"
    STAGE=$(mktemp -d)
    trap 'rm -rf "$STAGE"' EXIT
    for p in $SRC_PATHS; do
        if [ -e "$SOURCE/$p" ]; then cp -a "$SOURCE/$p" "$STAGE/"; fi
    done
    [ -f "$STAGE/README.md" ] || echo "lockerd" > "$STAGE/README.md"
    find "$STAGE" -name __pycache__ -type d -prune -exec rm -rf {} +
    # built in place (a venv is not relocatable); only a release with .complete is ever used.
    new_venv
    CUR_REL=
    if [ -L "$P/current" ]; then CUR_REL=$P/$(readlink "$P/current"); fi
    if [ -n "$CUR_REL" ] && [ "$(cat "$CUR_REL/.deps-hash" 2>/dev/null)" = "$DEPS_HASH" ] \
        && [ "$(py_tag "$CUR_REL/bin/python")" = "$(py_tag "$REL/bin/python")" ] && reuse_deps "$CUR_REL"; then
        say "dependencies unchanged: reused them from $(basename "$CUR_REL")"
    else
        rm -rf "$REL"
        new_venv
        pip_install "$STAGE"
        if grep -qs "Raspberry Pi" /proc/device-tree/model; then
            # gpiozero's pin factory on Bookworm (the Debian python3-lgpio is not visible in a venv)
            pip_install lgpio \
                || say "warning: could not install lgpio; GPIO banks will not work (apt install swig liblgpio-dev, retry)"
        fi
    fi
    echo "$DEPS_HASH" > "$REL/.deps-hash"
    mkdir -p "$REL/libexec/lockerd" "$REL/share/doc/lockerd" "$REL/share/lockerd"
    install -m 0755 "$SOURCE/systemd/kiosk-browser.sh" "$REL/libexec/lockerd/kiosk-browser.sh"
    for d in install.md operations.md hardware.md; do
        if [ -f "$SOURCE/docs/$d" ]; then install -m 0644 "$SOURCE/docs/$d" "$REL/share/doc/lockerd/$d"; fi
    done
    cp -a "$SOURCE/systemd" "$REL/share/lockerd/systemd"
    if [ -d "$SOURCE/firmware-config" ]; then cp -a "$SOURCE/firmware-config" "$REL/share/lockerd/firmware-config"; fi
    if [ -n "$R" ]; then
        # scripts must name the interpreter by its path once the root becomes / (DESTDIR-style)
        grep -rlZ -- "$R$PREFIX" "$REL/bin" 2>/dev/null | xargs -0 -r sed -i "s#$R$PREFIX#$PREFIX#g"
    fi
    lk "$REL" --version >/dev/null || die "the new release does not run"
    echo "$ID" > "$REL/.complete"
fi

# --- users and groups (real host, or a system image) --------------------------------------------------
# In an image the shadow tools edit DIR/etc through --prefix; checks read DIR/etc directly so a rerun
# changes nothing (usermod is only called for a missing membership).
if [ -n "$R" ]; then set -- --prefix "$R"; else set --; fi
has_group() { grep -q "^$1:" "$R/etc/group"; }
has_user() { grep -q "^$1:" "$R/etc/passwd"; }
in_group() { grep -Eq "^$1:[^:]*:[^:]*:(.*,)?$2(,.*)?$" "$R/etc/group"; }
uid_of() { awk -F: -v n="$1" '$1 == n { print $3 }' "$R/etc/passwd"; }
gid_of() { awk -F: -v n="$1" '$1 == n { print $3 }' "$R/etc/group"; }
if [ "$MANAGE_USERS" = 1 ]; then
    for g in gpio dialout; do
        has_group "$g" || groupadd "$@" --system "$g"
    done
    if ! has_user "$SVC_USER"; then
        useradd "$@" --system --user-group --home-dir /var/lib/lockerd --no-create-home \
            --shell /usr/sbin/nologin --comment "lockerd parcel locker" "$SVC_USER"
    fi
    for g in dialout gpio; do
        in_group "$g" "$SVC_USER" || usermod "$@" -a -G "$g" "$SVC_USER"
    done
    if [ "$KIOSK" = 1 ]; then
        if ! has_user "$KIOSK_USER"; then
            useradd "$@" --system --user-group --home-dir /var/lib/lockerd-kiosk --no-create-home \
                --shell /usr/sbin/nologin --comment "lockerd kiosk display" "$KIOSK_USER"
        fi
        for g in video render input; do
            if has_group "$g" && ! in_group "$g" "$KIOSK_USER"; then usermod "$@" -a -G "$g" "$KIOSK_USER"; fi
        done
    fi
    SVC_UID=$(uid_of "$SVC_USER"); SVC_GID=$(gid_of "$SVC_USER")
    [ -n "$SVC_UID" ] && [ -n "$SVC_GID" ] || die "could not create the $SVC_USER user"
fi

# --- config (never overwritten) ---------------------------------------------------------------------
mkdir -p "$ETC"
chmod 0755 "$ETC"  # as the unit's ConfigurationDirectoryMode; the files inside are 0640
if [ ! -e "$ETC/site.toml" ]; then
    if [ -n "$CONFIG_FILE" ]; then
        [ -f "$CONFIG_FILE" ] || die "--config $CONFIG_FILE not found"
        SRC_CFG=$CONFIG_FILE
    else
        SRC_CFG=$SOURCE/firmware-config/$PROFILE.toml
        [ -f "$SRC_CFG" ] || die "no profile $PROFILE (have: $(ls "$SOURCE/firmware-config" | sed -n 's/\.toml$//p' | tr '\n' ' '))"
    fi
    TMP_CFG=$ETC/.site.toml.new
    {
        echo "# Installed by lockerd install.sh from $(basename "$SRC_CFG"); edit freely: upgrades never overwrite it."
        echo "# Check it with: lockerd check-config /etc/lockerd/site.toml"
        if grep -q '^data_dir *=' "$SRC_CFG"; then
            sed 's#^data_dir *=.*#data_dir = "/var/lib/lockerd"#' "$SRC_CFG"
        else
            echo 'data_dir = "/var/lib/lockerd"'
            cat "$SRC_CFG"
        fi
    } > "$TMP_CFG"
    lk "$REL" check-config "$TMP_CFG" >/dev/null || { rm -f "$TMP_CFG"; die "$SRC_CFG is not a valid site config"; }
    chmod 0640 "$TMP_CFG"
    mv "$TMP_CFG" "$ETC/site.toml"
    say "wrote $ETC/site.toml from $(basename "$SRC_CFG"); edit it for this site"
    [ "$PROFILE" = sim ] && [ -z "$CONFIG_FILE" ] && say "note: the sim profile drives simulated doors; pick your board's profile for a real locker"
else
    say "keeping existing $ETC/site.toml"
fi
if [ "$MANAGE_USERS" = 1 ]; then chown "0:$SVC_GID" "$ETC" "$ETC/site.toml"; fi

# --- data directory and metrics token ----------------------------------------------------------------
mkdir -p "$DATA"
chmod 0750 "$DATA"
if [ ! -e "$DATA/metrics.token" ]; then
    (umask 077; "$REL/bin/python" -c 'import secrets; print(secrets.token_urlsafe(32))' > "$DATA/metrics.token")
fi
if [ "$MANAGE_USERS" = 1 ]; then chown "$SVC_UID:$SVC_GID" "$DATA" "$DATA/metrics.token"; fi

# --- units -------------------------------------------------------------------------------------------
install_file() {
    # install_file SRC DEST MODE: rewrite the prefix, replace only when the content changed
    tmp=$2.new
    if [ "$PREFIX" = "$DEFAULT_PREFIX" ]; then cp "$1" "$tmp"; else sed "s#$DEFAULT_PREFIX#$PREFIX#g" "$1" > "$tmp"; fi
    chmod "$3" "$tmp"
    if [ -f "$2" ] && cmp -s "$tmp" "$2"; then rm -f "$tmp"; else mv "$tmp" "$2"; UNITS_CHANGED=1; fi
}
UNITS_CHANGED=0
mkdir -p "$UNITDIR"
for u in lockerd.service lockerd-backup.service lockerd-backup.timer; do
    install_file "$SOURCE/systemd/$u" "$UNITDIR/$u" 0644
done
if [ "$KIOSK" = 1 ]; then
    install_file "$SOURCE/systemd/lockerd-kiosk.service" "$UNITDIR/lockerd-kiosk.service" 0644
    mkdir -p "$R/etc/pam.d" "$R/etc/chromium/policies/managed"
    install_file "$SOURCE/systemd/pam-lockerd-kiosk" "$R/etc/pam.d/lockerd-kiosk" 0644
    install_file "$SOURCE/systemd/chromium-policy.json" "$R/etc/chromium/policies/managed/lockerd-kiosk.json" 0644
fi

if [ "$IMAGE" = 1 ]; then
    # offline enable: only creates the .wants symlinks inside the image
    systemctl --root="$R" enable --quiet lockerd.service lockerd-backup.timer
    if [ "$KIOSK" = 1 ]; then systemctl --root="$R" enable --quiet lockerd-kiosk.service; fi
fi

# --- `lockerd` on the PATH (always the current release) ---------------------------------------------
mkdir -p "$R/usr/local/bin"
if [ "$(readlink "$R/usr/local/bin/lockerd" 2>/dev/null)" != "$PREFIX/current/bin/lockerd" ]; then
    ln -sfn "$PREFIX/current/bin/lockerd" "$R/usr/local/bin/lockerd"
fi

# --- switch to the new release ---------------------------------------------------------------------
OLD=
if [ -L "$P/current" ]; then OLD=$(readlink "$P/current"); fi
if [ "$OLD" = "releases/$ID" ]; then
    say "release $ID is already current"
    if [ "$SYSTEMCTL" = 1 ]; then
        if [ "$UNITS_CHANGED" = 1 ]; then systemctl daemon-reload; systemctl try-restart lockerd.service; fi
        service_active || start_service
    fi
    exit 0
fi

WAS_ACTIVE=0
if service_active; then WAS_ACTIVE=1; fi
if [ -f "$DATA/lockerd.db" ]; then
    if [ "$WAS_ACTIVE" = 1 ]; then say "stopping lockerd for the upgrade"; systemctl stop lockerd.service; fi
    BK=$(as_lockerd_lk "$REL" backup --data-dir "$DATA" --keep 30) || die "backup before upgrade failed; nothing changed"
    echo "${BK#"$R"}" > "$REL/.pre-upgrade-backup"
    say "database backed up to ${BK#"$R"}"
    if ! as_lockerd_lk "$REL" migrate --data-dir "$DATA"; then
        say "migration failed; restoring the backup and keeping $OLD"
        as_lockerd_lk "$REL" restore "$BK" --data-dir "$DATA" || true
        if [ "$WAS_ACTIVE" = 1 ]; then systemctl start lockerd.service || true; fi
        exit 1
    fi
fi
if [ "$IMAGE" = 1 ] && [ -d "$DATA" ]; then chown -R "$SVC_UID:$SVC_GID" "$DATA"; fi
if [ -n "$OLD" ]; then switch_link previous "$OLD"; fi
switch_link current "releases/$ID"
say "current -> releases/$ID${OLD:+ (previous: $OLD)}"

if [ "$SYSTEMCTL" = 1 ]; then
    if ! start_service; then
        say "lockerd did not start on $ID; rolling back"
        [ -n "$OLD" ] && exec "$0" --rollback --prefix "$PREFIX"
        exit 1
    fi
fi

# --- prune old releases (never current or previous) ------------------------------------------------
KEEP_CUR=$(readlink "$P/current" | sed 's#releases/##')
KEEP_PREV=$( (readlink "$P/previous" 2>/dev/null || true) | sed 's#releases/##')
ls -1t "$P/releases" | while read -r r; do
    case "$r" in "$KEEP_CUR"|"$KEEP_PREV"|*.tmp) continue ;; esac
    echo "$r"
done | tail -n +"$((KEEP_RELEASES - 1))" | while read -r r; do
    say "removing old release $r"
    rm -rf "${P:?}/releases/$r"
done
say "done"
