#include "VocalSynthesisComponent.h"

#include "Sound/SoundWave.h"
#include "VocalArchetypeLookup.h"
#include "VocalListener.h"
#include "VocalSynthesisModule.h"
#include "VocalSynthesisSettings.h"
#include "VocalSynthesisStats.h"
#include "VocalVoicePreset.h"
#include "vocalsynth/archetypes.h"
#include "vocalsynth/lod.h"
#include "vocalsynth/npc_voice.h"
#include "vocalsynth/speech/synthesizer.h"

#include <vector>

DEFINE_LOG_CATEGORY_STATIC(LogVocalSynthesisComponent, Log, All);
DECLARE_CYCLE_STAT(TEXT("Voice render (audio thread)"), STAT_VocalSynthesisVoiceRender, STATGROUP_VocalSynthesis);
DECLARE_CYCLE_STAT(TEXT("Speak: text to phones (game thread)"), STAT_VocalSynthesisSpeak, STATGROUP_VocalSynthesis);

namespace
{
constexpr int32 MaxBlock = 2048;
constexpr int32 MaxPhonesPerLine = 4096;

/** A line's id as Blueprints see it (Speak's return, the events' LineId). Ids count up from 1 per
 *  voice; an int32 holds them for 2^31 lines. */
int32 BlueprintLineId(uint32 Line)
{
	return static_cast<int32>(Line & 0x7fffffffu);
}
}  // namespace

UVocalSynthesisComponent::UVocalSynthesisComponent(const FObjectInitializer& ObjectInitializer)
	: Super(ObjectInitializer)
{
	PrimaryComponentTick.bCanEverTick = true;  // drains word/viseme events, picks the level of detail
	NumChannels = 1;
}

// The audio thread is gone by the time the component is destroyed (the exchange only makes sure);
// NpcVoice frees what is queued.
UVocalSynthesisComponent::~UVocalSynthesisComponent()
{
	RenderNpc.exchange(nullptr);
}

bool UVocalSynthesisComponent::Init(int32& SampleRate)
{
	NumChannels = 1;
	if (Npc && DeviceSampleRate == SampleRate)
	{
		return true;  // restarted at the same rate: keep the prepared voice (the audio thread may still hold it)
	}
	DeviceSampleRate = SampleRate;
	// A new voice at the new rate. prepare() is the only place that allocates, and it runs here,
	// before the render callback can see the voice. The old one (a restart at a new device rate)
	// may still be rendering: the handoff returns it once it is not, and only then is it freed.
	TUniquePtr<vocalsynth::NpcVoice> Next = MakeUnique<vocalsynth::NpcVoice>();
	StartedSeed = VoiceSeed();
	if (!Next->prepare(SampleRate, MaxBlock, MaxPhonesPerLine, StartedSeed))
	{
		UE_LOG(LogVocalSynthesisComponent, Error, TEXT("%s: unsupported device sample rate %d (16-96 kHz)"), *GetName(), SampleRate);
		RenderNpc.exchange(nullptr);
		Npc.Reset();
		return false;
	}
	RenderNpc.exchange(Next.Get());
	Npc = MoveTemp(Next);
	PushParams(EVocalEmotion::Neutral);
	SetIntensity(Proximity, Environment);
	Npc->voice().setDetail(static_cast<vocalsynth::VoiceDetail>(Detail));
	return true;
}

uint64 UVocalSynthesisComponent::VoiceSeed() const
{
	const vocalsynth::Archetype* Found = VocalSynthesis::FindArchetype(Archetype);
	uint64 Seed = VoicePreset ? static_cast<uint64>(static_cast<uint32>(VoicePreset->Seed)) : (Found ? Found->seed : 0);
	if (bIndividualVoice)
	{
		// FNV-1a over the path (level, actor, component): the same NPC, the same individual.
		uint64 Hash = 1469598103934665603ull;
		const FString Path = GetPathName();
		for (const TCHAR* C = *Path; *C; ++C)
		{
			Hash = (Hash ^ static_cast<uint64>(*C)) * 1099511628211ull;
		}
		Seed ^= Hash;
	}
	return Seed;
}

bool UVocalSynthesisComponent::ParamsFor(EVocalEmotion Emotion, vocalsynth::VoiceParams& Out) const
{
	if (VoicePreset)
	{
		Out = VocalSynthesis::PresetParams(*VoicePreset, Emotion);
		return true;
	}
	if (const vocalsynth::Archetype* Found = VocalSynthesis::FindArchetype(Archetype))
	{
		Out = VocalSynthesis::ArchetypeParams(*Found, Emotion);
		return true;
	}
	UE_LOG(LogVocalSynthesisComponent, Warning, TEXT("%s: unknown archetype '%s'"), *GetName(), *Archetype.ToString());
	return false;
}

void UVocalSynthesisComponent::PushParams(EVocalEmotion Emotion)
{
	vocalsynth::VoiceParams Params;
	if (Npc && ParamsFor(Emotion, Params)) Npc->voice().setParams(Params);
}

void UVocalSynthesisComponent::SetArchetype(FName InArchetype)
{
	Archetype = InArchetype;
	VoicePreset = nullptr;
	PushParams(EVocalEmotion::Neutral);
}

void UVocalSynthesisComponent::SetVoicePreset(UVocalVoicePreset* InPreset)
{
	VoicePreset = InPreset;
	PushParams(EVocalEmotion::Neutral);
}

void UVocalSynthesisComponent::MorphPresets(UVocalVoicePreset* A, UVocalVoicePreset* B, float Amount)
{
	if (!Npc || !A || !B) return;
	Npc->voice().setParams(vocalsynth::morph(A->ToVoiceParams(), B->ToVoiceParams(), FMath::Clamp(Amount, 0.0f, 1.0f)));
}

void UVocalSynthesisComponent::SetIntensity(float InProximity, float InEnvironment)
{
	Proximity = FMath::Clamp(InProximity, 0.0f, 1.0f);
	Environment = FMath::Clamp(InEnvironment, 0.0f, 1.0f);
	if (Npc) Npc->voice().setIntensity({Proximity, Environment});
}

void UVocalSynthesisComponent::SetDetail(EVocalDetail InDetail)
{
	bAutomaticDetail = false;
	Detail = InDetail;
	if (Npc) Npc->voice().setDetail(static_cast<vocalsynth::VoiceDetail>(Detail));
}

void UVocalSynthesisComponent::UpdateDetailFromListener()
{
	FVector ListenerLocation;
	FRotator ListenerRotation;
	if (!Npc || !VocalSynthesis::GetListenerPose(GetWorld(), ListenerLocation, ListenerRotation)) return;
	const float DistanceMeters = FVector::Dist(GetComponentLocation(), ListenerLocation) / 100.0f;  // UE units are cm
	const UVocalSynthesisSettings& Settings = UVocalSynthesisSettings::Get();
	const int Tier = vocalsynth::lodTierForDistance(DistanceMeters, static_cast<int>(Detail),
		{Settings.NearDistanceMeters, Settings.MidDistanceMeters, Settings.Hysteresis});
	if (Tier != static_cast<int>(Detail))
	{
		Detail = static_cast<EVocalDetail>(Tier);
		Npc->voice().setDetail(static_cast<vocalsynth::VoiceDetail>(Tier));  // lock-free; cross-fades on the audio thread
	}
}

int32 UVocalSynthesisComponent::Speak(const FString& Text, EVocalEmotion Emotion, bool bInterrupt)
{
	return QueueLine(Text, Emotion, bInterrupt, nullptr, 0.0f, 0.0f);
}

int32 UVocalSynthesisComponent::SpeakTransforming(const FString& Text, UVocalVoicePreset* Target, float StartSeconds,
	float EndSeconds, EVocalEmotion Emotion, bool bInterrupt)
{
	if (!Target)
	{
		UE_LOG(LogVocalSynthesisComponent, Warning, TEXT("%s: SpeakTransforming needs a Target preset"), *GetName());
		return 0;
	}
	return QueueLine(Text, Emotion, bInterrupt, Target, StartSeconds, EndSeconds);
}

int32 UVocalSynthesisComponent::QueueLine(const FString& Text, EVocalEmotion Emotion, bool bInterrupt,
	UVocalVoicePreset* Target, float StartSeconds, float EndSeconds)
{
	SCOPE_CYCLE_COUNTER(STAT_VocalSynthesisSpeak);
	if (!Npc) return 0;
	// Parsing allocates: it happens here, on the game thread.
	// The voice's speech settings (a preset asset's, or the built-in archetype's own), then this
	// NPC's individual variation of them.
	vocalsynth::speech::SpeakerSettings Speaker;
	if (VoicePreset)
	{
		Speaker.basePitchHz = VoicePreset->BasePitchHz;
		Speaker.tractLengthCm = VoicePreset->TractLengthCm;
		Speaker.breathiness = VoicePreset->Breathiness;
		Speaker.rate = VoicePreset->Rate;
	}
	else if (const vocalsynth::Archetype* Found = VocalSynthesis::FindArchetype(Archetype))
	{
		Speaker.basePitchHz = Found->speech.basePitchHz;
		Speaker.tractLengthCm = Found->speech.tractLengthCm;
		Speaker.breathiness = Found->speech.breathiness;
		Speaker.rate = Found->speech.rate;
	}
	const vocalsynth::speech::SpeakerSettings VoiceSpeaker = Speaker;  // before this NPC's variation
	if (bIndividualVoice) Speaker = vocalsynth::speech::varySpeaker(Speaker, StartedSeed, VoiceVariation);
	vocalsynth::speech::FrontEndResult Result = vocalsynth::speech::buildUtterance(
		TCHAR_TO_UTF8(*Text), FVocalSynthesisModule::GetLexicon(), Speaker, static_cast<vocalsynth::speech::Emotion>(Emotion));
	if (!Result.ok())
	{
		UE_LOG(LogVocalSynthesisComponent, Warning, TEXT("%s: cannot speak \"%s\": %s"), *GetName(), *Text, UTF8_TO_TCHAR(Result.error.c_str()));
		return 0;
	}
	if (bInterrupt) Npc->stop(0.05f);  // the line queued next plays once the fade is over
	// The emotion's voice is taken when this line starts, so a line still playing keeps its own.
	vocalsynth::VoiceParams Params;
	const bool bHasParams = ParamsFor(Emotion, Params);
	vocalsynth::LineMorph Morph;
	if (Target && bHasParams)
	{
		// As the Python tools turn a line: the pitch by the two presets' speakers (an individual stays
		// itself), the target chain's formants by their tracts, over the asked span of the line.
		const double Length = Result.utterance.totalMs() / 1000.0;
		Morph.endSeconds = EndSeconds > 0.0f ? FMath::Min<double>(EndSeconds, 3600.0) : Length;
		Morph.startSeconds = FMath::Clamp<double>(StartSeconds, 0.0, Morph.endSeconds);
		vocalsynth::speech::glidePitch(Result.utterance, Target->BasePitchHz / FMath::Max(VoiceSpeaker.basePitchHz, 1.0f),
			static_cast<float>(Morph.startSeconds * 1000.0), static_cast<float>(Morph.endSeconds * 1000.0));
		Morph.to = vocalsynth::withSpeakerTract(VocalSynthesis::PresetParams(*Target, Emotion), VoiceSpeaker.tractLengthCm,
			Target->TractLengthCm);
	}
	const uint32 LineId = Npc->speak(Result.utterance, bHasParams ? &Params : nullptr, Target && bHasParams ? &Morph : nullptr);
	if (LineId == 0)
	{
		UE_LOG(LogVocalSynthesisComponent, Warning, TEXT("%s: cannot queue \"%s\" (too long, or too many lines queued)"), *GetName(), *Text);
		return 0;
	}
	TArray<FString>& Words = WordsByLine.Add(LineId);
	for (const auto& Word : Result.utterance.words) Words.Add(UTF8_TO_TCHAR(Word.text.c_str()));
	if (!IsPlaying()) Start();
	return BlueprintLineId(LineId);
}

bool UVocalSynthesisComponent::PlayAnchor(const TArray<float>& MonoSamples, int32 SampleRate)
{
	if (!Npc || MonoSamples.Num() == 0 || SampleRate <= 0) return false;
	// Resample to the device rate here (linear; anchors are speech), not on the audio thread.
	const double Step = static_cast<double>(SampleRate) / DeviceSampleRate;
	const int32 Count = static_cast<int32>(MonoSamples.Num() / Step);
	std::vector<float> Samples(static_cast<size_t>(Count));
	for (int32 I = 0; I < Count; ++I)
	{
		const double Source = I * Step;
		const int32 I0 = FMath::Min(static_cast<int32>(Source), MonoSamples.Num() - 1);
		const int32 I1 = FMath::Min(I0 + 1, MonoSamples.Num() - 1);
		Samples[static_cast<size_t>(I)] = FMath::Lerp(MonoSamples[I0], MonoSamples[I1], static_cast<float>(Source - I0));
	}
	if (!Npc->playAnchor(std::move(Samples))) return false;
	if (!IsPlaying()) Start();
	return true;
}

bool UVocalSynthesisComponent::PlaySoundWave(USoundWave* Wave)
{
	if (!Wave) return false;
#if WITH_EDITOR
	// The editor keeps each wave's imported 16-bit PCM; read it, downmix, and play it as an anchor.
	TArray<uint8> Pcm16;
	uint32 Rate = 0;
	uint16 Channels = 0;
	if (!Wave->GetImportedSoundWaveData(Pcm16, Rate, Channels) || Channels == 0 || Rate == 0)
	{
		UE_LOG(LogVocalSynthesisComponent, Warning, TEXT("%s: %s has no imported PCM data"), *GetName(), *Wave->GetName());
		return false;
	}
	const int16* Samples = reinterpret_cast<const int16*>(Pcm16.GetData());
	const int32 Frames = Pcm16.Num() / (2 * Channels);
	TArray<float> Mono;
	Mono.SetNumUninitialized(Frames);
	for (int32 F = 0; F < Frames; ++F)
	{
		float Sum = 0.0f;
		for (int32 C = 0; C < Channels; ++C) Sum += Samples[F * Channels + C] / 32768.0f;
		Mono[F] = Sum / Channels;
	}
	return PlayAnchor(Mono, static_cast<int32>(Rate));
#else
	UE_LOG(LogVocalSynthesisComponent, Warning,
		TEXT("%s: PlaySoundWave reads a wave's imported PCM, which only the editor keeps; in cooked builds pass samples to PlayAnchor"),
		*GetName());
	return false;
#endif
}

void UVocalSynthesisComponent::StopSpeaking(float FadeSeconds)
{
	if (Npc) Npc->stop(FadeSeconds);  // lock-free: the audio thread takes it at its next block
}

bool UVocalSynthesisComponent::IsSpeaking() const
{
	return Npc && Npc->linesInFlight() > 0;
}

int32 UVocalSynthesisComponent::OnGenerateAudio(float* OutAudio, int32 NumSamples)
{
	SCOPE_CYCLE_COUNTER(STAT_VocalSynthesisVoiceRender);
	// Audio render thread: lines, clips and the archetype chain, with no lock and no allocation.
	// The voice comes through the handoff, never from Npc (the game thread may be replacing it).
	if (vocalsynth::NpcVoice* Voice = RenderNpc.acquire())
	{
		Voice->render(OutAudio, NumSamples);
	}
	else
	{
		FMemory::Memzero(OutAudio, NumSamples * sizeof(float));
	}
	RenderNpc.release();
	return NumSamples;
}

void UVocalSynthesisComponent::TickComponent(float DeltaTime, ELevelTick TickType, FActorComponentTickFunction* ThisTickFunction)
{
	Super::TickComponent(DeltaTime, TickType, ThisTickFunction);
	if (!Npc) return;
	if (bAutomaticDetail) UpdateDetailFromListener();
	vocalsynth::NpcVoiceEvent Batch[64];
	for (int32 N = Npc->popEvents(Batch, 64); N > 0; N = Npc->popEvents(Batch, 64))
	{
		for (int32 I = 0; I < N; ++I)
		{
			const vocalsynth::NpcVoiceEvent& Event = Batch[I];
			switch (Event.type)
			{
			case vocalsynth::NpcVoiceEvent::Type::Word:
			{
				const TArray<FString>* Words = WordsByLine.Find(Event.line);
				OnWord.Broadcast(BlueprintLineId(Event.line), Event.index, Words && Words->IsValidIndex(Event.index) ? (*Words)[Event.index] : FString());
				break;
			}
			case vocalsynth::NpcVoiceEvent::Type::Viseme:
				OnViseme.Broadcast(BlueprintLineId(Event.line), FName(UTF8_TO_TCHAR(vocalsynth::speech::visemeName(Event.index))));
				break;
			case vocalsynth::NpcVoiceEvent::Type::LineFinished:
				WordsByLine.Remove(Event.line);
				OnLineFinished.Broadcast(BlueprintLineId(Event.line));
				break;
			case vocalsynth::NpcVoiceEvent::Type::LineStopped:
				WordsByLine.Remove(Event.line);
				OnLineStopped.Broadcast(BlueprintLineId(Event.line));
				break;
			}
		}
	}
}
