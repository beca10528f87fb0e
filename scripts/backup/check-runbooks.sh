#!/usr/bin/env bash
# Checks the operator documentation (under a second): every runbook in docs/runbooks/ has
# commands to copy, every bash block parses (`bash -n`, with <placeholders> filled in), and every
# script, manifest and relative link the runbooks, docs/operations/backups.md and
# deploy/cloudnative-pg/README.md mention exists.
set -euo pipefail
cd "$(dirname "$0")/../.."
problems=0
problem() {
  echo "check-runbooks: $*" >&2
  problems=$((problems + 1))
}

docs=(docs/runbooks/*.md docs/operations/backups.md deploy/cloudnative-pg/README.md)
for doc in docs/runbooks/*.md; do
  [ "$(basename "$doc")" = README.md ] && continue
  grep -q '^ *```bash' "$doc" || problem "$doc has no bash block to copy"
  grep -q "$(basename "$doc")" docs/runbooks/README.md || problem "$doc is not listed in docs/runbooks/README.md"
done

blocks=$(mktemp -d)
trap 'rm -rf "$blocks"' EXIT
for doc in "${docs[@]}"; do
  # Each fenced bash block to its own file, indentation removed, placeholders filled.
  awk -v out="$blocks/$(basename "$doc" .md)" '
    /^ *```bash/ { n++; inside = 1; next }
    /^ *```/ && inside { inside = 0; next }
    inside { sub(/^ {0,6}/, ""); gsub(/<[^<>]+>/, "PLACEHOLDER"); print > (out "-" n ".sh") }
  ' "$doc"
  while read -r path; do
    # The chart comes from another branch; its paths are checked once it is there.
    case $path in deploy/helm/*) [ -d deploy/helm ] || continue ;; esac
    [ -e "$path" ] || problem "$doc mentions $path, which does not exist"
  done < <(grep -oE '(scripts|deploy)/[A-Za-z0-9._/-]+\.(sh|yaml)' "$doc" | sort -u)
  while read -r link; do
    target=$(dirname "$doc")/${link%%#*}
    [ -e "$target" ] || problem "$doc links to $link, which does not exist"
  done < <(grep -oE '\]\([^)#:]+(#[^)]*)?\)' "$doc" | sed -E 's/^\]\(//; s/\)$//' | grep -v '^http' | sort -u)
done
for block in "$blocks"/*.sh; do
  [ -e "$block" ] || continue
  bash -n "$block" 2>/dev/null || problem "a bash block in $(basename "${block%-*}").md does not parse: $(bash -n "$block" 2>&1 | head -n 1)"
done

count=$(find "$blocks" -name '*.sh' | wc -l)
if [ "$problems" -gt 0 ]; then
  echo "check-runbooks: $problems problem(s)" >&2
  exit 1
fi
echo "check-runbooks: ${#docs[@]} documents, $count bash blocks parse, every mentioned script, manifest and link exists"
