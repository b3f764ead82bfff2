#!/bin/sh
# Fails when a file under src/ or ui/ has translatable strings (_(), N_(), C_(), NC_(),
# ngettext(), or translatable="yes" in a .ui file) but is not listed in po/POTFILES.in.
# Files are taken from git (tracked and untracked, minus ignored ones) when the tree is
# a git checkout, otherwise from find.
# Usage: check-potfiles.sh [SOURCE_ROOT]

set -u

srcroot=${1:-$(dirname "$0")/../..}
cd "$srcroot" || exit 1

potfiles=po/POTFILES.in
if [ ! -f "$potfiles" ]; then
  echo "check-potfiles: $potfiles not found in $(pwd)" >&2
  exit 1
fi

listed=$(mktemp) || exit 1
candidates=$(mktemp) || exit 1
trap 'rm -f "$listed" "$candidates"' EXIT

# POTFILES.in: one path a line; blank lines and '#' comments are allowed.
sed -e 's/#.*//' -e 's/^[[:space:]]*//' -e 's/[[:space:]]*$//' -e '/^$/d' "$potfiles" \
  | sort -u > "$listed"

if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  git ls-files --cached --others --exclude-standard -- src ui > "$candidates"
else
  find src/ ui/ -type f 2>/dev/null > "$candidates"
fi

# A translatable-string marker: a gettext macro not preceded by an identifier character
# (so foo_() is not one), with or without a space before the parenthesis.
pattern='(^|[^A-Za-z0-9_])(_|N_|C_|NC_|Q_)[[:space:]]*\(|ngettext[[:space:]]*\(|translatable="yes"'

missing=0
while IFS= read -r file; do
  [ -f "$file" ] || continue          # tracked but deleted in the working tree
  grep -qIE "$pattern" "$file" || continue
  if ! grep -qxF "$file" "$listed"; then
    echo "check-potfiles: $file has translatable strings but is not in $potfiles" >&2
    missing=$((missing + 1))
  fi
done < "$candidates"

# Entries that do not exist make `meson compile payvand-pot` fail; report them too.
stale=0
while IFS= read -r file; do
  if [ ! -f "$file" ]; then
    echo "check-potfiles: warning: $potfiles lists $file, which does not exist" >&2
    stale=$((stale + 1))
  fi
done < "$listed"

if [ "$missing" -gt 0 ]; then
  echo "check-potfiles: $missing file(s) missing from $potfiles" >&2
  exit 1
fi
echo "check-potfiles: $potfiles lists every file with translatable strings ($stale listed file(s) not present yet)"
exit 0
