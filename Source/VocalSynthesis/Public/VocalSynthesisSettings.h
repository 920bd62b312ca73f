// Project Settings > Plugins > VocalSynthesis: level-of-detail distances and crowd limits, saved
// in the project's DefaultGame.ini. Read by UVocalSynthesisComponent (per-voice detail) and
// UVocalCrowdComponent (crowd tiers) when they start.
#pragma once

#include "CoreMinimal.h"
#include "Engine/DeveloperSettings.h"

#include "VocalSynthesisSettings.generated.h"

UCLASS(Config = Game, DefaultConfig, meta = (DisplayName = "VocalSynthesis"))
class VOCALSYNTHESIS_API UVocalSynthesisSettings : public UDeveloperSettings
{
	GENERATED_BODY()

public:
	UVocalSynthesisSettings();

	/** Closer than this (metres) to the listener: Near detail (the full chain). */
	UPROPERTY(Config, EditAnywhere, Category = "Level of Detail", meta = (ClampMin = "0", Units = "Meters"))
	float NearDistanceMeters = 8.0f;

	/** Closer than this: Mid detail; beyond: Far. */
	UPROPERTY(Config, EditAnywhere, Category = "Level of Detail", meta = (ClampMin = "0", Units = "Meters"))
	float MidDistanceMeters = 30.0f;

	/** A voice leaves a tier only beyond its threshold times (1 + Hysteresis): no flapping at the edge. */
	UPROPERTY(Config, EditAnywhere, Category = "Level of Detail", meta = (ClampMin = "0", ClampMax = "1"))
	float Hysteresis = 0.1f;

	/** Cross-fade time of tier changes, starts and stops (seconds). */
	UPROPERTY(Config, EditAnywhere, Category = "Level of Detail", meta = (ClampMin = "0.001", ClampMax = "1"))
	float TransitionSeconds = 0.02f;

	/** Voices a crowd component can hold (allocated once when it starts). */
	UPROPERTY(Config, EditAnywhere, Category = "Crowds", meta = (ClampMin = "1", ClampMax = "65536"))
	int32 CrowdCapacity = 1024;

	/** The most important voices get Near first; the rest are lowered to Mid. */
	UPROPERTY(Config, EditAnywhere, Category = "Crowds", meta = (ClampMin = "0"))
	int32 MaxNearVoices = 64;

	UPROPERTY(Config, EditAnywhere, Category = "Crowds", meta = (ClampMin = "0"))
	int32 MaxMidVoices = 512;

	/** CPU budget for a crowd per 256 audio frames, 5.3 ms at 48 kHz (microseconds); 0 = no budget. */
	UPROPERTY(Config, EditAnywhere, Category = "Crowds", meta = (ClampMin = "0"))
	float CrowdBudgetMicroseconds = 0.0f;

	static const UVocalSynthesisSettings& Get() { return *GetDefault<UVocalSynthesisSettings>(); }
};
