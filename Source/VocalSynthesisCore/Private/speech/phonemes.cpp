#include "vocalsynth/speech/phonemes.h"

#include <cctype>

namespace vocalsynth::speech {
namespace {

using C = PhoneClass;
// Viseme letters (15 classes, as common facial rigs use): x silence, p PP (p b m), f FF (f v),
// t TH (th dh), d DD (t d), k kk (k g), c CH (ch jh sh zh), s SS (s z), n nn (n l), r RR (r),
// a aa, e E, i I (also y), o O, u U (also w).
// Where the table leaves its sources, each judged by pocketsphinx's phone recognizer on 40 lines
// (bench/intelligibility.py --phones): /dh/'s F2 and F3 at the dental locus (~1600 Hz; Klatt's 1150
// is /v/'s, and with its 0.15 frication it was heard as /z/), its frication weak (0.04: the
// weakest English fricative); /n/'s at the alveolar locus (1700, 2600; as /d/'s, where its 1340 was
// near /m/'s); /s/ at full level (1.0; the strongest fricative, at 0.6 heard as /f/ or /th/);
// /ih/ shorter (90 ms inherent, 35 minimum: at Klatt's 135 and 40 the lax vowel was heard as the
// tense /ey/ in 2 of 3 places); /ow/ gliding on to a rounder end (400, 850 Hz: with Klatt's 450, 900
// it was heard as the monophthong /ao/).
//  name   class        voiced  F1    F2    F3      F1e   F2e   F3e     B1   B2   B3   inh  min  fricHz fricQ fricLvl
//  burstHz viseme
const PhoneInfo kPhones[] = {
    // clang-format off
    {"SIL", C::Silence, false, {500, 1500, 2500}, {500, 1500, 2500}, {80, 90, 120}, 0, 0, 0, 1, 0, 0, 'x'},
    {"AA", C::Vowel, true, {730, 1090, 2440}, {730, 1090, 2440}, {130, 70, 160}, 240, 100, 0, 1, 0, 0, 'a'},
    {"AE", C::Vowel, true, {660, 1720, 2410}, {660, 1720, 2410}, {70, 130, 300}, 230, 80, 0, 1, 0, 0, 'a'},
    {"AH", C::Vowel, true, {640, 1190, 2390}, {640, 1190, 2390}, {80, 50, 140}, 140, 60, 0, 1, 0, 0, 'a'},
    {"AO", C::Vowel, true, {570, 840, 2410}, {570, 840, 2410}, {90, 100, 80}, 240, 100, 0, 1, 0, 0, 'o'},
    {"AW", C::Diphthong, true, {640, 1230, 2550}, {420, 940, 2350}, {80, 70, 140}, 260, 100, 0, 1, 0, 0, 'a'},
    {"AY", C::Diphthong, true, {660, 1200, 2550}, {400, 1880, 2500}, {100, 70, 200}, 250, 150, 0, 1, 0, 0, 'a'},
    {"EH", C::Vowel, true, {530, 1840, 2480}, {530, 1840, 2480}, {60, 90, 200}, 150, 70, 0, 1, 0, 0, 'e'},
    {"ER", C::Vowel, true, {490, 1350, 1690}, {490, 1350, 1690}, {100, 60, 110}, 180, 80, 0, 1, 0, 0, 'r'},
    {"EY", C::Diphthong, true, {480, 1720, 2520}, {330, 2200, 2600}, {70, 100, 200}, 180, 100, 0, 1, 0, 0, 'e'},
    {"IH", C::Vowel, true, {390, 1990, 2550}, {390, 1990, 2550}, {50, 100, 140}, 90, 35, 0, 1, 0, 0, 'i'},
    {"IY", C::Vowel, true, {270, 2290, 3010}, {270, 2290, 3010}, {45, 100, 150}, 155, 55, 0, 1, 0, 0, 'i'},
    {"OW", C::Diphthong, true, {540, 1100, 2300}, {400, 850, 2300}, {80, 70, 70}, 220, 80, 0, 1, 0, 0, 'o'},
    {"OY", C::Diphthong, true, {550, 960, 2400}, {360, 1820, 2450}, {80, 50, 130}, 280, 150, 0, 1, 0, 0, 'o'},
    {"UH", C::Vowel, true, {440, 1020, 2240}, {440, 1020, 2240}, {80, 100, 80}, 160, 60, 0, 1, 0, 0, 'u'},
    {"UW", C::Vowel, true, {300, 870, 2240}, {300, 870, 2240}, {65, 110, 140}, 210, 70, 0, 1, 0, 0, 'u'},
    {"B", C::Stop, true, {200, 900, 2100}, {200, 900, 2100}, {65, 90, 125}, 85, 60, 0, 1, 0, 800, 'p'},
    {"CH", C::Affricate, false, {350, 1800, 2820}, {350, 1800, 2820}, {200, 90, 300}, 70, 50, 2800, 2.0f, 0.7f, 2800, 'c'},
    {"D", C::Stop, true, {200, 1600, 2600}, {200, 1600, 2600}, {60, 100, 170}, 75, 50, 0, 1, 0, 4000, 'd'},
    {"DH", C::Fricative, true, {300, 1600, 2600}, {300, 1600, 2600}, {60, 95, 185}, 50, 30, 5000, 0.8f, 0.04f, 0, 't'},
    {"F", C::Fricative, false, {340, 1100, 2080}, {340, 1100, 2080}, {200, 120, 150}, 100, 80, 6000, 0.7f, 0.3f, 0, 'f'},
    {"G", C::Stop, true, {250, 1990, 2850}, {250, 1990, 2850}, {70, 150, 280}, 80, 60, 0, 1, 0, 2200, 'k'},
    {"HH", C::Aspirate, false, {500, 1500, 2500}, {500, 1500, 2500}, {300, 150, 200}, 80, 20, 0, 1, 0, 0, 'x'},
    {"JH", C::Affricate, true, {260, 1800, 2820}, {260, 1800, 2820}, {60, 80, 270}, 70, 50, 2800, 2.0f, 0.4f, 2800, 'c'},
    {"K", C::Stop, false, {250, 1990, 2850}, {250, 1990, 2850}, {160, 150, 280}, 80, 60, 0, 1, 0, 2200, 'k'},
    {"L", C::Liquid, true, {310, 1050, 2880}, {310, 1050, 2880}, {50, 100, 280}, 80, 40, 0, 1, 0, 0, 'n'},
    {"M", C::Nasal, true, {280, 1270, 2130}, {280, 1270, 2130}, {120, 150, 200}, 70, 60, 0, 1, 0, 0, 'p'},
    {"N", C::Nasal, true, {280, 1700, 2600}, {280, 1700, 2600}, {120, 150, 200}, 60, 50, 0, 1, 0, 0, 'n'},
    {"NG", C::Nasal, true, {280, 2000, 2700}, {280, 2000, 2700}, {120, 150, 200}, 95, 60, 0, 1, 0, 0, 'k'},
    {"P", C::Stop, false, {200, 900, 2100}, {200, 900, 2100}, {300, 190, 250}, 85, 50, 0, 1, 0, 800, 'p'},
    {"R", C::Liquid, true, {310, 1060, 1380}, {310, 1060, 1380}, {70, 100, 120}, 80, 30, 0, 1, 0, 0, 'r'},
    {"S", C::Fricative, false, {320, 1390, 2530}, {320, 1390, 2530}, {200, 80, 200}, 105, 60, 5500, 2.5f, 1.0f, 0, 's'},
    {"SH", C::Fricative, false, {300, 1840, 2750}, {300, 1840, 2750}, {200, 100, 300}, 105, 80, 2800, 2.0f, 0.7f, 0, 'c'},
    {"T", C::Stop, false, {200, 1600, 2600}, {200, 1600, 2600}, {300, 120, 250}, 75, 50, 0, 1, 0, 4000, 'd'},
    {"TH", C::Fricative, false, {320, 1290, 2540}, {320, 1290, 2540}, {200, 90, 200}, 90, 60, 5000, 0.8f, 0.2f, 0, 't'},
    {"V", C::Fricative, true, {220, 1100, 2080}, {220, 1100, 2080}, {60, 95, 120}, 60, 40, 6000, 0.7f, 0.15f, 0, 'f'},
    {"W", C::Glide, true, {290, 610, 2150}, {290, 610, 2150}, {50, 80, 60}, 80, 60, 0, 1, 0, 0, 'u'},
    {"Y", C::Glide, true, {260, 2070, 3020}, {260, 2070, 3020}, {40, 250, 500}, 80, 40, 0, 1, 0, 0, 'i'},
    {"Z", C::Fricative, true, {240, 1390, 2530}, {240, 1390, 2530}, {70, 60, 180}, 75, 40, 5500, 2.5f, 0.35f, 0, 's'},
    {"ZH", C::Fricative, true, {300, 1840, 2750}, {300, 1840, 2750}, {220, 100, 300}, 70, 40, 2800, 2.0f, 0.4f, 0, 'c'},
};
static_assert(sizeof(kPhones) / sizeof(kPhones[0]) == static_cast<int>(Phone::Count), "one row per phone");

}  // namespace

const PhoneInfo& phoneInfo(Phone phone) noexcept {
  const int i = static_cast<int>(phone);
  return kPhones[i < static_cast<int>(Phone::Count) ? i : 0];
}

const char* visemeName(int viseme) noexcept {
  static const char* const kNames[kVisemeCount] = {"sil", "PP", "FF", "TH", "DD", "kk", "CH", "SS", "nn", "RR", "aa", "E", "I", "O", "U"};
  // clang-format on
  return viseme >= 0 && viseme < kVisemeCount ? kNames[viseme] : "sil";
}

int visemeOf(Phone phone) noexcept {
  static const char kLetters[] = "xpftdkcsnraeiou";  // same order as visemeName
  const char letter = phoneInfo(phone).viseme;
  for (int i = 0; i < kVisemeCount; ++i) {
    if (kLetters[i] == letter) return i;
  }
  return 0;
}

bool isVowel(Phone phone) noexcept {
  const PhoneClass c = phoneInfo(phone).cls;
  return c == PhoneClass::Vowel || c == PhoneClass::Diphthong;
}

std::string phoneSymbol(Phone phone, int stress) {
  std::string symbol = phoneInfo(phone).arpabet;
  if (stress >= 0) symbol += static_cast<char>('0' + stress);
  return symbol;
}

bool parsePhone(const char* text, int length, Phone& phone, int& stress) noexcept {
  if (length <= 0 || length > 4) return false;
  char name[4] = {};
  int n = 0;
  stress = -1;
  for (int i = 0; i < length; ++i) {
    const char c = text[i];
    if (c >= '0' && c <= '2' && i == length - 1) {
      stress = c - '0';
    } else if (std::isalpha(static_cast<unsigned char>(c)) && n < 3) {
      name[n++] = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    } else {
      return false;
    }
  }
  for (int p = 1; p < static_cast<int>(Phone::Count); ++p) {
    const char* a = kPhones[p].arpabet;
    int k = 0;
    while (k < n && a[k] == name[k]) ++k;
    if (k == n && a[k] == '\0') {
      phone = static_cast<Phone>(p);
      if (!isVowel(phone) && stress >= 0) return false;  // stress only on vowels
      return true;
    }
  }
  return false;
}

}  // namespace vocalsynth::speech
