#include "VocalCrowdComponent.h"

#include "VocalArchetypeLookup.h"
#include "VocalListener.h"
#include "VocalSynthesisSettings.h"
#include "VocalSynthesisStats.h"
#include "vocalsynth/archetypes.h"
#include "vocalsynth/crowd/crowd_engine.h"

DEFINE_LOG_CATEGORY_STATIC(LogVocalCrowd, Log, All);
DECLARE_CYCLE_STAT(TEXT("Crowd render (audio thread)"), STAT_VocalSynthesisCrowdRender, STATGROUP_VocalSynthesis);

namespace
{
constexpr int32 MaxBlock = 2048;

vocalsynth::CrowdStyle StyleFor(EVocalCrowdStyle Style)
{
	vocalsynth::CrowdStyle S;  // Chatter: the defaults
	if (Style == EVocalCrowdStyle::Moan)
	{
		S.syllablesPerSecond = 0.7f;
		S.pauseProbability = 0.3f;
		S.intonation = 0.15f;
		S.vowelSpread = 0.3f;
	}
	else if (Style == EVocalCrowdStyle::Growl)
	{
		S.syllablesPerSecond = 1.5f;
		S.pauseProbability = 0.1f;
		S.intonation = 0.1f;
		S.vowelSpread = 0.2f;
	}
	return S;
}

vocalsynth::CrowdVoiceHandle ToCore(const FVocalCrowdVoice& Voice)
{
	return {static_cast<uint32>(Voice.Slot), static_cast<uint32>(Voice.Generation)};
}
}  // namespace

UVocalCrowdComponent::UVocalCrowdComponent(const FObjectInitializer& ObjectInitializer)
	: Super(ObjectInitializer)
{
	PrimaryComponentTick.bCanEverTick = true;  // listener-relative positions, finished voices
	NumChannels = 2;
	bAllowSpatialization = false;  // the crowd pans and attenuates every voice itself
}

UVocalCrowdComponent::~UVocalCrowdComponent()
{
	RenderEngine.exchange(nullptr);  // (the audio thread is gone by now; this only makes sure)
}

bool UVocalCrowdComponent::Init(int32& SampleRate)
{
	NumChannels = 2;
	if (Engine && static_cast<int32>(Engine->sampleRate()) == SampleRate) return true;
	const UVocalSynthesisSettings& Settings = UVocalSynthesisSettings::Get();
	// A new engine at the new rate, prepared (the only call that allocates) before the render
	// callback can see it; the old one is freed once it is not rendering (RenderHandoff).
	TUniquePtr<vocalsynth::CrowdEngine> Next = MakeUnique<vocalsynth::CrowdEngine>();
	if (!Next->prepare(SampleRate, MaxBlock, FMath::Clamp(Settings.CrowdCapacity, 1, 65536)))
	{
		UE_LOG(LogVocalCrowd, Error, TEXT("%s: unsupported device sample rate %d (16-96 kHz)"), *GetName(), SampleRate);
		RenderEngine.exchange(nullptr);
		Engine.Reset();
		return false;
	}
	vocalsynth::CrowdLodSettings Lod;
	Lod.nearDistanceM = Settings.NearDistanceMeters;
	Lod.midDistanceM = Settings.MidDistanceMeters;
	Lod.hysteresis = Settings.Hysteresis;
	Lod.maxNear = Settings.MaxNearVoices;
	Lod.maxMid = Settings.MaxMidVoices;
	Lod.budgetMicros = Settings.CrowdBudgetMicroseconds;
	Lod.transitionSeconds = Settings.TransitionSeconds;
	Next->setLodSettings(Lod);
	if (Left.Num() != MaxBlock)  // once, before any render: a render may be using them on a restart
	{
		Left.SetNumZeroed(MaxBlock);
		Right.SetNumZeroed(MaxBlock);
	}
	RenderEngine.exchange(Next.Get());
	Engine = MoveTemp(Next);
	// A restart's new engine starts empty: the old engine's voices ended with it (their handles
	// would name the new engine's slots).
	TArray<FVocalCrowdVoice> Ended;
	for (const auto& Pair : Live) Ended.Add(Pair.Value.Key);
	Live.Reset();
	for (const FVocalCrowdVoice& Voice : Ended) OnVoiceFinished.Broadcast(Voice);
	UE_LOG(LogVocalCrowd, Log, TEXT("%s: crowd of %d voices, %s path (%d lanes)"), *GetName(), Engine->capacity(),
		UTF8_TO_TCHAR(vocalsynth::simdPathName(Engine->simdPath())), Engine->laneWidth());
	return true;
}

void UVocalCrowdComponent::PushPosition(const FVocalCrowdVoice& Voice, const FVector& WorldLocation,
	const FVector& ListenerLocation, const FRotator& ListenerRotation)
{
	const FVector ToVoice = WorldLocation - ListenerLocation;
	const float DistanceMeters = ToVoice.Size() / 100.0f;  // UE units are cm
	const float Front = FVector::DotProduct(ToVoice, ListenerRotation.Vector());
	const float Side = FVector::DotProduct(ToVoice, FRotationMatrix(ListenerRotation).GetScaledAxis(EAxis::Y));
	float Azimuth = FMath::RadiansToDegrees(FMath::Atan2(Side, Front));  // +90 = right
	if (Azimuth > 90.0f) Azimuth = 180.0f - Azimuth;                     // stereo: fold the rear onto the front
	if (Azimuth < -90.0f) Azimuth = -180.0f - Azimuth;
	Engine->setVoicePosition(ToCore(Voice), DistanceMeters, Azimuth);
}

FVocalCrowdVoice UVocalCrowdComponent::StartVoice(FName Archetype, UVocalVoicePreset* Preset, FVector WorldLocation,
	int32 Priority, EVocalCrowdStyle Style, float DurationSeconds, int32 Seed, int32 Cluster)
{
	FVocalCrowdVoice Result;
	if (!Engine) return Result;
	vocalsynth::VoiceParams Params;
	if (Preset)
	{
		Params = Preset->ToVoiceParams();
	}
	else if (const vocalsynth::Archetype* Found = VocalSynthesis::FindArchetype(Archetype))
	{
		Params = Found->params;
	}
	else
	{
		UE_LOG(LogVocalCrowd, Warning, TEXT("%s: unknown archetype '%s'"), *GetName(), *Archetype.ToString());
		return Result;
	}
	vocalsynth::CrowdVoiceDesc Desc;
	Desc.profile = vocalsynth::makeCrowdProfile(Params, StyleFor(Style));
	Desc.priority = Priority;
	Desc.durationSeconds = FMath::Max(0.0f, DurationSeconds);
	Desc.seed = static_cast<uint64>(Seed);
	Desc.cluster = FMath::Clamp(Cluster, 0, vocalsynth::kCrowdMaxClusters - 1);
	FVector ListenerLocation;
	FRotator ListenerRotation;
	if (VocalSynthesis::GetListenerPose(GetWorld(), ListenerLocation, ListenerRotation))
	{
		Desc.distanceM = FVector::Dist(WorldLocation, ListenerLocation) / 100.0f;
	}
	const vocalsynth::CrowdVoiceHandle Handle = Engine->startVoice(Desc);
	if (!Handle.valid()) return Result;
	Result.Slot = static_cast<int32>(Handle.slot);
	Result.Generation = static_cast<int32>(Handle.generation);
	Live.Add(Result.Slot, TPair<FVocalCrowdVoice, FVector>(Result, WorldLocation));  // replaces a stolen voice's entry
	if (!IsPlaying()) Start();
	return Result;
}

bool UVocalCrowdComponent::StopVoice(FVocalCrowdVoice Voice)
{
	if (!Engine || !Engine->stopVoice(ToCore(Voice))) return false;
	Live.Remove(Voice.Slot);
	return true;
}

bool UVocalCrowdComponent::SetVoiceLocation(FVocalCrowdVoice Voice, FVector WorldLocation)
{
	if (!Engine || !Engine->isPlaying(ToCore(Voice))) return false;
	if (TPair<FVocalCrowdVoice, FVector>* Entry = Live.Find(Voice.Slot)) Entry->Value = WorldLocation;
	return true;
}

bool UVocalCrowdComponent::SetVoicePriority(FVocalCrowdVoice Voice, int32 Priority)
{
	return Engine && Engine->setVoicePriority(ToCore(Voice), Priority);
}

void UVocalCrowdComponent::GetTierCounts(int32& Near, int32& Mid, int32& Far, int32& Culled) const
{
	Near = NearCount;
	Mid = MidCount;
	Far = FarCount;
	Culled = CulledCount;
}

int32 UVocalCrowdComponent::OnGenerateAudio(float* OutAudio, int32 NumSamples)
{
	SCOPE_CYCLE_COUNTER(STAT_VocalSynthesisCrowdRender);
	// Audio render thread: no locks, no allocation. Interleaved stereo out.
	// The engine comes through the handoff, never from Engine (the game thread may be replacing it).
	const int32 Frames = NumSamples / 2;
	vocalsynth::CrowdEngine* Crowd = RenderEngine.acquire();
	if (!Crowd)
	{
		RenderEngine.release();
		FMemory::Memzero(OutAudio, NumSamples * sizeof(float));
		return NumSamples;
	}
	for (int32 Offset = 0; Offset < Frames;)
	{
		const int32 Block = FMath::Min(Frames - Offset, MaxBlock);
		Crowd->render(Left.GetData(), Right.GetData(), Block);
		for (int32 I = 0; I < Block; ++I)
		{
			OutAudio[2 * (Offset + I)] = Left[I];
			OutAudio[2 * (Offset + I) + 1] = Right[I];
		}
		Offset += Block;
	}
	RenderEngine.release();
	return NumSamples;
}

void UVocalCrowdComponent::TickComponent(float DeltaTime, ELevelTick TickType, FActorComponentTickFunction* ThisTickFunction)
{
	Super::TickComponent(DeltaTime, TickType, ThisTickFunction);
	if (!Engine) return;
	// Voices whose slot was stolen by StartVoice are already gone from Live; drop ended ones.
	vocalsynth::CrowdVoiceHandle Finished[64];
	for (int32 N = Engine->pollFinished(Finished, 64); N > 0; N = Engine->pollFinished(Finished, 64))
	{
		for (int32 I = 0; I < N; ++I)
		{
			FVocalCrowdVoice Voice;
			Voice.Slot = static_cast<int32>(Finished[I].slot);
			Voice.Generation = static_cast<int32>(Finished[I].generation);
			Live.Remove(Voice.Slot);
			OnVoiceFinished.Broadcast(Voice);
		}
	}
	FVector ListenerLocation;
	FRotator ListenerRotation;
	if (VocalSynthesis::GetListenerPose(GetWorld(), ListenerLocation, ListenerRotation))
	{
		for (const TPair<int32, TPair<FVocalCrowdVoice, FVector>>& Entry : Live)
		{
			PushPosition(Entry.Value.Key, Entry.Value.Value, ListenerLocation, ListenerRotation);
		}
	}
	const vocalsynth::CrowdStats Stats = Engine->stats();
	NearCount = Stats.perTier[0];
	MidCount = Stats.perTier[1];
	FarCount = Stats.perTier[2];
	CulledCount = Stats.perTier[3];
}
