// Text front end: normalisation (numbers, ordinals, currency, times, abbreviations, punctuation
// -> phrasing), pronunciation from the CMU Pronouncing Dictionary with a letter-to-sound fallback,
// and explicit ARPAbet input in braces: "I am {V AA1 L K}". Runs off the audio thread (it
// allocates); its output, an Utterance, is plain data for the synthesizer.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "vocalsynth/speech/phonemes.h"

namespace vocalsynth::speech {

/// Pronouncing dictionary loaded from the compact en_us.vslex format (tools/gen_lexicon.py).
/// The host reads the file (UE: FFileHelper; Python: open()) and hands over the bytes; the core
/// does no file I/O.
class Lexicon {
 public:
  /// Returns false (and stays empty) when the data is malformed.
  bool load(std::string_view data);
  bool empty() const noexcept { return offsets_.empty(); }
  std::size_t size() const noexcept { return offsets_.size(); }
  /// Lower-case lookup. Phones are written as (phone, stress) pairs; false when absent.
  bool lookup(std::string_view word, std::vector<std::pair<Phone, int>>& out) const;

 private:
  std::string words_;                   // all words, concatenated, sorted
  std::vector<std::uint32_t> offsets_;  // start of word i in words_ (and of its phones)
  std::vector<std::uint32_t> phoneOffsets_;
  std::vector<std::uint8_t> phones_;  // code: index into the 69-symbol table
};

/// Letter-to-sound rules for words the lexicon lacks (names like "Aethelred", "Volkh"):
/// longest-match grapheme rules with context (magic e, soft c/g), stress on the first syllable.
void letterToSound(std::string_view word, std::vector<std::pair<Phone, int>>& out);

/// Expands numbers, ordinals, currency, times, percentages and abbreviations into words.
std::string normalizeText(std::string_view text);

enum class Emotion : std::uint8_t { Neutral, Fear, Rage, Sorrow, Menace, Whisper };
bool parseEmotion(std::string_view name, Emotion& out) noexcept;
const char* emotionName(Emotion e) noexcept;

struct SpeakerSettings {
  float basePitchHz = 120.0f;
  float tractLengthCm = 17.5f;  ///< formants scale by 17.5 / length
  float breathiness = 0.05f;
  float rate = 1.0f;  ///< speaking-rate multiplier
};

/// One field of SpeakerSettings with its unit and allowed range: the table the preset schema,
/// the Python package and the clamp below all read (the speech voice's ParamInfo).
struct SpeakerInfo {
  const char* name;  ///< snake_case, as in preset files
  float SpeakerSettings::* member;
  const char* unit;
  float minValue;
  float maxValue;
  float defaultValue;
  const char* description;
};
const SpeakerInfo* speakerInfos() noexcept;
std::size_t speakerInfoCount() noexcept;
/// Holds every field to its range; a non-finite one takes its default. Returns how many fields
/// were changed. buildUtterance and varySpeaker apply it, so settings from a Blueprint, a
/// hand-edited asset or a bad cast cannot stall the renderer (a rate of 0 made every phone
/// endless) or turn its output to NaN (an infinite tract length).
int clampSpeaker(SpeakerSettings& speaker) noexcept;

/// One individual of a voice: `base` with its pitch, vocal-tract length, breathiness and pace
/// moved by amounts drawn from `seed` (the same seed, the same individual). `amount` 0 gives
/// `base`; 1 gives up to +-4 semitones of pitch, +-8% tract length and pace, +-0.1 breathiness, so
/// two NPCs sharing a preset do not speak as one.
SpeakerSettings varySpeaker(const SpeakerSettings& base, std::uint64_t seed, float amount) noexcept;

struct UtterancePhone {
  Phone phone = Phone::Sil;
  std::int8_t stress = -1;
  std::int16_t word = -1;  ///< index into Utterance::words, -1 for pauses
  float durationMs = 0.0f;
  float f0StartHz = 0.0f;  ///< F0 at the phone's start and end (linear between)
  float f0EndHz = 0.0f;
  float gain = 1.0f;  ///< source level (an emphasised word's is raised)
};

struct UtteranceWord {
  std::string text;
  int firstPhone = 0;
  int phoneCount = 0;
  bool fromLexicon = true;  ///< false: letter-to-sound or explicit phonemes
};

struct Utterance {
  std::vector<UtterancePhone> phones;
  std::vector<UtteranceWord> words;
  SpeakerSettings speaker;
  Emotion emotion = Emotion::Neutral;
  float effort = 1.0f;        ///< source level/brightness from the emotion
  float breathiness = 0.05f;  ///< effective aspiration (speaker + emotion)
  bool whispered = false;
  float totalMs() const noexcept;
};

/// A line whose speaker's pitch turns into another's (a transformation: the man's voice dropping
/// into the wolf's): F0 is multiplied by `ratio` raised to the progress through [startMs, endMs]
/// (a geometric glide, even in semitones), set at each phone's ends: phones that end by `startMs`
/// keep their F0 (the one the span starts in glides from its own start), phones from `endMs` on are
/// multiplied by `ratio`. Timing is untouched. A ratio that is not
/// finite and positive, or a span that is not finite, leaves the line as it is.
void glidePitch(Utterance& utterance, float ratio, float startMs, float endMs) noexcept;

struct FrontEndResult {
  Utterance utterance;
  std::string error;  ///< non-empty on bad input (e.g. unknown phoneme in braces)
  bool ok() const noexcept { return error.empty(); }
};

/// Text -> phones with durations (Klatt 1979 rules: stress, phrase-final lengthening, rate) and an
/// F0 contour (declination, accents on stressed syllables, final fall or question rise).
FrontEndResult buildUtterance(std::string_view text, const Lexicon& lexicon, const SpeakerSettings& speaker,
                              Emotion emotion = Emotion::Neutral);

}  // namespace vocalsynth::speech
