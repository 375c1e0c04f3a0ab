#!/bin/sh
# mirror → check → build → publish, for one office's portal, unattended.
# Any failure stops the script (set -e) before `bundle build` writes, so the
# bundle kiosks already have stays published. Exit codes of `gongkai mirror`:
# 0 ok, 1 crawl refused (content untouched), 2 usage, 3 ok but items held for
# review or failed (published without them; read `gongkai mirror review`).
#
# Settings come from the environment (see gongkai-mirror.service):
#   GONGKAI_SITE     the portal, e.g. https://www.example.gov.cn/yjzjj/
#   GONGKAI_CONTENT  the content folder the mirror owns, e.g. /srv/gongkai/content
#   GONGKAI_KEY      the office's private signing key (PEM)
#   GONGKAI_PUB      its public key, to verify what was published
#   GONGKAI_OUT      the bundle folder the web server publishes, e.g. /srv/www/bundles/office
#   GONGKAI_BUNDLE_ID  the bundle id kiosks are configured for (default: office)
#   GONGKAI_BIN      the CLI (default: gongkai)
#   GONGKAI_MIRROR_OPTS  extra mirror options, e.g. "--categories 721,722"
set -eu

: "${GONGKAI_SITE:?set GONGKAI_SITE}" "${GONGKAI_CONTENT:?set GONGKAI_CONTENT}"
: "${GONGKAI_KEY:?set GONGKAI_KEY}" "${GONGKAI_PUB:?set GONGKAI_PUB}" "${GONGKAI_OUT:?set GONGKAI_OUT}"
GK=${GONGKAI_BIN:-gongkai}

# 1. Mirror. Exit 3 (items held for review) still publishes the others.
rc=0
# shellcheck disable=SC2086
"$GK" mirror gkmlpt "$GONGKAI_SITE" --out "$GONGKAI_CONTENT" ${GONGKAI_MIRROR_OPTS:-} || rc=$?
case "$rc" in
  0) ;;
  3) echo "gongkai-mirror: items held for review or failed; run: $GK mirror review $GONGKAI_CONTENT" >&2 ;;
  *)
    echo "gongkai-mirror: mirror refused the crawl (exit $rc); the published bundle stays" >&2
    exit "$rc"
    ;;
esac

# 2. The same gate as hand-made content (exit 1 on any error; build would refuse too).
"$GK" content check "$GONGKAI_CONTENT" --quiet > /dev/null

# 3. Build and sign straight into the published folder: objects first, the
#    signed manifest last, so kiosks see either the old or the new bundle.
"$GK" bundle build "$GONGKAI_CONTENT" --key "$GONGKAI_KEY" --out "$GONGKAI_OUT" \
  --bundle-id "${GONGKAI_BUNDLE_ID:-office}" --quiet

# 4. Verify what is now published.
"$GK" bundle verify "$GONGKAI_OUT" --pub "$GONGKAI_PUB" > /dev/null
echo "gongkai-mirror: published $(date -u +%Y-%m-%dT%H:%MZ)"
exit "$rc"
