#!/usr/bin/env bash
# Compiles the UE5 glue (Source/VocalSynthesis, the MetaSound node module, the core's module file) against a minimal stand-in
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
# Two Unreal Header Tool rules a compiler cannot see: a header with reflected types includes its
# own NAME.generated.h, as its last include; every UCLASS/USTRUCT has a GENERATED_BODY().
python3 - Source/VocalSynthesis/Public/*.h <<'PY' || status=1
import re, sys
bad = False
for path in sys.argv[1:]:
    text = open(path).read()
    reflected = re.findall(r"^\s*(UCLASS|USTRUCT|UENUM)\(", text, re.M)
    if not reflected:
        continue
    name = path.rsplit("/", 1)[-1][:-2]
    includes = re.findall(r'^\s*#\s*include\s*[<"]([^>"]+)[>"]', text, re.M)
    if not includes or includes[-1] != f"{name}.generated.h":
        print(f"check_ue_glue: {path}: the last #include must be \"{name}.generated.h\" (UHT)", file=sys.stderr)
        bad = True
    bodies = len(re.findall(r"^\s*GENERATED_(?:U?CLASS_|USTRUCT_)?BODY\(\)", text, re.M))
    classes = sum(1 for kind in reflected if kind != "UENUM")
    if bodies != classes:
        print(f"check_ue_glue: {path}: {classes} UCLASS/USTRUCT but {bodies} GENERATED_BODY()", file=sys.stderr)
        bad = True
sys.exit(1 if bad else 0)
PY
for editor in 1 0; do
  for source in Source/VocalSynthesis/Private/*.cpp Source/VocalSynthesisMetaSound/Private/*.cpp Source/VocalSynthesisCore/UnrealModule/*.cpp; do
    if ! "$CXX_BIN" "${flags[@]}" -DWITH_EDITOR="$editor" -DWITH_EDITORONLY_DATA="$editor" "$source"; then
      echo "check_ue_glue: $source does not compile against the UE stand-in (WITH_EDITOR=$editor)" >&2
      status=1
    fi
  done
done
[ "$status" -eq 0 ] && echo "check_ue_glue: the UE glue compiles against the engine stand-in (editor and game builds)"
exit "$status"
