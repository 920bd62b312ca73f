// Where the listener is, for level of detail and crowd panning: the first local player's view
// point (the position the audio device listens from in a single-player game).
#pragma once

#include "CoreMinimal.h"
#include "Engine/World.h"
#include "GameFramework/PlayerController.h"

namespace VocalSynthesis
{
inline bool GetListenerPose(const UWorld* World, FVector& OutLocation, FRotator& OutRotation)
{
	APlayerController* Controller = World ? World->GetFirstPlayerController() : nullptr;
	if (!Controller) return false;
	Controller->GetPlayerViewPoint(OutLocation, OutRotation);
	return true;
}
}  // namespace VocalSynthesis
