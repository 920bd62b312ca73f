// The built-in archetype an FName names, and its parameters under an emotion, for every piece of
// glue (the source effect's audio thread included): in place, with no allocation.
#pragma once

#include "CoreMinimal.h"
#include "VocalVoicePreset.h"
#include "vocalsynth/archetypes.h"
#include "vocalsynth/speech/text_frontend.h"

namespace VocalSynthesis
{
/** Names are ASCII; the engine asks for a buffer of FName::StringBufferSize (a shorter one fails hard on a long name). */
inline const vocalsynth::Archetype* FindArchetype(const FName& Name)
{
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

/** The emotion as the core and the preset files name it ("rage"). */
inline const char* CoreEmotionName(EVocalEmotion Emotion)
{
	return vocalsynth::speech::emotionName(static_cast<vocalsynth::speech::Emotion>(Emotion));
}

/** A voice's parameters (its own emotion overrides applied) under what the emotion does to any voice: the core's
 *  table, which the Python tools apply too, so a line sounds as it was previewed and baked. */
inline vocalsynth::VoiceParams WithEmotion(const vocalsynth::VoiceParams& Params, EVocalEmotion Emotion)
{
	return vocalsynth::withEmotion(Params, CoreEmotionName(Emotion));
}

/** The archetype's parameters under an emotion: its overrides, as the preset files have them, then WithEmotion. */
inline vocalsynth::VoiceParams ArchetypeParams(const vocalsynth::Archetype& Archetype, EVocalEmotion Emotion)
{
	return WithEmotion(vocalsynth::archetypeParamsFor(Archetype, CoreEmotionName(Emotion)), Emotion);
}

/** A preset asset's parameters under an emotion: its overrides, then WithEmotion. */
inline vocalsynth::VoiceParams PresetParams(const UVocalVoicePreset& Preset, EVocalEmotion Emotion)
{
	return WithEmotion(Preset.ToVoiceParams(Emotion), Emotion);
}
}  // namespace VocalSynthesis
