#include <algorithm>
#include <cctype>
#include <cstring>

#include "vocalsynth/speech/text_frontend.h"

namespace vocalsynth::speech {
namespace {

// Code table of en_us.vslex: 15 vowels x stress 0-2, then 24 consonants (tools/gen_lexicon.py).
constexpr Phone kVowels[] = {Phone::AA, Phone::AE, Phone::AH, Phone::AO, Phone::AW, Phone::AY, Phone::EH, Phone::ER,
                             Phone::EY, Phone::IH, Phone::IY, Phone::OW, Phone::OY, Phone::UH, Phone::UW};
constexpr Phone kConsonants[] = {Phone::B,  Phone::CH, Phone::D,  Phone::DH, Phone::F,  Phone::G, Phone::HH, Phone::JH,
                                 Phone::K,  Phone::L,  Phone::M,  Phone::N,  Phone::NG, Phone::P, Phone::R,  Phone::S,
                                 Phone::SH, Phone::T,  Phone::TH, Phone::V,  Phone::W,  Phone::Y, Phone::Z,  Phone::ZH};
constexpr int kCodes = 15 * 3 + 24;

std::pair<Phone, int> decode(std::uint8_t code) noexcept {
  if (code < 45) return {kVowels[code / 3], code % 3};
  return {kConsonants[code - 45], -1};
}

}  // namespace

bool Lexicon::load(std::string_view data) {
  words_.clear();
  offsets_.clear();
  phoneOffsets_.clear();
  phones_.clear();
  std::string previous;
  std::size_t pos = 0;
  while (pos < data.size()) {
    std::size_t end = data.find('\n', pos);
    if (end == std::string_view::npos) end = data.size();
    const std::string_view line = data.substr(pos, end - pos);
    pos = end + 1;
    if (line.empty()) continue;
    const std::size_t space = line.find(' ');
    if (space == std::string_view::npos || space < 1) return false;
    const int shared = line[0] - '0';
    if (shared < 0 || static_cast<std::size_t>(shared) > previous.size()) return false;
    std::string word = previous.substr(0, static_cast<std::size_t>(shared));
    word.append(line.substr(1, space - 1));
    if (!previous.empty() && word <= previous) return false;  // must be strictly sorted
    offsets_.push_back(static_cast<std::uint32_t>(words_.size()));
    words_ += word;
    phoneOffsets_.push_back(static_cast<std::uint32_t>(phones_.size()));
    for (char c : line.substr(space + 1)) {
      const int code = c - '0';
      if (code < 0 || code >= kCodes) return false;
      phones_.push_back(static_cast<std::uint8_t>(code));
    }
    previous = std::move(word);
  }
  offsets_.push_back(static_cast<std::uint32_t>(words_.size()));
  phoneOffsets_.push_back(static_cast<std::uint32_t>(phones_.size()));
  if (offsets_.size() == 1) {
    offsets_.clear();
    phoneOffsets_.clear();
    return false;
  }
  offsets_.pop_back();  // keep the sentinel only in phoneOffsets_/words_ sizes below
  offsets_.shrink_to_fit();
  return true;
}

bool Lexicon::lookup(std::string_view word, std::vector<std::pair<Phone, int>>& out) const {
  out.clear();
  if (offsets_.empty() || word.empty()) return false;
  std::string lower(word);
  for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  const std::size_t n = offsets_.size();
  auto wordAt = [&](std::size_t i) {
    const std::size_t begin = offsets_[i];
    const std::size_t end = i + 1 < n ? offsets_[i + 1] : words_.size();
    return std::string_view(words_).substr(begin, end - begin);
  };
  std::size_t lo = 0, hi = n;
  while (lo < hi) {
    const std::size_t mid = (lo + hi) / 2;
    if (wordAt(mid) < std::string_view(lower)) lo = mid + 1;
    else hi = mid;
  }
  if (lo >= n || wordAt(lo) != std::string_view(lower)) return false;
  for (std::uint32_t p = phoneOffsets_[lo]; p < phoneOffsets_[lo + 1]; ++p) out.push_back(decode(phones_[p]));
  return true;
}

// ---------------------------------------------------------------------------------------------
// Letter to sound: ordered grapheme rules, longest match first, with a few context rules.

namespace {

struct Rule {
  const char* graphemes;
  const char* phones;  // space-separated ARPAbet; "" = silent
  bool initialOnly;
};

// Tried in order at each position; the first whose graphemes match wins.
// clang-format off
const Rule kRules[] = {
    {"tch", "CH", false}, {"sch", "S K", false}, {"kh", "K", false}, {"augh", "AO", false}, {"ough", "OW", false}, {"eigh", "EY", false},
    {"igh", "AY", false}, {"kn", "N", true}, {"wr", "R", true}, {"gn", "N", true}, {"ps", "S", true},
    {"ch", "CH", false}, {"sh", "SH", false}, {"th", "TH", false}, {"ph", "F", false}, {"gh", "G", true},
    {"gh", "", false}, {"ck", "K", false}, {"ng", "NG", false}, {"qu", "K W", false}, {"wh", "W", false},
    {"aa", "AA", false},  // a doubled a: "aah", "Baal"
    {"ii", "IY", false},  // a doubled i: "Dovahkiin", "Tiir" (two vowels, "IH0 IH0", before)
    {"ae", "AE", false}, {"ee", "IY", false}, {"ea", "IY", false}, {"oo", "UW", false}, {"ou", "AW", false},
    {"ow", "OW", false}, {"ai", "EY", false}, {"ay", "EY", false}, {"oa", "OW", false}, {"oi", "OY", false},
    {"oy", "OY", false}, {"au", "AO", false}, {"aw", "AO", false}, {"ie", "IY", false}, {"ei", "EY", false},
    {"eu", "UW", false}, {"ew", "UW", false}, {"ar", "AA R", false}, {"er", "ER", false}, {"ir", "ER", false},
    {"ur", "ER", false}, {"or", "AO R", false}, {"x", "Z", true} /* Xyphos, Xerxes */, {"x", "K S", false}, {"b", "B", false}, {"d", "D", false},
    {"f", "F", false}, {"h", "HH", false}, {"j", "JH", false}, {"k", "K", false}, {"l", "L", false},
    {"m", "M", false}, {"n", "N", false}, {"p", "P", false}, {"r", "R", false}, {"s", "S", false},
    {"t", "T", false}, {"v", "V", false}, {"w", "W", false}, {"z", "Z", false},
};
// clang-format on

bool isVowelLetter(char c) { return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u'; }

void appendPhones(const char* phones, std::vector<std::pair<Phone, int>>& out) {
  const char* p = phones;
  while (*p != '\0') {
    while (*p == ' ') ++p;
    const char* start = p;
    while (*p != '\0' && *p != ' ') ++p;
    Phone phone;
    int stress;
    if (p > start && parsePhone(start, static_cast<int>(p - start), phone, stress)) {
      out.emplace_back(phone, isVowel(phone) ? 0 : -1);
    }
  }
}

}  // namespace

void letterToSound(std::string_view input, std::vector<std::pair<Phone, int>>& out) {
  out.clear();
  std::string w;
  for (char c : input) {
    if (std::isalpha(static_cast<unsigned char>(c)))
      w += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  const std::size_t n = w.size();
  // Magic e: vowel + one consonant + final e -> the vowel says its name, the e is silent.
  const bool magicE =
      n >= 4 && w[n - 1] == 'e' && !isVowelLetter(w[n - 2]) && isVowelLetter(w[n - 3]) && !isVowelLetter(w[n - 4]);
  std::size_t i = 0;
  while (i < n) {
    const char c = w[i];
    if (c == 'e' && i == n - 1 && n > 2) break;         // final e is silent
    if (i > 0 && c == w[i - 1] && !isVowelLetter(c)) {  // doubled consonant: one sound
      ++i;
      continue;
    }
    if (magicE && i == n - 3) {
      static const char* const kLong[] = {"EY", "IY", "AY", "OW", "UW"};  // a e i o u
      const char* vowels = "aeiou";
      appendPhones(kLong[std::strchr(vowels, c) - vowels], out);
      ++i;
      continue;
    }
    if (c == 'c' || c == 'g') {  // soft before e, i, y
      const bool soft = i + 1 < n && (w[i + 1] == 'e' || w[i + 1] == 'i' || w[i + 1] == 'y');
      if (!(c == 'g' && i + 1 < n && w[i + 1] == 'h')) {
        appendPhones(c == 'c' ? (soft ? "S" : "K") : (soft ? "JH" : "G"), out);
        ++i;
        continue;
      }
    }
    if (c == 'y') {
      appendPhones(i == 0 ? "Y" : (i == n - 1 ? "IY" : "IH"), out);
      ++i;
      continue;
    }
    // A vowel and a final h: the h is silent and the vowel open or long, as in blah, grah, meh,
    // doh, huh (it was "G R AE HH").
    if (i + 2 == n && w[i + 1] == 'h' && isVowelLetter(c)) {
      appendPhones(c == 'a' ? "AA" : (c == 'o' ? "OW" : (c == 'e' ? "EH" : (c == 'i' ? "IY" : "AH"))), out);
      break;
    }
    if (i + 1 == n && c == 'h' && i > 0 && isVowelLetter(w[i - 1])) break;  // "ooh": after a vowel pair
    bool matched = false;
    for (const Rule& rule : kRules) {
      const std::size_t len = std::strlen(rule.graphemes);
      if (rule.initialOnly && i != 0) continue;
      if (w.compare(i, len, rule.graphemes) == 0) {
        appendPhones(rule.phones, out);
        i += len;
        matched = true;
        break;
      }
    }
    if (matched) continue;
    switch (c) {  // single vowels: the short ("checked") sound
      case 'a': appendPhones("AE", out); break;
      case 'e': appendPhones("EH", out); break;
      case 'i': appendPhones("IH", out); break;
      case 'o': appendPhones("AA", out); break;
      case 'u': appendPhones("AH", out); break;
      default: break;
    }
    ++i;
  }
  // Stress the first vowel (English names mostly stress the first syllable).
  for (auto& p : out) {
    if (isVowel(p.first)) {
      p.second = 1;
      break;
    }
  }
}

}  // namespace vocalsynth::speech
