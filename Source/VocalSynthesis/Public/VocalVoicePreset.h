// A voice preset as a data asset: the same fields as the preset JSON files the Python tools use
// (schema/vocalsynth-preset.schema.json), imported and exported unchanged.
#pragma once

#include "CoreMinimal.h"
#include "Engine/DataAsset.h"
#include "vocalsynth/voice_params.h"

#include "VocalVoicePreset.generated.h"

UENUM(BlueprintType)
enum class EVocalEmotion : uint8
{
	Neutral,
	Fear,
	Rage,
	Sorrow,
	Menace,
	Whisper
};

/** Parameter overrides by name (snake_case, as in the preset files). */
USTRUCT(BlueprintType)
struct VOCALSYNTHESIS_API FVocalParamOverrides
{
	GENERATED_BODY()

	UPROPERTY(EditAnywhere, BlueprintReadWrite, Category = "VocalSynthesis")
	TMap<FName, float> Params;
};

UCLASS(BlueprintType)
class VOCALSYNTHESIS_API UVocalVoicePreset : public UPrimaryDataAsset
{
	GENERATED_BODY()

public:
	UVocalVoicePreset();

	/** The built-in archetype this voice starts from. */
	UPROPERTY(EditAnywhere, BlueprintReadWrite, Category = "Voice", meta = (GetOptions = "VocalSynthesis.VocalSynthesisLibrary.GetArchetypeNames"))
	FName Archetype = TEXT("human");

	/** Every engine parameter by name, filled with the engine's own table (unit and range in the README). */
	UPROPERTY(EditAnywhere, BlueprintReadWrite, Category = "Voice")
	TMap<FName, float> Params;

	UPROPERTY(EditAnywhere, BlueprintReadWrite, Category = "Speech", meta = (ClampMin = "50", ClampMax = "400", Units = "Hz"))
	float BasePitchHz = 120.0f;

	UPROPERTY(EditAnywhere, BlueprintReadWrite, Category = "Speech", meta = (ClampMin = "10", ClampMax = "25"))
	float TractLengthCm = 17.5f;

	UPROPERTY(EditAnywhere, BlueprintReadWrite, Category = "Speech", meta = (ClampMin = "0", ClampMax = "1"))
	float Breathiness = 0.05f;

	UPROPERTY(EditAnywhere, BlueprintReadWrite, Category = "Speech", meta = (ClampMin = "0.5", ClampMax = "2"))
	float Rate = 1.0f;

	UPROPERTY(EditAnywhere, BlueprintReadWrite, Category = "Voice")
	TMap<EVocalEmotion, FVocalParamOverrides> Emotions;

	UPROPERTY(EditAnywhere, BlueprintReadWrite, Category = "Voice")
	int32 Seed = 0;

	UPROPERTY(EditAnywhere, BlueprintReadWrite, Category = "Voice")
	FString Description;

	UPROPERTY(EditAnywhere, BlueprintReadWrite, Category = "Voice", meta = (MultiLine = true))
	FString Notes;

	/** Reads a preset file's JSON; on error leaves the asset unchanged and names the field. */
	UFUNCTION(BlueprintCallable, Category = "VocalSynthesis")
	bool ImportJson(const FString& Json, FString& OutError);

	/** Writes the preset file format (version 1). */
	UFUNCTION(BlueprintCallable, Category = "VocalSynthesis")
	FString ExportJson() const;

	/** The engine parameters for an emotion (the preset's overrides applied). */
	vocalsynth::VoiceParams ToVoiceParams(EVocalEmotion Emotion = EVocalEmotion::Neutral) const;

	static const TCHAR* EmotionName(EVocalEmotion Emotion);

#if WITH_EDITOR
	/** Source effects that use this preset take the edit (sounds playing with them glide to it). */
	virtual void PostEditChangeProperty(FPropertyChangedEvent& PropertyChangedEvent) override;
#endif
};
