#!/usr/bin/env bash
# Vendor the Swagger UI and ReDoc bundles that /docs and /redoc serve (no CDN: the pages
# work offline). Fetches the npm packages into a temp dir and copies only what is served,
# with the licences. Run from the repository root; commit the result.
set -euo pipefail

SWAGGER_UI=5.36.0   # npm swagger-ui-dist
REDOC=2.5.4         # npm redoc (2.x: a classic script; 3.x needs <script type="module">)

DEST=src/orderhub/surfaces/openapi/static
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

(cd "$WORK" && npm pack --silent "swagger-ui-dist@$SWAGGER_UI" "redoc@$REDOC" >/dev/null)
mkdir -p "$WORK/swagger" "$WORK/redoc" "$DEST/swagger-ui" "$DEST/redoc"
tar xzf "$WORK/swagger-ui-dist-$SWAGGER_UI.tgz" -C "$WORK/swagger"
tar xzf "$WORK/redoc-$REDOC.tgz" -C "$WORK/redoc"

for f in swagger-ui-bundle.js swagger-ui-bundle.js.LICENSE.txt swagger-ui.css \
    favicon-32x32.png LICENSE NOTICE; do
  cp "$WORK/swagger/package/$f" "$DEST/swagger-ui/$f"
done
cp "$WORK/redoc/package/bundles/redoc.standalone.js" "$DEST/redoc/"
cp "$WORK/redoc/package/bundles/redoc.standalone.js.LICENSE.txt" "$DEST/redoc/"
cp "$WORK/redoc/package/LICENSE" "$DEST/redoc/"

cat > "$DEST/VERSIONS" <<VERSIONS
swagger-ui-dist $SWAGGER_UI (Apache-2.0, swagger-ui/LICENSE and NOTICE)
redoc $REDOC (MIT, redoc/LICENSE)
Fetched from the npm registry by scripts/vendor_docs_assets.sh; files copied unchanged.
VERSIONS
echo "vendored swagger-ui-dist $SWAGGER_UI and redoc $REDOC into $DEST"
