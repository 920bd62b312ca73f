// Blueprint functions over the core: the built-in archetypes (also the editor's drop-down for
// every Archetype field, through GetOptions) and what the front end makes of a line.
#pragma once

#include "CoreMinimal.h"
#include "Kismet/BlueprintFunctionLibrary.h"

#include "VocalSynthesisLibrary.generated.h"

UCLASS()
class VOCALSYNTHESIS_API UVocalSynthesisLibrary : public UBlueprintFunctionLibrary
{
	GENERATED_BODY()

public:
	/** The built-in archetypes (human, vampire, zombie, ...), in the order `vocalsynth archetypes` lists them. */
	UFUNCTION(BlueprintPure, Category = "VocalSynthesis")
	static TArray<FString> GetArchetypeNames();

	/** What an archetype sounds like, in a sentence; empty for an unknown name. */
	UFUNCTION(BlueprintPure, Category = "VocalSynthesis")
	static FString GetArchetypeDescription(FName Archetype);

	/** The phones a line is spoken with, ARPAbet, one word per group: "HH AH0 L OW1 | W ER1 L D".
	 *  For checking names and lip sync. False, with the reason in OutPhonemes, on bad text. */
	UFUNCTION(BlueprintCallable, Category = "VocalSynthesis")
	static bool GetPhonemes(const FString& Text, FString& OutPhonemes);

	/** The engine's version (outputs change only with it). */
	UFUNCTION(BlueprintPure, Category = "VocalSynthesis")
	static FString GetEngineVersion();
};
