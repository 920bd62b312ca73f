#include "SourceEffectVocalArchetype.h"

#include "vocalsynth/archetypes.h"
#include "vocalsynth/speech/text_frontend.h"

DEFINE_LOG_CATEGORY_STATIC(LogVocalSourceEffect, Log, All);

namespace
{
// Engines hand source effects buffers of a few hundred frames; longer ones are split.
constexpr int32 MaxFrames = 2048;

// The archetype for a name, with no allocation (the audio thread calls it): names are ASCII. The
// engine asks for a buffer of FName::StringBufferSize (a shorter one fails hard on a long name).
const vocalsynth::Archetype* FindArchetype(const FName& Name)
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
}  // namespace

void FSourceEffectVocalArchetype::Init(const FSoundEffectSourceInitData& InitData)
{
	GET_EFFECT_SETTINGS(SourceEffectVocalArchetype);
	bReady = Voice.prepare(InitData.SampleRate, FMath::Clamp(InitData.NumSourceChannels, 1, 8), MaxFrames,
		static_cast<uint64>(static_cast<uint32>(Settings.Seed)));
	if (bReady) Apply(Settings, true);
}

void FSourceEffectVocalArchetype::OnPresetChanged()
{
	GET_EFFECT_SETTINGS(SourceEffectVocalArchetype);
	// Before the first buffer the voice starts on the settings (the preset may not have been
	// known at Init); after it, they glide in.
	if (bReady) Apply(Settings, !bStarted);
}

void FSourceEffectVocalArchetype::Apply(const FSourceEffectVocalArchetypeSettings& Settings, bool bImmediate)
{
	// An unknown name keeps the voice it had (SetSettings logs it on the game thread).
	if (const vocalsynth::Archetype* Found = FindArchetype(Settings.Archetype))
	{
		Voice.voice().setParams(vocalsynth::archetypeParamsFor(*Found, vocalsynth::speech::emotionName(static_cast<vocalsynth::speech::Emotion>(Settings.Emotion))), bImmediate);
	}
	Voice.voice().setIntensity({Settings.Proximity, Settings.Environment}, bImmediate);
	Voice.voice().setDetail(static_cast<vocalsynth::VoiceDetail>(Settings.Detail));
}

void FSourceEffectVocalArchetype::ProcessAudio(const FSoundEffectSourceInputData& InData, float* OutAudioBufferData)
{
	if (!bReady)
	{
		// An unsupported device rate (Init failed): the sound plays dry rather than not at all.
		FMemory::Memcpy(OutAudioBufferData, InData.InputSourceEffectBufferPtr, sizeof(float) * InData.NumSamples);
		return;
	}
	bStarted = true;
	Voice.process(InData.InputSourceEffectBufferPtr, OutAudioBufferData, InData.NumSamples);
}

void USourceEffectVocalArchetypePreset::SetSettings(const FSourceEffectVocalArchetypeSettings& InSettings)
{
	if (!FindArchetype(InSettings.Archetype))
	{
		UE_LOG(LogVocalSourceEffect, Warning, TEXT("%s: unknown archetype '%s' (the voice keeps its previous one)"), *GetName(),
			*InSettings.Archetype.ToString());
	}
	UpdateSettings(InSettings);  // the engine hands it to every playing instance's OnPresetChanged
}
