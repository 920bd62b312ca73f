// The built-in archetype an FName names, for every piece of glue (the source effect's audio thread
// included): in place, with no allocation. Names are ASCII.
#pragma once

#include "CoreMinimal.h"
#include "vocalsynth/archetypes.h"

namespace VocalSynthesis
{
inline const vocalsynth::Archetype* FindArchetype(const FName& Name)
{
	// The engine asks for a buffer of FName::StringBufferSize (a shorter one fails hard on a long name).
	TCHAR Wide[FName::StringBufferSize];
	const uint32 Length = Name.ToString(Wide);
	char Narrow[64];
	if (Length >= UE_ARRAY_COUNT(Narrow)) return nullptr;  // longer than any archetype's name
	for (uint32 I = 0; I <= Length; ++I)
	{
		Narrow[I] = Wide[I] < 128 ? static_cast<char>(Wide[I]) : '?';
	}
	return vocalsynth::findArchetype(Narrow);
}
}  // namespace VocalSynthesis
