#include "VocalSynthesisComponent.h"

#include "Engine/World.h"
#include "GameFramework/PlayerController.h"
#include "VocalSynthesisModule.h"
#include "VocalSynthesisSettings.h"
#include "vocalsynth/lod.h"
#include "vocalsynth/archetypes.h"
#include "vocalsynth/speech/synthesizer.h"
#include "vocalsynth/voice.h"

DEFINE_LOG_CATEGORY_STATIC(LogVocalSynthesisComponent, Log, All);

namespace
{
constexpr int32 MaxBlock = 2048;
constexpr int32 MaxPhonesPerLine = 4096;
}  // namespace

UVocalSynthesisComponent::UVocalSynthesisComponent(const FObjectInitializer& ObjectInitializer)
	: Super(ObjectInitializer)
{
	PrimaryComponentTick.bCanEverTick = true;  // drains word/viseme events on the game thread
	NumChannels = 1;
}

UVocalSynthesisComponent::~UVocalSynthesisComponent()
{
	// The audio thread is gone by now: free whatever is still queued.
	FLine* Line = nullptr;
	while (PendingLines.Dequeue(Line)) delete Line;
	while (FinishedLines.Dequeue(Line)) delete Line;
	delete CurrentLine;
	FAnchor* Anchor = nullptr;
	while (PendingAnchors.Dequeue(Anchor)) delete Anchor;
	while (FinishedAnchors.Dequeue(Anchor)) delete Anchor;
	delete CurrentAnchor;
}

bool UVocalSynthesisComponent::Init(int32& SampleRate)
{
	NumChannels = 1;
	if (Voice && Synth && DeviceSampleRate == SampleRate)
	{
		return true;  // restarted at the same rate: keep the prepared voice (the audio thread may still hold it)
	}
	DeviceSampleRate = SampleRate;
	Voice = MakeUnique<vocalsynth::Voice>();
	Synth = MakeUnique<vocalsynth::speech::Synthesizer>();
	// prepare() is the only place that allocates; it runs before the render callbacks start.
	if (Voice->prepare(SampleRate, MaxBlock, 0) != vocalsynth::PrepareResult::Ok || !Synth->prepare(SampleRate, MaxPhonesPerLine))
	{
		UE_LOG(LogVocalSynthesisComponent, Error, TEXT("%s: unsupported device sample rate %d (16-96 kHz)"), *GetName(), SampleRate);
		return false;
	}
	PushParams(EVocalEmotion::Neutral);
	SetIntensity(Proximity, Environment);
	Voice->setDetail(static_cast<vocalsynth::VoiceDetail>(Detail));
	return true;
}

void UVocalSynthesisComponent::PushParams(EVocalEmotion Emotion)
{
	if (!Voice) return;
	if (VoicePreset)
	{
		Voice->setParams(VoicePreset->ToVoiceParams(Emotion));
	}
	else if (const vocalsynth::Archetype* Found = vocalsynth::findArchetype(TCHAR_TO_UTF8(*Archetype.ToString())))
	{
		Voice->setParams(Found->params);
	}
	else
	{
		UE_LOG(LogVocalSynthesisComponent, Warning, TEXT("%s: unknown archetype '%s'"), *GetName(), *Archetype.ToString());
	}
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
	if (!Voice || !A || !B) return;
	Voice->setParams(vocalsynth::morph(A->ToVoiceParams(), B->ToVoiceParams(), FMath::Clamp(Amount, 0.0f, 1.0f)));
}

void UVocalSynthesisComponent::SetIntensity(float InProximity, float InEnvironment)
{
	Proximity = FMath::Clamp(InProximity, 0.0f, 1.0f);
	Environment = FMath::Clamp(InEnvironment, 0.0f, 1.0f);
	if (Voice) Voice->setIntensity({Proximity, Environment});
}

void UVocalSynthesisComponent::SetDetail(EVocalDetail InDetail)
{
	bAutomaticDetail = false;
	Detail = InDetail;
	if (Voice) Voice->setDetail(static_cast<vocalsynth::VoiceDetail>(Detail));
}

void UVocalSynthesisComponent::UpdateDetailFromListener()
{
	const UWorld* World = GetWorld();
	APlayerController* Controller = World ? World->GetFirstPlayerController() : nullptr;
	if (!Controller || !Voice) return;
	FVector ListenerLocation;
	FRotator ListenerRotation;
	Controller->GetPlayerViewPoint(ListenerLocation, ListenerRotation);
	const float DistanceMeters = FVector::Dist(GetComponentLocation(), ListenerLocation) / 100.0f;  // UE units are cm
	const UVocalSynthesisSettings& Settings = UVocalSynthesisSettings::Get();
	const int Tier = vocalsynth::lodTierForDistance(DistanceMeters, static_cast<int>(Detail),
		{Settings.NearDistanceMeters, Settings.MidDistanceMeters, Settings.Hysteresis});
	if (Tier != static_cast<int>(Detail))
	{
		Detail = static_cast<EVocalDetail>(Tier);
		Voice->setDetail(static_cast<vocalsynth::VoiceDetail>(Tier));  // lock-free; cross-fades on the audio thread
	}
}

bool UVocalSynthesisComponent::Speak(const FString& Text, EVocalEmotion Emotion)
{
	// Parsing allocates: it happens here, on the game thread.
	vocalsynth::speech::SpeakerSettings Speaker;
	if (VoicePreset)
	{
		Speaker.basePitchHz = VoicePreset->BasePitchHz;
		Speaker.tractLengthCm = VoicePreset->TractLengthCm;
		Speaker.breathiness = VoicePreset->Breathiness;
		Speaker.rate = VoicePreset->Rate;
	}
	vocalsynth::speech::FrontEndResult Result = vocalsynth::speech::buildUtterance(
		TCHAR_TO_UTF8(*Text), FVocalSynthesisModule::GetLexicon(), Speaker, static_cast<vocalsynth::speech::Emotion>(Emotion));
	if (!Result.ok() || Result.utterance.phones.size() > static_cast<size_t>(MaxPhonesPerLine))
	{
		UE_LOG(LogVocalSynthesisComponent, Warning, TEXT("%s: cannot speak \"%s\": %s"), *GetName(), *Text,
			Result.ok() ? TEXT("line too long") : UTF8_TO_TCHAR(Result.error.c_str()));
		return false;
	}
	TArray<FString> Words;
	for (const auto& Word : Result.utterance.words) Words.Add(UTF8_TO_TCHAR(Word.text.c_str()));
	FLine* Line = new FLine{MakeUnique<vocalsynth::speech::Utterance>(MoveTemp(Result.utterance))};
	if (!PendingLines.Enqueue(Line))
	{
		delete Line;
		UE_LOG(LogVocalSynthesisComponent, Warning, TEXT("%s: too many lines queued"), *GetName());
		return false;
	}
	WordsInFlight.Add(MoveTemp(Words));
	PushParams(Emotion);
	if (!IsPlaying()) Start();
	return true;
}

bool UVocalSynthesisComponent::PlayAnchor(const TArray<float>& MonoSamples, int32 SampleRate)
{
	if (MonoSamples.Num() == 0 || SampleRate <= 0) return false;
	FAnchor* Anchor = new FAnchor;
	// Resample to the device rate here (linear; anchors are speech), not on the audio thread.
	const double Step = static_cast<double>(SampleRate) / DeviceSampleRate;
	const int32 Count = static_cast<int32>(MonoSamples.Num() / Step);
	Anchor->Samples.SetNumUninitialized(Count);
	for (int32 I = 0; I < Count; ++I)
	{
		const double Source = I * Step;
		const int32 I0 = FMath::Min(static_cast<int32>(Source), MonoSamples.Num() - 1);
		const int32 I1 = FMath::Min(I0 + 1, MonoSamples.Num() - 1);
		const float T = static_cast<float>(Source - I0);
		const float Value = FMath::Lerp(MonoSamples[I0], MonoSamples[I1], T);
		Anchor->Samples[I] = FMath::IsFinite(Value) ? Value : 0.0f;
	}
	if (!PendingAnchors.Enqueue(Anchor))
	{
		delete Anchor;
		return false;
	}
	if (!IsPlaying()) Start();
	return true;
}

void UVocalSynthesisComponent::DelayEvent(const FEvent& Event, int64 DueSample)
{
	if (DelayedCount == DelayCapacity)
	{
		Events.Enqueue(Delayed[DelayedHead].Event);  // full: release the oldest early rather than lose it
		DelayedHead = (DelayedHead + 1) % DelayCapacity;
		--DelayedCount;
	}
	Delayed[(DelayedHead + DelayedCount) % DelayCapacity] = FDelayedEvent{Event, DueSample};
	++DelayedCount;
}

void UVocalSynthesisComponent::ReleaseDueEvents(int64 UpToSample)
{
	while (DelayedCount > 0 && Delayed[DelayedHead].DueSample < UpToSample)
	{
		Events.Enqueue(Delayed[DelayedHead].Event);
		DelayedHead = (DelayedHead + 1) % DelayCapacity;
		--DelayedCount;
	}
}

int32 UVocalSynthesisComponent::OnGenerateAudio(float* OutAudio, int32 NumSamples)
{
	// Audio render thread: no locks, no allocation. Take new work, render the source, run the chain.
	FMemory::Memzero(OutAudio, NumSamples * sizeof(float));
	if (!Voice || !Synth) return NumSamples;
	if (!CurrentLine || Synth->finished())
	{
		if (CurrentLine)
		{
			FinishedLines.Enqueue(CurrentLine);  // freed on the game thread
			DelayEvent(FEvent{2, 0}, RenderClock + Voice->latencySamples());
			CurrentLine = nullptr;
		}
		FLine* Next = nullptr;
		if (PendingLines.Dequeue(Next))
		{
			CurrentLine = Next;
			Synth->start(*CurrentLine->Utterance, 1);  // copies into storage prepared in Init
			LineStartClock = RenderClock;
		}
	}
	if (!CurrentAnchor)
	{
		PendingAnchors.Dequeue(CurrentAnchor);
	}
	for (int32 Offset = 0; Offset < NumSamples;)
	{
		const int32 Block = FMath::Min(NumSamples - Offset, MaxBlock);
		float* Out = OutAudio + Offset;
		if (CurrentLine && !Synth->finished())
		{
			Synth->render(Out, Block);
			vocalsynth::speech::SpeechEvent Batch[32];
			for (int32 N = Synth->popEvents(Batch, 32); N > 0; N = Synth->popEvents(Batch, 32))
			{
				for (int32 E = 0; E < N; ++E)
				{
					// The sound of this event leaves the archetype chain latencySamples() later.
					const int64 Due = LineStartClock + Batch[E].sample + Voice->latencySamples();
					if (Batch[E].type == vocalsynth::speech::SpeechEvent::Type::Word) DelayEvent(FEvent{0, Batch[E].index}, Due);
					if (Batch[E].type == vocalsynth::speech::SpeechEvent::Type::Viseme) DelayEvent(FEvent{1, Batch[E].index}, Due);
				}
			}
		}
		if (CurrentAnchor)
		{
			const int32 Left = CurrentAnchor->Samples.Num() - CurrentAnchor->Position;
			const int32 Take = FMath::Min(Left, Block);
			for (int32 I = 0; I < Take; ++I) Out[I] += CurrentAnchor->Samples[CurrentAnchor->Position + I];
			CurrentAnchor->Position += Take;
			if (CurrentAnchor->Position >= CurrentAnchor->Samples.Num())
			{
				FinishedAnchors.Enqueue(CurrentAnchor);
				CurrentAnchor = nullptr;
			}
		}
		Voice->process(Out, Out, Block);  // the archetype chain, in place
		Offset += Block;
		RenderClock += Block;
		ReleaseDueEvents(RenderClock);  // events whose sound is in the audio rendered so far
	}
	return NumSamples;
}

void UVocalSynthesisComponent::DrainReturnedItems()
{
	FLine* Line = nullptr;
	while (FinishedLines.Dequeue(Line)) delete Line;
	FAnchor* Anchor = nullptr;
	while (FinishedAnchors.Dequeue(Anchor)) delete Anchor;
}

void UVocalSynthesisComponent::TickComponent(float DeltaTime, ELevelTick TickType, FActorComponentTickFunction* ThisTickFunction)
{
	Super::TickComponent(DeltaTime, TickType, ThisTickFunction);
	if (bAutomaticDetail) UpdateDetailFromListener();
	FEvent Event;
	while (Events.Dequeue(Event))
	{
		if (Event.Type == 0)
		{
			const FString Word = WordsInFlight.Num() > 0 && WordsInFlight[0].IsValidIndex(Event.Index) ? WordsInFlight[0][Event.Index] : FString();
			OnWord.Broadcast(Event.Index, Word);
		}
		else if (Event.Type == 1)
		{
			OnViseme.Broadcast(FName(UTF8_TO_TCHAR(vocalsynth::speech::visemeName(Event.Index))));
		}
		else
		{
			if (WordsInFlight.Num() > 0) WordsInFlight.RemoveAt(0);
			OnLineFinished.Broadcast();
		}
	}
	DrainReturnedItems();
}
