#!/usr/bin/env bash
# Refreshes the translation: POTFILES.in from the sources, payvand.pot, then po/fa.po merged
# with the translations kept beside each part of the work (po/strings-*.fa.txt).
#   build-aux/po-update.sh        update and report what is left untranslated
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

{
  { grep -rlE '\b(_|N_|C_|NC_|ngettext|g_dngettext)\s*\(' src --include='*.c'
    grep -rl 'translatable="yes"' ui --include='*.ui'; } | LC_ALL=C sort -u
  printf '%s\n' data/org.payvand.Payvand.desktop.in data/org.payvand.Payvand.metainfo.xml.in \
                data/org.payvand.Payvand.gschema.xml
} > po/POTFILES.in

xgettext --from-code=UTF-8 --add-comments=Translators --package-name=payvand \
  --files-from=po/POTFILES.in --directory="$top" --output="$work/payvand.pot" \
  --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 --keyword=g_dngettext:2,3 \
  --keyword=ngettext:1,2 --keyword=g_dpgettext2:2c,3 --its=/usr/share/gettext/its/glib2.its \
  2>/dev/null || xgettext --from-code=UTF-8 --add-comments=Translators --package-name=payvand \
  --files-from=po/POTFILES.in --directory="$top" --output="$work/payvand.pot" \
  --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 --keyword=g_dngettext:2,3 \
  --keyword=ngettext:1,2 --keyword=g_dpgettext2:2c,3

# The strings files become one compendium (the first translation of a string wins).
for f in po/strings-*.fa.txt; do
  [ -e "$f" ] || continue
  { printf 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Plural-Forms: nplurals=2; plural=(n > 1);\\n"\n\n'; cat "$f"; } > "$work/$(basename "$f").po"
done
msgcat --use-first -o "$work/compendium.po" "$work"/strings-*.po 2>/dev/null || : > "$work/compendium.po"

# An empty translation in fa.po would hide the compendium's: only translated entries go in.
msgattrib --translated --no-obsolete -o "$work/fa-translated.po" po/fa.po
msgmerge --quiet --no-fuzzy-matching --compendium="$work/compendium.po" "$work/fa-translated.po" \
  "$work/payvand.pot" -o "$work/fa.po"
msgattrib --no-obsolete -o po/fa.po "$work/fa.po"
msgfmt --check --statistics -o /dev/null po/fa.po
msgattrib --untranslated --no-obsolete po/fa.po | grep -c '^msgid "' | sed 's/^/untranslated msgids (incl. header): /'
