#include "SourceEffectVocalArchetype.h"

#include "VocalArchetypeLookup.h"

DEFINE_LOG_CATEGORY_STATIC(LogVocalSourceEffect, Log, All);

namespace
{
// Engines hand source effects buffers of a few hundred frames; longer ones are split.
constexpr int32 MaxFrames = 2048;
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
	if (const vocalsynth::Archetype* Found = VocalSynthesis::FindArchetype(Settings.Archetype))
	{
		Voice.voice().setParams(VocalSynthesis::ArchetypeParams(*Found, Settings.Emotion), bImmediate);
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
	if (!VocalSynthesis::FindArchetype(InSettings.Archetype))
	{
		UE_LOG(LogVocalSourceEffect, Warning, TEXT("%s: unknown archetype '%s' (the voice keeps its previous one)"), *GetName(),
			*InSettings.Archetype.ToString());
	}
	UpdateSettings(InSettings);  // the engine hands it to every playing instance's OnPresetChanged
}
