#!/usr/bin/env bash
# Runs the Bicep CLI with the given arguments. `tools/bicep/bicep.sh --which` prints the
# executable it would run instead.
#
# The Bicep CLI is not on npm. It is taken from the first of:
#   1. $BICEP, a path to a bicep executable;
#   2. `bicep` on PATH, or the copy the Azure CLI keeps in ~/.azure/bin (installed or
#      upgraded with `az bicep install|upgrade` when needed), if it is at least
#      $BICEP_MIN_VERSION (the snapshots need it);
#   3. the NuGet package Azure.Bicep.CommandLine.<rid> at $BICEP_VERSION, fetched by a
#      download-only restore with the .NET SDK into .tools/bicep/ (git-ignored) and reused
#      from there. Nothing is downloaded outside the NuGet registry.
# CI (CI=true) and BICEP_FROM_NUGET=1 skip step 2, so CI always runs the pinned version.
set -euo pipefail

BICEP_VERSION="${BICEP_VERSION:-0.49.2}"
BICEP_MIN_VERSION="${BICEP_MIN_VERSION:-0.41.0}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CACHE="${BICEP_CACHE_DIR:-$ROOT/.tools/bicep}"

say() { echo "bicep.sh: $*" >&2; }

version_of() { # prints X.Y.Z of a bicep executable, or nothing
  "$1" --version 2>/dev/null | sed -n 's/.*version \([0-9][0-9.]*\).*/\1/p' | head -n 1
}

at_least() { # at_least A B: is version A >= version B?
  [ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n 1)" = "$2" ]
}

rid() {
  local os arch
  case "$(uname -s)" in
    Linux) os=linux ;;
    Darwin) os=osx ;;
    *) say "unsupported OS $(uname -s): put bicep on PATH or set BICEP"; exit 1 ;;
  esac
  case "$(uname -m)" in
    x86_64 | amd64) arch=x64 ;;
    aarch64 | arm64) arch=arm64 ;;
    *) say "unsupported CPU $(uname -m): put bicep on PATH or set BICEP"; exit 1 ;;
  esac
  echo "$os-$arch"
}

from_nuget() {
  local id package dir exe
  id="Azure.Bicep.CommandLine.$(rid)"
  package="$(echo "$id" | tr '[:upper:]' '[:lower:]')"
  dir="$CACHE/packages/$package/$BICEP_VERSION"
  exe="$dir/tools/bicep"
  if [ ! -x "$exe" ] || [ ! -f "$dir/.nupkg.metadata" ]; then
    command -v dotnet >/dev/null 2>&1 || {
      say "no bicep (>= $BICEP_MIN_VERSION) on PATH and no .NET SDK to restore $id: install one of them"
      exit 1
    }
    local tfm started
    tfm="net$(dotnet --version | cut -d. -f1).0"
    mkdir -p "$CACHE/restore"
    # A project that only downloads the package: nothing is built or run by the restore.
    cat >"$CACHE/restore/restore.csproj" <<EOF
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <TargetFramework>$tfm</TargetFramework>
  </PropertyGroup>
  <ItemGroup>
    <PackageDownload Include="$id" Version="[$BICEP_VERSION]" />
  </ItemGroup>
</Project>
EOF
    say "restoring $id $BICEP_VERSION from NuGet into ${CACHE#"$ROOT"/}"
    started=$(date +%s)
    DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1 \
      NUGET_HTTP_CACHE_PATH="$CACHE/http-cache" \
      dotnet restore "$CACHE/restore/restore.csproj" --packages "$CACHE/packages" --nologo --verbosity quiet </dev/null >&2
    chmod +x "$exe"
    rm -rf "$CACHE/http-cache" "$CACHE/restore/obj"
    say "restored in $(($(date +%s) - started)) s"
  fi
  echo "$exe"
}

find_bicep() {
  if [ -n "${BICEP:-}" ]; then
    echo "$BICEP"
    return
  fi
  if [ "${CI:-}" != "true" ] && [ "${BICEP_FROM_NUGET:-}" != "1" ]; then
    local candidate version
    for candidate in "$(command -v bicep 2>/dev/null || true)" "$HOME/.azure/bin/bicep"; do
      [ -n "$candidate" ] && [ -x "$candidate" ] || continue
      version="$(version_of "$candidate")"
      if [ -n "$version" ] && at_least "$version" "$BICEP_MIN_VERSION"; then
        echo "$candidate"
        return
      fi
      say "ignoring $candidate (version ${version:-unknown}, need >= $BICEP_MIN_VERSION)"
    done
    # The Azure CLI installs (or upgrades) its own copy on request.
    local action=install
    [ -x "$HOME/.azure/bin/bicep" ] && action=upgrade
    if command -v az >/dev/null 2>&1 && az bicep "$action" --only-show-errors </dev/null >&2 2>&1; then
      version="$(version_of "$HOME/.azure/bin/bicep")"
      if [ -n "$version" ] && at_least "$version" "$BICEP_MIN_VERSION"; then
        echo "$HOME/.azure/bin/bicep"
        return
      fi
    fi
  fi
  from_nuget
}

exe="$(find_bicep)"
if [ "${1:-}" = "--which" ]; then
  echo "$exe"
  exit 0
fi
exec "$exe" "$@"
