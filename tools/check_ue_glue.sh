#!/usr/bin/env bash
# Compiles the UE5 glue (Source/VocalSynthesis, the core's module file) against a minimal stand-in
# of the engine API (tests/ue_stand_in), syntax and types only: catches glue that has drifted from
# the core's API and C++ mistakes without an engine install. Not a UBT build (see the stand-in's
# CoreMinimal.h for what it cannot see). Warnings are errors, as with UBT's defaults for plugins.
#   tools/check_ue_glue.sh [compiler]      (default: c++)
set -euo pipefail
cd "$(dirname "$0")/.."
CXX_BIN="${1:-${CXX:-c++}}"
generated="$(mktemp -d)"
trap 'rm -rf "$generated"' EXIT
# Unreal Header Tool would write these; the stand-in's macros need nothing from them.
for header in Source/VocalSynthesis/Public/*.h; do
  : > "$generated/$(basename "${header%.h}").generated.h"
done
flags=(-std=c++20 -fsyntax-only -Wall -Wextra -Wshadow -Werror -Wno-unused-parameter
       -I tests/ue_stand_in/include -I "$generated"
       -I Source/VocalSynthesis/Public -I Source/VocalSynthesis/Private -I Source/VocalSynthesisCore/Public
       -DVOCALSYNTHESIS_API= -DVOCALSYNTH_UNREAL=1)
status=0
for editor in 1 0; do
  for source in Source/VocalSynthesis/Private/*.cpp Source/VocalSynthesisCore/UnrealModule/*.cpp; do
    if ! "$CXX_BIN" "${flags[@]}" -DWITH_EDITOR="$editor" -DWITH_EDITORONLY_DATA="$editor" "$source"; then
      echo "check_ue_glue: $source does not compile against the UE stand-in (WITH_EDITOR=$editor)" >&2
      status=1
    fi
  done
done
[ "$status" -eq 0 ] && echo "check_ue_glue: the UE glue compiles against the engine stand-in (editor and game builds)"
exit "$status"
