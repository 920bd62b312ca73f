// pybind11 bindings over the core: numpy float32 in and out, presets as Python objects, the
// same streaming API as C++. Processing releases the GIL.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cmath>
#include <memory>
#include <mutex>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "vocalsynth/speech/synthesizer.h"
#include "vocalsynth/vocalsynth.h"

namespace py = pybind11;
using namespace vocalsynth;

namespace {

const char* groupName(ParamGroup g) {
  switch (g) {
    case ParamGroup::Formant: return "formant";
    case ParamGroup::Source: return "source";
    case ParamGroup::Corporeal: return "corporeal";
    case ParamGroup::Subliminal: return "subliminal";
    case ParamGroup::Struggle: return "struggle";
    case ParamGroup::Output: return "output";
  }
  return "?";
}

void checkValue(const ParamInfo& info, double value) {
  // Compared as the engine stores it (float32): 0.3 in a file is exactly the 0.3f bound.
  const auto stored = static_cast<float>(value);
  if (!std::isfinite(value) || stored < info.minValue || stored > info.maxValue) {
    std::ostringstream msg;
    msg << "parameter '" << info.name << "' = " << value << " is out of range: allowed " << info.minValue << " to "
        << info.maxValue << (info.unit[0] ? " " : "") << info.unit;
    throw py::value_error(msg.str());
  }
}

/// A sample rate as a person writes it: 8000, 44100, 22050.5 (std::to_string gave 8000.000000).
std::string hz(double rate) {
  std::ostringstream text;
  text << rate;
  return text.str();
}

[[noreturn]] void throwPrepareError(double sampleRate, PrepareResult r) {
  throw py::value_error("cannot prepare voice at " + hz(sampleRate) + " Hz: " + toString(r));
}

std::string knownArchetypes() {
  std::string names;
  for (std::size_t i = 0; i < archetypeCount(); ++i) {
    if (i) names += ", ";
    names += archetypes()[i].name;
  }
  return names;
}

const Archetype& requireArchetype(const std::string& name) {
  const Archetype* a = findArchetype(name.c_str());
  if (a == nullptr) throw py::key_error("unknown archetype '" + name + "'; known archetypes: " + knownArchetypes());
  return *a;
}

/// A voice as a caller gives it: an archetype's name, a preset file's path, VoiceParams, or
/// anything with a voice_params() method (vocalsynth.Preset).
VoiceParams voiceParamsFrom(const py::handle& given, const char* what) {
  if (py::isinstance<py::str>(given) || py::isinstance(given, py::module_::import("os").attr("PathLike"))) {
    const std::string spec = py::str(given);
    if (const Archetype* a = findArchetype(spec.c_str()); a != nullptr) return a->params;
    // A preset file, as vocalsynth.speak takes one ("my_ghoul.json"): vocalsynth.presets decides and reads it.
    const py::module_ presets = py::module_::import("vocalsynth.presets");
    if (presets.attr("names_a_file")(spec).cast<bool>())
      return presets.attr("load")(spec).attr("voice_params")().cast<VoiceParams>();
    return requireArchetype(spec).params;  // the error lists the archetypes
  }
  if (py::isinstance<VoiceParams>(given)) return given.cast<VoiceParams>();
  if (py::hasattr(given, "voice_params")) {
    const py::object params = given.attr("voice_params")();
    if (py::isinstance<VoiceParams>(params)) return params.cast<VoiceParams>();
  }
  // Anything else (a dict of changes, None) was a signature dump.
  throw py::type_error(std::string(what) + " takes an archetype name, a preset file, a Preset or VoiceParams, got " +
                       std::string(py::str(py::type::of(given).attr("__name__"))) +
                       ": for changes to an archetype use vocalsynth.resolve_params('zombie', {...})");
}

/// Samples must be floats in [-1, 1]: integer PCM cast to float would play thousands of times
/// full scale (int16 32767: +90 dBFS), so it is refused with the conversion (as vocalsynth.process).
void requireFloatSamples(const py::array& samples) {
  const char kind = samples.dtype().kind();
  if (kind == 'i' || kind == 'u') {
    const auto bits = 8 * samples.dtype().itemsize();
    throw py::value_error("input audio is " + std::string(py::str(samples.dtype())) +
                          " PCM: pass float samples in [-1, 1] (e.g. audio.astype(np.float32) / " +
                          std::to_string(1ull << (bits - 1)) + ")");
  }
  if (kind != 'f')
    throw py::value_error("input audio has dtype " + std::string(py::str(samples.dtype())) +
                          ": pass real float samples in [-1, 1]");
}

py::array_t<float> toArray(std::vector<float>&& data) {
  auto* heap = new std::vector<float>(std::move(data));
  py::capsule owner(heap, [](void* p) { delete static_cast<std::vector<float>*>(p); });
  return py::array_t<float>(static_cast<py::ssize_t>(heap->size()), heap->data(), owner);
}

// A voice and a crowd as Python holds them. Their audio side (process / render, and prepare and
// reset, which rebuild it) runs with the GIL released, so two Python threads could otherwise run
// it at once on one object and corrupt its state (a crash, not just odd sound): the mutex makes
// those calls take turns. The setters stay lock-free beside them, as in a game, one at a time
// under the GIL.
template <class Engine>
struct TakesTurns : Engine {
  std::mutex audioSide;
};
using PyVoice = TakesTurns<Voice>;
using PyCrowd = TakesTurns<CrowdEngine>;

// The crowd's SIMD paths, in the order their names are listed.
constexpr SimdPath kSimdPaths[] = {SimdPath::Scalar, SimdPath::Sse2, SimdPath::Avx2, SimdPath::Avx512, SimdPath::Neon};

// A ranged setting's row for Python (ParamInfo and speech's SpeakerInfo share these fields).
template <typename Info>
py::dict rangeInfo(const Info& info) {
  py::dict d;
  d["name"] = info.name;
  d["unit"] = info.unit;
  d["min"] = info.minValue;
  d["max"] = info.maxValue;
  d["default"] = info.defaultValue;
  d["description"] = info.description;
  return d;
}

}  // namespace

PYBIND11_MODULE(_core, m) {
  m.doc() = "VocalSynthesis core engine (C++), bound with pybind11.";
  m.attr("engine_version") = kEngineVersion;
  m.attr("min_sample_rate") = kMinSampleRateHz;
  m.attr("max_sample_rate") = kMaxSampleRateHz;

  py::class_<VoiceParams> params(m, "VoiceParams", "Archetype chain parameters (all neutral by default).");
  params.def(py::init<>());
  for (std::size_t i = 0; i < paramCount(); ++i) {
    const ParamInfo* info = &paramInfos()[i];
    params.def_property(
        info->name, [info](const VoiceParams& p) { return p.*(info->member); },
        [info](VoiceParams& p, double v) {
          checkValue(*info, v);
          p.*(info->member) = static_cast<float>(v);
        },
        info->description);
  }
  params.def(
      "to_dict",
      [](const VoiceParams& p) {
        py::dict d;
        for (std::size_t i = 0; i < paramCount(); ++i) d[paramInfos()[i].name] = p.*(paramInfos()[i].member);
        return d;
      },
      "All parameters as {name: value}.");
  params.def_static(
      "from_dict",
      [](const py::dict& d) {
        VoiceParams p;
        for (auto item : d) {
          const std::string key = py::str(item.first);
          const ParamInfo* info = findParam(key.c_str());
          if (info == nullptr) throw py::key_error("unknown parameter '" + key + "'");
          const double v = py::cast<double>(item.second);
          checkValue(*info, v);
          p.*(info->member) = static_cast<float>(v);
        }
        return p;
      },
      py::arg("values"), "Build from {name: value}; unknown names and out-of-range values raise.");
  params.def("copy", [](const VoiceParams& p) { return p; });
  params.def("__eq__", [](const VoiceParams& a, const VoiceParams& b) {
    for (std::size_t i = 0; i < paramCount(); ++i) {
      if (a.*(paramInfos()[i].member) != b.*(paramInfos()[i].member)) return false;
    }
    return true;
  });
  params.def("__repr__", [](const VoiceParams& p) {
    std::ostringstream s;
    s << "VoiceParams(";
    bool first = true;
    for (std::size_t i = 0; i < paramCount(); ++i) {
      const ParamInfo& info = paramInfos()[i];
      const float v = p.*(info.member);
      if (v == info.defaultValue) continue;
      s << (first ? "" : ", ") << info.name << "=" << v;
      first = false;
    }
    s << ")";
    return s.str();
  });
  params.def(py::pickle(
      [](const VoiceParams& p) {
        py::tuple t(paramCount());
        for (std::size_t i = 0; i < paramCount(); ++i) t[i] = p.*(paramInfos()[i].member);
        return t;
      },
      [](const py::tuple& t) {
        if (t.size() != paramCount()) throw std::runtime_error("VoiceParams pickle has the wrong size");
        VoiceParams p;
        for (std::size_t i = 0; i < paramCount(); ++i) p.*(paramInfos()[i].member) = t[i].cast<float>();
        return p;
      }));

  m.def(
      "param_info",
      []() {
        py::list out;
        for (std::size_t i = 0; i < paramCount(); ++i) {
          const ParamInfo& info = paramInfos()[i];
          py::dict d = rangeInfo(info);
          d["group"] = groupName(info.group);
          out.append(d);
        }
        return out;
      },
      "Every parameter: name, unit, min, max, default, group, description.");

  m.def("archetype_names", []() {
    std::vector<std::string> names;
    for (std::size_t i = 0; i < archetypeCount(); ++i) names.emplace_back(archetypes()[i].name);
    return names;
  });
  m.def(
      "archetype",
      [](const std::string& name, const std::optional<std::string>& emotion) {
        const Archetype& a = requireArchetype(name);
        return emotion ? archetypeParamsFor(a, emotion->c_str()) : a.params;
      },
      py::arg("name"), py::arg("emotion") = py::none(),
      "The built-in preset of an archetype (case-insensitive), under an emotion's overrides if given.");
  m.def(
      "with_emotion",
      [](const VoiceParams& params, const std::string& emotion, double intensity) {
        if (!std::isfinite(intensity) || intensity < 0.0 || intensity > 1.0)
          throw py::value_error("with_emotion: intensity must lie in [0, 1]");
        return withEmotion(params, emotion.c_str(), static_cast<float>(intensity));
      },
      py::arg("params"), py::arg("emotion"), py::arg("intensity") = 1.0,
      "What an emotion does to any voice's chain beyond a preset's own overrides (the game's table): "
      "its offsets at the intensity, held to range.");
  m.def(
      "emotion_offsets",
      []() {
        py::dict out;
        for (std::size_t i = 0; i < emotionOffsetCount(); ++i) {
          const EmotionOffset& o = emotionOffsets()[i];
          if (!out.contains(o.emotion)) out[o.emotion] = py::dict();
          out[o.emotion].cast<py::dict>()[o.param] = o.offset;
        }
        return out;
      },
      "{emotion: {parameter: offset at intensity 1}}: the table with_emotion applies.");
  // A speech voice as the preset files spell it.
  auto speechDict = [](float basePitchHz, float tractLengthCm, float breathiness, float rate) {
    py::dict d;
    d["base_pitch_hz"] = basePitchHz;
    d["tract_length_cm"] = tractLengthCm;
    d["breathiness"] = breathiness;
    d["rate"] = rate;
    return d;
  };
  m.def(
      "archetype_speech",
      [speechDict](const std::string& name) {
        const ArchetypeSpeech& s = requireArchetype(name).speech;
        return speechDict(s.basePitchHz, s.tractLengthCm, s.breathiness, s.rate);
      },
      py::arg("name"), "The speech voice the game engine's components speak an archetype in (as its preset file).");
  m.def(
      "archetype_description", [](const std::string& name) { return std::string(requireArchetype(name).description); },
      py::arg("name"));
  m.def(
      "morph",
      [](const VoiceParams& a, const VoiceParams& b, double amount) {
        if (!std::isfinite(amount) || amount < 0.0 || amount > 1.0)
          throw py::value_error("morph amount must lie in [0, 1]");
        return morph(a, b, static_cast<float>(amount));
      },
      py::arg("a"), py::arg("b"), py::arg("amount"), "Linear morph: 0 gives a, 1 gives b, bit for bit.");
  m.def(
      "with_speaker_tract",
      [](const VoiceParams& chain, double spokenTractCm, double voiceTractCm) {
        if (!(spokenTractCm > 0.0 && voiceTractCm > 0.0 && std::isfinite(spokenTractCm) && std::isfinite(voiceTractCm)))
          throw py::value_error("with_speaker_tract: tract lengths must be positive numbers of cm");
        return withSpeakerTract(chain, static_cast<float>(spokenTractCm), static_cast<float>(voiceTractCm));
      },
      py::arg("chain"), py::arg("spoken_tract_cm"), py::arg("voice_tract_cm"),
      "The chain with its formants moved by spoken / voice tract length (a transformation's target chain: a "
      "line spoken with one speaker's tract comes out with another's formants).");

  py::class_<PyVoice>(m, "Voice",
                      "One streaming voice: prepare(), then process() blocks (thread-safe: calls from "
                      "several threads take turns).")
      .def(py::init<>())
      .def(py::init([](double sampleRate, int maxBlock, std::uint64_t seed) {
             auto v = std::make_unique<PyVoice>();
             const PrepareResult r = v->prepare(sampleRate, maxBlock, seed);
             if (r != PrepareResult::Ok) throwPrepareError(sampleRate, r);
             return v;
           }),
           py::arg("sample_rate"), py::arg("max_block") = 512, py::arg("seed") = 0)
      .def(py::init([](const py::object& voice, double sampleRate, int maxBlock, std::uint64_t seed) {
             const VoiceParams params = voiceParamsFrom(voice, "Voice(voice, sample_rate)");
             auto v = std::make_unique<PyVoice>();
             const PrepareResult r = v->prepare(sampleRate, maxBlock, seed);
             if (r != PrepareResult::Ok) throwPrepareError(sampleRate, r);
             v->setParams(params, true);
             return v;
           }),
           py::arg("voice"), py::arg("sample_rate"), py::arg("max_block") = 512, py::arg("seed") = 0,
           "A voice that starts in `voice` (an archetype name, a Preset or VoiceParams), no glide.")
      .def(
          "prepare",
          [](PyVoice& v, double sampleRate, int maxBlock, std::uint64_t seed) {
            PrepareResult r;
            {
              py::gil_scoped_release release;
              std::lock_guard<std::mutex> turn(v.audioSide);
              r = v.prepare(sampleRate, maxBlock, seed);
            }
            if (r != PrepareResult::Ok) throwPrepareError(sampleRate, r);
          },
          py::arg("sample_rate"), py::arg("max_block") = 512, py::arg("seed") = 0)
      .def(
          "reset",
          [](PyVoice& v, std::optional<std::uint64_t> seed) {
            py::gil_scoped_release release;
            std::lock_guard<std::mutex> turn(v.audioSide);
            if (seed) v.reset(*seed);
            else v.reset();
          },
          py::arg("seed") = py::none(),
          "Clears the voice's state: the next output is a fresh voice's (with `seed`, one prepared with that seed).")
      .def("set_params", &Voice::setParams, py::arg("params"), py::arg("immediate") = false)
      .def(
          "set_params",
          [](PyVoice& v, const py::object& voice, bool immediate) {
            v.setParams(voiceParamsFrom(voice, "set_params"), immediate);
          },
          py::arg("params"), py::arg("immediate") = false,
          "An archetype's built-in parameters by name, or a Preset's (its voice_params()).")
      .def(
          "set_intensity",
          [](PyVoice& v, double proximity, double environment, bool immediate) {
            if (!(proximity >= 0.0 && proximity <= 1.0))
              throw py::value_error("proximity must lie in [0, 1] (0 = far, 1 = close)");
            if (!(environment >= 0.0 && environment <= 1.0))
              throw py::value_error("environment must lie in [0, 1] (0 = dry, 1 = wet)");
            v.setIntensity({static_cast<float>(proximity), static_cast<float>(environment)}, immediate);
          },
          py::arg("proximity") = 0.5, py::arg("environment") = 0.5, py::arg("immediate") = false)
      .def(
          "process",
          [](PyVoice& v, const py::array& given) {
            if (!v.isPrepared()) throw py::value_error("voice is not prepared: call prepare(sample_rate) first");
            if (given.ndim() != 1) throw py::value_error("process() takes a 1-D (mono) float32 array");
            requireFloatSamples(given);
            const auto input = py::array_t<float, py::array::c_style | py::array::forcecast>::ensure(given);
            const auto n = static_cast<std::size_t>(input.shape(0));
            std::vector<float> out(n);
            const float* in = input.data();
            {
              py::gil_scoped_release release;
              std::lock_guard<std::mutex> turn(v.audioSide);
              std::size_t done = 0;
              while (done < n) {
                const int chunk = static_cast<int>(std::min<std::size_t>(n - done, 1u << 20));
                v.process(in + done, out.data() + done, chunk);
                done += static_cast<std::size_t>(chunk);
              }
            }
            return toArray(std::move(out));
          },
          py::arg("block"), "Process one block; returns a new float32 array of the same length.")
      .def_property_readonly("latency_samples", &Voice::latencySamples)
      .def_property_readonly("sample_rate", &Voice::sampleRate)
      .def_property_readonly("non_finite_input_count", &Voice::nonFiniteInputCount)
      .def_property_readonly("tracked_f0_hz", &Voice::trackedF0Hz)
      .def_property_readonly("formant_stage_active", &Voice::formantStageActive)
      .def_property_readonly("idle", &Voice::idle,
                             "Whether the voice path is idle: the input has been silent (-120 dBFS) for 100 ms "
                             "and its sound has died away; only the additive layers and the limiter run until "
                             "the next sound.")
      .def_property_readonly("current_params", &Voice::currentParams);

  // --- Crowds --------------------------------------------------------------------------------
  m.def(
      "simd_paths",
      []() {
        std::vector<std::string> names;
        for (SimdPath p : kSimdPaths) {
          if (simdPathAvailable(p)) names.emplace_back(simdPathName(p));
        }
        return names;
      },
      "SIMD paths this build and CPU can run the crowd with (scalar always).");
  py::class_<CrowdVoiceHandle>(m, "CrowdVoice", "Handle of a crowd voice (stale handles are ignored safely).")
      .def_readonly("slot", &CrowdVoiceHandle::slot)
      .def_readonly("generation", &CrowdVoiceHandle::generation)
      .def_property_readonly("valid", &CrowdVoiceHandle::valid)
      .def("__repr__", [](const CrowdVoiceHandle& h) {
        return "CrowdVoice(slot=" + std::to_string(h.slot) + ", generation=" + std::to_string(h.generation) + ")";
      });
  py::class_<PyCrowd>(m, "Crowd",
                      "A pool of crowd voices with Near/Mid/Far levels of detail, mixed to stereo "
                      "(thread-safe: renders from several threads take turns).")
      .def(py::init([](double sampleRate, int maxBlock, int capacity, const std::string& simd) {
             SimdPath path = SimdPath::Auto;
             bool known = simd == "auto";
             for (SimdPath p : kSimdPaths) {
               if (simd == simdPathName(p)) path = p, known = true;
             }
             if (!known)
               throw py::value_error("unknown simd path '" + simd + "': use auto, scalar, sse2, avx2, avx512 or neon");
             if (!simdPathAvailable(path))
               throw py::value_error("simd path '" + simd + "' is not available on this CPU/build");
             auto crowd = std::make_unique<PyCrowd>();
             if (!crowd->prepare(sampleRate, maxBlock, capacity, path)) {
               throw py::value_error("cannot prepare the crowd: sample rate must lie in 16000-96000 Hz (got " +
                                     hz(sampleRate) + "), max_block in 1-8192, capacity in 1-65536");
             }
             return crowd;
           }),
           py::arg("sample_rate") = 48000.0, py::arg("max_block") = 256, py::arg("capacity") = 1024,
           py::arg("simd") = "auto")
      .def(
          "start",
          [](PyCrowd& c, const py::object& voice, double distanceM, double azimuthDeg, int priority, std::uint64_t seed,
             int cluster, double gainDb, double durationS, double syllablesPerSecond, double pauseProbability,
             double intonation, double vowelSpread, double f0Hz) {
            const VoiceParams params = voiceParamsFrom(voice, "start");
            if (!(distanceM >= 0.0)) throw py::value_error("distance_m must be >= 0");
            if (cluster < 0 || cluster >= kCrowdMaxClusters) throw py::value_error("cluster must lie in 0-15");
            CrowdStyle style;
            style.f0Hz = static_cast<float>(f0Hz);
            style.syllablesPerSecond = static_cast<float>(syllablesPerSecond);
            style.pauseProbability = static_cast<float>(pauseProbability);
            style.intonation = static_cast<float>(intonation);
            style.vowelSpread = static_cast<float>(vowelSpread);
            CrowdVoiceDesc d;
            d.profile = makeCrowdProfile(params, style);
            d.distanceM = static_cast<float>(distanceM);
            d.azimuthDeg = static_cast<float>(azimuthDeg);
            d.priority = priority;
            d.seed = seed;
            d.cluster = cluster;
            d.gainDb = static_cast<float>(gainDb);
            d.durationSeconds = static_cast<float>(durationS);
            return c.startVoice(d);
          },
          py::arg("params"), py::arg("distance_m") = 5.0, py::arg("azimuth_deg") = 0.0, py::arg("priority") = 0,
          py::arg("seed") = 0, py::arg("cluster") = 0, py::arg("gain_db") = 0.0, py::arg("duration_s") = 0.0,
          py::arg("syllables_per_second") = 3.5, py::arg("pause_probability") = 0.2, py::arg("intonation") = 0.3,
          py::arg("vowel_spread") = 1.0, py::arg("f0_hz") = 0.0,
          "Start a voice (`params`: an archetype name, a Preset or VoiceParams); the handle is invalid when the "
          "pool is full of more important voices.")
      .def("stop", &CrowdEngine::stopVoice, py::arg("voice"))
      .def("move", &CrowdEngine::setVoicePosition, py::arg("voice"), py::arg("distance_m"),
           py::arg("azimuth_deg") = 0.0f)
      .def("set_priority", &CrowdEngine::setVoicePriority, py::arg("voice"), py::arg("priority"))
      .def("is_playing", &CrowdEngine::isPlaying, py::arg("voice"))
      .def("poll_finished",
           [](PyCrowd& c) {
             std::vector<CrowdVoiceHandle> out(static_cast<std::size_t>(c.capacity()));
             out.resize(static_cast<std::size_t>(c.pollFinished(out.data(), c.capacity())));
             return out;
           })
      .def(
          "set_lod",
          [](PyCrowd& c, double nearM, double midM, int maxNear, int maxMid, double budgetUs, double transitionS,
             double hysteresis) {
            if (!(nearM > 0.0 && midM >= nearM)) throw py::value_error("need 0 < near_distance_m <= mid_distance_m");
            CrowdLodSettings s;
            s.nearDistanceM = static_cast<float>(nearM);
            s.midDistanceM = static_cast<float>(midM);
            s.maxNear = maxNear;
            s.maxMid = maxMid;
            s.budgetMicros = static_cast<float>(budgetUs);
            s.transitionSeconds = static_cast<float>(transitionS);
            s.hysteresis = static_cast<float>(hysteresis);
            c.setLodSettings(s);
          },
          py::arg("near_distance_m") = 8.0, py::arg("mid_distance_m") = 30.0, py::arg("max_near") = 64,
          py::arg("max_mid") = 512, py::arg("budget_us") = 0.0, py::arg("transition_s") = 0.02,
          py::arg("hysteresis") = 0.1)
      .def(
          "render",
          [](PyCrowd& c, int n) {
            if (n < 0) throw py::value_error("render length must be >= 0");
            py::array_t<float> out({2, n});
            float* data = out.mutable_data();
            {
              py::gil_scoped_release release;
              std::lock_guard<std::mutex> turn(c.audioSide);
              c.render(data, data + n, n);
            }
            return out;
          },
          py::arg("num_samples"), "Render the next num_samples of the stereo bus: float32 array (2, n).")
      .def(
          "tier", [](const PyCrowd& c, const CrowdVoiceHandle& h) { return std::string(crowdTierName(c.tierOf(h))); },
          py::arg("voice"))
      .def_property_readonly("stats",
                             [](PyCrowd& c) {
                               const CrowdStats s = c.stats();
                               py::dict d;
                               d["active"] = s.active;
                               d["near"] = s.perTier[0];
                               d["mid"] = s.perTier[1];
                               d["far"] = s.perTier[2];
                               d["culled"] = s.perTier[3];
                               d["transitions"] = s.transitions;
                               d["estimated_us"] = s.estimatedMicros;
                               d["blocks"] = s.blocks;
                               d["commands_rejected"] = s.commandsRejected;
                               return d;
                             })
      .def_property_readonly("simd_path", [](const PyCrowd& c) { return std::string(simdPathName(c.simdPath())); })
      .def_property_readonly("lane_width", &CrowdEngine::laneWidth)
      .def_property_readonly("capacity", &CrowdEngine::capacity)
      .def_property_readonly("playing", &CrowdEngine::playingCount)
      .def_property_readonly("tier_costs_ns", [](const PyCrowd& c) {
        float costs[3];
        c.tierCosts(costs);
        return py::make_tuple(costs[0], costs[1], costs[2]);
      });

  // --- Speech --------------------------------------------------------------------------------
  namespace sp = vocalsynth::speech;
  auto pairsToNames = [](const std::vector<std::pair<sp::Phone, int>>& pron) {
    std::vector<std::string> names;
    for (const auto& [phone, stress] : pron) names.push_back(sp::phoneSymbol(phone, stress));
    return names;
  };
  py::class_<sp::Lexicon>(m, "Lexicon", "CMU-derived pronouncing dictionary (en_us.vslex).")
      .def(py::init<>())
      .def(
          "load",
          [](sp::Lexicon& lex, const py::bytes& data) {
            const std::string bytes = data;
            if (!lex.load(bytes)) throw py::value_error("lexicon data is malformed (expected the en_us.vslex format)");
          },
          py::arg("data"))
      .def("__len__", &sp::Lexicon::size)
      .def(
          "lookup",
          [pairsToNames](const sp::Lexicon& lex, const std::string& word) -> py::object {
            std::vector<std::pair<sp::Phone, int>> pron;
            if (!lex.lookup(word, pron)) return py::none();
            return py::cast(pairsToNames(pron));
          },
          py::arg("word"), "ARPAbet phones of a word, or None when it is not in the lexicon.");
  m.def(
      "letter_to_sound",
      [pairsToNames](const std::string& word) {
        std::vector<std::pair<sp::Phone, int>> pron;
        sp::letterToSound(word, pron);
        return pairsToNames(pron);
      },
      py::arg("word"), "Letter-to-sound rules: ARPAbet for a word the lexicon lacks.");
  m.def(
      "phone_visemes",
      []() {
        py::dict out;
        for (int p = 0; p < static_cast<int>(sp::Phone::Count); ++p) {
          const auto phone = static_cast<sp::Phone>(p);
          out[py::str(sp::phoneInfo(phone).arpabet)] = sp::visemeName(sp::visemeOf(phone));
        }
        return out;
      },
      "ARPAbet phone (without stress) -> viseme name (15-viseme set).");
  m.def("normalize_text", [](const std::string& text) { return sp::normalizeText(text); }, py::arg("text"));
  m.def("emotion_names", []() {
    std::vector<std::string> names;
    for (int e = 0; e < 6; ++e) names.emplace_back(sp::emotionName(static_cast<sp::Emotion>(e)));
    return names;
  });

  py::class_<sp::Utterance>(m, "Utterance", "Phones with durations and F0, and the words they belong to.")
      .def_property_readonly(
          "phones",
          [](const sp::Utterance& u) {
            py::list out;
            for (const auto& p : u.phones)
              out.append(
                  py::make_tuple(sp::phoneSymbol(p.phone, p.stress), p.word, p.durationMs, p.f0StartHz, p.f0EndHz));
            return out;
          },
          "(phone, word index or -1, duration ms, F0 start Hz, F0 end Hz) per phone")
      .def_property_readonly(
          "words",
          [](const sp::Utterance& u) {
            py::list out;
            for (const auto& w : u.words) out.append(py::make_tuple(w.text, w.firstPhone, w.phoneCount, w.fromLexicon));
            return out;
          },
          "(text, first phone, phone count, from lexicon) per word")
      .def_property_readonly("total_ms", &sp::Utterance::totalMs)
      .def_property_readonly("emotion", [](const sp::Utterance& u) { return std::string(sp::emotionName(u.emotion)); });

  m.def(
      "speaker_info",
      []() {
        py::list out;
        for (std::size_t i = 0; i < sp::speakerInfoCount(); ++i) { out.append(rangeInfo(sp::speakerInfos()[i])); }
        return out;
      },
      "Every speech-voice setting (a preset's \"speech\"): name, unit, min, max, default, description.");

  m.def(
      "build_utterance",
      [](const std::string& text, const sp::Lexicon& lexicon, double basePitchHz, double tractLengthCm,
         double breathiness, double rate, const std::string& emotion) {
        sp::Emotion e;
        if (!sp::parseEmotion(emotion, e))
          throw py::value_error("unknown emotion '" + emotion +
                                "'; known: neutral, fear, rage, sorrow, menace, whisper");
        sp::SpeakerSettings speaker;
        speaker.basePitchHz = static_cast<float>(basePitchHz);
        speaker.tractLengthCm = static_cast<float>(tractLengthCm);
        speaker.breathiness = static_cast<float>(breathiness);
        speaker.rate = static_cast<float>(rate);
        // The engine clamps (a game must never stall); a Python caller is told instead.
        for (std::size_t i = 0; i < sp::speakerInfoCount(); ++i) {
          const sp::SpeakerInfo& info = sp::speakerInfos()[i];
          const float value = speaker.*(info.member);
          if (!std::isfinite(value) || value < info.minValue || value > info.maxValue) {
            std::ostringstream msg;
            msg << "speech setting '" << info.name << "' = " << value << " is out of range: allowed " << info.minValue
                << " to " << info.maxValue << (info.unit[0] ? " " : "") << info.unit;
            throw py::value_error(msg.str());
          }
        }
        sp::FrontEndResult r = sp::buildUtterance(text, lexicon, speaker, e);
        if (!r.ok()) throw py::value_error(r.error);
        return r.utterance;
      },
      py::arg("text"), py::arg("lexicon"), py::arg("base_pitch_hz") = 120.0, py::arg("tract_length_cm") = 17.5,
      py::arg("breathiness") = 0.05, py::arg("rate") = 1.0, py::arg("emotion") = "neutral");

  m.def(
      "glide_pitch",
      [](const sp::Utterance& u, double ratio, double startMs, double endMs) {
        if (!std::isfinite(ratio) || ratio <= 0.0)
          throw py::value_error("glide_pitch: ratio must be a positive number");
        if (!std::isfinite(startMs) || !std::isfinite(endMs) || startMs < 0.0 || endMs < startMs)
          throw py::value_error("glide_pitch: the span must satisfy 0 <= start_ms <= end_ms");
        sp::Utterance glided = u;
        sp::glidePitch(glided, static_cast<float>(ratio), static_cast<float>(startMs), static_cast<float>(endMs));
        return glided;
      },
      py::arg("utterance"), py::arg("ratio"), py::arg("start_ms"), py::arg("end_ms"),
      "A copy of the line whose F0 glides by `ratio` (evenly in semitones) from start_ms to end_ms: the "
      "phones before keep their pitch, those after are multiplied by `ratio` (a transformation).");

  m.def(
      "vary_speaker",
      [speechDict](const py::dict& speech, std::uint64_t seed, double amount) {
        if (!std::isfinite(amount) || amount < 0.0 || amount > 1.0)
          throw py::value_error("variation must lie in [0, 1]");
        sp::SpeakerSettings s;
        s.basePitchHz = speech["base_pitch_hz"].cast<float>();
        s.tractLengthCm = speech["tract_length_cm"].cast<float>();
        s.breathiness = speech["breathiness"].cast<float>();
        s.rate = speech["rate"].cast<float>();
        const sp::SpeakerSettings v = sp::varySpeaker(s, seed, static_cast<float>(amount));
        return speechDict(v.basePitchHz, v.tractLengthCm, v.breathiness, v.rate);
      },
      py::arg("speech"), py::arg("seed"), py::arg("amount"),
      "One individual of a speech voice (the game engine component's VoiceVariation): pitch up to "
      "+-4 semitones, tract length and pace +-8%, breathiness +-0.1 at amount 1, drawn from the seed.");

  m.def(
      "synthesize",
      [](const sp::Utterance& u, double sampleRate, std::uint64_t seed, int block) {
        sp::Synthesizer synth;
        if (!synth.prepare(sampleRate, static_cast<int>(u.phones.size()) + 1))
          throw py::value_error("sample rate must be 8-192 kHz");
        if (block < 1) throw py::value_error("block must be >= 1");
        std::vector<float> audio;
        std::vector<std::int64_t> starts;
        {
          py::gil_scoped_release release;
          synth.start(u, seed);
          audio.resize(static_cast<std::size_t>(synth.totalSamples()));
          std::size_t pos = 0;
          while (!synth.finished() && pos < audio.size()) {
            const int n = static_cast<int>(std::min<std::size_t>(static_cast<std::size_t>(block), audio.size() - pos));
            pos += static_cast<std::size_t>(synth.render(audio.data() + pos, n));
          }
          for (int i = 0; i <= synth.phoneCount(); ++i) starts.push_back(synth.phoneStartSample(i));
        }
        return py::make_tuple(toArray(std::move(audio)), starts);
      },
      py::arg("utterance"), py::arg("sample_rate") = 48000.0, py::arg("seed") = 1, py::arg("block") = 512,
      "Render an utterance: (float32 audio, start sample of each phone plus the end).");

  m.def(
      "render_anchor",
      [](double sampleRate, double seconds, double f0Hz, double vibratoDepth, double vibratoRateHz, double jitter,
         double shimmer, const std::string& vowels, double declination, double aspiration, double formantScale,
         bool syllableDips, double peakLevel, std::uint64_t seed) {
        if (!(seconds > 0.0 && seconds <= 600.0)) throw py::value_error("seconds must lie in (0, 600]");
        AnchorSettings s;
        s.f0Hz = static_cast<float>(f0Hz);
        s.vibratoDepth = static_cast<float>(vibratoDepth);
        s.vibratoRateHz = static_cast<float>(vibratoRateHz);
        s.jitter = static_cast<float>(jitter);
        s.shimmer = static_cast<float>(shimmer);
        s.vowels = vowels.c_str();
        s.declination = static_cast<float>(declination);
        s.aspiration = static_cast<float>(aspiration);
        s.formantScale = static_cast<float>(formantScale);
        s.syllableDips = syllableDips;
        s.peakLevel = static_cast<float>(peakLevel);
        s.seed = seed;
        std::vector<float> out(static_cast<std::size_t>(std::llround(seconds * sampleRate)));
        bool ok;
        {
          py::gil_scoped_release release;
          ok = renderAnchor(s, sampleRate, out.data(), static_cast<int>(out.size()));
        }
        if (!ok)
          throw py::value_error("render_anchor: sample rate must be 8-192 kHz, f0 20-1000 Hz, vowels from 'aeiou@'");
        return toArray(std::move(out));
      },
      py::arg("sample_rate"), py::arg("seconds") = 2.5, py::arg("f0_hz") = 120.0, py::arg("vibrato_depth") = 0.0,
      py::arg("vibrato_rate_hz") = 5.5, py::arg("jitter") = 0.0, py::arg("shimmer") = 0.0, py::arg("vowels") = "aiuea",
      py::arg("declination") = 0.15, py::arg("aspiration") = 0.01, py::arg("formant_scale") = 1.0,
      py::arg("syllable_dips") = true, py::arg("peak_level") = 0.5, py::arg("seed") = 1,
      "Built-in voice-like anchor: Rosenberg pulses through five formant resonators.");
}
