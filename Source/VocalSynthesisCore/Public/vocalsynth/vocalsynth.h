// Umbrella header for the VocalSynthesis core: every class a host uses (the README's C++ section
// and examples/cpp_host compile against this header alone).
#pragma once

#include "vocalsynth/anchor.h"
#include "vocalsynth/archetypes.h"
#include "vocalsynth/config.h"
#include "vocalsynth/crowd/crowd_engine.h"
#include "vocalsynth/denormal_guard.h"
#include "vocalsynth/interleaved_voice.h"
#include "vocalsynth/lod.h"
#include "vocalsynth/npc_voice.h"
#include "vocalsynth/param_pipeline.h"
#include "vocalsynth/polled_voice.h"
#include "vocalsynth/speech/synthesizer.h"
#include "vocalsynth/speech/text_frontend.h"
#include "vocalsynth/svf.h"
#include "vocalsynth/voice.h"
#include "vocalsynth/voice_params.h"
