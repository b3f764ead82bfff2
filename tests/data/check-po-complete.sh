#!/bin/sh
# Fails when po/fa.po is not current or not complete: a string of the sources missing from
# it, untranslated, or fuzzy. The sources' strings are extracted afresh with xgettext from
# po/POTFILES.in, so a string added to the code without its Persian fails here.
# Usage: check-po-complete.sh SOURCE_ROOT

set -u
cd "${1:-$(dirname "$0")/../..}" || exit 1

work=$(mktemp -d) || exit 1
trap 'rm -rf "$work"' EXIT

xgettext --from-code=UTF-8 --files-from=po/POTFILES.in --directory=. --output="$work/payvand.pot" \
  --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 --keyword=g_dngettext:2,3 \
  --keyword=ngettext:1,2 --keyword=g_dpgettext2:2c,3 2>"$work/xgettext.log" ||
  { cat "$work/xgettext.log" >&2; exit 1; }

msgmerge --quiet --no-fuzzy-matching po/fa.po "$work/payvand.pot" -o "$work/fa.po" || exit 1
stats=$(LC_ALL=C msgfmt --statistics -o /dev/null "$work/fa.po" 2>&1)
case "$stats" in
  *untranslated*|*fuzzy*)
  echo "po/fa.po: $stats (run build-aux/po-update.sh):" >&2
  msgattrib --untranslated --no-obsolete --no-location "$work/fa.po" | grep '^msgid' | head -40 >&2
  exit 1 ;;
esac
echo "po/fa.po: complete: $stats"
