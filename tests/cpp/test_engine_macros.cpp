// The UE glue includes the core's public headers after CoreMinimal.h (and, on Windows, whatever
// <windows.h> leaves defined), which define macros with short common names. This file defines the same names first (as
// the engine does, with bodies that break any other use) and then includes every public header: a core identifier that
// collides with one of them fails this file's compilation, as it would fail the plugin's under Unreal Build Tool.
#define check(expr) static_assert(false, "UE's check() macro collided with a core identifier")
#define verify(expr) static_assert(false, "UE's verify() macro collided with a core identifier")
#define ensure(expr) static_assert(false, "UE's ensure() macro collided with a core identifier")
#define TEXT(x) L##x
#define LIKELY(x) (x)
#define UNLIKELY(x) (x)
#define PI (3.1415926535897932f)
#define HALF_PI (1.57079632679f)
#define TWO_PI (6.28318530718f)
#define SMALL_NUMBER (1.e-8f)
#define KINDA_SMALL_NUMBER (1.e-4f)
#define BIG_NUMBER (3.4e+38f)
#define DELTA (0.00001f)
#define INDEX_NONE (-1)
#define FORCEINLINE inline
#define FORCENOINLINE
#define CONSTEXPR constexpr
#define UE_LOG(...)
#define UPROPERTY(...)
#define UFUNCTION(...)
#define GENERATED_BODY(...)
#define PLATFORM_WINDOWS 0
#define PLATFORM_LITTLE_ENDIAN 1
// And what <windows.h> leaves behind on Windows builds (UE sets NOMINMAX, so not min/max).
#define near
#define far
#define small char
#define interface struct
#define IN
#define OUT
#define OPTIONAL
#define CALLBACK
#define PASCAL
#define DELETE (0x00010000L)
#define ERROR 0
#define TRUE 1
#define FALSE 0

#include "vocalsynth/anchor.h"
#include "vocalsynth/archetypes.h"
#include "vocalsynth/band_splitter.h"
#include "vocalsynth/config.h"
#include "vocalsynth/corporeal_noise.h"
#include "vocalsynth/crowd/crowd_engine.h"
#include "vocalsynth/delay_line.h"
#include "vocalsynth/denormal_guard.h"
#include "vocalsynth/dsp_math.h"
#include "vocalsynth/glottal.h"
#include "vocalsynth/limiter.h"
#include "vocalsynth/lod.h"
#include "vocalsynth/lpc.h"
#include "vocalsynth/npc_voice.h"
#include "vocalsynth/oscillator.h"
#include "vocalsynth/param_pipeline.h"
#include "vocalsynth/pitch_tracker.h"
#include "vocalsynth/random.h"
#include "vocalsynth/smoother.h"
#include "vocalsynth/speech/phonemes.h"
#include "vocalsynth/speech/synthesizer.h"
#include "vocalsynth/speech/text_frontend.h"
#include "vocalsynth/spsc_queue.h"
#include "vocalsynth/subliminal_layers.h"
#include "vocalsynth/svf.h"
#include "vocalsynth/vocalsynth.h"
#include "vocalsynth/voice.h"
#include "vocalsynth/voice_params.h"

// Undefined again before GoogleTest, whose own code uses some of these names.
#undef check
#undef verify
#undef ensure
#undef TEXT

#include <gtest/gtest.h>

#include <vector>

TEST(EngineMacros, PublicHeadersCompileAfterTheEnginesMacrosAndTheVoiceRuns) {
  // The headers above compiled with the engine's macro names defined; the voice they declare works.
  vocalsynth::Voice voice;
  ASSERT_EQ(voice.prepare(48000.0, 256, 3), vocalsynth::PrepareResult::Ok);
  voice.setParams(vocalsynth::findArchetype("zombie")->params, true);
  std::vector<float> in(4800), out(4800);
  for (size_t i = 0; i < in.size(); ++i) in[i] = 0.3f * static_cast<float>((i % 200) < 100 ? 1 : -1);
  voice.process(in.data(), out.data(), static_cast<int>(in.size()));
  float energy = 0.0f;
  for (const float x : out) energy += x * x;
  EXPECT_GT(energy, 1.0f);  // the square wave comes through (after the voice's latency)
}
