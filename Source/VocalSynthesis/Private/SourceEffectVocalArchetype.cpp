#include "SourceEffectVocalArchetype.h"

#include "UObject/UObjectIterator.h"
#include "VocalArchetypeLookup.h"
#include "VocalSynthesisStats.h"

DEFINE_LOG_CATEGORY_STATIC(LogVocalSourceEffect, Log, All);
DECLARE_CYCLE_STAT(TEXT("Archetype source effect (audio thread)"), STAT_VocalSynthesisSourceEffect, STATGROUP_VocalSynthesis);

namespace
{
// Engines hand source effects buffers of a few hundred frames; longer ones are split.
constexpr int32 MaxFrames = 2048;
}  // namespace

void FSourceEffectVocalArchetype::Init(const FSoundEffectSourceInitData& InitData)
{
	GET_EFFECT_SETTINGS(SourceEffectVocalArchetype);
	const uint32 Seed = Settings.bResolved ? Settings.ResolvedSeed : static_cast<uint32>(Settings.Seed);
	bReady = Voice.prepare(InitData.SampleRate, FMath::Clamp(InitData.NumSourceChannels, 1, 8), MaxFrames, static_cast<uint64>(Seed));
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
	if (Settings.bResolved)
	{
		Voice.voice().setParams(Settings.ResolvedParams, bImmediate);
	}
	else if (const vocalsynth::Archetype* Found = VocalSynthesis::FindArchetype(Settings.Archetype))
	{
		Voice.voice().setParams(VocalSynthesis::ArchetypeParams(*Found, Settings.Emotion), bImmediate);
	}
	Voice.voice().setIntensity({Settings.Proximity, Settings.Environment}, bImmediate);
	Voice.voice().setDetail(static_cast<vocalsynth::VoiceDetail>(Settings.Detail));
}

void FSourceEffectVocalArchetype::ProcessAudio(const FSoundEffectSourceInputData& InData, float* OutAudioBufferData)
{
	SCOPE_CYCLE_COUNTER(STAT_VocalSynthesisSourceEffect);
	if (!bReady)
	{
		// An unsupported device rate (Init failed): the sound plays dry rather than not at all.
		FMemory::Memcpy(OutAudioBufferData, InData.InputSourceEffectBufferPtr, sizeof(float) * InData.NumSamples);
		return;
	}
	bStarted = true;
	Voice.process(InData.InputSourceEffectBufferPtr, OutAudioBufferData, InData.NumSamples);
}

void FSourceEffectVocalArchetypeSettings::ResolveVoicePreset()
{
	bResolved = VoicePreset != nullptr;
	if (!bResolved) return;
	VoicePreset->ConditionalPostLoad();  // a preset loading with this one may not have run its own
	ResolvedParams = VocalSynthesis::PresetParams(*VoicePreset, Emotion);
	ResolvedSeed = static_cast<uint32>(VoicePreset->Seed) + static_cast<uint32>(Seed);
}

void USourceEffectVocalArchetypePreset::SetSettings(const FSourceEffectVocalArchetypeSettings& InSettings)
{
	FSourceEffectVocalArchetypeSettings Resolved = InSettings;
	Resolved.ResolveVoicePreset();
	if (!Resolved.bResolved && !VocalSynthesis::FindArchetype(Resolved.Archetype))
	{
		UE_LOG(LogVocalSourceEffect, Warning, TEXT("%s: unknown archetype '%s' (the voice keeps its previous one)"), *GetName(),
			*Resolved.Archetype.ToString());
	}
	UpdateSettings(Resolved);  // the engine hands it to every playing instance's OnPresetChanged
}

void USourceEffectVocalArchetypePreset::PostLoad()
{
	Super::PostLoad();
	// Before the first sound plays with it: the engine's Init then copies Settings for the audio thread.
	Settings.ResolveVoicePreset();
}

#if WITH_EDITOR
void USourceEffectVocalArchetypePreset::PostEditChangeProperty(FPropertyChangedEvent& PropertyChangedEvent)
{
	Settings.ResolveVoicePreset();
	Super::PostEditChangeProperty(PropertyChangedEvent);  // copies Settings and updates the playing sounds
}
#endif

void USourceEffectVocalArchetypePreset::VoicePresetChanged(const UVocalVoicePreset* Edited)
{
	for (TObjectIterator<USourceEffectVocalArchetypePreset> It; It; ++It)
	{
		if (It->Settings.VoicePreset.Get() == Edited) It->Settings.ResolveVoicePreset();  // what a later Init copies
		// What plays now (a Blueprint's SetSettings may have changed it from Settings).
		FSourceEffectVocalArchetypeSettings Current = It->GetSettings();
		if (Current.VoicePreset.Get() != Edited) continue;
		Current.ResolveVoicePreset();
		It->UpdateSettings(Current);
	}
}
