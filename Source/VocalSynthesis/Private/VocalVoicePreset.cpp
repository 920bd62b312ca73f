#include "VocalVoicePreset.h"

#include "Dom/JsonObject.h"
#include "Serialization/JsonReader.h"
#include "Serialization/JsonSerializer.h"
#include "Serialization/JsonWriter.h"
#include "SourceEffectVocalArchetype.h"
#include "VocalArchetypeLookup.h"
#include "vocalsynth/archetypes.h"

namespace
{
const TCHAR* const GEmotionNames[] = {TEXT("neutral"), TEXT("fear"), TEXT("rage"), TEXT("sorrow"), TEXT("menace"), TEXT("whisper")};

void FillFromArchetype(TMap<FName, float>& Params, const FName Archetype)
{
	const vocalsynth::Archetype* Found = VocalSynthesis::FindArchetype(Archetype);
	const vocalsynth::VoiceParams Values = Found ? Found->params : vocalsynth::VoiceParams{};
	for (std::size_t I = 0; I < vocalsynth::paramCount(); ++I)
	{
		const vocalsynth::ParamInfo& Info = vocalsynth::paramInfos()[I];
		Params.Add(FName(UTF8_TO_TCHAR(Info.name)), Values.*(Info.member));
	}
}

/** Reads {name: number} into Out, checking names and ranges against the engine's table. */
bool ReadParams(const TSharedPtr<FJsonObject>& Object, const FString& Where, TMap<FName, float>& Out, FString& OutError)
{
	for (const auto& Pair : Object->Values)
	{
		const vocalsynth::ParamInfo* Info = vocalsynth::findParam(TCHAR_TO_UTF8(*Pair.Key));
		double Value = 0.0;
		if (!Info)
		{
			OutError = FString::Printf(TEXT("%s.%s: unknown parameter"), *Where, *Pair.Key);
			return false;
		}
		if (!Pair.Value.IsValid() || !Pair.Value->TryGetNumber(Value))
		{
			OutError = FString::Printf(TEXT("%s.%s: not a number"), *Where, *Pair.Key);
			return false;
		}
		const float Stored = static_cast<float>(Value);
		if (!FMath::IsFinite(Stored) || Stored < Info->minValue || Stored > Info->maxValue)
		{
			OutError = FString::Printf(TEXT("%s.%s: %g is out of range: allowed %g to %g %s"), *Where, *Pair.Key, Value,
				Info->minValue, Info->maxValue, UTF8_TO_TCHAR(Info->unit));
			return false;
		}
		Out.Add(FName(*Pair.Key), Stored);
	}
	return true;
}
}  // namespace

UVocalVoicePreset::UVocalVoicePreset()
{
	FillFromArchetype(Params, Archetype);
}

const TCHAR* UVocalVoicePreset::EmotionName(EVocalEmotion Emotion)
{
	return GEmotionNames[static_cast<int32>(Emotion)];
}

bool UVocalVoicePreset::ImportJson(const FString& Json, FString& OutError)
{
	TSharedPtr<FJsonObject> Root;
	if (!FJsonSerializer::Deserialize(TJsonReaderFactory<>::Create(Json), Root) || !Root.IsValid())
	{
		OutError = TEXT("not valid JSON");
		return false;
	}
	FString Format;
	int32 Version = 0;
	if (!Root->TryGetStringField(TEXT("format"), Format) || Format != TEXT("vocalsynth-preset") ||
		!Root->TryGetNumberField(TEXT("version"), Version) || Version != 1)
	{
		OutError = TEXT("format/version: expected a vocalsynth-preset, version 1 (re-save an older or hand-written file in this layout with `vocalsynth preset new NAME --from FILE.json`)");
		return false;
	}
	FString NewArchetype;
	if (!Root->TryGetStringField(TEXT("archetype"), NewArchetype) || !vocalsynth::findArchetype(TCHAR_TO_UTF8(*NewArchetype)))
	{
		OutError = FString::Printf(TEXT("archetype: '%s' is not a built-in archetype"), *NewArchetype);
		return false;
	}
	TMap<FName, float> NewParams;
	FillFromArchetype(NewParams, FName(*NewArchetype));
	const TSharedPtr<FJsonObject>* Object = nullptr;
	if (Root->TryGetObjectField(TEXT("params"), Object) && !ReadParams(*Object, TEXT("params"), NewParams, OutError))
	{
		return false;
	}
	TMap<EVocalEmotion, FVocalParamOverrides> NewEmotions;
	if (Root->TryGetObjectField(TEXT("emotions"), Object))
	{
		for (const auto& Pair : (*Object)->Values)
		{
			int32 Index = INDEX_NONE;
			for (int32 E = 0; E < static_cast<int32>(UE_ARRAY_COUNT(GEmotionNames)); ++E)
			{
				if (Pair.Key == GEmotionNames[E]) Index = E;
			}
			const TSharedPtr<FJsonObject>* Overrides = nullptr;
			if (Index == INDEX_NONE || !Pair.Value->TryGetObject(Overrides))
			{
				OutError = FString::Printf(TEXT("emotions.%s: unknown emotion or not an object"), *Pair.Key);
				return false;
			}
			FVocalParamOverrides Read;
			if (!ReadParams(*Overrides, TEXT("emotions.") + Pair.Key, Read.Params, OutError)) return false;
			NewEmotions.Add(static_cast<EVocalEmotion>(Index), Read);
		}
	}
	// Everything validated: apply. Speech settings the file leaves out are the archetype's own, as
	// the Python tools read the same file.
	Archetype = FName(*NewArchetype);
	Params = MoveTemp(NewParams);
	Emotions = MoveTemp(NewEmotions);
	const vocalsynth::ArchetypeSpeech& Voice = vocalsynth::findArchetype(TCHAR_TO_UTF8(*NewArchetype))->speech;
	BasePitchHz = Voice.basePitchHz;
	TractLengthCm = Voice.tractLengthCm;
	Breathiness = Voice.breathiness;
	Rate = Voice.rate;
	if (Root->TryGetObjectField(TEXT("speech"), Object))
	{
		(*Object)->TryGetNumberField(TEXT("base_pitch_hz"), BasePitchHz);
		(*Object)->TryGetNumberField(TEXT("tract_length_cm"), TractLengthCm);
		(*Object)->TryGetNumberField(TEXT("breathiness"), Breathiness);
		(*Object)->TryGetNumberField(TEXT("rate"), Rate);
	}
	Root->TryGetNumberField(TEXT("seed"), Seed);
	Root->TryGetStringField(TEXT("description"), Description);
	Root->TryGetStringField(TEXT("notes"), Notes);
	USourceEffectVocalArchetypePreset::VoicePresetChanged(this);  // source effects that use it
	return true;
}

#if WITH_EDITOR
void UVocalVoicePreset::PostEditChangeProperty(FPropertyChangedEvent& PropertyChangedEvent)
{
	Super::PostEditChangeProperty(PropertyChangedEvent);
	USourceEffectVocalArchetypePreset::VoicePresetChanged(this);
}
#endif

FString UVocalVoicePreset::ExportJson() const
{
	const TSharedRef<FJsonObject> Root = MakeShared<FJsonObject>();
	Root->SetStringField(TEXT("format"), TEXT("vocalsynth-preset"));
	Root->SetNumberField(TEXT("version"), 1);
	Root->SetStringField(TEXT("name"), GetName());
	Root->SetStringField(TEXT("archetype"), Archetype.ToString());
	if (!Description.IsEmpty()) Root->SetStringField(TEXT("description"), Description);
	const TSharedRef<FJsonObject> ParamObject = MakeShared<FJsonObject>();
	for (std::size_t I = 0; I < vocalsynth::paramCount(); ++I)  // table order, like the Python tools
	{
		const FName Name(UTF8_TO_TCHAR(vocalsynth::paramInfos()[I].name));
		if (const float* Value = Params.Find(Name)) ParamObject->SetNumberField(Name.ToString(), *Value);
	}
	Root->SetObjectField(TEXT("params"), ParamObject);
	const TSharedRef<FJsonObject> Speech = MakeShared<FJsonObject>();
	Speech->SetNumberField(TEXT("base_pitch_hz"), BasePitchHz);
	Speech->SetNumberField(TEXT("tract_length_cm"), TractLengthCm);
	Speech->SetNumberField(TEXT("breathiness"), Breathiness);
	Speech->SetNumberField(TEXT("rate"), Rate);
	Root->SetObjectField(TEXT("speech"), Speech);
	if (Emotions.Num() > 0)
	{
		const TSharedRef<FJsonObject> EmotionObject = MakeShared<FJsonObject>();
		for (const auto& Pair : Emotions)
		{
			const TSharedRef<FJsonObject> Overrides = MakeShared<FJsonObject>();
			for (const auto& P : Pair.Value.Params) Overrides->SetNumberField(P.Key.ToString(), P.Value);
			EmotionObject->SetObjectField(EmotionName(Pair.Key), Overrides);
		}
		Root->SetObjectField(TEXT("emotions"), EmotionObject);
	}
	Root->SetNumberField(TEXT("seed"), Seed);
	if (!Notes.IsEmpty()) Root->SetStringField(TEXT("notes"), Notes);
	FString Out;
	FJsonSerializer::Serialize(Root, TJsonWriterFactory<>::Create(&Out));
	return Out;
}

vocalsynth::VoiceParams UVocalVoicePreset::ToVoiceParams(EVocalEmotion Emotion) const
{
	vocalsynth::VoiceParams Result;
	const FVocalParamOverrides* Overrides = Emotions.Find(Emotion);
	for (std::size_t I = 0; I < vocalsynth::paramCount(); ++I)
	{
		const vocalsynth::ParamInfo& Info = vocalsynth::paramInfos()[I];
		const FName Name(UTF8_TO_TCHAR(Info.name));
		const float* Value = Overrides ? Overrides->Params.Find(Name) : nullptr;
		if (!Value) Value = Params.Find(Name);
		Result.*(Info.member) = Value ? *Value : Info.defaultValue;
	}
	vocalsynth::clampToRanges(Result);
	return Result;
}
