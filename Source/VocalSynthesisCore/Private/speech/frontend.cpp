#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstring>
#include <iterator>

#include "vocalsynth/speech/text_frontend.h"

#include "vocalsynth/dsp_math.h"
#include "vocalsynth/random.h"

namespace vocalsynth::speech {
namespace {

const char* const kOnes[] = {"zero",     "one",     "two",     "three",     "four",     "five",    "six",
                             "seven",    "eight",   "nine",    "ten",       "eleven",   "twelve",  "thirteen",
                             "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"};
const char* const kTens[] = {"", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"};

void appendWord(std::string& out, std::string_view word) {
  if (!out.empty() && out.back() != ' ') out += ' ';
  out.append(word);
}

/// Whether the last word written is `word`.
bool endsWithWord(const std::string& out, std::string_view word) {
  return out.size() >= word.size() && out.compare(out.size() - word.size(), word.size(), word) == 0 &&
         (out.size() == word.size() || out[out.size() - word.size() - 1] == ' ');
}

void below1000(long long n, std::string& out) {
  if (n >= 100) {
    appendWord(out, kOnes[n / 100]);
    appendWord(out, "hundred");
    n %= 100;
    if (n == 0) return;
  }
  if (n < 20) {
    appendWord(out, kOnes[n]);
  } else {
    appendWord(out, kTens[n / 10]);
    if (n % 10) appendWord(out, kOnes[n % 10]);
  }
}

void cardinal(long long n, std::string& out) {
  if (n < 0) {
    appendWord(out, "minus");
    n = -n;
  }
  if (n == 0) {
    appendWord(out, "zero");
    return;
  }
  static const struct {
    long long value;
    const char* name;
  } kScales[] = {
      {1000000000000LL, "trillion"}, {1000000000LL, "billion"}, {1000000LL, "million"}, {1000LL, "thousand"}};
  for (const auto& s : kScales) {
    if (n >= s.value) {
      cardinal(n / s.value, out);
      appendWord(out, s.name);
      n %= s.value;
    }
  }
  if (n > 0) below1000(n, out);
}

/// "twenty one" -> "twenty first", "twelve" -> "twelfth".
void ordinalize(std::string& words) {
  static const struct {
    const char* from;
    const char* to;
  } kIrregular[] = {{"one", "first"},    {"two", "second"}, {"three", "third"},   {"five", "fifth"},
                    {"eight", "eighth"}, {"nine", "ninth"}, {"twelve", "twelfth"}};
  const std::size_t start = words.rfind(' ') == std::string::npos ? 0 : words.rfind(' ') + 1;
  std::string last = words.substr(start);
  for (const auto& r : kIrregular) {
    if (last == r.from) {
      words.replace(start, std::string::npos, r.to);
      return;
    }
  }
  if (!last.empty() && last.back() == 'y') words.replace(words.size() - 1, 1, "ieth");
  else words += "th";
}

/// Two digits said after an hour or a century: 0 is `whole` ("o'clock", "hundred"), 5 "oh five",
/// 45 "forty five".
void afterHour(long long n, const char* whole, std::string& out) {
  if (n == 0) appendWord(out, whole);
  else if (n < 10) {
    appendWord(out, "oh");
    appendWord(out, kOnes[n]);
  } else below1000(n, out);
}

void year(long long n, std::string& out) {  // 1984 -> nineteen eighty four; 1905 -> nineteen oh five
  below1000(n / 100, out);
  afterHour(n % 100, "hundred", out);
}

/// The value of a regnal or chapter numeral (II, IV, XIV, ...: upper case I, V and X in canonical
/// form, up to 39), 0 for anything else: IIII or IIV are no numerals, nor is a shouted DID or MIX.
int romanNumeral(std::string_view token) {
  if (token.empty() || token.size() > 6) return 0;
  auto digit = [](char c) {
    switch (c) {
      case 'I': return 1;
      case 'V': return 5;
      case 'X': return 10;
      default: return 0;
    }
  };
  int value = 0;
  for (std::size_t k = 0; k < token.size(); ++k) {
    const int d = digit(token[k]);
    if (d == 0) return 0;
    const int next = k + 1 < token.size() ? digit(token[k + 1]) : 0;
    value += next > d ? -d : d;
  }
  if (value < 1 || value > 39) return 0;
  // Canonical: the value written back must be the token (rejects IIII, VV, IIV, ...).
  static const char* const kOnesRoman[] = {"", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX"};
  std::string written(static_cast<std::size_t>(value / 10), 'X');
  written += kOnesRoman[value % 10];
  return written == token ? value : 0;
}

/// Words after which a numeral is a number ("World War II", "Chapter IV") rather than a
/// monarch's ordinal ("Edward III": "the third").
bool countsWithCardinal(std::string_view word) {
  static const char* const kWords[] = {"war",   "chapter", "part",  "act",    "book", "volume", "episode", "phase",
                                       "level", "section", "class", "type",   "mark", "scene",  "page",    "tier",
                                       "stage", "rank",    "grade", "circle", "ring", "gate",   "floor",   "wave",
                                       "mk",    "vol",     "ch",    "pt",     "ep",   "no"};  // and their abbreviations
  for (const char* w : kWords) {
    if (word == w) return true;
  }
  return false;
}

struct Abbreviation {
  const char* text;
  const char* expansion;
  /// Its stop may also end the sentence ("1600 Pennsylvania Ave. The house"); a title's never does
  /// (Dr. Mortis). "St." and "Dr." said as street and drive may too (see abbreviationSaid).
  bool mayEndSentence = false;
  /// Only a unit after a number: "300m", "10ft", "5 cm"; "m", "mm" ("Mm, tasty") and "ft" stay words elsewhere.
  bool afterNumber = false;
  /// Only before a number: "No. 5", "p. 42", "Ep. 3" ("I said no." is the word).
  bool beforeNumber = false;
};
// clang-format off
const Abbreviation kAbbreviations[] = {
    {"mr.", "mister"}, {"mrs.", "missus"}, {"ms.", "miz"}, {"dr.", "doctor"}, {"st.", "saint"},
    {"jr.", "junior", true}, {"sr.", "senior", true}, {"vs.", "versus"}, {"vs", "versus"}, {"etc.", "et cetera", true},
    {"e.g.", "for example"}, {"i.e.", "that is"}, {"lt.", "lieutenant"}, {"sgt.", "sergeant"}, {"capt.", "captain"},
    {"gen.", "general"}, {"prof.", "professor"}, {"mt.", "mount"}, {"no.", "number", false, false, true},
    {"approx.", "approximately"}, {"mk.", "mark"}, {"mk", "mark", false, false, true},
    {"ft.", "feet", true}, {"km", "kilometers"}, {"kg", "kilograms"}, {"apt.", "apartment"}, {"ave.", "avenue", true},
    {"rd.", "road", true}, {"blvd.", "boulevard", true}, {"lbs.", "pounds", true}, {"lbs", "pounds"},
    {"ft", "feet", false, true}, {"m", "meters", false, true}, {"cm", "centimeters", false, true},
    {"mm", "millimeters", false, true}, {"mph", "miles per hour", false, true}, {"in", "inches", false, true},
    {"lv.", "level"}, {"lvl.", "level"}, {"lvl", "level"},
    {"hrs.", "hours", true, true}, {"hrs", "hours", false, true}, {"yrs.", "years", true, true},
    {"yrs", "years", false, true}, {"yr.", "years", true, true}, {"yr", "years", false, true}, {"hr.", "hours", true, true},
    {"hr", "hours", false, true}, {"mins.", "minutes", true, true}, {"mins", "minutes", false, true},
    {"min.", "minutes", true, true}, {"min", "minutes", false, true}, {"secs.", "seconds", true, true},
    {"secs", "seconds", false, true}, {"sec.", "seconds", true, true}, {"sec", "seconds", false, true},
    {"p.", "page", false, false, true}, {"pp.", "pages", false, false, true}, {"ep.", "episode", false, false, true},
    {"vol.", "volume", false, false, true}, {"pg.", "page", false, false, true}, {"rm.", "room", false, false, true},
    {"pop.", "population", false, false, true}, {"ca.", "circa", false, false, true},
    {"oz.", "ounces", true, true}, {"oz", "ounces", false, true},  // 3 oz (the Wizard of Oz stays)
    {"v", "version", false, false, true}, {"ver.", "version", false, false, true},  // v1.2, ver. 3 (not "V for")
    {"gp", "gold pieces", false, true}, {"sp", "silver pieces", false, true}, {"cp", "copper pieces", false, true}};
// clang-format on

bool isBlank(char c) { return c == ' ' || c == '\t'; }

/// The first position at or after `at` that is no space or tab.
std::size_t skipBlanks(std::string_view text, std::size_t at) {
  while (at < text.size() && isBlank(text[at])) ++at;
  return at;
}

/// The position just past the last character before `at` that is no space or tab.
std::size_t skipBlanksBack(std::string_view text, std::size_t at) {
  while (at > 0 && isBlank(text[at - 1])) --at;
  return at;
}

/// The letters from `at` on, lowercased; `at` moves past them. Apostrophes count as letters when
/// asked (that's, don't).
std::string lowerLettersAt(std::string_view text, std::size_t& at, bool apostrophes) {
  std::string word;
  while (at < text.size() &&
         (std::isalpha(static_cast<unsigned char>(text[at])) || (apostrophes && text[at] == '\''))) {
    word += static_cast<char>(std::tolower(static_cast<unsigned char>(text[at++])));
  }
  return word;
}

bool isSentencePunct(char c) { return c == '.' || c == '!' || c == '?'; }

bool inList(std::string_view word, std::initializer_list<std::string_view> list);

// Markup in a line. Lines from a dialogue model, a subtitle table or Unreal's rich text carry it:
// SSML (<speak>, <break time="1s"/>, <prosody rate="slow">), HTML (<i>, <br/>) and UMG's rich-text
// styles (<Emphasis>No!</>, <RichText.Bold>). Its names and attributes were read aloud ("speak
// hello break time equals ones"). A tag is markup when it closes (</i>, </>), closes itself
// (<br/>), has an attribute (name=value), has a dotted name, or has a markup language's name; a
// bare <whispers> is left to normalizeText, which drops it as a stage direction. foldToAscii
// takes markup out and passes on what it asks for: pauses, emphasis ("**"), prosody scopes.
constexpr int kNoPause = -1;
constexpr int kCommaPause = -2;
constexpr int kLongestBreakMs = 10000;
constexpr char kPauseMark = '\x1E';    // ASCII record separator: a timed pause, to normalizeText
constexpr char kProsodyMark = '\x1F';  // ASCII unit separator: a prosody scope, to normalizeText

struct MarkupTag {
  std::size_t length = 0;  ///< 0: no markup tag here
  int pause = kNoPause;    ///< kNoPause, kCommaPause or milliseconds
  std::string_view alias;  ///< <sub alias="...">'s
  std::string_view name;   ///< as written
  int emphasis = 0;        ///< +1 opens emphasis (<emphasis>, <em>, <strong>, <b>), -1 may close it
  int prosody = 0;         ///< +1 opens an SSML <prosody> scope, -1 closes one
  float rate = 1.0f, pitch = 1.0f, volume = 1.0f;  ///< an opening <prosody>'s, as multipliers
};

/// A number at the start of `text` (digits, one point, an optional sign; read up to `maxChars`
/// characters) and the rest after it.
bool leadingNumber(std::string_view text, double& number, std::string_view& rest, std::size_t maxChars) {
  std::size_t k = 0;
  double sign = 1.0;
  if (k < text.size() && (text[k] == '+' || text[k] == '-')) sign = text[k++] == '-' ? -1.0 : 1.0;
  double value = 0.0, scale = 1.0;
  bool point = false, digits = false;
  for (; k < text.size() && k < maxChars; ++k) {
    const char ch = text[k];
    if (ch == '.' && !point) {
      point = true;
    } else if (std::isdigit(static_cast<unsigned char>(ch))) {
      digits = true;
      if (point) scale /= 10.0;
      value = point ? value + (ch - '0') * scale : value * 10.0 + (ch - '0');
    } else {
      break;
    }
  }
  number = sign * value;
  rest = text.substr(k);
  return digits;
}

/// An SSML <prosody> attribute as a multiplier (W3C SSML 1.1, 3.2.4), or 1 when it cannot be read.
/// rate: x-slow..x-fast, "80%" (of the default), "+10%"; pitch: x-low..x-high, "+2st", "-10%";
/// volume: silent..x-loud, "+6dB", "-3dB". Held to what the synthesizer does well.
float prosodyScale(std::string_view attribute, std::string_view value) {
  struct Label {
    std::string_view name;
    float scale;
  };
  // clang-format off
  static constexpr Label kRates[] = {{"x-slow", 0.6f}, {"slow", 0.8f}, {"medium", 1.0f}, {"fast", 1.25f},
                                     {"x-fast", 1.5f}, {"default", 1.0f}};
  static constexpr Label kPitches[] = {{"x-low", 0.75f}, {"low", 0.87f}, {"medium", 1.0f}, {"high", 1.15f},
                                       {"x-high", 1.3f}, {"default", 1.0f}};
  static constexpr Label kVolumes[] = {{"silent", 0.0f}, {"x-soft", 0.25f}, {"soft", 0.5f}, {"medium", 1.0f},
                                       {"loud", 1.41f}, {"x-loud", 2.0f}, {"default", 1.0f}};
  // clang-format on
  const bool rate = attribute == "rate", pitch = attribute == "pitch";
  const Label* labels = rate ? kRates : (pitch ? kPitches : kVolumes);
  const std::size_t count = rate ? std::size(kRates) : (pitch ? std::size(kPitches) : std::size(kVolumes));
  for (std::size_t i = 0; i < count; ++i) {
    if (value == labels[i].name) return labels[i].scale;
  }
  double number = 0.0;
  std::string_view unit;
  if (!leadingNumber(value, number, unit, 16)) return 1.0f;
  const bool relative = value.front() == '+' || value.front() == '-';
  double scale = 1.0;
  if (unit == "%") scale = relative ? 1.0 + number / 100.0 : number / 100.0;
  else if (pitch && unit == "st") scale = std::exp2(number / 12.0);
  else if (!pitch && !rate && (unit == "dB" || unit == "db")) scale = std::pow(10.0, number / 20.0);
  else if (rate && unit.empty() && !relative) scale = number;  // "0.8": a multiplier
  else return 1.0f;
  const double lo = rate || pitch ? 0.5 : 0.0, hi = rate || pitch ? 2.0 : 4.0;
  return static_cast<float>(scale < lo ? lo : (scale > hi ? hi : scale));
}

/// The markup tag at text[at] (length 0 if there is none) and what it asks for.
MarkupTag readMarkupTag(std::string_view text, std::size_t at) {
  MarkupTag tag;
  const std::size_t n = text.size();
  auto letter = [&](std::size_t k) { return k < n && std::isalpha(static_cast<unsigned char>(text[k])); };
  auto blank = [&](std::size_t k) { return k < n && (text[k] == ' ' || text[k] == '\t'); };
  if (at >= n || text[at] != '<') return {};
  std::size_t k = at + 1;
  if (text.compare(k, 2, "/>") == 0) {  // UMG rich text's closer: <Emphasis>No!</>
    tag.emphasis = -1;
    tag.length = 3;
    return tag;
  }
  const bool closing = k < n && text[k] == '/';
  if (closing) ++k;
  if (!letter(k)) return {};
  const std::size_t nameStart = k;
  bool dotted = false;
  while (k < n && (std::isalnum(static_cast<unsigned char>(text[k])) || text[k] == '-' || text[k] == '_' ||
                   text[k] == '.' || text[k] == ':')) {
    dotted = dotted || text[k] == '.' || text[k] == ':';
    ++k;
  }
  const std::string_view name = text.substr(nameStart, k - nameStart);
  tag.name = name;
  bool attributes = false;
  std::string_view time, strength;  // a break's
  std::string_view level;           // an emphasis's
  while (k < n && k - at <= 200) {
    const std::size_t before = k;
    while (blank(k)) ++k;
    if (k >= n || text[k] == '>' || text[k] == '/') break;
    if (k == before || !letter(k)) return {};  // "a <b and c>": words, not attributes
    const std::size_t attributeStart = k;
    while (k < n &&
           (std::isalnum(static_cast<unsigned char>(text[k])) || text[k] == '-' || text[k] == '_' || text[k] == ':'))
      ++k;
    const std::string_view attribute = text.substr(attributeStart, k - attributeStart);
    while (blank(k)) ++k;
    if (k >= n || text[k] != '=') return {};
    k = k + 1;
    while (blank(k)) ++k;
    std::string_view value;
    if (k < n && (text[k] == '"' || text[k] == '\'')) {
      const std::size_t close = text.find(text[k], k + 1);
      if (close == std::string_view::npos || text.substr(k, close - k).find('\n') != std::string_view::npos) return {};
      value = text.substr(k + 1, close - k - 1);
      k = close + 1;
    } else {
      const std::size_t valueStart = k;
      while (k < n && !std::isspace(static_cast<unsigned char>(text[k])) && text[k] != '>' && text[k] != '/' &&
             text[k] != '<')
        ++k;
      if (k == valueStart) return {};
      value = text.substr(valueStart, k - valueStart);
    }
    if (attribute == "time") time = value;
    if (attribute == "strength") strength = value;
    if (attribute == "alias") tag.alias = value;
    if (attribute == "level") level = value;
    if (attribute == "rate" || attribute == "pitch" || attribute == "volume") {
      float& scale = attribute == "rate" ? tag.rate : (attribute == "pitch" ? tag.pitch : tag.volume);
      scale = prosodyScale(attribute, value);
    }
    attributes = true;
  }
  const bool selfClosing = k < n && text[k] == '/';
  if (selfClosing) ++k;
  if (k >= n || text[k] != '>' || k - at > 200) return {};
  std::string lower;
  for (const char ch : name) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  // One letter only in lower case (<i>, <b>): "Press <E>" names a key.
  const bool known = name.size() == 1
                         ? (name[0] == 'i' || name[0] == 'b' || name[0] == 'u' || name[0] == 's' || name[0] == 'p')
                         : inList(lower, {"speak", "break", "prosody", "emphasis",  "say-as", "sub",   "phoneme",
                                          "voice", "mark",  "lang",    "audio",     "br",     "em",    "strong",
                                          "span",  "font",  "small",   "big",       "sup",    "del",   "ins",
                                          "div",   "bold",  "italic",  "underline", "color",  "colour"});
  if (!(closing || selfClosing || attributes || dotted || known)) return {};
  if (closing || lower != "sub") tag.alias = {};
  if (lower == "prosody" && !selfClosing) tag.prosody = closing ? -1 : 1;
  // Emphasis (SSML's, unless its level is "reduced" or "none"; HTML's <em>, <strong>, <b>; UMG's
  // <Emphasis> or <Bold> style): its words are said as **word** is.
  const std::string_view style = std::string_view(lower).substr(lower.rfind('.') + 1);  // RichText.Bold: bold
  if (!selfClosing && inList(style, {"emphasis", "em", "strong", "b", "bold"}) &&
      (closing || (level != "reduced" && level != "none")) && (name.size() > 1 || name[0] == 'b'))
    tag.emphasis = closing ? -1 : 1;
  if (closing || (lower != "break" && lower != "br")) {
    tag.length = k + 1 - at;
    return tag;
  }
  // An HTML line break, or an SSML break with neither time nor strength, pauses as a comma does.
  // A break's time ("1.5s", "750ms") is kept, up to 10 s; its strength is a comma's 180 ms at
  // "medium", 0 at "none" (W3C SSML 1.1, 3.2.3). One that cannot be read is a comma too.
  tag.pause = kCommaPause;
  if (!time.empty()) {
    double number = 0.0;
    std::string_view unit;
    // (unsigned: "-1s" cannot be read, a comma's pause)
    if (time.front() != '+' && time.front() != '-' && leadingNumber(time, number, unit, 12) &&
        (unit == "s" || unit == "ms")) {
      const double ms = unit == "s" ? number * 1000.0 : number;
      tag.pause = static_cast<int>(std::lround(ms < kLongestBreakMs ? ms : kLongestBreakMs));
    }
  } else if (!strength.empty()) {
    // clang-format off
    static constexpr struct { std::string_view name; int ms; } kStrengths[] = {
        {"none", 0}, {"x-weak", 60}, {"weak", 120}, {"medium", kCommaPause}, {"strong", 350}, {"x-strong", 700}};
    // clang-format on
    for (const auto& entry : kStrengths) {
      if (strength == entry.name) tag.pause = entry.ms;
    }
  }
  tag.length = k + 1 - at;
  return tag;
}

/// Folds UTF-8 Latin letters (U+00C0-U+00FF, two bytes C3 xx) to ASCII so names like "Ragnar\xC3\xB6k"
/// or "caf\xC3\xA9" are read as words rather than split at the accent, and typographic punctuation
/// (what word processors and language models write) to the ASCII it stands for: curly quotes and
/// apostrophes (don\xE2\x80\x99t was read "don t"), the ellipsis, dashes (which pause) and the
/// no-break space; the multiplication and division signs to "times" and "divided by". Other
/// non-ASCII is left to drop.
std::string foldToAscii(std::string_view text) {
  // Indexed by the second byte - 0x80, for U+00C0..U+00FF (second byte 0x80..0xBF after C3).
  // clang-format off
  static const char* const kFold[64] = {
      "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
      "d", "n", "o", "o", "o", "o", "o", " times ", "o", "u", "u", "u", "u", "y", "th", "ss",
      "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
      "d", "n", "o", "o", "o", "o", "o", " divided by ", "o", "u", "u", "u", "u", "y", "th", "y"};
  // clang-format on
  // U+0100..U+017F (Latin Extended-A: C4 80..C5 BF), for Central and Eastern European names,
  // Dvo\xC5\x99\xC3\xA1k, \xC5\x81\xC3\xB3d\xC5\xBA, \xC5\xA0\xC3\xA1rka: the letter each is said as
  // by an English reader ("\xC4\x8D" and "\xC5\xA1" are "ch" and "sh"); they were dropped, splitting the word.
  // clang-format off
  static const char* const kFoldExtended[128] = {
      "a", "a", "a", "a", "a", "a", "c", "c", "c", "c", "c", "c", "ch", "ch", "d", "d",
      "d", "d", "e", "e", "e", "e", "e", "e", "e", "e", "e", "e", "g", "g", "g", "g",
      "g", "g", "g", "g", "h", "h", "h", "h", "i", "i", "i", "i", "i", "i", "i", "i",
      "i", "i", "ij", "ij", "j", "j", "k", "k", "k", "l", "l", "l", "l", "l", "l", "l",
      "l", "l", "l", "n", "n", "n", "n", "n", "n", "n", "ng", "ng", "o", "o", "o", "o",
      "o", "o", "oe", "oe", "r", "r", "r", "r", "r", "r", "s", "s", "s", "s", "sh", "sh",
      "sh", "sh", "ts", "ts", "t", "t", "t", "t", "u", "u", "u", "u", "u", "u", "u", "u",
      "u", "u", "u", "u", "w", "w", "y", "y", "y", "z", "z", "z", "z", "z", "z", "s"};
  // clang-format on
  std::string out;
  bool emphasisOpen = false;                             // by an emphasis tag
  std::size_t underscoreClose = std::string_view::npos;  // where a Markdown _word_ or __words__ closes
  auto wordChar = [&](std::size_t k) {
    return k < text.size() && (std::isalnum(static_cast<unsigned char>(text[k])) || text[k] == '_');
  };
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == '_') {
      // Markdown's _italic_ and __bold__ (a chat model's) are its *stars* and **stars**, which
      // normalizeText reads as emphasis or, for *sighs*, an action (the words were said plainly and
      // _sighs_ read aloud). Opening at a word's start, closing at a word's end, on one line, as
      // emotions.py's split_directions reads them. snake_case and a lone _ are left alone.
      const bool twice = i + 1 < text.size() && text[i + 1] == '_';
      const std::size_t width = twice ? 2 : 1;
      if (i == underscoreClose) {
        out.append(width, '*');
        underscoreClose = std::string_view::npos;
        i += width - 1;
        continue;
      }
      if (underscoreClose == std::string_view::npos && !(i > 0 && wordChar(i - 1)) && i + width < text.size() &&
          std::isalnum(static_cast<unsigned char>(text[i + width]))) {
        const std::size_t close = twice ? text.find("__", i + 2) : text.find('_', i + 1);
        if (close != std::string_view::npos && close - i <= (twice ? 120u : 118u) &&
            std::isalnum(static_cast<unsigned char>(text[close - 1])) && !wordChar(close + width) &&
            text.substr(i, close - i).find('\n') == std::string_view::npos) {
          out.append(width, '*');
          underscoreClose = close;
          i += width - 1;
          continue;
        }
      }
    }
    if ((c == 0xC4 || c == 0xC5) && i + 1 < text.size()) {
      const auto next = static_cast<unsigned char>(text[i + 1]);
      if (next >= 0x80 && next <= 0xBF) {
        out += kFoldExtended[(c - 0xC4) * 64 + (next - 0x80)];
        ++i;
        continue;
      }
    }
    if (c == 0xC8 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) >= 0x98 &&
        static_cast<unsigned char>(text[i + 1]) <= 0x9B) {  // Romanian \xC8\x99 and \xC8\x9B (comma below): "sh", "ts"
      out += static_cast<unsigned char>(text[i + 1]) <= 0x99 ? "sh" : "ts";
      ++i;
      continue;
    }
    if (c == 0xC3 && i + 1 < text.size()) {
      const auto next = static_cast<unsigned char>(text[i + 1]);
      if (next >= 0x80 && next <= 0xBF) {
        out += kFold[next - 0x80];
        ++i;
        continue;
      }
    }
    if (c == '&') {
      // HTML entities, from a backend that escapes its text: &amp; &quot; &#39; (they were read,
      // "and amp"). Named ones for ASCII, and numeric ones below 128.
      static const struct {
        const char *entity, *ascii;
      } kEntities[] = {{"&amp;", "&"}, {"&quot;", "\""}, {"&apos;", "'"},
                       {"&lt;", "<"},  {"&gt;", ">"},    {"&nbsp;", " "}};
      const char* ascii = nullptr;
      std::size_t length = 0;
      for (const auto& e : kEntities) {
        const std::size_t l = std::strlen(e.entity);
        if (text.compare(i, l, e.entity) == 0) {
          ascii = e.ascii;
          length = l;
        }
      }
      char numeric[2] = {};
      if (ascii == nullptr && i + 3 < text.size() && text[i + 1] == '#') {
        std::size_t k = i + 2;
        int code = 0;
        while (k < text.size() && k < i + 5 && std::isdigit(static_cast<unsigned char>(text[k])))
          code = code * 10 + (text[k++] - '0');
        if (k > i + 2 && k < text.size() && text[k] == ';' && code >= 32 && code < 127) {
          numeric[0] = static_cast<char>(code);
          ascii = numeric;
          length = k + 1 - i;
        }
      }
      if (ascii != nullptr) {
        out += ascii;
        i += length - 1;
        continue;
      }
    }
    if (c == '[') {
      // A Markdown link a chat model writes, [the map](https://example.com/map): its text is said,
      // not its address (the text was dropped as a stage direction and the address read out).
      const std::size_t close = text.find(']', i + 1);
      if (close != std::string_view::npos && close > i + 1 && close - i <= 120 && close + 1 < text.size() &&
          text[close + 1] == '(') {
        const std::size_t end = text.find(')', close + 2);
        bool address = end != std::string_view::npos && end > close + 2 && end - close <= 300;
        for (std::size_t k = close + 2; address && k < end; ++k)
          address = !std::isspace(static_cast<unsigned char>(text[k]));
        const std::string_view label = text.substr(i + 1, close - i - 1);
        if (address && label.find('\n') == std::string_view::npos && label.find('[') == std::string_view::npos) {
          out += ' ';
          out += foldToAscii(label);
          out += ' ';
          i = end;
          continue;
        }
      }
    }
    if (c == '<' &&
        (text.compare(i, 4, "<!--") == 0 || text.compare(i, 2, "<?") == 0 || text.compare(i, 9, "<!DOCTYPE") == 0)) {
      // An XML comment (a note to the voice actor), an SSML document's <?xml ...?> prologue or its
      // DOCTYPE: not words (they were read, "xml version equals one point zero").
      const std::string_view closer = text[i + 1] == '?' ? "?>" : (text[i + 2] == '-' ? "-->" : ">");
      const std::size_t close = text.find(closer, i + 2);
      if (close != std::string_view::npos && close - i <= 500) {  // never a stretch of the line itself
        out += ' ';
        i = close + closer.size() - 1;
        continue;
      }
    }
    if (c == '<') {
      const MarkupTag tag = readMarkupTag(text, i);
      if (const std::size_t length = tag.length) {
        // Emphasis travels as the "**" marks a line's **word** makes; a close with none open
        // (UMG's </> ends any style) says nothing.
        // (An emphasis opens only where it closes later: "Plan <b> is better" is not a tag's start,
        // and left open it stressed the rest of the line.)
        auto closesLater = [&] {
          const std::size_t after = i + length;
          if (text.find("</>", after) != std::string_view::npos) return true;
          for (std::size_t at = text.find("</", after); at != std::string_view::npos; at = text.find("</", at + 2)) {
            std::size_t k = 0;
            while (k < tag.name.size() && at + 2 + k < text.size() &&
                   std::tolower(static_cast<unsigned char>(text[at + 2 + k])) ==
                       std::tolower(static_cast<unsigned char>(tag.name[k])))
              ++k;
            if (k == tag.name.size() && at + 2 + k < text.size() && text[at + 2 + k] == '>') return true;
          }
          return false;
        };
        if (tag.emphasis > 0 && !emphasisOpen && closesLater()) {
          out += " ** ";
          emphasisOpen = true;
        } else if (tag.emphasis < 0 && emphasisOpen) {
          out += " ** ";
          emphasisOpen = false;
        }
        // A prosody scope travels to normalizeText between two kProsodyMark bytes: its rate, pitch
        // and volume in thousandths ("800:1122:1000"; whole numbers, whatever the C locale) as it
        // opens, nothing as it closes.
        if (tag.prosody != 0) {
          out += ' ';
          out += kProsodyMark;
          if (tag.prosody > 0) {
            out += std::to_string(std::lround(tag.rate * 1000.0f));
            out += ':';
            out += std::to_string(std::lround(tag.pitch * 1000.0f));
            out += ':';
            out += std::to_string(std::lround(tag.volume * 1000.0f));
          }
          out += kProsodyMark;
          out += ' ';
        }
        // SSML <sub alias="World Wide Web">WWW</sub>: the alias is said instead of the text.
        const std::size_t end = tag.alias.empty() ? std::string_view::npos : text.find("</sub>", i + length);
        if (end != std::string_view::npos && end - i <= 400) {
          out += ' ';
          out += foldToAscii(tag.alias);
          out += ' ';
          i = end + 5;
          continue;
        }
        // A timed pause travels to normalizeText between two kPauseMark bytes (none comes from the
        // line itself: they are blanked below).
        if (tag.pause == kCommaPause) {
          out += " , ";
        } else if (tag.pause > 0) {
          out += ' ';
          out += kPauseMark;
          out += std::to_string(tag.pause);
          out += kPauseMark;
          out += ' ';
        } else {
          out += ' ';
        }
        i += length - 1;
        continue;
      }
    }
    if (c == static_cast<unsigned char>(kPauseMark) || c == static_cast<unsigned char>(kProsodyMark)) {
      out += ' ';
      continue;
    }
    if (c == '<' && i + 1 < text.size() && text[i + 1] == '|') {
      // A language model's special token, <|endoftext|>: not words (it was read "endoftext").
      const std::size_t close = text.find("|>", i + 2);
      if (close != std::string_view::npos && close - i <= 40) {
        out += ' ';
        i = close + 1;
        continue;
      }
    }
    if ((c == 'h' || c == 'H') && (text.compare(i, 7, "http://") == 0 || text.compare(i, 8, "https://") == 0)) {
      // A web address's scheme is not said ("https : www dot ...").
      i += text[i + 4] == 's' ? 7 : 6;
      continue;
    }
    if (c == 0xC2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) == 0xA0) {  // no-break space
      out += ' ';
      ++i;
      continue;
    }
    if (c == 0xE2 && i + 2 < text.size() && static_cast<unsigned char>(text[i + 1]) == 0x80) {
      const auto third = static_cast<unsigned char>(text[i + 2]);
      const char* ascii = nullptr;
      // clang-format off
      switch (third) {
        case 0x90: case 0x91: ascii = "-"; break;                 // hyphen, non-breaking hyphen
        case 0x93: {                                               // en dash: a range between digits
          const bool range = !out.empty() && std::isdigit(static_cast<unsigned char>(out.back())) &&
                             i + 3 < text.size() && std::isdigit(static_cast<unsigned char>(text[i + 3]));
          ascii = range ? "-" : " - ";
          break;
        }
        case 0x94: case 0x95: ascii = " - "; break;               // em dash, horizontal bar: a pause
        case 0x98: case 0x99: case 0x9B: ascii = "'"; break;      // single quotes, apostrophe
        case 0x9C: case 0x9D: case 0x9F: ascii = "\""; break;     // double quotes
        case 0xA6: ascii = "..."; break;                           // ellipsis
        default: break;
      }
      // clang-format on
      if (ascii != nullptr) {
        out += ascii;
        i += 2;
        continue;
      }
    }
    // Arrows, U+2192 and U+21D2, and "->" between words: "Level 10 \xE2\x86\x92 11" is "ten to eleven" (the
    // arrow was dropped, "-" a pause).
    const bool unicodeArrow =
        c == 0xE2 && i + 2 < text.size() && static_cast<unsigned char>(text[i + 2]) == 0x92 &&
        (static_cast<unsigned char>(text[i + 1]) == 0x86 || static_cast<unsigned char>(text[i + 1]) == 0x87);
    const bool asciiArrow = c == '-' && i + 1 < text.size() && text[i + 1] == '>' && !out.empty() &&
                            (out.back() == ' ' || std::isalnum(static_cast<unsigned char>(out.back())));
    if (unicodeArrow || asciiArrow) {
      out += " to ";
      i += unicodeArrow ? 2 : 1;
      continue;
    }
    out += static_cast<char>(c);
  }
  return out;
}
bool isPhrasePunct(char c) { return c == ',' || c == ';' || c == ':' || c == '-'; }

/// A word the dictionary lacks that is two words it has (Oathbreaker, Skyrim, Stormcloaks: game
/// text is full of them) is read as the two, with compound stress (the second's primary stress
/// becomes secondary), which letter-to-sound rules cannot do ("oath breaker" came out "B R IY0
/// K ER0"). Each part has at least 3 letters and a pronunciation of words, not spelt letters;
/// the most even split wins (then the longer head). False when there is none.
bool splitCompound(std::string_view word, const Lexicon& lexicon, std::vector<std::pair<Phone, int>>& out) {
  constexpr std::size_t kMinPart = 3;
  if (word.size() < 2 * kMinPart) return false;
  std::vector<std::pair<Phone, int>> head, tail, bestHead, bestTail;
  auto plausible = [](std::string_view part, const std::vector<std::pair<Phone, int>>& pron) {
    bool vowel = false;
    for (const auto& ph : pron) vowel = vowel || isVowel(ph.first);
    return vowel && pron.size() <= part.size() + 1;  // letter spellings ("th": T IY1 EY1 CH) run longer
  };
  std::size_t bestShorter = 0;
  for (std::size_t i = kMinPart; i + kMinPart <= word.size(); ++i) {
    const std::string_view first = word.substr(0, i), second = word.substr(i);
    const std::size_t shorter = first.size() < second.size() ? first.size() : second.size();
    if (shorter < bestShorter) continue;  // (a tie goes to this split: its head is longer)
    if (!lexicon.lookup(first, head) || !plausible(first, head)) continue;
    if (!lexicon.lookup(second, tail) || !plausible(second, tail)) continue;
    bestShorter = shorter;
    bestHead = head;
    bestTail = tail;
  }
  if (bestShorter == 0) return false;
  out = bestHead;
  for (auto ph : bestTail) {
    if (ph.second == 1) ph.second = 2;
    out.push_back(ph);
  }
  return true;
}

/// Appends the phones of "W IH1 N D".
void appendPhones(const char* said, std::vector<std::pair<Phone, int>>& out);

bool inList(std::string_view word, std::initializer_list<std::string_view> list);

/// The dictionary's entry for a word as written with its apostrophes ('em, 'n', 'cause, nothin'),
/// which the front end otherwise strips to look it up ("em", the letter M).
bool apostropheForm(std::string_view token, const std::string& key, const Lexicon& lexicon,
                    std::vector<std::pair<Phone, int>>& out) {
  const bool leading = token.front() == '\'', trailing = token.size() > 1 && token.back() == '\'';
  if (!leading && !trailing) return false;
  if (leading && trailing && lexicon.lookup("'" + key + "'", out)) return true;
  if (leading && lexicon.lookup("'" + key, out)) return true;
  return trailing && lexicon.lookup(key + "'", out);
}

/// A dropped h, as dialogue writes Cockney and country speech: "'ello", "'ere", "'ow" are the
/// dictionary's "hello", "here", "how" without the /h/ (they were read "EH1 L AA0", "ere" EH1 R,
/// "ow" OW1). Only with the apostrophe written, and not for the words a single-quoted line may
/// open with ('a, 'and, 'in: "hand" and "hin" are not what was meant).
bool droppedH(std::string_view token, const std::string& key, const Lexicon& lexicon,
              std::vector<std::pair<Phone, int>>& out) {
  if (token.size() < 3 || token.front() != '\'' || key.empty() || key.front() == 'h' ||
      inList(key, {"a", "an", "and", "as", "at", "i", "if", "in", "is", "it", "on", "or", "us"}))
    return false;
  std::vector<std::pair<Phone, int>> said;
  if (!lexicon.lookup("h" + key, said) || said.size() < 2 || said.front().first != Phone::HH) return false;
  out.insert(out.end(), said.begin() + 1, said.end());
  return true;
}

/// A verb with the old second or third person ending, as fantasy dialogue writes it: "thou goest",
/// "he cometh", "my cup runneth over" are the dictionary's verb and /IH0 S T/ or /IH0 TH/ (the rules
/// read "goest" "G AA1 EH0 S T"). The verb as written, with the e its ending dropped (come, take),
/// or with one of a doubled consonant (run); only when the dictionary lacks the whole word.
bool archaicVerb(const std::string& key, const Lexicon& lexicon, std::vector<std::pair<Phone, int>>& out) {
  if (key.size() < 5 || key.find('\'') != std::string::npos) return false;
  const std::string ending = key.substr(key.size() - 3);
  if (ending != "est" && ending != "eth") return false;
  const std::string stem = key.substr(0, key.size() - 3);
  std::vector<std::pair<Phone, int>> said;
  if (lexicon.lookup(key, said)) return false;
  const bool doubled = stem.size() > 2 && stem.back() == stem[stem.size() - 2];
  // After a consonant the dropped e comes first ("maketh" is make, not the name Mak); after a vowel
  // the stem as written ("doeth" is do, not doe).
  const bool vowelEnd = std::string_view("aeiouy").find(stem.back()) != std::string_view::npos;
  const bool found = (!vowelEnd && lexicon.lookup(stem + "e", said)) ||
                     (stem.size() > 1 && lexicon.lookup(stem, said)) ||
                     (vowelEnd && lexicon.lookup(stem + "e", said)) ||
                     (doubled && lexicon.lookup(stem.substr(0, stem.size() - 1), said));
  const bool word = std::any_of(said.begin(), said.end(), [](const auto& p) { return p.second == 1; });
  if (!found || !word) return false;  // a stem with no stressed vowel is no verb (a one-letter stem is a letter)
  out.insert(out.end(), said.begin(), said.end());
  out.emplace_back(Phone::IH, 0);
  if (ending == "est") {
    out.emplace_back(Phone::S, -1);
    out.emplace_back(Phone::T, -1);
  } else {
    out.emplace_back(Phone::TH, -1);
  }
  return true;
}

/// A dropped g, as dialogue writes dialect: "nothin'", "goin'", "huntin'" are the dictionary's
/// "nothing", "going", "hunting" with /n/ for the final /ng/ (the rules read "nothin" "N AA1 TH IH0 N").
/// Only a word written with the apostrophe, and only when the dictionary lacks it as written.
bool droppedG(std::string_view token, const std::string& key, const Lexicon& lexicon,
              std::vector<std::pair<Phone, int>>& out) {
  if (token.size() < 4 || token.substr(token.size() - 3) != "in'" || key.size() < 3 ||
      key.compare(key.size() - 2, 2, "in") != 0)
    return false;
  std::vector<std::pair<Phone, int>> said;
  if (lexicon.lookup(key, said) || !lexicon.lookup(key + "g", said) || said.empty() || said.back().first != Phone::NG)
    return false;
  said.back().first = Phone::N;
  out.insert(out.end(), said.begin(), said.end());
  return true;
}

/// How a spelt initialism reads in word timings and a game's word events (subtitles): its letters
/// in capitals, as written, rather than normalizeText's markers ("npc+s" NPCs, "p.m" PM, "u.s.a"
/// USA, "a." A).
std::string initialismText(std::string_view key) {
  const bool plural = key.size() > 2 && key.compare(key.size() - 2, 2, "+s") == 0;
  std::string text;
  for (const char c : plural ? key.substr(0, key.size() - 2) : key) {
    if (c >= 'a' && c <= 'z') text += static_cast<char>(c - 'a' + 'A');
  }
  return plural ? text + "s" : text;
}

/// The -s of a plural or possessive, as English says it after the word's last sound: /IH Z/ after a
/// sibilant (the boss's, the lich's, two Hs), /S/ after another voiceless sound (the wolf's, the
/// moth's, two Fs), /Z/ otherwise. (It was /Z/ after anything the dictionary lacked in that form.)
void appendSuffixS(std::vector<std::pair<Phone, int>>& pron) {
  switch (pron.empty() ? Phone::Sil : pron.back().first) {
    case Phone::S:
    case Phone::Z:
    case Phone::SH:
    case Phone::ZH:
    case Phone::CH:
    case Phone::JH:
      pron.emplace_back(Phone::IH, 0);
      pron.emplace_back(Phone::Z, -1);
      break;
    case Phone::P:
    case Phone::T:
    case Phone::K:
    case Phone::F:
    case Phone::TH: pron.emplace_back(Phone::S, -1); break;
    default: pron.emplace_back(Phone::Z, -1); break;
  }
}

/// The clitic a word ends in ("'s", "'ve", "'ll", "'d", "'re"), or nullptr; the rest must be a word.
const char* cliticOf(std::string_view key) {
  for (const char* clitic : {"'ve", "'ll", "'re", "'s", "'d"}) {
    const std::size_t length = std::strlen(clitic);
    if (key.size() > length && key.compare(key.size() - length, length, clitic) == 0) return clitic;
  }
  return nullptr;
}

/// A clitic said after the word's last sound: 's by appendSuffixS; 've, 'll, 'd with a schwa after a
/// consonant (Geralt'll, I'd've "AY1 D AH0 V": the rules read "IH1 D V") and without one after a
/// vowel (Varga'll); 're as /R/ after a vowel, /ER0/ after a consonant (the men're).
void appendClitic(const char* clitic, std::vector<std::pair<Phone, int>>& pron) {
  if (clitic == nullptr) return;
  const std::string_view c(clitic);
  if (c == "'s") {
    appendSuffixS(pron);
    return;
  }
  const bool afterVowel = !pron.empty() && isVowel(pron.back().first);
  if (c == "'re") {
    pron.emplace_back(afterVowel ? Phone::R : Phone::ER, afterVowel ? -1 : 0);
    return;
  }
  if (!afterVowel) pron.emplace_back(Phone::AH, 0);
  pron.emplace_back(c == "'ve" ? Phone::V : c == "'ll" ? Phone::L : Phone::D, -1);
}

bool inList(std::string_view word, std::initializer_list<std::string_view> list) {
  for (std::string_view w : list) {
    if (word == w) return true;
  }
  return false;
}

/// Heteronyms: words spelt alike and said two ways, which the dictionary gives only one of (its
/// "wound" is the past of wind, its "live" rhymes with five: "long live the king" came out "long
/// lyve"). The neighbouring words choose, as a part-of-speech tagger's simplest rules would: after
/// a determiner or possessive it is the noun (or adjective), after "to", a modal or a subject
/// pronoun the verb; otherwise the reading games use most.
bool heteronym(std::string_view word, std::string_view previous, std::string_view next, bool pastTimeAhead,
               std::vector<std::pair<Phone, int>>& out) {
  const bool nounBefore =
      inList(previous, {"a",    "an",   "the",   "my",    "your", "his",   "her",  "its", "our",  "their",
                        "this", "that", "these", "those", "no",   "every", "each", "one", "some", "any"});
  const bool verbBefore =
      inList(previous, {"to",    "i",      "you",   "we",    "they",  "will", "shall",  "can",   "could",
                        "would", "should", "must",  "may",   "might", "i'll", "you'll", "we'll", "they'll",
                        "don't", "didn't", "won't", "can't", "never", "not",  "let's",  "please"});
  const bool objectAfter =
      inList(next, {"the",  "a",  "an",  "it",    "them", "him",  "her",  "me",    "us",    "you",
                    "your", "my", "his", "their", "our",  "this", "that", "these", "those", "every"});
  const char* said = nullptr;
  if (word == "wind") said = verbBefore ? "W AY1 N D" : "W IH1 N D";  // the wind howls / wind the clock
  else if (word == "wound" || word == "wounds") said = word == "wound" ? "W UW1 N D" : "W UW1 N D Z";  // a wound
  else if (word == "live") said = nounBefore ? "L AY1 V" : "L IH1 V";        // long live the king / a live one
  else if (word == "lead") said = previous == "of" ? "L EH1 D" : "L IY1 D";  // lead the way / made of lead
  else if (word == "read")
    said = inList(previous, {"have", "has", "had", "was", "were", "been", "i've", "you've", "we've", "already", "just",
                             "once"}) ||
                   inList(next, {"yesterday", "once", "before"}) ||
                   (pastTimeAhead && !nounBefore &&
                    !inList(previous, {"to", "will", "shall", "can", "could", "would", "should", "must", "may", "might",
                                       "don't", "didn't", "won't", "can't", "let's"}))
               ? "R EH1 D"
               : "R IY1 D";  // I have read it, I read it yesterday / read this
  else if (word == "tear") said = nounBefore || inList(previous, {"single", "shed"}) ? "T IH1 R" : "T EH1 R";
  else if (word == "tears")
    said = verbBefore || objectAfter ? "T EH1 R Z" : "T IH1 R Z";  // tears of blood / tears it apart
  else if (word == "bow" || word == "bows") {
    const bool weapon = nounBefore || next == "and" || next == "of";  // a bow and arrow / bow before me
    said = word == "bow" ? (weapon ? "B OW1" : "B AW1") : (weapon ? "B OW1 Z" : "B AW1 Z");
  } else if (word == "close") said = objectAfter || (verbBefore && previous != "not") ? "K L OW1 Z" : "K L OW1 S";
  else if (word == "desert") said = verbBefore ? "D IH0 Z ER1 T" : "D EH1 Z ER0 T";
  else if (word == "present") said = verbBefore ? "P R IY0 Z EH1 N T" : "P R EH1 Z AH0 N T";
  else if (word == "object") said = verbBefore ? "AH0 B JH EH1 K T" : "AA1 B JH EH0 K T";
  else if (word == "record") said = nounBefore ? "R EH1 K ER0 D" : "R AH0 K AO1 R D";
  else if (word == "use")
    said = nounBefore || inList(previous, {"of", "no", "what"}) ? "Y UW1 S" : "Y UW1 Z";  // use it / no use
  else if (word == "used") said = next == "to" ? "Y UW1 S T" : "Y UW1 Z D";               // used to be / used the key
  if (said == nullptr) return false;
  out.clear();
  appendPhones(said, out);
  return true;
}

/// A word of two letters or more with no vowel letter (a e i o u y): NPC, XP, brb, or a sound
/// (hmm, grr) that the interjections take first.
bool hasNoVowel(std::string_view word) {
  if (word.size() < 2) return false;  // a single letter is a word (a, I) or the letter itself
  for (const char ch : word) {
    if (!std::isalpha(static_cast<unsigned char>(ch)) || std::strchr("aeiouyAEIOUY", ch) != nullptr) return false;
  }
  return true;
}

/// An initialism said letter by letter: "npc" (a word with no vowel), "u.s.a" (written with stops),
/// "npc+s" (NPCs: the letters and a plural) or "a." (the letter A, not the article). Each letter
/// keeps a secondary stress and the last the primary, as "F B I" is said. Letter-to-sound rules
/// read "NPCs" as "N P K S" and "XP" as "K S P". False (nothing written) for anything else.
bool spelled(std::string_view key, std::vector<std::pair<Phone, int>>& out) {
  // clang-format off
  static const char* const kLetterNames[26] = {
      "EY1",   "B IY1", "S IY1", "D IY1",   "IY1",   "EH1 F", "JH IY1", "EY1 CH", "AY1",
      "JH EY1", "K EY1", "EH1 L", "EH1 M",  "EH1 N", "OW1",   "P IY1",  "K Y UW1", "AA1 R",
      "EH1 S", "T IY1", "Y UW1", "V IY1",   "D AH1 B AH0 L Y UW0", "EH1 K S", "W AY1", "Z IY1"};
  // clang-format on
  const bool plural = key.size() > 2 && key.compare(key.size() - 2, 2, "+s") == 0;
  const bool letter = key.size() == 2 && key[1] == '.';  // "a.": the letter A (normalizeText)
  const std::string_view letters = plural ? key.substr(0, key.size() - 2) : (letter ? key.substr(0, 1) : key);
  std::vector<std::pair<Phone, int>> said;
  std::size_t lastLetter = 0;
  for (std::size_t k = 0; k < letters.size(); ++k) {
    const char ch = letters[k];
    if (ch == '.' && k > 0 && k + 1 < letters.size() && letters[k - 1] != '.') continue;
    if (ch < 'a' || ch > 'z') return false;
    lastLetter = said.size();
    appendPhones(kLetterNames[ch - 'a'], said);
  }
  if (said.empty()) return false;
  for (std::size_t k = 0; k < lastLetter; ++k) {
    if (said[k].second == 1) said[k].second = 2;
  }
  if (plural) appendSuffixS(said);
  out.insert(out.end(), said.begin(), said.end());
  return true;
}

constexpr float kHeldConsonantMs = 400.0f;  // the hum of "hmm", the hiss of "hsss"
constexpr float kEmphasisGain = 1.4f;       // +3 dB: an emphasised word is said louder too
constexpr float kLowestContourHz = 62.0f;   // the pitch tracker follows 60-600 Hz (see the F0 step)

/// Expressive spellings, a monster's vocabulary: a letter written three or more times draws the
/// word out ("nooo", "braaains", "yesss"). The word is looked up with the run shortened to two
/// letters ("coool": cool) or one ("nooo": no). It was read letter by letter: "braaains" came out
/// "B R AE1 AE0 EY0 N S", "nooo" "N UW1 AA0".
std::string undrawn(std::string_view word, const Lexicon& lexicon, bool& drawnOut, char& drawnLetter) {
  drawnLetter = '\0';
  auto collapse = [&](std::size_t keep) {
    std::string out;
    for (std::size_t k = 0; k < word.size();) {
      std::size_t run = 1;
      while (k + run < word.size() && word[k + run] == word[k]) ++run;
      if (run >= 3 && drawnLetter == '\0') drawnLetter = word[k];
      out.append(run >= 3 ? keep : run, word[k]);
      k += run;
    }
    return out;
  };
  drawnOut = false;
  const std::string two = collapse(2);
  if (two.size() == word.size()) return std::string(word);
  drawnOut = true;
  std::vector<std::pair<Phone, int>> probe;
  const std::string one = collapse(1);
  // A two-letter word ending in a vowel is what a drawn-out "nooo" or "sooo" says (not "noo",
  // "soo"); one ending in a consonant is not, "eeeek" is "eek" (it was "ek", "EH1 K").
  const bool openSyllable = !one.empty() && std::string_view("aeiouy").find(one.back()) != std::string_view::npos;
  if (one.size() <= 2 && !openSyllable) return two;
  if (one.size() <= 2 && lexicon.lookup(one, probe)) return one;
  if (lexicon.lookup(two, probe)) return two;
  return one;
}

/// Sounds without a dictionary word: growls, hisses, hushes, hums (after undrawn: "grrrr" is "gr").
/// Letter-to-sound rules gave "grrr" a bare G R and "hmm" an instant of M. Single letters only count
/// when drawn out ("zzz"), as a lone "m" or "z" is the letter. And a few spoken forms of dialogue the
/// dictionary lacks: th' (it was spelt, "T H"), o'er, ow, argh (its g is silent), whaddya, hmph and
/// mm-hmm (they were spelt), a wolf's awoo (it was "AO1 AA0").
const char* interjection(std::string_view key, bool drawnOut, bool& held) {
  // clang-format off
  static const struct {
    const char* word;
    const char* said;
    bool onlyDrawnOut;
    bool held;  // a growl, hum or hush is held however it is spelt; a scoff is not
  } kSounds[] = {{"gr", "G ER1", false, true},   {"grr", "G ER1", false, true}, {"hm", "HH M", false, true},
                 {"hmm", "HH M", false, true},   {"mm", "M", false, true},      {"m", "M", true, true},
                 {"sh", "SH", false, true},      {"shh", "SH", false, true},    {"hs", "HH S", false, true},
                 {"hss", "HH S", false, true},   {"ss", "S", true, true},       {"s", "S", true, true},
                 {"br", "B R", false, true},     {"brr", "B R", false, true},   {"z", "Z", true, true},
                 {"zz", "Z", true, true},        {"rr", "ER1", true, true},     {"r", "ER1", true, true},
                 {"pff", "P F", false, false},   {"pfft", "P F T", false, false}, {"tsk", "T S K", false, false},
                 {"pst", "P S T", false, false}, {"psst", "P S T", false, false}, {"hrm", "HH ER1 M", false, true},
                 {"th", "DH AH0", false, false}, {"o'er", "OW1 ER0", false, false}, {"ow", "AW1", false, true},
                 {"argh", "AA1 R", false, true}, {"whaddya", "W AH1 D Y AH0", false, false},
                 {"hmph", "HH M F", false, false},  {"mhm", "M HH M", false, true},   {"mmhm", "M HH M", false, true},
                 {"mhmm", "M HH M", false, true},   {"mmhmm", "M HH M", false, true}, {"awoo", "AH0 W UW1", false, false},
                 {"awo", "AH0 W UW1", true, false}};
  // clang-format on
  for (const auto& s : kSounds) {
    if (key == s.word && (drawnOut || !s.onlyDrawnOut)) {
      held = s.held;
      return s.said;
    }
  }
  return nullptr;
}

/// Laughter written as one word ("hahaha", "heheh", "hohoho"): HH and its vowel per syllable, the
/// first stressed. False for anything else.
bool laughter(std::string_view key, std::vector<std::pair<Phone, int>>& out) {
  // A villain's laugh, "mwahahaha", "bwahaha", "muahaha": its onset, an open a, then the laugh
  // (it was "M W AE1 HH AE0 HH AE0").
  for (const char* onset : {"mwa", "bwa", "mua", "bua"}) {
    std::vector<std::pair<Phone, int>> laugh;
    if (key.size() >= 7 && key.compare(0, 3, onset) == 0 && laughter(key.substr(3), laugh)) {
      out.emplace_back(key[0] == 'm' ? Phone::M : Phone::B, -1);
      out.emplace_back(Phone::W, -1);
      out.emplace_back(Phone::AA, 1);
      for (const auto& [phone, stress] : laugh) out.emplace_back(phone, stress < 0 ? -1 : 2);
      return true;
    }
  }
  if (key.size() < 4 || key[0] != 'h') return false;
  const char v = key[1];
  if (v != 'a' && v != 'e' && v != 'o') return false;
  int syllables = 0;
  for (std::size_t k = 0; k < key.size(); k += 2) {
    if (key[k] != 'h' || (k + 1 < key.size() && key[k + 1] != v)) return false;
    ++syllables;
  }
  if (syllables < 2) return false;
  const Phone vowel = v == 'a' ? Phone::AA : (v == 'e' ? Phone::EH : Phone::OW);
  for (int s = 0; s < syllables; ++s) {
    out.emplace_back(Phone::HH, -1);
    out.emplace_back(vowel, s == 0 ? 1 : 2);
  }
  return true;
}

/// The phone a drawn-out word holds: its last sound when a consonant was drawn out and that sound
/// can be held ("yesss", "hisss"); else its stressed vowel, else its last vowel, else its last
/// sound that can be held (the M of "hmm", the S of "hsss"); -1 when none can.
int heldPhone(const std::vector<std::pair<Phone, int>>& pron, char drawnLetter) {
  auto holdable = [](Phone ph) {
    const PhoneClass c = phoneInfo(ph).cls;
    return c == PhoneClass::Fricative || c == PhoneClass::Nasal || c == PhoneClass::Liquid;
  };
  const int last = static_cast<int>(pron.size()) - 1;
  const bool consonantDrawn = drawnLetter != '\0' && std::strchr("aeiouyh", drawnLetter) == nullptr;
  if (consonantDrawn && last >= 0 && holdable(pron.back().first)) return last;
  for (int k = last; k >= 0; --k) {
    if (isVowel(pron[static_cast<std::size_t>(k)].first) && pron[static_cast<std::size_t>(k)].second == 1) return k;
  }
  for (int k = last; k >= 0; --k) {
    if (isVowel(pron[static_cast<std::size_t>(k)].first)) return k;
  }
  for (int k = last; k >= 0; --k) {
    if (holdable(pron[static_cast<std::size_t>(k)].first)) return k;
  }
  return -1;
}

void appendPhones(const char* said, std::vector<std::pair<Phone, int>>& out) {
  for (const char* p = said; *p != '\0';) {
    const char* q = p;
    while (*q != '\0' && *q != ' ') ++q;
    Phone phone;
    int stress;
    if (parsePhone(p, static_cast<int>(q - p), phone, stress)) out.emplace_back(phone, stress);
    p = *q == ' ' ? q + 1 : q;
  }
}

/// Words that begin sentences and are no names (a capital after "St." or "Dr." may be either).
bool startsSentences(std::string_view word) {
  return inList(word,
                {"the",   "a",      "an",    "that",  "that's", "this", "these", "those", "there",  "there's", "then",
                 "it",    "it's",   "i",     "i'm",   "i'll",   "we",   "we'll", "you",   "you'll", "he",      "she",
                 "they",  "and",    "but",   "so",    "or",     "if",   "when",  "now",   "go",     "come",    "meet",
                 "look",  "don't",  "do",    "is",    "are",    "was",  "see",   "be",    "no",     "yes",     "not",
                 "what",  "where",  "who",   "why",   "how",    "take", "bring", "turn",  "head",   "walk",    "run",
                 "after", "before", "from",  "at",    "on",     "in",   "by",    "to",    "my",     "your",    "our",
                 "his",   "her",    "their", "hurry", "find",   "wait", "stay"});
}

/// The plural of the number words just written ("nineteen ninety" -> "nineteen nineties", "six"
/// -> "sixes"): the 1990s, the '80s, roll two 6s.
void pluralizeLastWord(std::string& out) {
  if (out.empty()) return;
  if (out.back() == 'y') {
    out.back() = 'i';
    out += "es";
  } else if (out.back() == 'x') {
    out += "es";
  } else {
    out += 's';
  }
}

/// A fraction's denominator as said (2 -> half, 4 -> quarter), plural after a numerator above one;
/// nullptr for a denominator that is not read as a fraction (12/25 is a date, 24/7 a number pair).
const char* fractionName(long long denominator, bool plural) {
  switch (denominator) {
    case 2: return plural ? "halves" : "half";
    case 3: return plural ? "thirds" : "third";
    case 4: return plural ? "quarters" : "quarter";
    case 5: return plural ? "fifths" : "fifth";
    case 6: return plural ? "sixths" : "sixth";
    case 8: return plural ? "eighths" : "eighth";
    case 10: return plural ? "tenths" : "tenth";
    case 16: return plural ? "sixteenths" : "sixteenth";
    default: return nullptr;
  }
}

/// The word of letters that ends before `at`, across at least one space or tab ("Baker" in "Baker
/// St.", "Edward" in "Edward III"); empty when none is there or nothing separates it from `at`.
std::string_view wordBefore(std::string_view text, std::size_t at) {
  const std::size_t end = skipBlanksBack(text, at);
  std::size_t begin = end;
  while (begin > 0 && std::isalpha(static_cast<unsigned char>(text[begin - 1]))) --begin;
  return end < at ? text.substr(begin, end - begin) : std::string_view();
}

/// wordBefore, lower-cased (for comparing with the cue words).
std::string lowerWordBefore(std::string_view text, std::size_t at) {
  std::string word;
  for (const char ch : wordBefore(text, at)) word += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return word;
}

/// The letters that end at `end` (none: empty), lower-cased; `begin` is where they start. Unlike
/// wordBefore, nothing need separate them from `end` ("number" in "number: 555", "ft" in "ft. 11").
std::string lowerLettersEndingAt(std::string_view text, std::size_t end, std::size_t& begin) {
  begin = end;
  while (begin > 0 && std::isalpha(static_cast<unsigned char>(text[begin - 1]))) --begin;
  std::string word(text.substr(begin, end - begin));
  for (char& letter : word) letter = static_cast<char>(std::tolower(static_cast<unsigned char>(letter)));
  return word;
}

/// Where the run of digits that ends at `end` starts.
std::size_t digitsBegin(std::string_view text, std::size_t end) {
  while (end > 0 && std::isdigit(static_cast<unsigned char>(text[end - 1]))) --end;
  return end;
}

/// A month or weekday written short, capitalised (Jan. 5th, Mon., Sept 3): its full name, and the
/// text it took (the stop included); nullptr when `at` starts none. Those that are also words or
/// names (Jan, Mar, Sat, Sun, Jun, Jul, Wed) must be followed by a number or a comma.
const char* calendarAbbreviation(std::string_view text, std::size_t at, std::size_t& length) {
  static const struct {
    const char* written;
    const char* name;
    bool ambiguous;
  } kCalendar[] = {{"Jan", "january", true},   {"Feb", "february", false},   {"Mar", "march", true},
                   {"Apr", "april", false},    {"Jun", "june", true},        {"Jul", "july", true},
                   {"Aug", "august", false},   {"Sept", "september", false}, {"Sep", "september", false},
                   {"Oct", "october", false},  {"Nov", "november", false},   {"Dec", "december", false},
                   {"Mon", "monday", false},   {"Tues", "tuesday", false},   {"Tue", "tuesday", false},
                   {"Wed", "wednesday", true}, {"Thurs", "thursday", false}, {"Thur", "thursday", false},
                   {"Thu", "thursday", false}, {"Fri", "friday", false},     {"Sat", "saturday", true},
                   {"Sun", "sunday", true}};
  for (const auto& entry : kCalendar) {
    const std::size_t len = std::strlen(entry.written);
    if (text.compare(at, len, entry.written) != 0) continue;
    std::size_t end = at + len;
    if (end < text.size() && std::isalnum(static_cast<unsigned char>(text[end]))) continue;
    const bool stop = end < text.size() && text[end] == '.';
    const std::size_t next = skipBlanks(text, end + (stop ? 1 : 0));
    const bool numberAfter = next < text.size() && std::isdigit(static_cast<unsigned char>(text[next]));
    const bool commaAfter = next < text.size() && text[next] == ',';
    // (On Wed. we fight: after "on", "next", "every"... a short name with a stop is the day.)
    const std::string before = lowerWordBefore(text, at);
    const bool cue = inList(before, {"on", "next", "last", "every", "this", "until", "till", "since", "from", "by"});
    if (numberAfter || (stop && (commaAfter || cue || !entry.ambiguous))) {
      length = len + (stop ? 1 : 0);
      return entry.name;
    }
  }
  return nullptr;
}

/// Whether a sentence starts at the next word after `at`: a capital and a word that starts
/// sentences (not a name, which may follow a title's stop).
bool sentenceStartsAt(std::string_view text, std::size_t at) {
  at = skipBlanks(text, at);
  if (at >= text.size() || !std::isupper(static_cast<unsigned char>(text[at]))) return false;
  return startsSentences(lowerLettersAt(text, at, true));
}

/// "St." or "Dr." after a name and before no name (Baker St., Elm Dr. tonight): a street or a
/// drive; otherwise (St. Peter, Dr. Mortis) the title.
bool streetAbbreviation(std::string_view text, std::size_t at, std::size_t length, std::string_view abbreviation) {
  if (abbreviation != "st." && abbreviation != "dr.") return false;
  const std::string_view before = wordBefore(text, at);
  const bool nameBefore = !before.empty() && std::isupper(static_cast<unsigned char>(before[0]));
  // A capital after it is a name (St. Peter), unless it starts the next sentence: "Baker St.
  // That's the place".
  const std::size_t next = skipBlanks(text, at + length);
  const bool nameAfter =
      next < text.size() && std::isupper(static_cast<unsigned char>(text[next])) && !sentenceStartsAt(text, next);
  return nameBefore && !nameAfter;
}

/// A measure that qualifies the noun after it, whose unit is singular: "a 10ft wall", "the 9mm
/// pistol", "a 5 km walk" (it was "ten feet wall"). The number, ending at `numberEnd`, follows "a"
/// (always: "a 9mm." is a pistol), or another article or a possessive, and a word follows its unit
/// at `next` that says no more of the measure ("the 10 mins left", "the 5 km to the gate", "the 300
/// m are" stay plural), as the line's end does.
bool measureBeforeNoun(std::string_view text, std::size_t numberEnd, std::size_t next) {
  std::size_t begin = numberEnd;
  while (begin > 0 && (std::isdigit(static_cast<unsigned char>(text[begin - 1])) || text[begin - 1] == '.' ||
                       text[begin - 1] == ',')) {
    --begin;
  }
  const std::string determiner = lowerWordBefore(text, begin);
  if (determiner == "a" || determiner == "an") return true;  // "a 9mm.": never a plural
  if (!inList(determiner,
              {"the", "my", "your", "his", "her", "its", "our", "their", "this", "that", "each", "every"})) {
    return false;
  }
  std::size_t at = next;
  const std::string word = lowerLettersAt(text, at, false);
  return !word.empty() &&
         !inList(word, {"to",     "of",    "from",  "in",   "on",   "at",   "and",   "or",     "left",
                        "ago",    "later", "away",  "are",  "were", "have", "had",   "remain", "remaining",
                        "before", "after", "until", "till", "off",  "past", "since", "more",   "less",
                        "north",  "south", "east",  "west", "up",   "down", "back",  "out"});
}

/// What the abbreviation at text[at, at + length) says here, nullptr when it is not one:
/// - "no.", "p.", "ep." only before a number (No. 5, p. 42); "I said no." is the word;
/// - "ft." is "feet" after a number (6 ft.), "fort" before a name (Ft. Knox), else a word;
/// - "St." and "Dr." after a name and before none are "street" and "drive" (see streetAbbreviation);
/// - a unit after exactly one is singular ("1 kg", "1 ft."), as is a measure before its noun ("a 10ft wall");
/// - a unit that is also a word or a letter (m, mm, ft) only after a number.
const char* abbreviationSaid(std::string_view text, std::size_t at, std::size_t length, const Abbreviation& a) {
  const std::string_view abbreviation = a.text;
  const std::size_t next = skipBlanks(text, at + length), before = skipBlanksBack(text, at);
  // A number, or a numeral in capitals (Vol. IV, Mk. II; never the pronoun, nor after "no.", which
  // ends sentences: "I said no. II is not").
  std::size_t numeralEnd = next;
  while (numeralEnd < text.size() && std::isalpha(static_cast<unsigned char>(text[numeralEnd]))) ++numeralEnd;
  const std::string_view numeral = text.substr(next < text.size() ? next : text.size(), numeralEnd - next);
  const bool numeralAfter =
      (numeral.size() >= 2 || numeral == "V") && romanNumeral(numeral) > 0 && abbreviation != "no.";
  const bool numberAfter = next < text.size() && (std::isdigit(static_cast<unsigned char>(text[next])) || numeralAfter);
  const bool numberBefore = before > 0 && std::isdigit(static_cast<unsigned char>(text[before - 1]));
  const bool capitalAfter = next < text.size() && std::isupper(static_cast<unsigned char>(text[next]));
  if ((a.beforeNumber && !numberAfter) || (a.afterNumber && !numberBefore)) return nullptr;
  if (abbreviation == "in") {
    // Inches only in a length after its feet, "5 ft 11 in", "6 feet 2 in" (it was "eleven in");
    // "born in 1990 in Paris" keeps the word.
    const std::size_t numberBegin = digitsBegin(text, before);
    std::size_t end = skipBlanksBack(text, numberBegin), begin = 0;
    if (end > 0 && text[end - 1] == '.') --end;
    const std::string unit = lowerLettersEndingAt(text, end, begin);
    if (begin == numberBegin || !inList(unit, {"ft", "feet", "foot"})) return nullptr;
  }
  if (abbreviation == "ft." && !numberBefore) {
    return text[at] == 'F' && capitalAfter && !sentenceStartsAt(text, next) ? "fort" : nullptr;
  }
  if (streetAbbreviation(text, at, length, abbreviation)) return abbreviation == "st." ? "street" : "drive";
  // A unit after exactly one is singular: "1 kg" is "one kilogram" (21 kg stays plural).
  const char beforeOne = before >= 2 ? text[before - 2] : ' ';
  const bool one = numberBefore && text[before - 1] == '1' &&
                   !(std::isdigit(static_cast<unsigned char>(beforeOne)) || beforeOne == '.' || beforeOne == ',');
  // A calibre that names its gun, "grab the 9mm.", "load my 9mm!": singular (a word after it is
  // measureBeforeNoun's case: "the 9mm pistol", "the 300 mm are").
  bool gun = false;
  if (numberBefore && std::strcmp(a.expansion, "millimeters") == 0 &&
      !(next < text.size() && std::isalnum(static_cast<unsigned char>(text[next])))) {
    gun = inList(lowerWordBefore(text, digitsBegin(text, before)),
                 {"the", "my", "your", "his", "her", "our", "their", "this", "that"});
  }
  if (one || gun || (numberBefore && measureBeforeNoun(text, before, next))) {
    // clang-format off
    static const struct {
      const char* plural;
      const char* singular;
    } kUnits[] = {{"kilometers", "kilometer"}, {"kilograms", "kilogram"}, {"feet", "foot"},   {"pounds", "pound"},
                  {"meters", "meter"},         {"centimeters", "centimeter"}, {"millimeters", "millimeter"},
                  {"inches", "inch"},
                  {"miles per hour", "mile per hour"}, {"hours", "hour"}, {"minutes", "minute"}, {"seconds", "second"},
                  {"years", "year"}};
    // clang-format on
    for (const auto& unit : kUnits) {
      if (std::strcmp(a.expansion, unit.plural) == 0) return unit.singular;
    }
  }
  return a.expansion;
}

/// A house, room or flight number: 221 -> two twenty one, 101 -> one oh one, 1600 -> sixteen
/// hundred, 2187 -> twenty one eighty seven, 2005 -> twenty oh five. Round hundreds and thousands,
/// numbers below 100 and above 9999 as cardinals.
void houseNumber(long long n, std::string& out) {
  if (n < 100 || n > 9999 || (n % 100 == 0 && n < 1000) || n % 1000 == 0) {
    cardinal(n, out);
    return;
  }
  if (n >= 1000) {
    year(n, out);
    return;
  }
  appendWord(out, kOnes[n / 100]);
  afterHour(n % 100, "hundred", out);  // (a round hundred was a cardinal above)
}

/// Whether the noun a house or room number follows stands before `begin`: Room 101, Flight 815,
/// Vault 111, Apt. 42.
bool houseNounBefore(std::string_view text, std::size_t begin) {
  const std::size_t before = skipBlanksBack(text, begin);
  if (before == begin) return false;
  const std::size_t wordEnd = before > 0 && text[before - 1] == '.' ? before - 1 : before;  // Apt. 42
  std::size_t wordBegin = wordEnd;
  while (wordBegin > 0 && std::isalpha(static_cast<unsigned char>(text[wordBegin - 1]))) --wordBegin;
  std::string noun;
  for (std::size_t k = wordBegin; k < wordEnd; ++k) {
    noun += static_cast<char>(std::tolower(static_cast<unsigned char>(text[k])));
  }
  return inList(noun, {"room", "flat",  "apartment", "apt",    "suite",  "cell",       "vault", "gate",   "platform",
                       "bay",  "door",  "hangar",    "locker", "flight", "cabin",      "ward",  "bunker", "dock",
                       "pier", "berth", "highway",   "hwy",    "route",  "interstate", "bus"});
}

/// Whether the number text[begin, end) is read as a house or room number: a capital letter joined
/// to it (221B, 12A), the noun it numbers before it (Room 101, Flight 815, Vault 111, Apt. 42), or
/// a street after it (221 Baker Street, 1600 Pennsylvania Ave.). "221 zombies" stays a count.
bool isHouseNumber(std::string_view text, std::size_t begin, std::size_t end) {
  const std::size_t n = text.size();
  if (end < n && std::isupper(static_cast<unsigned char>(text[end])) &&
      (end + 1 >= n || !std::isalnum(static_cast<unsigned char>(text[end + 1])))) {
    return true;
  }
  if (houseNounBefore(text, begin)) return true;
  // One to three capitalised words, then a street: 742 Evergreen Terrace.
  std::size_t k = end;
  for (int names = 0; names <= 3; ++names) {
    k = skipBlanks(text, k);
    if (k >= n || !std::isupper(static_cast<unsigned char>(text[k]))) return false;
    const std::string word = lowerLettersAt(text, k, false);
    if (names > 0 && inList(word, {"street",    "st",     "road",     "rd",    "avenue", "ave",     "lane",   "ln",
                                   "boulevard", "blvd",   "drive",    "dr",    "way",    "place",   "court",  "terrace",
                                   "row",       "square", "crescent", "close", "alley",  "highway", "parkway"})) {
      return true;
    }
  }
  return false;
}

/// How a key written in brackets is said, "[Esc]" -> "escape", "[LMB]" -> "l.m.b", "[A]" -> "a." (the
/// letter, not the article); empty when `inside` names no key. A key is one of the names below, in
/// any case, or one to three capitals; "[LAUGHS]" and "[Whispers]" are directions.
/// (python/vocalsynth/emotions.py keeps the same keys in the line.)
std::string keySaid(std::string_view inside) {
  static const struct {
    const char *name, *said;
  } kKeys[] = {{"space", "space"},   {"enter", "enter"},   {"shift", "shift"},         {"tab", "tab"},
               {"esc", "escape"},    {"escape", "escape"}, {"ctrl", "control"},        {"control", "control"},
               {"alt", "alt"},       {"return", "return"}, {"backspace", "backspace"}, {"del", "delete"},
               {"delete", "delete"}, {"ins", "insert"},    {"insert", "insert"},       {"home", "home"},
               {"end", "end"},       {"pgup", "page up"},  {"pgdn", "page down"},      {"capslock", "caps lock"},
               {"up", "up"},         {"down", "down"},     {"left", "left"},           {"right", "right"}};
  std::string lower;
  bool capitals = true;
  for (const char ch : inside) {
    capitals = capitals && std::isupper(static_cast<unsigned char>(ch));
    lower += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  }
  for (const auto& key : kKeys) {
    if (lower == key.name) return key.said;
  }
  if (!capitals || inside.size() > 3) return {};
  std::string spelt;  // "l.m.b"; one letter with a stop after it, "a."
  for (const char ch : lower) {
    if (!spelt.empty()) spelt += '.';
    spelt += ch;
  }
  if (spelt.size() == 1) spelt += '.';
  return spelt;
}

/// Whether a word between stars names an action, *sighs*, *cough*, *laughing*, *nods*: a verb
/// of the list in its plain, -s, -es, -ies, -ing or -ed form (emotions.py's ACTION_VERBS: the
/// same list). Any other word between stars at a sentence's edge is emphasis, "*Never* again."
bool isActionWord(std::string_view inside) {
  static constexpr std::string_view kVerbs[] = {
      "sigh",    "laugh",  "cough",   "gasp",    "groan",   "moan",    "growl",  "snarl",    "hiss",    "sob",
      "weep",    "cry",    "scream",  "shout",   "yell",    "whisper", "murmur", "mutter",   "mumble",  "grumble",
      "chuckle", "cackle", "giggle",  "snicker", "smirk",   "grin",    "smile",  "frown",    "glare",   "sneer",
      "nod",     "shrug",  "wink",    "yawn",    "sniff",   "sniffle", "blush",  "facepalm", "hug",     "wave",
      "bow",     "gulp",   "shudder", "shiver",  "tremble", "grunt",   "hiccup", "burp",     "sneeze",  "whistle",
      "clap",    "pout",   "cringe",  "snort",   "scoff",   "wheeze",  "choke",  "hum",      "whimper", "wail",
      "howl",    "roar",   "purr",    "huff",    "pant",    "stare",   "gag",    "sip",      "stretch", "blink",
      "bark",    "spit",   "stammer", "stutter", "flinch",  "cower",   "leer",   "bellow",   "breathe", "inhale",
      "exhale",  "pause",  "beat",    "shush",   "slurp",   "gurgle",  "rasp",   "croak",    "retch",   "cheer"};
  std::string word;
  for (const char ch : inside) word += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  for (const std::string_view verb : kVerbs) {
    const std::string v(verb);
    const std::string stem = v.back() == 'e' ? v.substr(0, v.size() - 1) : v;           // smile -> smil(ing)
    const std::string doubled = v + v.back();                                           // nod -> nodd(ing)
    const std::string y = v.back() == 'y' ? v.substr(0, v.size() - 1) : std::string();  // cry -> cr(ies)
    if (word == v || word == v + "s" || word == v + "es" || word == v + "ing" || word == stem + "ing" ||
        word == stem + "ed" || word == v + "ed" || word == doubled + "ing" || word == doubled + "ed" ||
        (!y.empty() && (word == y + "ies" || word == y + "ied"))) {
      return true;
    }
  }
  return false;
}

/// A lone "A" that is the letter, not the article: the article always has a word after it, and
/// a capital A after a capitalised word names something (Plan A, Exhibit A, Vitamin A). `at` is
/// just past the letter. (Not before "...": "a... a sword" hesitates on the article.)
bool letterA(std::string_view text, std::size_t start, std::size_t at, bool anyLower) {
  const std::size_t next = skipBlanks(text, at);
  const bool upper = text[start] == 'A';
  if (next >= text.size() || (start > 0 && std::isdigit(static_cast<unsigned char>(text[start - 1])))) return true;
  const char c = text[next];
  if (c == '.' && text.compare(next, 3, "...") == 0) return false;
  const std::size_t afterStop = next + 1;
  if (c == '.' && afterStop < text.size() && std::isdigit(static_cast<unsigned char>(text[afterStop]))) {
    return false;  // "a .5 chance", "a .22 rifle": the article
  }
  if (c == '.' || c == '!' || c == '?' || c == ';' || c == ':' || c == ')') return true;
  if (upper && (c == ',' || c == '"')) return true;
  if (!upper || !anyLower) return false;
  const std::string_view before = wordBefore(text, start);
  return !before.empty() && std::isupper(static_cast<unsigned char>(before[0]));
}

/// Digit groups joined by hyphens that make a telephone number: four digits last, three-digit
/// groups before them, and first a group of one to three (555-123-4567, 1-800-555-0199). Of two
/// groups only an exchange and a line (555-1234: an exchange starts with 2-9, and a line is not
/// a round hundred), so that 100-1000 and 250-2500 stay ranges. Anything else is a range
/// (1990-1995, 10-20), a score (3-2) or a date (2024-01-15).
bool isTelephoneNumber(const std::vector<std::string_view>& groups) {
  if (groups.size() < 2 || groups.back().size() != 4 || groups.front().empty() || groups.front().size() > 3)
    return false;
  for (std::size_t g = 1; g + 1 < groups.size(); ++g) {
    if (groups[g].size() != 3) return false;
  }
  if (groups.size() > 2) return true;
  const std::string_view exchange = groups.front(), line = groups.back();
  return exchange.size() == 3 && exchange[0] >= '2' && line.compare(2, 2, "00") != 0;
}

/// The most digits read as one number (below 10^15, which cardinal names); a longer run is read
/// digit by digit.
constexpr int kLongestNumber = 15;

/// Digits one by one: "911" is "nine one one" (thousands commas in a long run are skipped).
void sayDigits(std::string_view digits, std::string& out) {
  for (const char digit : digits) {
    if (digit != ',') appendWord(out, kOnes[digit - '0']);
  }
}

// ---- Dates ---------------------------------------------------------------------------------

const char* const kMonths[] = {"january", "february", "march",     "april",   "may",      "june",
                               "july",    "august",   "september", "october", "november", "december"};

/// The month (1-12) a lower-case word names, in full or short (jan, sept), 0 for none.
int monthNamed(std::string_view word) {
  static const char* const kShort[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                       "jul", "aug", "sep", "oct", "nov", "dec"};
  for (int m = 0; m < 12; ++m) {
    if (word == kMonths[m] || word == kShort[m]) return m + 1;
  }
  return word == "sept" ? 9 : 0;
}

/// The month a capitalised word just before `at` names ("December 25", "Dec. 25", "May 2050"),
/// across at least one blank; 0 for none.
int monthBefore(std::string_view text, std::size_t at) {
  std::size_t end = skipBlanksBack(text, at);
  if (end == at) return 0;
  if (end > 0 && text[end - 1] == '.') --end;
  std::size_t begin = end;
  while (begin > 0 && std::isalpha(static_cast<unsigned char>(text[begin - 1]))) --begin;
  if (begin == end || !std::isupper(static_cast<unsigned char>(text[begin]))) return 0;
  std::size_t k = begin;
  const std::string word = lowerLettersAt(text, k, false);
  return k == end ? monthNamed(word) : 0;
}

/// The month a capitalised word after `at` names ("25 December", "5 Jan. 2050"), across at least
/// one blank; `end` is set past it (and past a short name's stop). 0 for none.
int monthAfter(std::string_view text, std::size_t at, std::size_t& end) {
  std::size_t k = skipBlanks(text, at);
  if (k == at || k >= text.size() || !std::isupper(static_cast<unsigned char>(text[k]))) return 0;
  const std::string word = lowerLettersAt(text, k, false);
  const int month = monthNamed(word);
  if (month == 0 || (k < text.size() && std::isdigit(static_cast<unsigned char>(text[k])))) return 0;
  if (k < text.size() && text[k] == '.' && word != kMonths[month - 1]) ++k;
  end = k;
  return month;
}

/// A year as said: 1984 -> nineteen eighty four, 2050 -> twenty fifty, but 2000-2009 -> two
/// thousand five (as English says them); a year in two digits, '99 or 05, -> ninety nine, oh five.
void yearSaid(long long n, int digits, std::string& out) {
  if (digits <= 2) {
    if (n < 10) appendWord(out, "oh");
    cardinal(n, out);
  } else if (n >= 2000 && n <= 2009) {
    cardinal(n, out);
  } else {
    year(n, out);
  }
}

/// A month and its day: "march fourth".
void monthAndDay(int month, long long day, std::string& out) {
  appendWord(out, kMonths[month - 1]);
  std::string words;
  cardinal(day, words);
  ordinalize(words);
  appendWord(out, words);
}

/// The word before `at`, lower-cased, is one after which a number is a date or a year: "on
/// 12/25", "since 2050", "by 2099".
bool dateCueBefore(std::string_view text, std::size_t at, bool yearsToo) {
  const std::string word = lowerWordBefore(text, at);
  if (inList(word, {"on", "until", "till", "since", "before", "after", "due", "dated"})) return true;
  return yearsToo && inList(word, {"in", "by", "from", "year", "circa", "around"});
}

/// Whether the four-digit number at `at` is a year: a month before it (December 2050), a month
/// and day and a comma (December 25, 2050; Dec. 25th, 2050), or a word that takes a year (in,
/// since, by, until, year...). (1100-1999 are read as years anywhere; this decides 2000-2999.)
bool yearContext(std::string_view text, std::size_t at) {
  if (monthBefore(text, at) != 0 || dateCueBefore(text, at, true)) return true;
  std::size_t k = skipBlanksBack(text, at);
  if (k == 0 || text[k - 1] != ',') return false;
  k = skipBlanksBack(text, k - 1);
  while (k > 0 && std::isalpha(static_cast<unsigned char>(text[k - 1]))) --k;  // 25th
  const std::size_t dayEnd = k;
  while (k > 0 && std::isdigit(static_cast<unsigned char>(text[k - 1]))) --k;
  return k < dayEnd && dayEnd - k <= 2 && monthBefore(text, k) != 0;
}

/// A 24-hour clock before "hours": 0600 hours is "oh six hundred hours", 1830 "eighteen thirty",
/// 0000 "zero hundred". False (nothing written) for a number that is no time of day or not before "hours".
bool militaryTime(std::string_view text, std::size_t begin, std::size_t end, std::string& out) {
  if (end - begin != 4) return false;
  for (std::size_t k = begin; k < end; ++k) {
    if (!std::isdigit(static_cast<unsigned char>(text[k]))) return false;
  }
  // Before "hours", or after "at" with a leading nought ("at 0300": a time, not three hundred).
  std::size_t at = skipBlanks(text, end);
  const std::string word = at > end ? lowerLettersAt(text, at, false) : std::string();
  const bool atNought = text[begin] == '0' && lowerWordBefore(text, begin) == "at";
  if (word != "hours" && word != "hrs" && !atNought) return false;
  const int hours = (text[begin] - '0') * 10 + (text[begin + 1] - '0');
  const int minutes = (text[begin + 2] - '0') * 10 + (text[begin + 3] - '0');
  if (hours > 23 || minutes > 59) return false;
  afterHour(hours, "zero", out);  // 0600: "oh six"
  afterHour(minutes, "hundred", out);
  return true;
}

/// A date written in numbers at text[at]: 3/4/1999 and 12/25/99 (month first, as in the US, or
/// the day first where the first number cannot be a month: 25/12/2050), 12/25 after a word that
/// takes a date ("on 12/25": otherwise two numbers, 24/7, or a fraction), and 2024-01-15 (ISO).
/// Writes "march fourth , nineteen ninety nine" and sets `end` past it; false for none.
bool numericDate(std::string_view text, std::size_t at, std::size_t& end, std::string& out) {
  long long value[3] = {0, 0, 0};
  int digits[3] = {0, 0, 0};
  char separator = 0;
  int groups = 0;
  std::size_t k = at;
  while (groups < 3) {
    while (k < text.size() && std::isdigit(static_cast<unsigned char>(text[k])) && digits[groups] < 5) {
      value[groups] = value[groups] * 10 + (text[k++] - '0');
      ++digits[groups];
    }
    ++groups;
    const bool more = k + 1 < text.size() && (text[k] == '/' || text[k] == '-') &&
                      std::isdigit(static_cast<unsigned char>(text[k + 1]));
    if (!more || (separator != 0 && text[k] != separator)) break;
    if (groups == 3) return false;  // 1/2/3/4: no date
    separator = text[k++];
  }
  if (k < text.size() && (std::isalnum(static_cast<unsigned char>(text[k])) || text[k] == '/')) return false;
  int month = 0;
  long long day = 0, yearValue = -1;
  int yearDigits = 0;
  if (separator == '-') {  // ISO 8601: 2024-01-15
    if (groups != 3 || digits[0] != 4 || digits[1] != 2 || digits[2] != 2) return false;
    month = static_cast<int>(value[1]);
    day = value[2];
    yearValue = value[0];
    yearDigits = 4;
  } else if (separator == '/' && digits[0] <= 2 && digits[1] <= 2) {
    if (groups == 3 && digits[2] != 2 && digits[2] != 4) return false;
    if (groups == 2 && !dateCueBefore(text, at, false)) return false;
    const bool monthFirst = value[0] <= 12;
    month = static_cast<int>(monthFirst ? value[0] : value[1]);
    day = monthFirst ? value[1] : value[0];
    if (groups == 3) {
      yearValue = value[2];
      yearDigits = digits[2];
    }
  } else {
    return false;
  }
  if (month < 1 || month > 12 || day < 1 || day > 31) return false;
  monthAndDay(month, day, out);
  if (yearValue >= 0) {
    appendWord(out, ",");
    yearSaid(yearValue, yearDigits, out);
  }
  end = k;
  return true;
}

}  // namespace

std::string normalizeText(std::string_view input) {
  const std::string folded = foldToAscii(input);
  const std::string_view text = folded;
  std::string out;
  std::size_t i = 0;
  const std::size_t n = text.size();
  // A word in capitals in a line that is not all capitals is stressed ("I said NEVER"), as
  // **never** is; a line in capitals throughout is shouted, which is the emotion's to say.
  bool anyLower = false;
  for (const char ch : text) anyLower = anyLower || std::islower(static_cast<unsigned char>(ch));
  auto lowerWordAt = [&](std::size_t from) {
    std::string w;
    while (from < n && !std::isspace(static_cast<unsigned char>(text[from]))) {
      w += static_cast<char>(std::tolower(static_cast<unsigned char>(text[from])));
      ++from;
    }
    return w;
  };
  auto alnumAt = [&](std::size_t k) { return k < n && std::isalnum(static_cast<unsigned char>(text[k])); };
  auto digitAt = [&](std::size_t k) { return k < n && std::isdigit(static_cast<unsigned char>(text[k])); };
  // A thousands comma has three digits after it (1,000,000); any other is the line's: 1,2 or 3.
  auto thousandsAt = [&](std::size_t k) {
    return k < n && text[k] == ',' && digitAt(k + 1) && digitAt(k + 2) && digitAt(k + 3) && !digitAt(k + 4);
  };
  // A comma between digits that is a decimal comma: no thousands mark, and a unit or a percent after
  // the digits (1,50 m, 2,5 km, 0,5 %); "1,2 or 3" is a list.
  auto decimalCommaAt = [&](std::size_t k) {
    if (k >= n || text[k] != ',' || !digitAt(k + 1) || thousandsAt(k)) return false;
    std::size_t unit = k + 1;
    while (digitAt(unit)) ++unit;
    unit = skipBlanks(text, unit);
    if (unit < n && text[unit] == '%') return true;
    return inList(lowerLettersAt(text, unit, false),
                  {"m", "km", "cm", "mm", "kg", "g", "ft", "mph", "lbs", "meters", "metres", "kilometers", "kilometres",
                   "kilograms", "kilos", "grams", "liters", "litres", "percent"});
  };
  std::size_t emphasisClose = std::string_view::npos;  // the star that closes a one-word *emphasis*
  while (i < n) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (std::isspace(c)) {
      ++i;
      continue;
    }
    if (c == static_cast<unsigned char>(kProsodyMark)) {  // a prosody scope: <prosody:800:1000:1000> ... </prosody>
      const std::size_t close = text.find(kProsodyMark, i + 1);
      const std::size_t end = close == std::string_view::npos ? n : close;
      std::string token = end == i + 1 ? "</prosody>" : "<prosody:";
      if (end > i + 1) {
        token.append(text.substr(i + 1, end - i - 1));
        token += '>';
      }
      appendWord(out, token);
      i = end + 1;
      continue;
    }
    if (c == static_cast<unsigned char>(kPauseMark)) {  // a timed break (foldToAscii): the token <750ms>
      const std::size_t close = text.find(kPauseMark, i + 1);
      const std::size_t end = close == std::string_view::npos ? n : close;
      std::string token = "<";
      token.append(text.substr(i + 1, end - i - 1));
      token += "ms>";
      appendWord(out, token);
      i = end + 1;
      continue;
    }
    // "w/" and "w/o": "with" and "without" (they were "w" and "w o").
    if ((c == 'w' || c == 'W') && !alnumAt(i - 1) && i + 1 < n && text[i + 1] == '/') {
      const bool without = i + 2 < n && (text[i + 2] == 'o' || text[i + 2] == 'O') && !alnumAt(i + 3);
      if (without || !alnumAt(i + 2)) {
        appendWord(out, without ? "without" : "with");
        i += without ? 3 : 2;
        continue;
      }
    }
    // An age, "25 y/o": "twenty five years old", "a 25 y/o guard" "year old" (it was "y o").
    if ((c == 'y' || c == 'Y') && !alnumAt(i - 1) && i + 2 < n && text[i + 1] == '/' &&
        (text[i + 2] == 'o' || text[i + 2] == 'O') && !alnumAt(i + 3)) {
      const std::size_t before = skipBlanksBack(text, i);
      if (before > 0 && std::isdigit(static_cast<unsigned char>(text[before - 1]))) {
        std::size_t next = skipBlanks(text, i + 3);
        const bool one =
            text[before - 1] == '1' && (before < 2 || !std::isdigit(static_cast<unsigned char>(text[before - 2])));
        appendWord(out, one || !lowerLettersAt(text, next, false).empty() ? "year" : "years");
        appendWord(out, "old");
        i += 3;
        continue;
      }
    }
    // Abbreviations (at a word start).
    if (std::isalpha(c) && (i == 0 || !std::isalpha(static_cast<unsigned char>(text[i - 1])))) {
      const std::string w = lowerWordAt(i);
      bool expanded = false;
      for (const auto& a : kAbbreviations) {
        const std::size_t len = std::strlen(a.text);
        if (w.compare(0, len, a.text) != 0 || (w.size() > len && std::isalpha(static_cast<unsigned char>(w[len])))) {
          continue;
        }
        const char* said = abbreviationSaid(text, i, len, a);
        if (said != nullptr) {
          appendWord(out, said);
          // A speed, km/h and m/s: "kilometers per hour" (it was "kilometers h").
          const char per = i + len + 1 < n && text[i + len] == '/' && !alnumAt(i + len + 2)
                               ? static_cast<char>(std::tolower(static_cast<unsigned char>(text[i + len + 1])))
                               : '\0';
          std::size_t rate = 0;  // the "/h" taken too
          if ((per == 'h' || per == 's') &&
              inList(said, {"meters", "meter", "kilometers", "kilometer", "feet", "foot", "centimeters"})) {
            appendWord(out, "per");
            appendWord(out, per == 'h' ? "hour" : "second");
            rate = 2;
          }
          // A stop that may also end its sentence ("Baker St. That's it", "1600 Pennsylvania Ave. The
          // house"): the break the stop stands for, which the abbreviation took. (Not a title's.)
          const bool street = said != a.expansion;  // or fort, or a singular unit
          const bool stop = a.text[len - 1] == '.';
          // A unit's stop before a number or the line's end ends its sentence too: "5 secs. 1 min."
          const std::size_t after = skipBlanks(text, i + len);
          const bool numberOrEnd = after >= n || std::isdigit(static_cast<unsigned char>(text[after]));
          const bool ends = sentenceStartsAt(text, i + len) || (a.afterNumber && numberOrEnd);
          if ((street || a.mayEndSentence) && stop && ends) appendWord(out, ".");
          i += len + rate;
          expanded = true;
          break;
        }
      }
      if (expanded) continue;
      std::size_t calendarLength = 0;
      if (const char* name = calendarAbbreviation(text, i, calendarLength)) {
        appendWord(out, name);
        i += calendarLength;
        if (text[i - 1] == '.' && sentenceStartsAt(text, i)) appendWord(out, ".");  // "on Mon. The"
        continue;
      }
    }
    // A multiplier, x2 or x10, or an x between two numbers (2 x 3): "times".
    const auto digitAfterBlanks = [&](std::size_t k) {
      k = skipBlanks(text, k);
      return k < n && std::isdigit(static_cast<unsigned char>(text[k]));
    };
    const bool timesBetween =
        i > 0 && isBlank(text[i - 1]) && i + 1 < n && isBlank(text[i + 1]) && skipBlanksBack(text, i) > 0 &&
        std::isdigit(static_cast<unsigned char>(text[skipBlanksBack(text, i) - 1])) && digitAfterBlanks(i + 1);
    if ((c == 'x' || c == 'X') && (i == 0 || !std::isalnum(static_cast<unsigned char>(text[i - 1]))) && i + 1 < n &&
        (std::isdigit(static_cast<unsigned char>(text[i + 1])) || timesBetween)) {
      appendWord(out, "times");
      ++i;
      continue;
    }
    // Two capitals joined to a number, a weapon's or a vehicle's model (AK-47, AR-15, UH-60): its
    // letters ("AK" was read "ack"). Letters with no vowel (MP5) are spelt anyway.
    if (std::isupper(c) && (i == 0 || !std::isalnum(static_cast<unsigned char>(text[i - 1]))) && i + 2 < n &&
        std::isupper(static_cast<unsigned char>(text[i + 1])) &&
        (std::isdigit(static_cast<unsigned char>(text[i + 2])) ||
         (text[i + 2] == '-' && i + 3 < n && std::isdigit(static_cast<unsigned char>(text[i + 3]))))) {
      std::string letters;
      letters += static_cast<char>(std::tolower(c));
      letters += '.';
      letters += static_cast<char>(std::tolower(static_cast<unsigned char>(text[i + 1])));
      appendWord(out, letters);
      i += text[i + 2] == '-' ? 3 : 2;
      continue;
    }
    // Initialisms written with stops, U.S.A. or U.N.: their letters, with no sentence break at
    // each stop (the letters were read as words, "a" as the article).
    if (std::isalpha(c) && (i == 0 || !std::isalnum(static_cast<unsigned char>(text[i - 1])))) {
      std::size_t j = i;
      std::string letters;
      while (
          j + 1 < n && std::isalpha(static_cast<unsigned char>(text[j])) && text[j + 1] == '.' &&
          (j + 2 >= n || !std::isalpha(static_cast<unsigned char>(text[j + 2])) || (j + 3 < n && text[j + 3] == '.'))) {
        if (!letters.empty()) letters += '.';
        letters += static_cast<char>(std::tolower(static_cast<unsigned char>(text[j])));
        j += 2;
      }
      if (letters.size() >= 3) {  // two letters or more ("a." alone ends a sentence)
        appendWord(out, letters);
        if (sentenceStartsAt(text, j)) appendWord(out, ".");  // "at 7 a.m. The gate": its stop ends one too
        i = j;
        continue;
      }
    }
    // Telephone numbers, 555-1234, 555-123-4567, 1-800-555-0199 or, with its area code in brackets,
    // (555) 123-4567: digit by digit, a pause between the groups (they were read as a range: "five
    // hundred fifty five to ...").
    const std::size_t areaLocal = skipBlanks(text, i + 5);
    const bool areaCode = c == '(' && digitAt(i + 1) && digitAt(i + 2) && digitAt(i + 3) && i + 4 < n &&
                          text[i + 4] == ')' && digitAt(areaLocal);
    if (areaCode || (std::isdigit(c) && (i == 0 || !std::isalnum(static_cast<unsigned char>(text[i - 1]))))) {
      std::size_t dateEnd = 0;
      if (!areaCode && numericDate(text, i, dateEnd, out)) {  // 3/4/1999, 2024-01-15, on 12/25
        i = dateEnd;
        continue;
      }
      std::vector<std::string_view> groups;
      if (areaCode) groups.push_back(text.substr(i + 1, 3));
      std::size_t j = areaCode ? areaLocal : i;
      char spacer = 0;  // a space or a stop between the groups instead of a hyphen (one kind throughout)
      while (true) {
        std::size_t k = j;
        while (k < n && std::isdigit(static_cast<unsigned char>(text[k]))) ++k;
        groups.push_back(text.substr(j, k - j));
        const char separator = k + 1 < n ? text[k] : '\0';
        const bool joins =
            separator == '-' || ((separator == ' ' || separator == '.') && (spacer == 0 || spacer == separator));
        if (joins && std::isdigit(static_cast<unsigned char>(text[k + 1])) && groups.size() < 6) {
          if (separator != '-') spacer = separator;
          j = k + 1;
          continue;
        }
        j = k;
        break;
      }
      // Spaced or dotted, 555 123 4567 and 555.123.4567, only in that shape and after a word that
      // asks for a number to call (call, dial, phone, ...), a country code (+1) or an area code in
      // brackets: "pay 250 300 4000 gold" is three amounts, "5 10 15 20" a count.
      auto callCue = [&]() {
        const std::size_t before = skipBlanksBack(text, i), plus = digitsBegin(text, before);
        if (plus < before && plus > 0 && text[plus - 1] == '+') return true;  // +1 555 123 4567, +44 ...
        // "call 555 ...", "my number: 555 ...", "call me on 555 ...": a cue up to three words back,
        // across words that only lead to the number.
        std::size_t at = i;
        for (int words = 0; words < 3; ++words) {
          std::size_t end = skipBlanksBack(text, at), begin = 0;
          if (end > 0 && text[end - 1] == ':' && words == 0) end = skipBlanksBack(text, end - 1);
          const std::string word = lowerLettersEndingAt(text, end, begin);
          if (word.empty()) return false;
          if (inList(word, {"call", "dial", "phone", "telephone", "tel", "number", "ring", "text", "fax", "mobile",
                            "cell", "hotline", "line", "reach"})) {
            return true;
          }
          if (!inList(word, {"me", "us", "him", "her", "them", "at", "on", "my", "our", "his", "their", "the", "is"})) {
            return false;
          }
          at = begin;
        }
        return false;
      };
      // (Two groups, 555 0199, only after a cue word: "call me at 555 0199".)
      const bool local = groups.size() == 2 && groups[0].size() == 3 && groups[1].size() == 4;
      const bool spaced =
          spacer == 0 || (((groups.size() == 3 && groups[0].size() == 3 && groups[1].size() == 3) || local) &&
                          !(j + 1 < n && text[j] == '.' && digitAt(j + 1)) && (areaCode || callCue()));
      if (spaced && isTelephoneNumber(groups) && (!areaCode || groups.size() >= 3) &&
          (j >= n || !std::isalnum(static_cast<unsigned char>(text[j])))) {
        for (std::size_t g = 0; g < groups.size(); ++g) {
          if (g > 0) appendWord(out, ",");
          sayDigits(groups[g], out);
        }
        i = j;
        continue;
      }
    }
    // Currency: $5, $5.20, \xC2\xA33, \xE2\x82\xAC10, and amounts with a scale: $5m, $1.5bn, \xE2\x82\xAC10k
    // ("five million dollars", not "five dollars m").
    static const struct Currency {
      const char *sign, *one, *many, *centOne, *centMany;
    } kCurrencies[] = {{"$", "dollar", "dollars", "cent", "cents"},
                       {"\xC2\xA3", "pound", "pounds", "pence", "pence"},
                       {"\xE2\x82\xAC", "euro", "euros", "cent", "cents"}};
    auto currencyAt = [&](std::size_t k) -> const Currency* {
      for (const Currency& candidate : kCurrencies) {
        if (text.compare(k, std::strlen(candidate.sign), candidate.sign) == 0) return &candidate;
      }
      return nullptr;
    };
    // An amount: "five dollars", "one euro and one cent".
    auto sayAmount = [&](long long whole, long long cents, const Currency& currency) {
      cardinal(whole, out);
      appendWord(out, whole == 1 ? currency.one : currency.many);
      if (cents > 0) {
        appendWord(out, "and");
        cardinal(cents, out);
        appendWord(out, cents == 1 ? currency.centOne : currency.centMany);
      }
    };
    // Cents after a decimal comma or stop: two digits and no third (\xE2\x82\xAC3,50 or $3.50; 1,500 is thousands).
    auto centsAt = [&](std::size_t k) {
      return k + 2 < n && (text[k] == ',' || text[k] == '.') && digitAt(k + 1) && digitAt(k + 2) && !digitAt(k + 3)
                 ? (text[k + 1] - '0') * 10LL + (text[k + 2] - '0')
                 : -1LL;
    };
    const Currency* sign = currencyAt(i);
    const std::size_t signLength = sign != nullptr ? std::strlen(sign->sign) : 0;
    if (sign != nullptr && digitAt(i + signLength)) {
      const Currency& currency = *sign;
      std::size_t j = i + signLength;
      long long whole = 0;
      int digits = 0;
      while (digitAt(j) || thousandsAt(j)) {
        if (text[j] != ',' && ++digits <= kLongestNumber) whole = whole * 10 + (text[j] - '0');  // ($5, ok: the line's)
        ++j;
      }
      if (digits > kLongestNumber) {  // more than any count: its digits, then the currency
        sayDigits(text.substr(i + signLength, j - i - signLength), out);
        appendWord(out, currency.many);
        i = j;
        continue;
      }
      if (digits > 0) {
        std::size_t decimalsEnd = j;
        if (j < n && text[j] == '.' && digitAt(j + 1)) {
          decimalsEnd = j + 1;
          while (digitAt(decimalsEnd)) ++decimalsEnd;
        }
        const char* scale = nullptr;
        std::size_t scaleEnd = decimalsEnd;
        static const struct {
          const char *suffix, *word;
        } kScales[] = {{"bn", "billion"}, {"m", "million"}, {"k", "thousand"},
                       {"B", "billion"},  {"M", "million"}, {"K", "thousand"}};  // $1.5M, $2B, $10K too
        for (const auto& candidate : kScales) {
          const std::size_t length = std::strlen(candidate.suffix);
          if (text.compare(decimalsEnd, length, candidate.suffix) == 0 && !alnumAt(decimalsEnd + length)) {
            scale = candidate.word;
            scaleEnd = decimalsEnd + length;
            break;
          }
        }
        // "one point five million dollars": the amount, its scale, then the currency.
        auto sayScaled = [&](std::string_view scaleSaid) {
          cardinal(whole, out);
          if (decimalsEnd > j) {
            appendWord(out, "point");
            for (std::size_t k = j + 1; k < decimalsEnd; ++k) appendWord(out, kOnes[text[k] - '0']);
          }
          appendWord(out, scaleSaid);
          appendWord(out, currency.many);
        };
        if (scale != nullptr) {
          sayScaled(scale);
          i = scaleEnd;
          continue;
        }
        // A scale written out, "$5 million", "$1.5 billion": the currency after it (it was "five
        // dollars million").
        std::size_t wordEnd = skipBlanks(text, decimalsEnd);
        const std::string scaleWord = lowerLettersAt(text, wordEnd, false);
        if (wordEnd > decimalsEnd && inList(scaleWord, {"thousand", "million", "billion", "trillion"})) {
          sayScaled(scaleWord);
          i = wordEnd;
          continue;
        }
        const long long cents = centsAt(j);
        sayAmount(whole, cents, currency);
        i = cents >= 0 ? j + 3 : j;
        continue;
      }
    }
    // A sign after its amount, 5\xE2\x82\xAC or 20 $: the currency after the number (it was dropped).
    if (sign != nullptr) {
      const std::size_t amountEnd = skipBlanksBack(text, i);
      std::size_t amountBegin = amountEnd;
      while (amountBegin > 0 && std::isdigit(static_cast<unsigned char>(text[amountBegin - 1]))) --amountBegin;
      if (amountBegin < amountEnd) {
        const bool one = amountEnd - amountBegin == 1 && text[amountBegin] == '1' &&
                         (amountBegin == 0 || (text[amountBegin - 1] != '.' && text[amountBegin - 1] != ','));
        appendWord(out, one ? sign->one : sign->many);
        i += signLength;
        continue;
      }
    }
    // A number from its point: ".5" is "point five" (it was ". five"). A calibre, .45 ACP, .22 rifle
    // or .308 Winchester, is said as its number: "forty five", "three oh eight".
    if (c == '.' && digitAt(i + 1) && (i == 0 || isBlank(text[i - 1]) || text[i - 1] == '(')) {
      std::size_t j = i + 1;
      long long value = 0;  // (only a calibre's three digits or fewer are a number)
      for (; digitAt(j); ++j) {
        if (j - i <= 3) value = value * 10 + (text[j] - '0');
      }
      std::size_t k = skipBlanks(text, j);
      const std::string next = lowerLettersAt(text, k, false);
      // "load the .45!" is the gun too (two digits: "the .5 was low" stays a decimal).
      const bool gun = j - i == 3 && (next.empty() || next == "and" || next == "or") &&
                       inList(lowerWordBefore(text, i), {"the", "my", "your", "his", "her", "our", "their", "this"});
      const bool calibre = j - i <= 4 && !alnumAt(j) &&
                           (gun || inList(next, {"cal", "caliber", "calibre", "acp", "magnum", "special", "auto",
                                                 "winchester", "remington", "rifle", "pistol", "revolver", "round",
                                                 "rounds", "bullet", "bullets", "shell", "shells"}));
      if (calibre) {
        houseNumber(value, out);
      } else {
        appendWord(out, "point");
        for (std::size_t d = i + 1; d < j; ++d) appendWord(out, kOnes[text[d] - '0']);
      }
      i = j;
      continue;
    }
    if (std::isdigit(c)) {
      // A numbered list's item at a line's start, "1. A sword" or "2) Return": its number and a
      // pause (it ran into the item, "one a sword").
      std::size_t lineStart = i;
      while (lineStart > 0 && isBlank(text[lineStart - 1])) --lineStart;
      if (lineStart == 0 || text[lineStart - 1] == '\n') {
        std::size_t end = i;
        while (digitAt(end) && end - i < 3) ++end;
        if (end - i <= 2 && end + 1 < n && (text[end] == '.' || text[end] == ')') && isBlank(text[end + 1]) &&
            text.find('\n') != std::string_view::npos) {
          long long item = 0;
          for (std::size_t k = i; k < end; ++k) item = item * 10 + (text[k] - '0');
          cardinal(item, out);
          appendWord(out, ",");
          i = end + 1;
          continue;
        }
      }
      std::size_t j = i;
      long long value = 0;
      int digitCount = 0;
      bool commas = false;
      std::size_t longDigits = 0;
      while (digitAt(j) || thousandsAt(j)) {
        if (text[j] == ',') commas = true;
        else if (digitCount < kLongestNumber) {
          value = value * 10 + (text[j] - '0');
          ++digitCount;
        } else {
          ++longDigits;
        }
        ++j;
      }
      if (longDigits > 0) {  // a serial number, or a keyboard held down: digit by digit (it lost the rest)
        sayDigits(text.substr(i, j - i), out);
        i = j;
        continue;
      }
      // An amount before its sign, with cents: 3,50 \xE2\x82\xAC or 3.50\xE2\x82\xAC is "three euros and fifty cents"
      // (it was "three hundred fifty euros", or "three point five zero euros").
      if (!commas && centsAt(j) >= 0) {
        const std::size_t signAt = skipBlanks(text, j + 3);
        if (const Currency* trailing = currencyAt(signAt)) {
          sayAmount(value, centsAt(j), *trailing);
          i = signAt + std::strlen(trailing->sign);
          continue;
        }
      }
      // A gauge in thousands, XP 12,345/20,000: "out of" (the slash was dropped, the numbers run
      // together).
      if (j + 1 < n && text[j] == '/' && digitAt(j + 1)) {
        std::size_t k = j + 1;
        long long whole = 0;
        bool thousands = commas;
        while ((digitAt(k) || thousandsAt(k)) && whole < 1000000000000LL) {
          if (text[k] == ',') thousands = true;
          else whole = whole * 10 + (text[k] - '0');
          ++k;
        }
        if (thousands && longDigits == 0 && value <= whole && !alnumAt(k) && (k >= n || text[k] != '/')) {
          cardinal(value, out);
          appendWord(out, "out of");
          cardinal(whole, out);
          i = k;
          continue;
        }
      }
      // A fraction: 1/2, 3/4, 2/3 ("one two" was said); 12/25 and 24/7 are read as two numbers.
      if (!commas && j + 1 < n && text[j] == '/' && digitAt(j + 1)) {
        std::size_t k = j + 1;
        long long denominator = 0;
        while (digitAt(k) && denominator < 1000) denominator = denominator * 10 + (text[k++] - '0');
        const char* name = value >= 1 && value < denominator && !alnumAt(k) && (k >= n || text[k] != '/')
                               ? fractionName(denominator, value > 1)
                               : nullptr;
        // A count of a series, Wave 3/10 or Round 2/3: "wave three of ten" (it was "three tenths").
        const bool series =
            inList(lowerWordBefore(text, i), {"wave", "round", "level", "stage", "step", "part", "chapter", "day",
                                              "floor", "turn", "lap", "phase", "question", "trial"});
        if (series && value >= 1 && value <= denominator && !alnumAt(k)) {
          cardinal(value, out);
          appendWord(out, "of");
          cardinal(denominator, out);
          i = k;
          continue;
        }
        // "out of": a rating out of five or ten where the phrase ends, "It's 10/10.", "rated 4/5!"
        // (it was "ten ten", or "four fifths"), and a quest's count before what is counted, "Kill
        // 5/10 wolves" (it was "five tenths wolves"); "3/10 of them", "3/4 cup", "2/3 majority"
        // and "1/2 of them" stay fractions.
        std::size_t countedAt = skipBlanks(text, k);
        const bool phraseEnds = !alnumAt(countedAt);
        const std::string counted = lowerLettersAt(text, countedAt, false);
        const bool measure = inList(counted, {"inches", "miles", "cups", "pounds", "ounces", "teaspoons", "tablespoons",
                                              "yards", "meters", "hours", "minutes", "seconds"});
        const bool rating = (denominator == 5 || denominator == 10) && phraseEnds && (k >= n || text[k] != '/');
        const bool count = denominator >= 5 && countedAt > k && counted.size() > 2 && counted.back() == 's' && !measure;
        if (value <= denominator && !alnumAt(k) && (rating || count)) {
          cardinal(value, out);
          appendWord(out, "out");
          appendWord(out, "of");
          cardinal(denominator, out);
          i = k;
          continue;
        }
        if (name != nullptr) {
          // A mixed number, 2 1/2 hours: "two and a half hours" (it was "two one half hours"), as 2\xC2\xBD is.
          const bool mixed = i > 1 && isBlank(text[i - 1]) && skipBlanksBack(text, i) > 0 &&
                             std::isdigit(static_cast<unsigned char>(text[skipBlanksBack(text, i) - 1]));
          if (mixed) appendWord(out, "and");
          if (mixed && value == 1) appendWord(out, "a");
          else cardinal(value, out);
          appendWord(out, name);
          i = k;
          continue;
        }
        // A score or a gauge: HP 100/100, 75/120 ("seventy five out of one hundred twenty"). A
        // denominator above 31 is no day or month, so this is no date.
        // Nought is no month either (0/10 pelts). 50/50 is a chance, "fifty fifty".
        const bool chance = value == 50 && denominator == 50;
        if ((denominator > 31 || value == 0) && value <= denominator && !alnumAt(k) && (k >= n || text[k] != '/')) {
          cardinal(value, out);
          if (!chance) {
            appendWord(out, "out");
            appendWord(out, "of");
          }
          cardinal(denominator, out);
          i = k;
          continue;
        }
      }
      // Height in feet and inches: 6'2" is "six foot two".
      if (!commas && j + 1 < n && text[j] == '\'' && digitAt(j + 1)) {
        std::size_t k = j + 1;
        long long inches = 0;
        while (digitAt(k) && inches < 100) inches = inches * 10 + (text[k++] - '0');
        if (k < n && text[k] == '"') ++k;
        if (!alnumAt(k)) {
          cardinal(value, out);
          appendWord(out, "foot");
          cardinal(inches, out);
          i = k;
          continue;
        }
      }
      // Odds and ratios, 1:1 and 3:1: "one to one" (a time has two digits after its colon).
      if (!commas && j + 1 < n && text[j] == ':' && digitAt(j + 1) && !digitAt(j + 2) && !alnumAt(j + 2)) {
        cardinal(value, out);
        appendWord(out, "to");
        appendWord(out, kOnes[text[j + 1] - '0']);
        i = j + 2;
        continue;
      }
      // A time with seconds, 1:05:30, or a lap time, 1:23.456: a duration, "one hour five minutes and
      // thirty seconds", "one minute and twenty three point four five six seconds" (the parts
      // that are nought left out; it was "one oh five thirty", and the fraction's point was
      // lost). A clock after "at" keeps the clock: "at ten thirty and fifteen seconds".
      if (!commas && j < n && text[j] == ':' && digitAt(j + 1) && digitAt(j + 2) && !digitAt(j + 3)) {
        const bool withSeconds =
            text.size() > j + 5 && text[j + 3] == ':' && digitAt(j + 4) && digitAt(j + 5) && !digitAt(j + 6);
        const std::size_t secondsEnd = withSeconds ? j + 6 : j + 3;
        const bool fraction = text.size() > secondsEnd + 1 && text[secondsEnd] == '.' && digitAt(secondsEnd + 1);
        const long long second = (text[j + 1] - '0') * 10 + (text[j + 2] - '0');
        const long long third = withSeconds ? (text[j + 4] - '0') * 10 + (text[j + 5] - '0') : 0;
        if ((withSeconds || fraction) && second < 60 && third < 60) {
          // Hours, minutes, seconds.
          const long long parts[3] = {withSeconds ? value : 0, withSeconds ? second : value,
                                      withSeconds ? third : second};
          const bool clock = withSeconds && !fraction && lowerWordBefore(text, i) == "at";
          bool say[3] = {!clock && parts[0] != 0, !clock && parts[1] != 0, parts[2] != 0 || fraction};
          if (!clock && !say[0] && !say[1]) say[2] = true;  // 0:00:00 is "zero seconds"
          int said = 0, lastSaid = -1;
          for (int part = 0; part < 3; ++part) lastSaid = say[part] ? part : lastSaid;
          if (clock) {
            cardinal(parts[0], out);
            afterHour(parts[1], "o'clock", out);
            ++said;
          }
          static const char* const kUnitNames[3][2] = {{"hour", "hours"}, {"minute", "minutes"}, {"second", "seconds"}};
          std::size_t end = secondsEnd;
          for (int part = 0; part < 3; ++part) {
            if (!say[part]) continue;
            if (said > 0 && part == lastSaid) appendWord(out, "and");
            cardinal(parts[part], out);
            bool plural = parts[part] != 1;
            if (part == 2 && fraction) {
              appendWord(out, "point");
              for (end = secondsEnd + 1; digitAt(end); ++end) appendWord(out, kOnes[text[end] - '0']);
              plural = true;
            }
            appendWord(out, kUnitNames[part][plural ? 1 : 0]);
            ++said;
          }
          i = end;
          continue;
        }
      }
      // Time: 3:45, 10:05, 7:00; on the hour before am or pm, 12:00 AM, the hour alone ("twelve
      // a.m.": it was "twelve o'clock a.m.").
      if (j < n && text[j] == ':' && digitAt(j + 1) && digitAt(j + 2)) {
        const int minutes = (text[j + 1] - '0') * 10 + (text[j + 2] - '0');
        std::size_t k = skipBlanks(text, j + 3);
        const std::string meridiem = lowerLettersAt(text, k, false);
        const bool meridiemAfter = meridiem == "am" || meridiem == "pm" ||
                                   ((meridiem == "a" || meridiem == "p") && k < n && text[k] == '.');  // a.m.
        cardinal(value, out);
        if (minutes != 0 || !meridiemAfter) afterHour(minutes, "o'clock", out);
        i = j + 3;
        continue;
      }
      // A time with a stop before am or pm, 3.30pm: "three thirty p.m" (it was "three point three zero").
      if (j + 2 < n && text[j] == '.' && value >= 1 && value <= 12 && digitAt(j + 1) && digitAt(j + 2) &&
          !digitAt(j + 3) && text[j + 1] <= '5') {
        std::size_t k = skipBlanks(text, j + 3);
        const std::string meridiem = lowerLettersAt(text, k, false);
        if (meridiem == "am" || meridiem == "pm" || meridiem == "a" || meridiem == "p") {
          const int minutes = (text[j + 1] - '0') * 10 + (text[j + 2] - '0');
          cardinal(value, out);
          afterHour(minutes, "o'clock", out);
          i = j + 3;
          continue;
        }
      }
      // Decimal: 3.14 -> three point one four; a version, 2.0.1, point by point; 1.5k -> one point
      // five thousand. A decimal comma before a unit, 1,50 m or 2,5 %, too (it was "one , fifty").
      const bool decimalComma = !commas && decimalCommaAt(j);
      if (decimalComma || (j + 1 < n && text[j] == '.' && digitAt(j + 1))) {
        cardinal(value, out);
        while (j + 1 < n && (text[j] == '.' || (decimalComma && text[j] == ',')) && digitAt(j + 1)) {
          appendWord(out, "point");
          ++j;
          while (digitAt(j)) appendWord(out, kOnes[text[j++] - '0']);
        }
        if (j < n && (text[j] == 'k' || text[j] == 'x' || text[j] == 'M' || text[j] == 'B') && !alnumAt(j + 1)) {
          // 1.5k gold, 2.5x damage, 1.2M XP, 2.5B years (a small m is meters: 1.5m tall)
          const char scale = text[j];
          appendWord(out, scale == 'k' ? "thousand" : scale == 'x' ? "times" : scale == 'M' ? "million" : "billion");
          ++j;
        } else if (j < n && text[j] == 's' && !alnumAt(j + 1)) {
          appendWord(out, "seconds");  // 9.58s (a decimal has no plural: "two 6s" are sixes)
          ++j;
        } else if (j + 1 < n && text[j] == '/' && digitAt(j + 1)) {
          // A rating, 4.5/5: "four point five out of five" (the slash was dropped).
          std::size_t k = j + 1;
          long long denominator = 0;
          while (digitAt(k) && denominator < 1000000) denominator = denominator * 10 + (text[k++] - '0');
          if (!alnumAt(k) && !(k + 1 < n && (text[k] == '.' || text[k] == '/') && digitAt(k + 1))) {
            appendWord(out, "out");
            appendWord(out, "of");
            cardinal(denominator, out);
            j = k;
          }
        }
        i = j;
        continue;
      }
      // Ordinal: 1st 2nd 3rd 21st 4th.
      std::string suffix;
      while (j < n && std::isalpha(static_cast<unsigned char>(text[j])) && suffix.size() < 3) {
        suffix += static_cast<char>(std::tolower(static_cast<unsigned char>(text[j])));
        ++j;
      }
      const bool suffixEnds = !alnumAt(j);
      // The plural of a number: a decade (the 1990s, the 1990's, the 80s) or a digit (two 6s).
      // 100s, 1,000s: "hundreds"; 10,000s: "tens of thousands".
      const bool round = value == 100 || value == 1000 || value == 10000 || value == 100000 || value == 1000000;
      const bool plural =
          (!commas || (round && suffix == "s")) &&
          ((suffix == "s" && suffixEnds) || (suffix.empty() && j + 1 < n && text[j] == '\'' && text[j + 1] == 's' &&
                                             !alnumAt(j + 2) && value % 10 == 0 && value >= 10));
      // A day before its month: 25 December, the 5th of May -> "the twenty fifth of december".
      std::size_t monthEnd = 0;
      const bool ordinalSuffix = suffix == "st" || suffix == "nd" || suffix == "rd" || suffix == "th";
      const bool dayLike = !commas && digitCount <= 2 && value >= 1 && value <= 31;
      const int monthNext = dayLike && (ordinalSuffix || suffix.empty()) ? monthAfter(text, j, monthEnd) : 0;
      if (ordinalSuffix || monthNext != 0 || (dayLike && suffix.empty() && monthBefore(text, i) != 0)) {
        const bool the = endsWithWord(out, "the");
        if (monthNext != 0 && !the) appendWord(out, "the");
        std::string words;
        cardinal(value, words);
        ordinalize(words);
        appendWord(out, words);
        if (monthNext != 0) {
          appendWord(out, "of");
          appendWord(out, kMonths[monthNext - 1]);
          j = monthEnd;
          if (text[j - 1] == '.' && sentenceStartsAt(text, j)) appendWord(out, ".");  // "5 Jan. The"
        }
      } else if (plural && suffix == "s" && !commas && value < 1000 &&
                 inList(lowerWordBefore(text, i), {"in", "for", "within", "every", "after", "wait", "waited", "takes",
                                                   "took", "lasts", "lasted", "cooldown", "respawn", "respawns"})) {
        cardinal(value, out);  // "respawn in 30s": seconds (it was "thirties"; "in the 30s" stays a decade)
        appendWord(out, value == 1 ? "second" : "seconds");
      } else if (plural) {
        // (The 2010s are the "twenty tens", as the year is said.)
        if (round && suffix == "s") {
          if (value == 10000 || value == 100000) {
            appendWord(out, value == 10000 ? "tens" : "hundreds");
            appendWord(out, "of");
          }
          appendWord(out, value == 100 ? "hundreds" : (value == 1000000 ? "millions" : "thousands"));
        } else {
          if (digitCount == 4 && value >= 1100 && value <= 2090 && value != 2000) year(value, out);
          else cardinal(value, out);
          pluralizeLastWord(out);
        }
        j += suffix.empty() ? 2 : 0;
      } else if (suffix == "v" && !commas && digitAt(j)) {
        cardinal(value, out);  // 1v1, 2v2: "one versus one"
        appendWord(out, "versus");
      } else if (suffix == "x" && !commas && (suffixEnds || digitAt(j))) {
        cardinal(value, out);  // 2x damage: "two times"; 4x4, 1920x1080: "by"
        // A count before what is counted, 2x potions or 1x elixir: the number alone (it was "two
        // times potions"; 2x damage, a mass noun, stays "two times damage").
        std::size_t countedAt = skipBlanks(text, j);
        const std::string counted =
            suffixEnds && countedAt > j ? lowerLettersAt(text, countedAt, false) : std::string();
        const bool count = counted.size() > 2 && (counted.back() == 's' || value == 1);
        if (!count) appendWord(out, suffixEnds ? "times" : "by");
      } else if (suffix == "k" && suffixEnds && text[j - 1] == 'k') {  // 10k gold (4K stays a letter)
        cardinal(value, out);
        appendWord(out, "thousand");
      } else if (suffix == "h" && suffixEnds && !commas) {
        cardinal(value, out);  // 2h 30m: "two hours thirty minutes" (it was "two h thirty meters")
        appendWord(out, value == 1 ? "hour" : "hours");
      } else if (suffix == "m" && suffixEnds && text[j - 1] == 'm' && !commas &&
                 (endsWithWord(out, "hours") || endsWithWord(out, "hour"))) {
        cardinal(value, out);
        appendWord(out, value == 1 ? "minute" : "minutes");
      } else if (const std::size_t after = skipBlanks(text, j);
                 suffix == "m" && suffixEnds && text[j - 1] == 'M' && !commas && !houseNounBefore(text, i) &&
                 after > j && after < n && std::isalpha(static_cast<unsigned char>(text[after]))) {
        cardinal(value, out);  // 5M players, 10M gold: "million" (it was "meters"; Room 12M stays)
        appendWord(out, "million");
      } else {
        j -= suffix.size();
        if (!commas && militaryTime(text, i, j, out)) {
          // (0600 hours)
        } else if (!commas && isHouseNumber(text, i, j)) {
          houseNumber(value, out);
          if (j < n && std::isupper(static_cast<unsigned char>(text[j])) && !alnumAt(j + 1)) {
            // Its letter, 221B or Room 12M: the letter's name (an M was "meters", an A the article).
            appendWord(out, keySaid(text.substr(j, 1)));
            ++j;
          }
        } else if (!commas && digitCount == 4 && value > 1000 &&
                   ((value >= 1100 && value <= 1999) || (value <= 2999 && yearContext(text, i)))) {
          // 1999 anywhere; 2050, 2525 and 1066 after a month or "in", "since"...
          yearSaid(value, digitCount, out);
        } else if (!commas && digitCount == 3 && inList(wordBefore(text, i), {"call", "dial", "Call", "Dial"})) {
          sayDigits(text.substr(i, j - i), out);  // call 911: "nine one one"
        } else cardinal(value, out);
        // A range, 2-3 or 10\xE2\x80\x9320 (an en dash is folded to '-'): "two to three". Otherwise
        // (3-2) the numbers are read one after the other, with no pause between them.
        // Three numbers or more so joined are a code or a combination, 4-8-15-16: one after the
        // other (it was "four to eight to fifteen").
        if (j < n && text[j] == '-' && digitAt(j + 1)) {
          long long next = 0;
          std::size_t k = j + 1;
          for (; digitAt(k) && next < 1000000000LL; ++k) next = next * 10 + (text[k] - '0');
          const bool chain =
              (k + 1 < n && text[k] == '-' && digitAt(k + 1)) || (i >= 2 && text[i - 1] == '-' && digitAt(i - 2));
          if (next > value && !chain) appendWord(out, "to");
          ++j;
        }
      }
      if (j < n && text[j] == '%') {
        appendWord(out, "percent");
        ++j;
      } else if (text.compare(j, 2, "\xC2\xA2") == 0) {  // 99\xC2\xA2: "ninety nine cents" (the sign was dropped)
        appendWord(out, value == 1 ? "cent" : "cents");
        j += 2;
      }
      i = j;
      continue;
    }
    if (c == '\'' && i + 1 < n && std::isdigit(static_cast<unsigned char>(text[i + 1]))) {  // the '80s
      ++i;
      continue;
    }
    // A stutter, "b-but", "Wh-who's", "s-s-stay": one or two letters and a hyphen, as often as
    // written, that begin the word after them. Each is marked "~letters" for buildUtterance, which
    // says the onset of that word (they were letters' names: "bee but", "double-u aitch who's").
    if (std::isalpha(c) && !alnumAt(i - 1)) {
      std::size_t fragmentEnd = i;
      const std::string fragment = lowerLettersAt(text, fragmentEnd, false);
      const std::size_t letters = fragment.size();
      // (Not a prefix of two letters that English writes with a hyphen: co-conspirator, re-read.)
      if (letters <= 2 && fragmentEnd < n && text[fragmentEnd] == '-' &&
          !inList(fragment, {"re", "co", "de", "un", "ex", "bi", "mi", "up"})) {
        auto beginsWith = [&](std::size_t at) {  // the fragment again at `at`, in any case
          for (std::size_t k = 0; k < letters; ++k) {
            if (at + k >= n || std::tolower(static_cast<unsigned char>(text[at + k])) != fragment[k]) return false;
          }
          return true;
        };
        std::size_t word = fragmentEnd + 1;
        int repeats = 1;
        while (beginsWith(word) && word + letters < n && text[word + letters] == '-') {
          word += letters + 1;
          ++repeats;
        }
        std::size_t wordEnd = word;
        while (wordEnd < n && (std::isalpha(static_cast<unsigned char>(text[wordEnd])) || text[wordEnd] == '\''))
          ++wordEnd;
        if (beginsWith(word) && wordEnd > word + letters) {
          for (int r = 0; r < repeats; ++r) appendWord(out, "~" + fragment);
          i = word;
          continue;
        }
      }
    }
    if (std::isalpha(c) || c == '\'') {
      const std::size_t start = i;
      std::string word;
      while (i < n && (std::isalpha(static_cast<unsigned char>(text[i])) || text[i] == '\'')) {
        word += static_cast<char>(std::tolower(static_cast<unsigned char>(text[i])));
        ++i;
      }
      // A numeral after a name: "Edward III" -> "edward the third", "World War II" -> "world war
      // two". Only after a capitalised, not all-capital word (so shouting is left alone), and
      // never a lone I (the pronoun) or X.
      const std::string_view token = text.substr(start, i - start);
      if ((token == "A" || token == "a") && letterA(text, start, i, anyLower)) {
        appendWord(out, "a.");  // the letter's name (buildUtterance spells a token with a stop)
        continue;
      }
      // A time's am or pm (7 am, 5pm, 10 PM): its letters (it was the verb "am").
      const std::size_t beforeWord = skipBlanksBack(text, start);
      if ((word == "am" || word == "pm") && beforeWord > 0 &&
          std::isdigit(static_cast<unsigned char>(text[beforeWord - 1]))) {
        appendWord(out, word == "am" ? "a.m" : "p.m");
        continue;
      }
      // A formula's variables, E = mc^2: their letters ("mc" was read as a word, "mick").
      if (token.size() <= 3 && i + 1 < n && text[i] == '^' && (digitAt(i + 1) || text[i + 1] == '-')) {
        std::string letters;
        for (const char ch : word) letters += letters.empty() ? std::string(1, ch) : std::string(".") + ch;
        appendWord(out, letters.size() == 1 ? letters + "." : letters);
        continue;
      }
      // Two letters about a slash, N/A or I/O: their names (it was "n a.", or the article); a
      // speed's m/s with no number before it, "in m/s", its words.
      if (token.size() == 1 && i + 1 < n && text[i] == '/' && std::isalpha(static_cast<unsigned char>(text[i + 1])) &&
          !alnumAt(i + 2) && !alnumAt(start - 1)) {
        const bool speed = token == "m" && text[i + 1] == 's';
        appendWord(out, speed ? std::string("meters per second")
                              : word + "." + static_cast<char>(std::tolower(static_cast<unsigned char>(text[i + 1]))));
        i += 2;
        continue;
      }
      const int numeral = token.size() >= 2 || token == "V" ? romanNumeral(token) : 0;
      if (numeral > 0) {
        std::string_view name = wordBefore(text, start);
        // After an abbreviation's stop, "Mk. II", "Vol. IV": the abbreviation's letters.
        const std::size_t stop = skipBlanksBack(text, start);
        if (name.empty() && stop > 1 && stop < start && text[stop - 1] == '.') {
          std::size_t letters = stop - 1;
          while (letters > 0 && std::isalpha(static_cast<unsigned char>(text[letters - 1]))) --letters;
          name = text.substr(letters, stop - 1 - letters);
        }
        bool lower = false;
        std::string previous;
        for (const char ch : name) {
          lower = lower || std::islower(static_cast<unsigned char>(ch));
          previous += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
        }
        if (!name.empty() && std::isupper(static_cast<unsigned char>(name[0])) && lower) {
          if (countsWithCardinal(previous)) {
            cardinal(numeral, out);
          } else {
            std::string words;
            cardinal(numeral, words);
            ordinalize(words);
            appendWord(out, "the");
            appendWord(out, words);
          }
          continue;
        }
      }
      // Capitals the dictionary reads as a word: "ID" was "id", "AI" "eye", "NE" "nee", "OMG" "omg";
      // and ones said as words: "ESC", "WWII".
      // clang-format off
      static const struct {
        const char *capitals, *said;
      } kCapitals[] = {{"ID", "i.d"},         {"IDs", "i.d+s"},       {"AI", "a.i"},          {"AIs", "a.i+s"},
                       {"NE", "northeast"}, {"NW", "northwest"}, {"SE", "southeast"}, {"SW", "southwest"},
                       {"UN", "u.n"},       {"UK", "u.k"},       {"EU", "e.u"},       {"AD", "a.d"},
                       {"OMG", "o.m.g"},    {"ESC", "escape"},   {"WWI", "world war one"}, {"WWII", "world war two"},
                       {"Ctrl", "control"}, {"CTRL", "control"}, {"STR", "strength"}, {"DEX", "dexterity"},
                       {"INT", "intelligence"}, {"WIS", "wisdom"}, {"CHA", "charisma"}, {"AGI", "agility"},
                       {"ETA", "e.t.a"},    {"ETAs", "e.t.a+s"}, {"OP", "o.p"},      {"RIP", "r.i.p"},
                       {"UFO", "u.f.o"},    {"UFOs", "u.f.o+s"}, {"POV", "p.o.v"},    {"UI", "u.i"},
                       {"DMG", "damage"},   {"ATK", "attack"},   {"DEF", "defense"},  {"SPD", "speed"},    {"LUK", "luck"},
                       {"VIT", "vitality"}};
      // clang-format on
      // And chat initialisms in any case, which are no words: letter-to-sound rules read "AFK"
      // "AE1 F K", "IMO" "AY1 M OW0", "IRL" "ER1 L".
      static const struct {
        const char *lower, *said;
      } kInitialisms[] = {{"afk", "a.f.k"}, {"idk", "i.d.k"},    {"imo", "i.m.o"}, {"imho", "i.m.h.o"},
                          {"irl", "i.r.l"}, {"iirc", "i.i.r.c"}, {"aoe", "a.o.e"}, {"aka", "a.k.a"},
                          {"diy", "d.i.y"}, {"fyi", "f.y.i"},    {"pts", "points"}};
      // Chat shorthand said as what it stands for, in any case ("thx" was "TH K S", "omw" spelt),
      // and in small letters only where capitals are something else ("Ty" is a name, "NP" a noun
      // phrase): "u ok?" is "you okay" (not after a verb of pressing: "press u" is the key).
      static const struct {
        const char *lower, *said;
      } kChat[] = {{"thx", "thanks"},     {"thanx", "thanks"},     {"pls", "please"},     {"plz", "please"},
                   {"omw", "on my way"},  {"tbh", "to be honest"}, {"btw", "by the way"}, {"ngl", "not gonna lie"},
                   {"nvm", "never mind"}, {"ez", "easy"},          {"cya", "see ya"}};
      static const struct {
        const char *token, *said;
      } kChatLower[] = {{"u", "you"}, {"ur", "your"}, {"ty", "thank you"}, {"np", "no problem"}};
      // And a number inside a word: m8, gr8, h8, l8r.
      static const struct {
        const char *letters, *rest, *said;
      } kChatDigits[] = {{"m", "8", "mate"}, {"gr", "8", "great"}, {"h", "8", "hate"}, {"l", "8r", "later"}};
      for (const auto& entry : kChatDigits) {
        const std::size_t restLength = std::strlen(entry.rest);
        if (word == entry.letters && text.compare(i, restLength, entry.rest) == 0 && !alnumAt(i + restLength)) {
          appendWord(out, entry.said);
          i += restLength;
          word.clear();
          break;
        }
      }
      if (word.empty()) continue;
      const char* capitalsSaid = nullptr;
      for (const auto& entry : kChat) {
        if (word == entry.lower) capitalsSaid = entry.said;
      }
      const bool pressed = inList(lowerWordBefore(text, start), {"press", "hold", "tap", "hit", "key"});
      for (const auto& entry : kChatLower) {
        if (token == entry.token && !pressed) capitalsSaid = entry.said;
      }
      for (const auto& entry : kCapitals) {
        if (token == entry.capitals) capitalsSaid = entry.said;
      }
      for (const auto& entry : kInitialisms) {
        if (word == entry.lower) capitalsSaid = entry.said;
      }
      if (capitalsSaid != nullptr) {
        appendWord(out, capitalsSaid);
        continue;
      }
      // An initialism in capitals with a plural s (NPCs, RPGs): its letters and the plural.
      if (token.size() >= 3 && token.back() == 's' && hasNoVowel(std::string_view(word).substr(0, word.size() - 1))) {
        bool upper = true;
        for (std::size_t k = 0; upper && k + 1 < token.size(); ++k)
          upper = std::isupper(static_cast<unsigned char>(token[k]));
        if (upper) {
          appendWord(out, word.substr(0, word.size() - 1) + "+s");
          continue;
        }
      }
      // (A word with no vowel, NPC or XP, is an initialism to spell, not a word to stress; nor is an
      // acronym said as a word, NASA or DEFCON, a shouted word.)
      bool capitals = anyLower && token.size() >= 3 && !hasNoVowel(word) &&
                      !inList(token, {"NASA", "NATO", "DEFCON", "SWAT", "RADAR", "LASER", "SCUBA", "UNICEF", "UNESCO",
                                      "FEMA", "ASAP", "AWOL", "OPEC", "NORAD", "POTUS", "SNAFU", "FUBAR", "HUD"});
      for (std::size_t k = 0; capitals && k < token.size(); ++k) {
        capitals = token[k] == '\'' || std::isupper(static_cast<unsigned char>(token[k]));
      }
      if (capitals) appendWord(out, "**");
      appendWord(out, word);
      if (capitals) appendWord(out, "**");
      continue;
    }
    if (c == '{') {  // explicit phonemes pass through untouched
      const std::size_t close = text.find('}', i);
      const std::size_t end = close == std::string_view::npos ? n : close + 1;
      appendWord(out, text.substr(i, end - i));
      i = end;
      continue;
    }
    if (c == '*') {
      // Chat and script conventions: *sighs* is an action, not words to say (it was read aloud);
      // **never** is emphasis: its words are said with a stronger accent (the "**" tokens mark
      // where it starts and ends, for buildUtterance), and so is one word between stars inside a
      // sentence, "I *told* you" (it was dropped as an action). A lone asterisk is dropped.
      if (i == emphasisClose) {
        appendWord(out, "**");
        emphasisClose = std::string_view::npos;
        ++i;
        continue;
      }
      if (i + 1 < n && text[i + 1] == '*') {
        appendWord(out, "**");
        i += 2;
        continue;
      }
      // An action opens at a word's start and closes at a word's end: "A*B" and "5 * 3" open
      // none (their star paired with a later one, and the words between were dropped).
      const std::size_t close = text.find('*', i + 1);
      const bool opens =
          !(i > 0 && std::isalnum(static_cast<unsigned char>(text[i - 1]))) && i + 1 < n && !isBlank(text[i + 1]);
      if (opens && close != std::string_view::npos && close > i + 1 && close - i <= 120 &&
          (close + 1 >= n || text[close + 1] != '*') && !isBlank(text[close - 1]) &&
          text.substr(i + 1, close - i - 1).find('\n') == std::string_view::npos) {
        const std::string_view inside = text.substr(i + 1, close - i - 1);
        bool oneWord = true;
        for (const char ch : inside) oneWord = oneWord && (std::isalpha(static_cast<unsigned char>(ch)) || ch == '\'');
        const std::size_t before = skipBlanksBack(text, i), after = skipBlanks(text, close + 1);
        const bool letterBefore = before > 0 && std::isalpha(static_cast<unsigned char>(text[before - 1]));
        const bool letterAfter = after < n && std::isalpha(static_cast<unsigned char>(text[after]));
        // Inside a sentence it is emphasis; at a sentence's edge too, "*Never* again." or "do it
        // *again*.", unless the word is an action's ("*sighs* Fine.", "*cough* sorry").
        if (oneWord && ((letterBefore && letterAfter) || ((letterBefore || letterAfter) && !isActionWord(inside)))) {
          appendWord(out, "**");
          emphasisClose = close;
          ++i;
          continue;
        }
        i = close + 1;
        continue;
      }
    }
    const bool wordBefore = i > 0 && std::isalnum(static_cast<unsigned char>(text[i - 1]));
    // A web address or an e-mail's domain: www.crypt.com is "w w w dot crypt dot com" (its stops
    // were sentence breaks). A stop between letters is "dot" after www or before a common domain.
    if (c == '.' && i > 0 && std::isalpha(static_cast<unsigned char>(text[i - 1])) && i + 1 < n &&
        std::isalpha(static_cast<unsigned char>(text[i + 1]))) {
      std::size_t k = i + 1;
      const std::string next = lowerLettersAt(text, k, false);
      const bool domain =
          (k >= n || !std::isalnum(static_cast<unsigned char>(text[k]))) &&
          inList(next, {"com", "org", "net", "io", "gg", "co", "uk", "de", "fr", "edu", "gov", "tv", "dev"});
      std::size_t begin = i;
      while (begin > 0 && std::isalpha(static_cast<unsigned char>(text[begin - 1]))) --begin;
      const bool www = i - begin == 3 && (text.compare(begin, 3, "www") == 0 || text.compare(begin, 3, "WWW") == 0);
      if (domain || www) {
        appendWord(out, "dot");
        ++i;
        continue;
      }
    }
    // Stage directions, [laughs] and <whispers>, and one word in parentheses, (sighs) or (Laughs):
    // actions, not words to say (they were read aloud). "Section 3(b)", "(or so)", "a < b" stay.
    if (c == '[' || c == '<' || c == '(') {
      const char closer = c == '[' ? ']' : (c == '<' ? '>' : ')');
      const std::size_t close = text.find(closer, i + 1);
      if (close != std::string_view::npos && close > i + 1 && close - i <= 120 &&
          std::isalpha(static_cast<unsigned char>(text[i + 1])) &&
          std::isalpha(static_cast<unsigned char>(text[close - 1]))) {
        const std::string_view inside = text.substr(i + 1, close - i - 1);
        bool direction = inside.find('\n') == std::string_view::npos;
        // A key to press is read: "Press [E]", "[LMB]", "[Esc]" (up to three capitals, or a key's
        // name). Longer capitals are a script's direction, "[LAUGHS]" (it was read and shouted).
        const std::string key = keySaid(inside);
        if (!key.empty()) {
          appendWord(out, key);
          i = close + 1;
          continue;
        }
        // A control named in brackets where a key is meant, "Press [Interact]", "the [Jump] button":
        // its words (it was dropped as a direction). emotions.py's _is_control keeps it the same way.
        if (c == '[') {
          std::size_t afterAt = skipBlanks(text, close + 1);
          const std::string after = lowerLettersAt(text, afterAt, false);
          bool words = std::count(inside.begin(), inside.end(), ' ') <= 1;
          for (const char ch : inside) words = words && (std::isalpha(static_cast<unsigned char>(ch)) || ch == ' ');
          if (words && (inList(lowerWordBefore(text, i), {"press", "hold", "tap", "hit", "click", "use", "release"}) ||
                        inList(after, {"key", "keys", "button", "buttons"}))) {
            std::string said;
            for (const char ch : inside) said += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
            appendWord(out, said);
            i = close + 1;
            continue;
          }
        }
        if (c == '(') {
          direction = direction && !wordBefore && inside.size() >= 3;
          for (std::size_t k = 1; k < inside.size(); ++k) direction = direction && inside[k] >= 'a' && inside[k] <= 'z';
        }
        if (direction) {
          i = close + 1;
          continue;
        }
      }
    }
    if (c == '-' && i + 1 < n && text[i + 1] == '-') {  // "wait -- did you": one dash, one pause
      while (i < n && text[i] == '-') ++i;
      appendWord(out, "-");
      continue;
    }
    if (c == '-' && wordBefore && alnumAt(i + 1)) {
      // A compound (blood-soaked, twenty-one, half-dead): two words, no pause between them.
      appendWord(out, "");
      ++i;
      continue;
    }
    if (c == '-' && !wordBefore && digitAt(i + 1)) {  // -5: a negative number
      appendWord(out, "minus");
      ++i;
      continue;
    }
    if (c == '~' && digitAt(skipBlanks(text, i + 1))) {  // ~5 km: "about five kilometers"
      appendWord(out, "about");
      ++i;
      continue;
    }
    if (text.compare(i, 2, "\xC2\xB1") == 0) {  // \xC2\xB1" 2: "plus or minus two"
      appendWord(out, "plus or minus");
      i += 2;
      continue;
    }
    if (c == '<' && i + 1 < n && text[i + 1] == '3' && !alnumAt(i + 2) && (i == 0 || isBlank(text[i - 1]))) {
      // <3, a heart, was "three": between words the verb ("I <3 you"), else nothing.
      const std::size_t next = skipBlanks(text, i + 2);
      const bool between =
          !lowerWordBefore(text, i).empty() && next < n && std::isalpha(static_cast<unsigned char>(text[next]));
      if (between) { appendWord(out, "love"); }
      i += 2;
      continue;
    }
    {
      // A comparison between two operands, a < b, x >= 5, hp \xE2\x89\xA4 0, a != b: its words (the
      // signs were dropped). Blanks about the sign, or a digit beside it (x>5): "a<b>" stays a tag.
      // clang-format off
      static const struct {
        const char *sign, *said;
      } kComparisons[] = {{"<=", "less than or equal to"},    {">=", "greater than or equal to"},
                          {"!=", "not equal to"},             {"\xE2\x89\xA4", "less than or equal to"},
                          {"\xE2\x89\xA5", "greater than or equal to"}, {"\xE2\x89\xA0", "not equal to"},
                          {"<", "less than"},                 {">", "greater than"}};
      // clang-format on
      const char* comparison = nullptr;
      std::size_t comparisonLength = 0;
      for (const auto& entry : kComparisons) {
        const std::size_t length = std::string_view(entry.sign).size();
        if (comparison == nullptr && text.compare(i, length, entry.sign) == 0) {
          comparison = entry.said;
          comparisonLength = length;
        }
      }
      if (comparison != nullptr) {
        const std::size_t before = skipBlanksBack(text, i), after = skipBlanks(text, i + comparisonLength);
        const bool operandBefore =
            before > 0 && (std::isalnum(static_cast<unsigned char>(text[before - 1])) || text[before - 1] == ')');
        const bool operandAfter = after < n && (std::isalnum(static_cast<unsigned char>(text[after])) ||
                                                text[after] == '(' || (text[after] == '-' && digitAt(after + 1)));
        // A lone < or > between letters with no blanks could be a tag's bracket; the rest cannot.
        const bool bracketLike = comparisonLength == 1 && !digitAt(i - 1) && !digitAt(i + 1);
        const bool spaced = before < i && after > i + comparisonLength;
        if (operandBefore && operandAfter && (spaced || !bracketLike)) {
          appendWord(out, comparison);
          i += comparisonLength;
          continue;
        }
      }
    }
    if (c == '^' && (digitAt(i + 1) || (i + 2 < n && text[i + 1] == '-' && digitAt(i + 2)))) {
      // An exponent, mc^2, 2^10 or 10^-3: "squared", "cubed", "to the power of ten", "to the power
      // of minus three" (it was dropped).
      const bool negative = text[i + 1] == '-';
      std::size_t end = negative ? i + 2 : i + 1;
      long long power = 0;
      while (digitAt(end) && end - i <= 7) power = power * 10 + (text[end++] - '0');
      if (negative) power = -power;
      if (power == 2 || power == 3) {
        appendWord(out, power == 2 ? "squared" : "cubed");
      } else {
        appendWord(out, "to the power of");
        cardinal(power, out);
      }
      i = end;
      continue;
    }
    if (c == '+' && digitAt(i + 1) && !alnumAt(i - 1)) {
      // An international number, +1 555 0199 or +44 20 7946 0958: "plus", then each group digit by
      // digit with a pause between (the groups were read as amounts, "five hundred fifty five").
      // Groups of one to four digits joined by single blanks, dashes or dots, 7 to 15 digits in all.
      std::vector<std::string_view> groups;
      std::size_t k = i + 1, digits = 0;
      while (digitAt(k)) {
        const std::size_t begin = k;
        while (digitAt(k)) ++k;
        groups.push_back(text.substr(begin, k - begin));
        digits += k - begin;
        if (k + 1 < n && (text[k] == ' ' || text[k] == '-' || text[k] == '.') && digitAt(k + 1)) ++k;
      }
      bool shortGroups = true;
      for (const std::string_view group : groups) shortGroups = shortGroups && group.size() <= 4;
      if (groups.size() >= 2 && shortGroups && digits >= 7 && digits <= 15 && !alnumAt(k)) {
        appendWord(out, "plus");
        for (std::size_t g = 0; g < groups.size(); ++g) {
          if (g > 0) appendWord(out, ",");
          sayDigits(groups[g], out);
        }
        i = k;
        continue;
      }
    }
    std::size_t keyBegin = i;  // the letters just before a '+', of Ctrl+C
    while (c == '+' && keyBegin > 0 && std::isalpha(static_cast<unsigned char>(text[keyBegin - 1]))) --keyBegin;
    if (c == '+' && alnumAt(i + 1) && keyBegin < i &&
        inList(lowerLettersAt(text, keyBegin, false), {"ctrl", "control", "alt", "shift", "cmd", "option", "fn"})) {
      // A key combination, Ctrl+Alt+Del: "control alt delete" (it was "ctrl plus alt plus del").
      std::size_t end = i + 1;
      while (alnumAt(end)) ++end;
      const std::string key = keySaid(text.substr(i + 1, end - i - 1));
      if (key.empty()) {  // Alt+F4: the key as any word
        ++i;
        continue;
      }
      appendWord(out, key);
      i = end;
      continue;
    }
    if (c == '#' && digitAt(i + 1)) {  // #1
      appendWord(out, "number");
      ++i;
      continue;
    }
    if (text.compare(i, 2, "\xC2\xB0") == 0) {  // degree sign: 5\xC2\xB0, 5\xC2\xB0C, 40\xC2\xB0F
      const bool one = endsWithWord(out, "one");
      appendWord(out, one ? "degree" : "degrees");
      i += 2;
      if (i < n && (text[i] == 'C' || text[i] == 'F') && !alnumAt(i + 1)) {
        appendWord(out, text[i] == 'C' ? "celsius" : "fahrenheit");
        ++i;
      }
      continue;
    }
    if (c == 0xC2 && i + 1 < n && (text[i + 1] == '\xBC' || text[i + 1] == '\xBD' || text[i + 1] == '\xBE')) {
      // Vulgar fractions: 2\xC2\xBD "two and a half", \xC2\xBE "three quarters".
      const bool mixed = i > 0 && std::isdigit(static_cast<unsigned char>(text[i - 1]));
      const char which = text[i + 1];
      if (mixed) appendWord(out, "and");
      if (which == '\xBD') appendWord(out, mixed ? "a half" : "one half");
      else if (which == '\xBC') appendWord(out, mixed ? "a quarter" : "one quarter");
      else appendWord(out, "three quarters");
      i += 2;
      continue;
    }
    if (isSentencePunct(static_cast<char>(c)) || isPhrasePunct(static_cast<char>(c))) {
      appendWord(out, std::string(1, static_cast<char>(c)));
    } else if (c == '&') {
      appendWord(out, "and");
    } else if (c == '+') {
      appendWord(out, "plus");
    } else if (c == '@') {
      appendWord(out, "at");
    } else if (c == '%') {
      appendWord(out, "percent");
    } else if (c == '=' && (i + 1 >= n || (text[i + 1] != '=' && text[i + 1] != '>'))) {
      appendWord(out, "equals");  // a riddle's sum, 2 + 2 = 4 (it was dropped)
    } else if (c == '*') {
      // Between numbers, 5 * 3: "times"; elsewhere (a*b, emphasis) dropped.
      const std::size_t before = skipBlanksBack(text, i), after = skipBlanks(text, i + 1);
      if (before > 0 && std::isdigit(static_cast<unsigned char>(text[before - 1])) && after < n &&
          std::isdigit(static_cast<unsigned char>(text[after]))) {
        appendWord(out, "times");
      }
    }
    ++i;  // anything else (quotes, brackets, emoji bytes) is dropped
  }
  return out;
}

bool parseEmotion(std::string_view name, Emotion& out) noexcept {
  static const char* const kNames[] = {"neutral", "fear", "rage", "sorrow", "menace", "whisper"};
  for (int e = 0; e < 6; ++e) {
    if (name == kNames[e]) {
      out = static_cast<Emotion>(e);
      return true;
    }
  }
  return false;
}

const char* emotionName(Emotion e) noexcept {
  static const char* const kNames[] = {"neutral", "fear", "rage", "sorrow", "menace", "whisper"};
  return kNames[static_cast<int>(e)];
}

float Utterance::totalMs() const noexcept {
  float sum = 0.0f;
  for (const auto& p : phones) sum += p.durationMs;
  return sum;
}

void glidePitch(Utterance& utterance, float ratio, float startMs, float endMs) noexcept {
  if (!(ratio > 0.0f) || !std::isfinite(ratio) || !std::isfinite(startMs) || !std::isfinite(endMs)) return;
  if (endMs < startMs) return;
  const float octaves = std::log2(ratio);
  auto factorAt = [&](float ms) {
    const float progress = ms >= endMs ? 1.0f : ms <= startMs ? 0.0f : (ms - startMs) / (endMs - startMs);
    return std::exp2(octaves * progress);
  };
  float at = 0.0f;
  for (auto& p : utterance.phones) {
    p.f0StartHz *= factorAt(at);
    at += p.durationMs;
    p.f0EndHz *= factorAt(at);
  }
}

namespace {

struct EmotionStyle {
  float rate, pitch, range, effort, breath;
  bool whisper;
};
// Speaking style per emotion (rate, mean pitch, pitch range, vocal effort, added breath), after the
// acoustic correlates summarised by Murray & Arnott 1993.
const EmotionStyle kStyles[] = {
    {1.00f, 1.00f, 1.0f, 1.0f, 0.00f, false},  // neutral
    {1.20f, 1.20f, 1.5f, 0.9f, 0.15f, false},  // fear
    {1.10f, 1.10f, 1.6f, 1.6f, 0.00f, false},  // rage
    {0.80f, 0.90f, 0.6f, 0.7f, 0.20f, false},  // sorrow
    {0.85f, 0.85f, 0.7f, 1.1f, 0.10f, false},  // menace
    {0.95f, 1.00f, 0.8f, 0.5f, 0.50f, true},   // whisper
};

}  // namespace

namespace {
// The ranges a speech voice is designed for (the preset schema's, generated from this table).
constexpr SpeakerInfo kSpeakerInfos[] = {
    {"base_pitch_hz", &SpeakerSettings::basePitchHz, "Hz", 50.0f, 400.0f, 120.0f, "Speaking pitch before prosody."},
    {"tract_length_cm", &SpeakerSettings::tractLengthCm, "cm", 10.0f, 25.0f, 17.5f,
     "Vocal tract length of the speaker (child ~12, adult ~17, giant ~24)."},
    {"breathiness", &SpeakerSettings::breathiness, "", 0.0f, 1.0f, 0.05f, "Aspiration in the speech source."},
    {"rate", &SpeakerSettings::rate, "x", 0.5f, 2.0f, 1.0f, "Speaking rate multiplier."},
};
}  // namespace

const SpeakerInfo* speakerInfos() noexcept { return kSpeakerInfos; }
std::size_t speakerInfoCount() noexcept { return sizeof(kSpeakerInfos) / sizeof(kSpeakerInfos[0]); }

int clampSpeaker(SpeakerSettings& speaker) noexcept {
  int changed = 0;
  for (std::size_t i = 0; i < speakerInfoCount(); ++i) {
    const SpeakerInfo& info = speakerInfos()[i];
    float& value = speaker.*(info.member);
    const float held = !isFinite(value) ? info.defaultValue : std::fmin(std::fmax(value, info.minValue), info.maxValue);
    if (held != value) {
      value = held;
      ++changed;
    }
  }
  return changed;
}

FrontEndResult buildUtterance(std::string_view text, const Lexicon& lexicon, const SpeakerSettings& requested,
                              Emotion emotion) {
  SpeakerSettings speaker = requested;
  clampSpeaker(speaker);
  FrontEndResult result;
  Utterance& u = result.utterance;
  u.speaker = speaker;
  u.emotion = emotion;
  const EmotionStyle& style = kStyles[static_cast<int>(emotion)];
  u.effort = style.effort;
  u.breathiness = std::fmin(1.0f, speaker.breathiness + style.breath);
  u.whispered = style.whisper;

  // 1. Tokens -> phones (with word indices), pauses at punctuation.
  const std::string normalized = normalizeText(text);
  struct Pending {
    Phone phone;
    int stress;
    int word;
    bool phraseFinal;
    bool emphasis;           // inside **...**
    bool drawnOut;           // the phone a drawn-out spelling ("nooo") holds
    float breakMs = -1.0f;   // a pause's length from an SSML break (absolute, not scaled by the rate)
    bool punctuated = true;  // a pause the punctuation (or the line's start or end) also asks for
    float rate = 1.0f, pitch = 1.0f, volume = 1.0f;  // the SSML <prosody> scopes it is inside
  };
  // SSML <prosody> scopes open around the words: each multiplies the ones it is inside.
  struct Prosody {
    float rate = 1.0f, pitch = 1.0f, volume = 1.0f;
  };
  std::vector<Prosody> prosody(1);
  auto prosodyToken = [](std::string_view token, Prosody& scope) {  // "<prosody:800:1000:1000>"
    if (token.size() < 10 || token.substr(0, 9) != "<prosody:" || token.back() != '>') return false;
    float values[3] = {1.0f, 1.0f, 1.0f};
    std::size_t k = 9;
    for (float& value : values) {
      long thousandths = 0;
      std::size_t digits = 0;
      while (k < token.size() && std::isdigit(static_cast<unsigned char>(token[k])) && digits < 7) {
        thousandths = thousandths * 10 + (token[k++] - '0');
        ++digits;
      }
      if (digits == 0) return false;
      value = static_cast<float>(thousandths) / 1000.0f;
      if (k < token.size() && token[k] == ':') ++k;
    }
    scope = {values[0], values[1], values[2]};
    return true;
  };
  std::vector<Pending> seq;
  std::vector<char> breakAfter;  // per seq entry: 0, ',' or '.'/'!'/'?'
  auto addPause = [&](char kind, float breakMs = -1.0f) {
    if (!seq.empty() && seq.back().phone == Phone::Sil) {
      if (breakAfter.back() == ',' && kind != ',') breakAfter.back() = kind;  // the stronger break wins
      if (breakMs >= 0.0f) seq.back().breakMs = std::fmax(seq.back().breakMs, breakMs);
      else seq.back().punctuated = true;
      return;
    }
    seq.push_back({Phone::Sil, -1, -1, false, false, false, breakMs, breakMs < 0.0f});
    breakAfter.push_back(kind);
  };
  auto breakToken = [](std::string_view token) {  // "<750ms>" -> 750, else -1
    if (token.size() < 5 || token.front() != '<' || token.substr(token.size() - 3) != "ms>") return -1.0f;
    float ms = 0.0f;
    for (const char ch : token.substr(1, token.size() - 4)) {
      if (!std::isdigit(static_cast<unsigned char>(ch))) return -1.0f;
      ms = ms * 10.0f + static_cast<float>(ch - '0');
    }
    return ms;
  };
  addPause(',');
  std::vector<std::pair<Phone, int>> pron;
  bool emphasis = false;                    // between "**" tokens
  std::string previous;                     // the last word of the phrase so far (a heteronym's left context)
  auto wordAfter = [&](std::size_t from) {  // the next token if it is a word (its right context)
    std::string_view next;
    do {  // (emphasis marks are not words)
      while (from < normalized.size() && normalized[from] == ' ') ++from;
      std::size_t to = normalized.find(' ', from);
      if (to == std::string::npos) to = normalized.size();
      next = std::string_view(normalized).substr(from, to - from);
      from = to;
    } while (next == "**");
    // (a break or a prosody scope is not a word: "<750ms>", "<prosody:...>", "</prosody>")
    const bool control = next.size() > 2 && next.front() == '<' && next.back() == '>';
    return (next.size() == 1 && (isSentencePunct(next[0]) || isPhrasePunct(next[0]))) || control ? std::string_view()
                                                                                                 : next;
  };
  auto pastTimeAhead = [&](std::size_t from) {  // "yesterday", "ago", "last night" before the sentence ends
    std::string_view last;
    while (from < normalized.size()) {
      while (from < normalized.size() && normalized[from] == ' ') ++from;
      std::size_t to = normalized.find(' ', from);
      if (to == std::string::npos) to = normalized.size();
      const std::string_view next = std::string_view(normalized).substr(from, to - from);
      from = to;
      if (next.size() == 1 && isSentencePunct(next[0])) return false;
      if (inList(next, {"yesterday", "ago", "earlier"})) return true;
      if (last == "last" &&
          inList(next, {"night", "week", "month", "year", "time", "summer", "winter", "autumn", "spring"}))
        return true;
      last = next;
    }
    return false;
  };
  std::size_t i = 0;
  while (i < normalized.size()) {
    if (normalized[i] == ' ') {
      ++i;
      continue;
    }
    std::size_t end = normalized[i] == '{' ? normalized.find('}', i) : normalized.find(' ', i);
    if (end == std::string::npos) end = normalized.size();
    else if (normalized[i] == '{') ++end;
    const std::string token = normalized.substr(i, end - i);
    i = end;
    if (token == "**") {
      emphasis = !emphasis;
      continue;
    }
    if (token.size() == 1 && (isSentencePunct(token[0]) || isPhrasePunct(token[0]))) {
      addPause(token[0] == '-' ? ',' : (isSentencePunct(token[0]) ? token[0] : ','));
      previous.clear();
      continue;
    }
    if (const float ms = breakToken(token); ms >= 0.0f) {
      addPause(',', ms);
      previous.clear();
      continue;
    }
    if (Prosody scope; prosodyToken(token, scope)) {
      const Prosody& outer = prosody.back();
      if (prosody.size() < 16)
        prosody.push_back({outer.rate * scope.rate, outer.pitch * scope.pitch, outer.volume * scope.volume});
      continue;
    }
    if (token == "</prosody>") {
      if (prosody.size() > 1) prosody.pop_back();
      continue;
    }
    UtteranceWord word;
    word.text = token;
    pron.clear();
    bool drawnOut = false;
    bool letterNames = false;  // an initialism: said as its letters, never shouted
    char drawnLetter = '\0';   // the letter written three times or more
    if (token[0] == '~') {
      // A stutter (normalizeText): the onset of the word it breaks off, its consonants up to the
      // first vowel (a stop or an affricate with a schwa after it, "buh-but"), or a vowel-initial
      // word's first vowel, unstressed.
      std::size_t from = i;
      std::string next(wordAfter(from));
      while (!next.empty() && next[0] == '~') {  // s-s-stay: past the marks before the word
        from = normalized.find(next, from) + next.size();
        next = std::string(wordAfter(from));
      }
      while (!next.empty() && (next.front() == '\'' || next.front() == '*')) next.erase(0, 1);
      std::vector<std::pair<Phone, int>> whole;
      if (!next.empty() && next[0] != '{' && !lexicon.lookup(next, whole)) letterToSound(next, whole);
      // As many of the onset's sounds as the fragment has letters: "p-please" "p", "pl-please" "p l".
      const std::size_t written = token.size() - 1;
      for (const auto& [phone, stress] : whole) {
        if (isVowel(phone)) {
          if (pron.empty()) pron.emplace_back(phone, 0);
          break;
        }
        if (pron.size() == written) break;
        pron.emplace_back(phone, stress);
      }
      if (pron.empty()) letterToSound(token.substr(1), pron);  // nothing after it to take from
      const Phone last = pron.empty() ? Phone::Sil : pron.back().first;
      if (last == Phone::B || last == Phone::D || last == Phone::G || last == Phone::K || last == Phone::P ||
          last == Phone::T || last == Phone::CH || last == Phone::JH) {
        pron.emplace_back(Phone::AH, 0);
      }
      word.fromLexicon = false;
      word.text = token.substr(1) + "-";
    } else if (token[0] == '{') {
      // Explicit ARPAbet: {HH AH0 L OW1}
      std::size_t p = 1;
      while (p < token.size()) {
        while (p < token.size() && (token[p] == ' ' || token[p] == '}')) ++p;
        std::size_t q = p;
        while (q < token.size() && token[q] != ' ' && token[q] != '}') ++q;
        if (q > p) {
          Phone phone;
          int stress;
          if (!parsePhone(token.data() + p, static_cast<int>(q - p), phone, stress)) {
            result.error =
                "unknown phoneme '" + token.substr(p, q - p) + "' in " + token +
                " (use ARPAbet: AA AE AH AO AW AY EH ER EY IH IY OW OY UH UW B CH D DH F G HH JH K L M N NG P "
                "R S SH T TH V W Y Z ZH, vowels may carry stress 0-2)";
            return result;
          }
          pron.emplace_back(phone, isVowel(phone) && stress < 0 ? 1 : stress);
        }
        p = q;
      }
      word.fromLexicon = false;
      word.text = token.substr(1, token.size() - 2);
    } else {
      std::string key = token;
      while (!key.empty() && key.front() == '\'') key.erase(0, 1);
      while (!key.empty() && key.back() == '\'') key.pop_back();
      if (key.empty()) continue;
      const bool initialism = key.find_first_of(".+") != std::string::npos;  // U.S.A., NPCs (normalizeText)
      if (!initialism) key = undrawn(key, lexicon, drawnOut, drawnLetter);
      bool held = false;
      if (initialism) {
        spelled(key, pron);
        word.fromLexicon = false;
        word.text = initialismText(key);
      } else if (const char* sound = interjection(key, drawnOut, held)) {
        appendPhones(sound, pron);
        word.fromLexicon = false;
        drawnOut = held;
      } else if (laughter(key, pron)) {
        word.fromLexicon = false;
      } else if (heteronym(key, previous, wordAfter(i), key == "read" && pastTimeAhead(i), pron)) {
        // (the lexicon has only one of its readings)
      } else if (apostropheForm(token, key, lexicon, pron)) {
        // The dictionary's own forms written with the apostrophe: 'em AH0 M ("em" is the letter M),
        // 'n', 'cause, nothin' N AH1 TH IH0 N ("nothin" is a surname's N AA1 TH IH0 N), goin'.
      } else if (droppedH(token, key, lexicon, pron)) {
        // ('ello, 'ere, 'ow: the dictionary's hello, here, how without their /h/)
      } else if (archaicVerb(key, lexicon, pron)) {
        // (goest, cometh, seeketh, runneth: the verb and its old ending)
      } else if (key.size() > 2 && key.compare(0, 2, "m'") == 0 && lexicon.lookup(key.substr(2), pron)) {
        // m'lady, m'lord: "my", unstressed (it was "M L AE1 D IY0")
        pron.insert(pron.begin(), {{Phone::M, -1}, {Phone::AH, 0}});
      } else if (droppedG(token, key, lexicon, pron)) {
        // (nothin', goin', huntin': the dictionary's -ing, ending in /n/)
      } else if (!lexicon.lookup(key, pron)) {
        // A clitic on a word the dictionary lacks in that form: the Varga's, NPC'll, I'd've.
        const char* clitic = cliticOf(key);
        const std::string stem = clitic != nullptr ? key.substr(0, key.size() - std::strlen(clitic)) : key;
        // NPC, XP, brb, the NPC's: letter names; so is a short word in capitals that is no word
        // (AFK, "** afk **" from normalizeText: it was "AE1 F K", shouted).
        if ((hasNoVowel(stem) || (emphasis && stem.size() <= 3)) && spelled(stem, pron)) {
          letterNames = emphasis;
          appendClitic(clitic, pron);
          word.fromLexicon = false;
          word.text = initialismText(stem) + (clitic != nullptr ? clitic : "");  // XP, the NPC's
        } else if (!(clitic != nullptr && lexicon.lookup(stem, pron))) {
          // A name the dictionary lacks: its letters' sounds, then the clitic's (the rules read the
          // 's as /s/ after anything: "Cthulhu's" ended "AH0 S", "Blaz's" "Z S").
          if (!splitCompound(stem, lexicon, pron)) letterToSound(stem, pron);
          appendClitic(clitic, pron);
          word.fromLexicon = false;
        } else {
          appendClitic(clitic, pron);
        }
      }
    }
    if (pron.empty()) continue;
    previous = token[0] == '{' ? std::string() : token;
    word.firstPhone = static_cast<int>(seq.size());
    word.phoneCount = static_cast<int>(pron.size());
    const int wordIndex = static_cast<int>(u.words.size());
    const int held = drawnOut ? heldPhone(pron, drawnLetter) : -1;
    // An initialism the dictionary spells (CEO, FBI, VIP: its letters' names) is no shouted word in
    // capitals: "He's the CEO" keeps its plain accent.
    bool initialism = letterNames;
    if (emphasis && word.fromLexicon && token.size() <= 6) {
      std::vector<std::pair<Phone, int>> letters;
      initialism = spelled(token, letters) && letters.size() == pron.size() &&
                   std::equal(letters.begin(), letters.end(), pron.begin(),
                              [](const auto& a, const auto& b) { return a.first == b.first; });
    }
    const bool emphasised = emphasis && !initialism;
    for (std::size_t k = 0; k < pron.size(); ++k) {
      seq.push_back({pron[k].first, pron[k].second, wordIndex, false, emphasised, static_cast<int>(k) == held, -1.0f,
                     true, prosody.back().rate, prosody.back().pitch, prosody.back().volume});
      breakAfter.push_back(0);
    }
    u.words.push_back(std::move(word));
  }
  addPause('.');

  // 2. Phrase-final syllables: the last vowel before each pause and what follows it.
  for (std::size_t k = 0; k < seq.size(); ++k) {
    if (seq[k].phone != Phone::Sil || k == 0) continue;
    for (std::size_t m = k; m-- > 0;) {
      if (seq[m].phone == Phone::Sil) break;
      seq[m].phraseFinal = true;
      if (isVowel(seq[m].phone)) break;
    }
  }

  // 3. Durations (Klatt 1979): DUR = MIN + (INH - MIN) * PRCNT / 100, then speaking rate.
  const float rate = speaker.rate * style.rate;
  float breakMsLeft = 30000.0f;
  for (std::size_t k = 0; k < seq.size(); ++k) {
    const Pending& s = seq[k];
    UtterancePhone p;
    p.phone = s.phone;
    p.stress = static_cast<std::int8_t>(s.stress);
    p.word = static_cast<std::int16_t>(s.word);
    if (s.phone == Phone::Sil) {
      const char kind = breakAfter[k];
      p.durationMs = k == 0 ? 60.0f : (kind == ',' ? 180.0f : 350.0f);
      if (k + 1 == seq.size()) p.durationMs = 120.0f;
      p.durationMs /= rate;
      // An SSML break's time is kept as asked; where punctuation pauses too, the longer wins. A
      // line's breaks add up to 30 s at most: a service's 2,000 characters of 10 s breaks asked for
      // 17 minutes of silence.
      if (s.breakMs >= 0.0f) {
        const float ms = std::fmin(s.breakMs, breakMsLeft);
        breakMsLeft -= ms;
        p.durationMs = s.punctuated ? std::fmax(p.durationMs, ms) : ms;
      }
      u.phones.push_back(p);
      continue;
    }
    const PhoneInfo& info = phoneInfo(s.phone);
    float percent = 100.0f;
    if (isVowel(s.phone)) {
      if (s.stress == 0) percent = 55.0f;
      else if (s.stress == 2) percent = 80.0f;
    } else {
      const bool prevConsonant = k > 0 && seq[k - 1].phone != Phone::Sil && !isVowel(seq[k - 1].phone);
      const bool nextConsonant = k + 1 < seq.size() && seq[k + 1].phone != Phone::Sil && !isVowel(seq[k + 1].phone);
      if (prevConsonant || nextConsonant) percent = 75.0f;  // clusters shorten
    }
    if (s.phraseFinal) percent *= 1.4f;
    // Emphasis lengthens the word, its stressed vowel most (as a speaker leans on it): ~1.3x
    // for the vowel, as the rule stretches only the part above the phone's minimum.
    if (s.emphasis) percent *= isVowel(s.phone) && s.stress == 1 ? 1.6f : 1.15f;
    if (s.drawnOut) percent *= 3.5f;  // "nooo": the vowel held two to three times as long
    p.durationMs = (info.minimumMs + (info.inherentMs - info.minimumMs) * percent / 100.0f) / (rate * s.rate);
    // A held consonant ("hmm", "hsss", "shh"): the rule's range is a few tens of ms for them.
    if (s.drawnOut && !isVowel(s.phone) && p.durationMs < kHeldConsonantMs / rate)
      p.durationMs = kHeldConsonantMs / rate;
    if (s.emphasis) p.gain = kEmphasisGain;
    p.gain *= s.volume;
    u.phones.push_back(p);
  }

  // 4. F0, sentence by sentence (each an intonational phrase, Pierrehumbert 1980): top and base
  // lines decline over the sentence and reset at the next one's start; stressed vowels reach the
  // top line (pitch accents). A statement, an exclamation and a wh-question ("where are you
  // going?") end in a fall, a yes/no question in a final rise, and a phrase before a comma in a
  // small continuation rise (the "more to come" of a list or a clause). With one declination over
  // the whole line, the second of two sentences started where the first had sunk, and a
  // wh-question rose as a yes/no question does.
  const float base = speaker.basePitchHz * style.pitch;
  const float range = 0.25f * style.range;
  const float total = u.totalMs();
  std::vector<float> startMs(u.phones.size() + 1, 0.0f);
  for (std::size_t k = 0; k < u.phones.size(); ++k) startMs[k + 1] = startMs[k] + u.phones[k].durationMs;
  const float leadInMs = u.phones.front().phone == Phone::Sil ? u.phones.front().durationMs : 0.0f;
  const float tailMs = u.phones.back().phone == Phone::Sil ? u.phones.back().durationMs : 0.0f;
  std::vector<float> anchorsT, anchorsF;
  auto anchor = [&](float time, float hz) {  // F0 `hz` at `time` ms; linear between anchors
    anchorsT.push_back(time);
    anchorsF.push_back(hz);
  };
  anchor(0.0f, base * (1.0f + 0.4f * range));
  for (std::size_t first = 0; first < u.phones.size();) {
    // The sentence runs to its closing pause (a '.', '!' or '?' one, or the line's last).
    std::size_t last = first;
    while (last + 1 < seq.size() &&
           !(last > first && seq[last].phone == Phone::Sil && isSentencePunct(breakAfter[last])))
      ++last;
    std::size_t onset = first;
    while (onset < last && seq[onset].phone == Phone::Sil) ++onset;
    int lastVowel = -1, words = 0, firstWord = -1, previousWord = -1;
    for (std::size_t k = onset; k <= last; ++k) {
      if (isVowel(u.phones[k].phone)) lastVowel = static_cast<int>(k);
      if (seq[k].word >= 0 && seq[k].word != previousWord) {
        if (firstWord < 0) firstWord = seq[k].word;
        ++words;
        previousWord = seq[k].word;
      }
    }
    const bool whWord =
        firstWord >= 0 && inList(u.words[static_cast<std::size_t>(firstWord)].text,
                                 {"what", "where", "when", "who", "whom", "whose", "why", "which", "how"});
    // A one-word "what?" or "where?" asks for a repeat, and rises.
    const bool rises = breakAfter[last] == '?' && !(whWord && words >= 2);
    // The lines decline over the sentence's words with the line's lead-in and closing pauses
    // around them, as they once did over a whole line: a sentence alone is said as before.
    const float from = startMs[onset] - leadInMs;
    const float length = std::fmax(startMs[seq[last].phone == Phone::Sil ? last : last + 1] + tailMs - from, 1.0f);
    if (onset > 0) {  // the reset: the sentence starts high again
      anchor(from, base * (1.0f + 0.4f * range));
    }
    for (std::size_t k = onset; k <= last; ++k) {
      const UtterancePhone& p = u.phones[k];
      if (!isVowel(p.phone)) continue;
      const float t = startMs[k];
      const float progress = (t + 0.5f * p.durationMs - from) / length;
      const float baseLine = base * (1.0f - 0.12f * progress);
      // An emphasised word's accent rises well above the top line: the strongest of its phrase.
      const bool emphasised = seq[k].emphasis;
      const float topLine = baseLine * (1.0f + range * (1.0f - 0.4f * progress) * (emphasised ? 2.2f : 1.0f));
      // The last vowel before a comma's pause: the phrase goes on after it.
      std::size_t next = k + 1;
      while (next <= last && seq[next].phone != Phone::Sil && !isVowel(seq[next].phone)) ++next;
      const bool continues = next < last && seq[next].phone == Phone::Sil && breakAfter[next] == ',';
      if (static_cast<int>(k) == lastVowel && rises) {
        anchor(t, baseLine);
        anchor(t + p.durationMs, base * (1.0f + 2.0f * range));
      } else if (static_cast<int>(k) == lastVowel) {
        anchor(t, p.stress == 1 ? topLine : baseLine * 1.05f);
        anchor(t + p.durationMs, baseLine * (1.0f - 0.5f * range));
      } else if (continues) {
        anchor(t, p.stress == 1 ? topLine : baseLine);
        anchor(t + p.durationMs, (p.stress == 1 ? topLine : baseLine) * (1.0f + 0.5f * range));
        anchor(startMs[next], anchorsF.back());  // held over the consonants up to the pause
      } else if (emphasised && p.stress == 1) {
        // Held across the vowel (a phone's F0 runs straight from its start to its end, so a peak at
        // its middle would never sound): it rises on the onset and stays up.
        anchor(t, topLine);
        anchor(t + p.durationMs, topLine);
      } else {
        anchor(t + 0.5f * p.durationMs, p.stress == 1 ? topLine : baseLine * (1.0f + 0.25f * range));
      }
    }
    if (lastVowel >= 0 && last > static_cast<std::size_t>(lastVowel)) {  // the end, held up to the closing pause
      anchor(startMs[last], anchorsF.back());
    }
    first = last + 1;
  }
  anchor(total + 1.0f, anchorsF.back());
  // A low voice's falls stop at the lowest F0 the chain's pitch tracker follows (60 Hz, with a
  // margin for the flutter): below it the tracker locks onto F1's ringing (~500 Hz for a 57 Hz
  // /eh/), and a Golem's stabilizer and fifth below followed that at every sentence's end. A
  // speaker pitched lower still keeps its own pitch as the floor.
  const float lowest = std::fmin(base, kLowestContourHz);
  for (float& f : anchorsF) f = std::fmax(f, lowest);
  auto f0At = [&](float time) {
    std::size_t k = 1;
    while (k < anchorsT.size() - 1 && anchorsT[k] < time) ++k;
    const float t0 = anchorsT[k - 1], t1 = anchorsT[k];
    const float a = t1 > t0 ? (time - t0) / (t1 - t0) : 1.0f;
    return anchorsF[k - 1] + (anchorsF[k] - anchorsF[k - 1]) * (a < 0.0f ? 0.0f : (a > 1.0f ? 1.0f : a));
  };
  for (std::size_t k = 0; k < u.phones.size(); ++k) {
    UtterancePhone& p = u.phones[k];
    const float t = startMs[k];
    // An SSML <prosody pitch> scope raises or lowers the contour under its words.
    p.f0StartHz = f0At(t) * seq[k].pitch;
    p.f0EndHz = f0At(t + p.durationMs) * seq[k].pitch;
  }
  return result;
}

SpeakerSettings varySpeaker(const SpeakerSettings& base, std::uint64_t seed, float amount) noexcept {
  const float a = std::isfinite(amount) ? std::fmin(std::fmax(amount, 0.0f), 1.0f) : 0.0f;
  Random random(seed, 0x5BEA4E);  // its own stream: the seed's other uses draw elsewhere
  const float pitch = random.bipolar(), tract = random.bipolar(), breath = random.bipolar(), pace = random.bipolar();
  SpeakerSettings s = base;
  s.basePitchHz = base.basePitchHz * std::exp2(a * pitch * (4.0f / 12.0f));
  s.tractLengthCm = base.tractLengthCm * (1.0f + 0.08f * a * tract);
  s.breathiness = std::fmin(std::fmax(base.breathiness + 0.1f * a * breath, 0.0f), 1.0f);
  s.rate = base.rate * (1.0f + 0.08f * a * pace);
  clampSpeaker(s);
  return s;
}

}  // namespace vocalsynth::speech
