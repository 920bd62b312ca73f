// The English phone inventory (ARPAbet, as in the CMU Pronouncing Dictionary) with the acoustic
// targets a formant synthesizer needs: formant frequencies and bandwidths (adult male: monophthongs
// from Peterson & Barney 1952, diphthongs and consonants from Klatt 1980 Table III), inherent and minimum durations
// (Klatt 1979), source type, frication and burst spectra.
#pragma once

#include <cstdint>
#include <string>

namespace vocalsynth::speech {

// clang-format off
enum class Phone : std::uint8_t {
  Sil,
  AA, AE, AH, AO, AW, AY, EH, ER, EY, IH, IY, OW, OY, UH, UW,
  B, CH, D, DH, F, G, HH, JH, K, L, M, N, NG, P, R, S, SH, T, TH, V, W, Y, Z, ZH,
  Count
};

enum class PhoneClass : std::uint8_t { Silence, Vowel, Diphthong, Stop, Fricative, Affricate, Nasal, Liquid, Glide, Aspirate };
// clang-format on

struct PhoneInfo {
  const char* arpabet;
  PhoneClass cls;
  bool voiced;
  float formantHz[3];     ///< target F1-F3 (for diphthongs: the onset)
  float endFormantHz[3];  ///< diphthong offset (equals formantHz otherwise)
  float bandwidthHz[3];
  float inherentMs;   ///< Klatt 1979 inherent duration
  float minimumMs;    ///< Klatt 1979 minimum duration
  float fricationHz;  ///< centre of the frication noise (0: none)
  float fricationQ;
  float fricationLevel;  ///< linear, relative to voicing
  float burstHz;         ///< stop release burst centre (0: none)
  char viseme;           ///< viseme class letter (see visemes in the docs)
};

const PhoneInfo& phoneInfo(Phone phone) noexcept;

/// The 15 visemes common facial rigs use (sil PP FF TH DD kk CH SS nn RR aa E I O U).
inline constexpr int kVisemeCount = 15;
const char* visemeName(int viseme) noexcept;
/// Viseme index (0..14) of a phone.
int visemeOf(Phone phone) noexcept;
bool isVowel(Phone phone) noexcept;
/// Parses "AH0", "ah", "Sh" ...; stress is 0-2 for vowels (-1 when not given), -1 for consonants.
bool parsePhone(const char* text, int length, Phone& phone, int& stress) noexcept;
/// The inverse of parsePhone: "AH0", "SH" (the stress digit only when stress >= 0).
std::string phoneSymbol(Phone phone, int stress);

}  // namespace vocalsynth::speech
