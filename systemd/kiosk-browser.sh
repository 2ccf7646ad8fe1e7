#!/bin/sh
# Launched by lockerd-kiosk.service inside cage. Waits for the local kiosk page, then runs Chromium
# full screen with everything a public touch screen must not offer turned off. Policies that have no
# flag (password manager, translate, URL allow-list, dev tools) are in
# /etc/chromium/policies/managed/lockerd-kiosk.json (installed by install.sh).
set -eu
URL="${KIOSK_URL:-http://127.0.0.1:8080/kiosk}"
BROWSER=""
for b in chromium chromium-browser; do
    if command -v "$b" >/dev/null 2>&1; then BROWSER=$(command -v "$b"); break; fi
done
[ -n "$BROWSER" ] || { echo "kiosk: chromium is not installed" >&2; exit 1; }
ORIGIN=$(printf '%s' "$URL" | sed -n 's#^\(https\{0,1\}://[^/]*\).*#\1#p')

# lockerd.service is Type=notify, so it is ready when we start; this only covers a restart race.
i=0
while [ $i -lt "${KIOSK_WAIT_S:-60}" ]; do
    if python3 -c "import urllib.request,sys; urllib.request.urlopen(sys.argv[1], timeout=2)" "$ORIGIN/healthz" 2>/dev/null; then
        break
    fi
    i=$((i + 1)); sleep 1
done

exec "$BROWSER" \
    --kiosk "$URL" \
    --ozone-platform=wayland \
    --incognito \
    --no-first-run --no-default-browser-check --disable-first-run-ui \
    --noerrdialogs --disable-infobars --disable-session-crashed-bubble \
    --disable-pinch --overscroll-history-navigation=0 \
    --disable-features=Translate,TranslateUI,PasswordManagerOnboarding,MediaRouter,OverscrollHistoryNavigation,TouchpadOverscrollHistoryNavigation \
    --password-store=basic \
    --disable-background-networking --disable-component-update --disable-sync \
    --disable-default-apps --disable-extensions --disable-breakpad \
    --check-for-update-interval=31536000 \
    --host-resolver-rules="MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost" \
    --proxy-server="direct://" --proxy-bypass-list="*" \
    --autoplay-policy=no-user-gesture-required \
    --user-data-dir="${STATE_DIRECTORY:-/var/lib/lockerd-kiosk}/chromium"
