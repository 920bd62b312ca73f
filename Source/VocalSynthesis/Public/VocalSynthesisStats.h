// Copyright VocalSynthesis. The plugin's stat group: `stat VocalSynthesis` in the console shows what
// the voices cost per frame, where they run (audio render thread, game thread); the same scopes
// appear in Unreal Insights when stat events are traced. Each .cpp declares its own cycle stats.
#pragma once

#include "Stats/Stats.h"

DECLARE_STATS_GROUP(TEXT("VocalSynthesis"), STATGROUP_VocalSynthesis, STATCAT_Advanced);
