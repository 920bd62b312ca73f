// Umbrella header for the VocalSynthesis core.
#pragma once

#include "vocalsynth/anchor.h"
#include "vocalsynth/archetypes.h"
#include "vocalsynth/config.h"
#include "vocalsynth/crowd/crowd_engine.h"
#include "vocalsynth/denormal_guard.h"
#include "vocalsynth/lod.h"
#include "vocalsynth/param_pipeline.h"
#include "vocalsynth/polled_voice.h"
#include "vocalsynth/svf.h"
#include "vocalsynth/voice.h"
#include "vocalsynth/voice_params.h"
