// Speech front end and synthesizer, measured on their output.
#include <gtest/gtest.h>

#include <algorithm>

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "test_helpers.h"
#include "vocalsynth/speech/synthesizer.h"

using namespace vocalsynth::speech;

namespace {

// A tiny lexicon in the en_us.vslex format (see tools/gen_lexicon.py): codes are chr(48 + i) over
// 15 vowels x stress 0-2, then 24 consonants.
std::string code(const char* arpabet) {
  static const char* const kVowels[] = {"AA", "AE", "AH", "AO", "AW", "AY", "EH", "ER",
                                        "EY", "IH", "IY", "OW", "OY", "UH", "UW"};
  static const char* const kCons[] = {"B",  "CH", "D", "DH", "F",  "G", "HH", "JH", "K", "L", "M", "N",
                                      "NG", "P",  "R", "S",  "SH", "T", "TH", "V",  "W", "Y", "Z", "ZH"};
  std::string a(arpabet);
  if (a.back() >= '0' && a.back() <= '2') {
    for (int v = 0; v < 15; ++v) {
      if (a.substr(0, a.size() - 1) == kVowels[v])
        return std::string(1, static_cast<char>('0' + v * 3 + (a.back() - '0')));
    }
  }
  for (int c = 0; c < 24; ++c) {
    if (a == kCons[c]) return std::string(1, static_cast<char>('0' + 45 + c));
  }
  return "?";
}

std::string entry(int shared, const std::string& suffix, std::initializer_list<const char*> phones) {
  std::string line(1, static_cast<char>('0' + shared));
  line += suffix + " ";
  for (const char* p : phones) line += code(p);
  return line + "\n";
}

Lexicon smallLexicon() {
  std::string data;
  data += entry(0, "are", {"AA1", "R"});
  data += entry(0, "lost", {"L", "AO1", "S", "T"});
  data += entry(0, "the", {"DH", "AH0"});
  data += entry(0, "wolf", {"W", "UH1", "L", "F"});
  data += entry(0, "you", {"Y", "UW1"});
  Lexicon lex;
  EXPECT_TRUE(lex.load(data));
  return lex;
}

/// The last vowel of the line `text` (spoken by the default speaker): where its contour ends.
UtterancePhone lastVowel(const Lexicon& lex, const char* text) {
  const Utterance u = buildUtterance(text, lex, SpeakerSettings{}).utterance;
  for (auto it = u.phones.rbegin(); it != u.phones.rend(); ++it) {
    if (isVowel(it->phone)) return *it;
  }
  return UtterancePhone{};
}

std::string names(const std::vector<std::pair<Phone, int>>& pron) {
  std::string out;
  for (const auto& [p, s] : pron) {
    if (!out.empty()) out += ' ';
    out += phoneSymbol(p, s);
  }
  return out;
}

/// One word's phones in an utterance, with their stress.
std::string wordPhones(const Utterance& u, int word) {
  std::vector<std::pair<Phone, int>> pron;
  for (int k = 0; k < u.words[word].phoneCount; ++k) {
    const UtterancePhone& ph = u.phones[u.words[word].firstPhone + k];
    pron.emplace_back(ph.phone, ph.stress);
  }
  return names(pron);
}

/// Every word's phones in an utterance, the words joined by " | ".
std::string linePhones(const Utterance& u) {
  std::string all;
  for (int w = 0; w < static_cast<int>(u.words.size()); ++w) all += (w ? " | " : "") + wordPhones(u, w);
  return all;
}

}  // namespace

TEST(Phonemes, ParseArpabetWithStress) {
  Phone p;
  int s;
  ASSERT_TRUE(parsePhone("AH0", 3, p, s));
  EXPECT_EQ(p, Phone::AH);
  EXPECT_EQ(s, 0);
  ASSERT_TRUE(parsePhone("sh", 2, p, s));
  EXPECT_EQ(p, Phone::SH);
  EXPECT_EQ(s, -1);
  EXPECT_FALSE(parsePhone("XX", 2, p, s));
  EXPECT_FALSE(parsePhone("B1", 2, p, s));  // consonants carry no stress
  EXPECT_EQ(phoneSymbol(Phone::AH, 0), "AH0");
  EXPECT_EQ(phoneSymbol(Phone::SH, -1), "SH");
}

TEST(Lexicon, LooksUpAndRejectsMalformedData) {
  const Lexicon lex = smallLexicon();
  EXPECT_EQ(lex.size(), 5u);
  std::vector<std::pair<Phone, int>> pron;
  ASSERT_TRUE(lex.lookup("Wolf", pron));
  EXPECT_EQ(names(pron), "W UH1 L F");
  EXPECT_FALSE(lex.lookup("dragon", pron));
  Lexicon bad;
  EXPECT_FALSE(bad.load("0zebra 5\n0apple 5\n"));  // not sorted
  EXPECT_FALSE(bad.load("no-space-here\n"));
  EXPECT_TRUE(bad.empty());
}

TEST(LetterToSound, NamesOutsideTheLexicon) {
  std::vector<std::pair<Phone, int>> pron;
  letterToSound("Aethelred", pron);
  EXPECT_EQ(names(pron), "AE1 TH EH0 L R EH0 D");
  letterToSound("Volkh", pron);
  EXPECT_EQ(names(pron), "V AA1 L K");
  letterToSound("cake", pron);  // magic e
  EXPECT_EQ(names(pron), "K EY1 K");
  letterToSound("Ciri", pron);  // soft c
  EXPECT_EQ(pron.front().first, Phone::S);
  letterToSound("Xyphos", pron);  // an initial x is a z (it was "K S")
  EXPECT_EQ(names(pron), "Z IH1 F AA0 S");
  letterToSound("Vexis", pron);  // elsewhere "K S"
  EXPECT_EQ(names(pron), "V EH1 K S IH0 S");
  // A vowel and a final h: an open vowel, no h ("G R AE1 HH", "AE1 AE0 HH", "D AA1 HH").
  letterToSound("grah", pron);
  EXPECT_EQ(names(pron), "G R AA1");
  letterToSound("aah", pron);
  EXPECT_EQ(names(pron), "AA1");
  letterToSound("doh", pron);
  EXPECT_EQ(names(pron), "D OW1");
  letterToSound("huh", pron);  // the h that starts it stays
  EXPECT_EQ(names(pron), "HH AH1");
}

TEST(FrontEnd, CompoundsOfDictionaryWordsAreReadAsTheirWords) {
  std::string data;
  data += entry(0, "afl", {"EY1", "EH1", "F", "EH1", "L"});  // an acronym, spelt letter by letter
  data += entry(0, "breaker", {"B", "R", "EY1", "K", "ER0"});
  data += entry(0, "oath", {"OW1", "TH"});
  data += entry(0, "rim", {"R", "IH1", "M"});
  data += entry(0, "sky", {"S", "K", "AY1"});
  data += entry(0, "wolf", {"W", "UH1", "L", "F"});
  Lexicon lex;
  ASSERT_TRUE(lex.load(data));
  const auto u = buildUtterance("Oathbreaker Skyrim wolfafl", lex, SpeakerSettings{}).utterance;
  ASSERT_EQ(u.words.size(), 3u);
  auto phonesOf = [&](int w) { return wordPhones(u, w); };
  // Compound stress: the second word's primary stress becomes secondary.
  EXPECT_EQ(phonesOf(0), "OW1 TH B R EY2 K ER0");
  EXPECT_EQ(phonesOf(1), "S K AY1 R IH2 M");
  // A spelt-out acronym is no word to build with: letter-to-sound reads it.
  std::vector<std::pair<Phone, int>> rules;
  letterToSound("wolfafl", rules);
  EXPECT_EQ(phonesOf(2), names(rules));
}

TEST(FrontEnd, AnEmphasisedWordIsLongerAndCarriesTheStrongestAccent) {
  const Lexicon lex;
  const auto plain = buildUtterance("I will never kneel to you", lex, SpeakerSettings{}).utterance;
  const auto leaned = buildUtterance("I will **never** kneel to you", lex, SpeakerSettings{}).utterance;
  ASSERT_EQ(plain.words.size(), leaned.words.size());  // the marks are not words
  auto stressedVowel = [](const Utterance& u, int word) {
    for (int k = 0; k < u.words[word].phoneCount; ++k) {
      const UtterancePhone& p = u.phones[u.words[word].firstPhone + k];
      if (isVowel(p.phone) && p.stress == 1) return p;
    }
    return UtterancePhone{};
  };
  auto highestF0 = [](const Utterance& u, int word) {  // over the word's phones
    float f0 = 0.0f;
    for (int k = 0; k < u.words[word].phoneCount; ++k) {
      const UtterancePhone& p = u.phones[u.words[word].firstPhone + k];
      f0 = std::max({f0, p.f0StartHz, p.f0EndHz});
    }
    return f0;
  };
  float elsewhere = 0.0f;  // the highest F0 of every other word of the line
  for (int w = 0; w < static_cast<int>(leaned.words.size()); ++w) {
    if (w != 2) elsewhere = std::max(elsewhere, highestF0(leaned, w));
  }
  EXPECT_GT(stressedVowel(leaned, 2).durationMs, 1.25f * stressedVowel(plain, 2).durationMs);
  EXPECT_GT(highestF0(leaned, 2), 1.12f * highestF0(plain, 2));
  EXPECT_GT(highestF0(leaned, 2), elsewhere);  // (the word before rises into it)
  EXPECT_NEAR(highestF0(leaned, 0), highestF0(plain, 0), 0.01f * highestF0(plain, 0));  // the rest: as before
  EXPECT_GT(leaned.totalMs(), plain.totalMs());
}

TEST(FrontEnd, AnInitialismInCapitalsIsNotAShoutedWord) {
  // "He's the CEO" was said with "CEO" as the line's strongest accent, as "I said NEVER" is.
  std::string data;
  data += entry(0, "ceo", {"S", "IY1", "IY2", "OW1"});  // as the CMU dictionary spells them
  data += entry(0, "fbi", {"EH1", "F", "B", "IY1", "AY1"});
  data += entry(0, "never", {"N", "EH1", "V", "ER0"});
  data += entry(0, "vip", {"V", "IY2", "AY2", "P", "IY1"});
  Lexicon lex;
  ASSERT_TRUE(lex.load(data));
  auto shape = [&](const char* line) {
    const auto u = buildUtterance(line, lex, SpeakerSettings{}).utterance;
    std::vector<float> out{u.totalMs()};
    for (const auto& p : u.phones) out.insert(out.end(), {p.durationMs, p.f0StartHz, p.f0EndHz, p.gain});
    return out;
  };
  EXPECT_EQ(shape("He is the CEO of the guild"), shape("He is the ceo of the guild"));
  EXPECT_EQ(shape("Call the FBI now"), shape("Call the fbi now"));
  EXPECT_EQ(shape("He is a VIP here"), shape("He is a vip here"));
  // A short word in capitals that is no word is spelt, not shouted ("AFK" was "AE1 F K").
  const auto afk = buildUtterance("I went AFK again", lex, SpeakerSettings{}).utterance;
  ASSERT_EQ(afk.words.size(), 4u);
  EXPECT_EQ(wordPhones(afk, 2), "EY2 EH2 F K EY1");
  for (const auto& p : afk.phones) EXPECT_EQ(p.gain, 1.0f);
  EXPECT_NE(shape("I said NEVER to them"), shape("I said never to them"));  // a word in capitals still is
}

TEST(FrontEnd, DrawnOutSpellingsGrowlsAndHumsAreHeldNotSpelt) {
  std::string data;
  data += entry(0, "brains", {"B", "R", "EY1", "N", "Z"});
  data += entry(0, "cool", {"K", "UW1", "L"});
  data += entry(0, "no", {"N", "OW1"});
  data += entry(0, "so", {"S", "OW1"});
  data += entry(2, "o", {"S", "UW1"});  // "soo", a name: not what "sooo" says
  data += entry(0, "yes", {"Y", "EH1", "S"});
  Lexicon lex;
  ASSERT_TRUE(lex.load(data));
  struct Said {
    std::string phones;
    std::vector<float> ms;
  };
  auto said = [&](const char* text) {
    const auto u = buildUtterance(text, lex, SpeakerSettings{}).utterance;
    Said s;
    std::vector<std::pair<Phone, int>> pron;
    for (const auto& p : u.phones) {
      if (p.phone == Phone::Sil) continue;
      pron.emplace_back(p.phone, p.stress);
      s.ms.push_back(p.durationMs);
    }
    s.phones = names(pron);
    return s;
  };
  // The word is the dictionary's, its drawn-out letter held: "B R AE1 AE0 EY0 N S" before.
  EXPECT_EQ(said("braaains").phones, said("brains").phones);
  EXPECT_GT(said("braaains").ms[2], 2.0f * said("brains").ms[2]);
  EXPECT_EQ(said("nooo").phones, "N OW1");
  EXPECT_GT(said("nooo").ms[1], 2.0f * said("no").ms[1]);
  EXPECT_EQ(said("coool").phones, "K UW1 L");  // a run kept at two letters when that is a word
  EXPECT_EQ(said("sooo").phones, "S OW1");     // ... but a two-letter word wins: so, not soo
  const Said yes = said("yesss");              // the hiss is held, not the vowel
  EXPECT_EQ(yes.phones, "Y EH1 S");
  EXPECT_GE(yes.ms[2], 400.0f);
  EXPECT_LT(yes.ms[1], 1.3f * said("yes").ms[1]);
  // Growls, hums and hushes (letter-to-sound gave "grrr" a bare G R, "hmm" an instant of M).
  EXPECT_EQ(said("grrr").phones, "G ER1");
  EXPECT_GE(said("grrr").ms[1], 400.0f);
  EXPECT_EQ(said("hmm").phones, "HH M");
  EXPECT_GE(said("hmm").ms[1], 400.0f);
  EXPECT_EQ(said("shh").phones, "SH");
  EXPECT_GE(said("hsss").ms.back(), 400.0f);
  for (float ms : said("tsk").ms) EXPECT_LT(ms, 150.0f);  // a scoff is not held
  EXPECT_EQ(said("hahaha").phones, "HH AA1 HH AA2 HH AA2");
  EXPECT_EQ(said("mwahahaha").phones, "M W AA1 HH AA2 HH AA2 HH AA2");  // was "M W AE1 HH AE0 ..."
  EXPECT_EQ(said("bwahaha").phones, "B W AA1 HH AA2 HH AA2");
}

TEST(FrontEnd, StuttersSayTheOnsetOfTheWordTheyBreakOff) {
  std::string data;  // (entries share a prefix with the one before: "please" after "please" is 6)
  data += entry(0, "but", {"B", "AH1", "T"});
  data += entry(0, "eek", {"IY1", "K"});
  data += entry(1, "k", {"EH1", "K"});
  data += entry(0, "please", {"P", "L", "IY1", "Z"});
  data += entry(0, "stay", {"S", "T", "EY1"});
  data += entry(0, "the", {"DH", "AH0"});
  data += entry(0, "what", {"W", "AH1", "T"});
  data += entry(0, "who's", {"HH", "UW1", "Z"});
  Lexicon lex;
  ASSERT_TRUE(lex.load(data));
  auto said = [&](const char* text) { return linePhones(buildUtterance(text, lex, SpeakerSettings{}).utterance); };
  // They were the letters' names: "B IY1 | B AH1 T", "D AH1 B AH0 L Y UW0 EY1 CH | HH UW1 Z".
  EXPECT_EQ(said("B-but"), "B AH0 | B AH1 T");     // a stop takes a schwa
  EXPECT_EQ(said("Wh-who's"), "HH | HH UW1 Z");    // the word's onset, not its spelling
  EXPECT_EQ(said("s-s-stay"), "S | S | S T EY1");  // as often as written, one letter each
  // Three marks or more before the word (the fuzzer's "sh-sh-sh-sh-shut": the search for the word
  // went back to the first mark each time, and never ended).
  EXPECT_EQ(said("s-s-s-s-stay"), "S | S | S | S | S T EY1");
  EXPECT_EQ(said("St-stay"), "S T AH0 | S T EY1");
  EXPECT_EQ(said("P-please"), "P AH0 | P L IY1 Z");
  EXPECT_EQ(said("Th-the"), "DH | DH AH0");
  EXPECT_EQ(normalizeText("W-what? B-b-but I-I can't. Co-conspirator, x-ray, so-so."),
            "~w what ? ~b ~b but i i can't . co conspirator , x ray , so so .");
  // A drawn-out word ending in a consonant is the dictionary's two-letter run, "eek" ("ek" was said).
  EXPECT_EQ(said("eeeeek"), "IY1 K");
}

TEST(FrontEnd, HeteronymsAreReadAsTheirNeighboursSay) {
  const Lexicon lex;  // the readings come from the rules, not the dictionary's single entry
  auto said = [&](const char* line, const char* word) {
    const auto u = buildUtterance(line, lex, SpeakerSettings{}).utterance;
    for (int w = 0; w < static_cast<int>(u.words.size()); ++w) {
      if (u.words[w].text == word) return wordPhones(u, w);
    }
    return std::string("(no such word)");
  };
  EXPECT_EQ(said("Long live the king!", "live"), "L IH1 V");
  EXPECT_EQ(said("Is it a live one?", "live"), "L AY1 V");
  EXPECT_EQ(said("A deep wound.", "wound"), "W UW1 N D");
  EXPECT_EQ(said("Hear the wind.", "wind"), "W IH1 N D");
  EXPECT_EQ(said("I must wind the clock.", "wind"), "W AY1 N D");
  EXPECT_EQ(said("Lead the way.", "lead"), "L IY1 D");
  EXPECT_EQ(said("A ball of lead.", "lead"), "L EH1 D");
  EXPECT_EQ(said("I have read it.", "read"), "R EH1 D");
  EXPECT_EQ(said("Read this.", "read"), "R IY1 D");
  EXPECT_EQ(said("I already read it.", "read"), "R EH1 D");
  EXPECT_EQ(said("I read yesterday.", "read"), "R EH1 D");
  EXPECT_EQ(said("Bow before me.", "bow"), "B AW1");
  EXPECT_EQ(said("Take my bow and go.", "bow"), "B OW1");
  EXPECT_EQ(said("Tears of blood.", "tears"), "T IH1 R Z");
  EXPECT_EQ(said("It tears them apart.", "tears"), "T EH1 R Z");
  EXPECT_EQ(said("Close the gate.", "close"), "K L OW1 Z");
  EXPECT_EQ(said("Close **the** gate.", "close"), "K L OW1 Z");  // emphasis marks are not words
  EXPECT_EQ(said("Come close.", "close"), "K L OW1 S");
  EXPECT_EQ(said("We used to hunt.", "used"), "Y UW1 S T");
  EXPECT_EQ(said("What use is it?", "use"), "Y UW1 S");
  EXPECT_EQ(said("Use the key.", "use"), "Y UW1 Z");
  EXPECT_EQ(said("The desert.", "desert"), "D EH1 Z ER0 T");
  EXPECT_EQ(said("Do not desert me.", "desert"), "D IH0 Z ER1 T");
}

TEST(Normalize, NumbersCurrencyTimesAbbreviations) {
  EXPECT_EQ(normalizeText("Dr. Smith paid $5.20"), "doctor smith paid five dollars and twenty cents");
  EXPECT_EQ(normalizeText("1,250 men in 1984"), "one thousand two hundred fifty men in nineteen eighty four");
  EXPECT_EQ(normalizeText("the 21st day, at 3:05"), "the twenty first day , at three oh five");
  EXPECT_EQ(normalizeText("7:00 or 12th"), "seven o'clock or twelfth");
  EXPECT_EQ(normalizeText("50% off!"), "fifty percent off !");
  EXPECT_EQ(normalizeText("pi is 3.14"), "pi is three point one four");
  EXPECT_EQ(normalizeText("\"Hello\" (she said) & left"), "hello she said and left");
  EXPECT_EQ(normalizeText("Caf\xC3\xA9 na\xC3\xAFve Ragnar\xC3\xB6k \xC3\x86sir"), "cafe naive ragnarok aesir");
}

TEST(Normalize, CompoundsSignedNumbersRangesAndSymbols) {
  // A hyphen inside a compound is a word break, not a phrase pause (it was read "blood , soaked").
  EXPECT_EQ(normalizeText("a blood-soaked, half-dead twenty-one"), "a blood soaked , half dead twenty one");
  EXPECT_EQ(normalizeText("wait - listen"), "wait - listen");  // a spaced dash still pauses
  EXPECT_EQ(normalizeText("it is -5 out (-12 at night)"), "it is minus five out minus twelve at night");
  // clang-format off
  EXPECT_EQ(normalizeText("2-3 days, 10\xE2\x80\x93" "20 men, won 3-2"), "two to three days , ten to twenty men , won three two");
  EXPECT_EQ(normalizeText("-5\xC2\xB0" "C or 1\xC2\xB0 more, 40\xC2\xB0" "F"),
            "minus five degrees celsius or one degree more , forty degrees fahrenheit");
  // clang-format on
  EXPECT_EQ(normalizeText("2\xC2\xBD miles, \xC2\xBD a loaf, \xC2\xBE done"),
            "two and a half miles , one half a loaf , three quarters done");
  // Written with a slash the same ("two one half hours" was said).
  EXPECT_EQ(normalizeText("2 1/2 hours, 3 3/4 miles, 1/2 a loaf, 10 1/3 of it"),
            "two and a half hours , three and three quarters miles , one half a loaf , ten and a third of it");
  EXPECT_EQ(normalizeText("my #1 fan"), "my number one fan");
}

TEST(Normalize, TypographicPunctuationReadsAsItsAscii) {
  // What word processors and language models write: curly apostrophes kept contractions apart
  // ("don t"), and the ellipsis and dashes were dropped, so they made no pause.
  EXPECT_EQ(normalizeText("I don\xE2\x80\x99t know, it\xE2\x80\x99s the king\xE2\x80\x99s"),
            normalizeText("I don't know, it's the king's"));
  EXPECT_EQ(normalizeText("\xE2\x80\x9CRun,\xE2\x80\x9D she said"), "run , she said");
  EXPECT_EQ(normalizeText("wait\xE2\x80\xA6 listen"), normalizeText("wait... listen"));
  EXPECT_EQ(normalizeText("I\xE2\x80\x94I cannot"), "i - i cannot");
  EXPECT_EQ(normalizeText("wait \xE2\x80\x93 listen"), "wait - listen");
  EXPECT_EQ(normalizeText("wait\xC2\xA0listen"), "wait listen");
}

TEST(Normalize, ActionsInAsterisksAreNotSpoken) {
  EXPECT_EQ(normalizeText("*sighs* Fine. *narrows her eyes* Come in."), "fine . come in .");
  EXPECT_EQ(normalizeText("I will **never** kneel"), "i will ** never ** kneel");  // emphasis marks
  EXPECT_EQ(normalizeText("five * three"), "five three");  // no closing asterisk: nothing is dropped
  // A word in capitals stresses it, unless the whole line is in capitals (shouting).
  EXPECT_EQ(normalizeText("I said NEVER."), "i said ** never ** .");
  EXPECT_EQ(normalizeText("GET OUT!"), "get out !");
  EXPECT_EQ(normalizeText("Go NOW, OK?"), "go ** now ** , ok ?");  // two letters: not stressed
}

TEST(Normalize, NumeralsAfterNamesAreOrdinalsOrNumbers) {
  EXPECT_EQ(normalizeText("Long live Edward III, son of Henry V."),
            "long live edward the third , son of henry the fifth .");
  EXPECT_EQ(normalizeText("Louis XIV and Pius XII"), "louis the fourteenth and pius the twelfth");
  EXPECT_EQ(normalizeText("since World War II, read Chapter IV"), "since world war two , read chapter four");
  // Not numerals: the pronoun, shouting, non-canonical letters, no name before.
  EXPECT_EQ(normalizeText("Then I ran"), "then i ran");
  EXPECT_EQ(normalizeText("I DID IT"), "i did it");
  EXPECT_EQ(normalizeText("Henry IIII or Henry IIV"), "henry ** iiii ** or henry ** iiv **");  // words in capitals
  EXPECT_EQ(normalizeText("II is two"), "ii is two");
}

TEST(FrontEnd, DurationsFollowStressAndPhraseFinalLengthening) {
  const Lexicon lex = smallLexicon();
  const auto u = buildUtterance("you are lost", lex, SpeakerSettings{}).utterance;
  // "you" UW1 (not final) vs "lost" AO1 (phrase final): the final syllable is lengthened.
  float uw = 0, ao = 0, ah = 0;
  for (const auto& p : u.phones) {
    if (p.phone == Phone::UW) uw = p.durationMs;
    if (p.phone == Phone::AO) ao = p.durationMs;
  }
  // Klatt 1979: DUR = MIN + (INH - MIN) * PRCNT / 100, phrase-final PRCNT = 140.
  const PhoneInfo& aoInfo = phoneInfo(Phone::AO);
  EXPECT_NEAR(ao, aoInfo.minimumMs + (aoInfo.inherentMs - aoInfo.minimumMs) * 1.4f, 0.5f);
  EXPECT_GT(ao, aoInfo.inherentMs);
  EXPECT_GT(uw, 100.0f);
  const auto the = buildUtterance("the wolf", lex, SpeakerSettings{}).utterance;
  for (const auto& p : the.phones) {
    if (p.phone == Phone::AH) ah = p.durationMs;
  }
  EXPECT_LT(ah, 0.8f * phoneInfo(Phone::AH).inherentMs);  // unstressed: shortened
  SpeakerSettings fast;
  fast.rate = 2.0f;
  EXPECT_NEAR(buildUtterance("you are lost", lex, fast).utterance.totalMs(), 0.5f * u.totalMs(), 1.0f);
}

TEST(FrontEnd, QuestionsRiseStatementsFall) {
  const Lexicon lex = smallLexicon();
  const auto question = lastVowel(lex, "are you lost?");
  const auto statement = lastVowel(lex, "you are lost.");
  EXPECT_GT(question.f0EndHz, 1.3f * question.f0StartHz);
  EXPECT_LT(statement.f0EndHz, 0.9f * statement.f0StartHz);
  EXPECT_GT(question.f0EndHz, 120.0f * 1.3f);
}

TEST(FrontEnd, EachSentenceIsItsOwnPhrase) {
  // Intonation sentence by sentence (Pierrehumbert 1980): the same sentence twice in a line is
  // spoken twice with the same contour (one declination over the whole line sank the second
  // copy ~12% and left the first without its fall); a wh-question falls where a yes/no question
  // rises, unless it is one word ("who?" asks for a repeat); a comma's phrase ends rising.
  const Lexicon lex = smallLexicon();
  const Utterance twice = buildUtterance("you are lost. you are lost.", lex, SpeakerSettings{}).utterance;
  std::vector<UtterancePhone> first, second;
  for (const UtterancePhone& p : twice.phones) {
    if (p.word >= 0) (p.word < 3 ? first : second).push_back(p);
  }
  ASSERT_EQ(first.size(), second.size());
  for (std::size_t k = 0; k < first.size(); ++k) {
    EXPECT_NEAR(second[k].f0StartHz, first[k].f0StartHz, 0.01f * first[k].f0StartHz) << "phone " << k;
    EXPECT_NEAR(second[k].f0EndHz, first[k].f0EndHz, 0.01f * first[k].f0EndHz) << "phone " << k;
  }
  const UtterancePhone& fall = first[first.size() - 3];  // "lost"'s vowel: the first sentence ends falling
  ASSERT_EQ(fall.phone, Phone::AO);
  EXPECT_LT(fall.f0EndHz, 0.9f * fall.f0StartHz);
  EXPECT_GT(second.front().f0StartHz, 1.25f * fall.f0EndHz);  // and the next starts high again

  const UtterancePhone wh = lastVowel(lex, "who are you?"), yesNo = lastVowel(lex, "are you lost?"),
                       who = lastVowel(lex, "who?");
  EXPECT_LT(wh.f0EndHz, 0.9f * wh.f0StartHz);
  EXPECT_GT(yesNo.f0EndHz, 1.3f * yesNo.f0StartHz);
  EXPECT_GT(who.f0EndHz, 1.3f * who.f0StartHz);

  const Utterance listed = buildUtterance("you, the wolf.", lex, SpeakerSettings{}).utterance;
  const UtterancePhone& you = listed.phones[static_cast<std::size_t>(listed.words[0].firstPhone + 1)];
  ASSERT_EQ(you.phone, Phone::UW);
  EXPECT_GT(you.f0EndHz, 1.05f * you.f0StartHz);  // the phrase goes on
  const UtterancePhone alone = lastVowel(lex, "you.");
  EXPECT_LT(alone.f0EndHz, 0.9f * alone.f0StartHz);

  // A low voice's falls stop at 62 Hz, above the 60 Hz the chain's pitch tracker follows down to
  // (below it the tracker read a 57 Hz /eh/ as 536 Hz), and still fall.
  SpeakerSettings low;
  low.basePitchHz = 70.0f;
  const Utterance golem = buildUtterance("you are lost. you are lost.", lex, low).utterance;
  float lowest = 1000.0f;
  for (const UtterancePhone& p : golem.phones) {
    if (p.word >= 0) lowest = std::fmin(lowest, std::fmin(p.f0StartHz, p.f0EndHz));
  }
  EXPECT_NEAR(lowest, 62.0f, 0.01f);
  const UtterancePhone lowFall = golem.phones[static_cast<std::size_t>(golem.words[2].firstPhone + 1)];
  ASSERT_EQ(lowFall.phone, Phone::AO);
  EXPECT_LT(lowFall.f0EndHz, 0.9f * lowFall.f0StartHz);
}

TEST(FrontEnd, ExplicitPhonemesAndTheirErrors) {
  const Lexicon lex = smallLexicon();
  const auto ok = buildUtterance("{HH AH0 L OW1} wolf", lex, SpeakerSettings{});
  ASSERT_TRUE(ok.ok()) << ok.error;
  EXPECT_EQ(ok.utterance.words.size(), 2u);
  EXPECT_FALSE(ok.utterance.words[0].fromLexicon);
  const auto bad = buildUtterance("{HH QQ0}", lex, SpeakerSettings{});
  EXPECT_FALSE(bad.ok());
  EXPECT_NE(bad.error.find("unknown phoneme 'QQ0'"), std::string::npos);
}

TEST(Synthesizer, StreamsIdenticallyAtAnyBlockSizeAndIsDeterministic) {
  const Lexicon lex = smallLexicon();
  const auto u = buildUtterance("are you lost? the wolf", lex, SpeakerSettings{}).utterance;
  auto render = [&](int block, std::uint64_t seed) {
    Synthesizer s;
    s.prepare(48000.0, 64);
    s.start(u, seed);
    std::vector<float> out(static_cast<size_t>(s.totalSamples()));
    size_t pos = 0;
    while (!s.finished())
      pos +=
          static_cast<size_t>(s.render(out.data() + pos, static_cast<int>(std::min<size_t>(block, out.size() - pos))));
    EXPECT_EQ(pos, out.size());
    return out;
  };
  const auto a = render(512, 1);
  EXPECT_EQ(vs_test::firstBitDifference(a, render(1, 1)), -1);
  EXPECT_EQ(vs_test::firstBitDifference(a, render(37, 1)), -1);
  EXPECT_NE(a, render(512, 2));
}

TEST(Synthesizer, PhoneStartsAreExactAndTheSignalHasNoClicks) {
  const Lexicon lex = smallLexicon();
  const auto u = buildUtterance("you are lost. the wolf?", lex, SpeakerSettings{}).utterance;
  Synthesizer s;
  s.prepare(48000.0, 64);
  ASSERT_TRUE(s.start(u, 1));
  std::vector<float> out(static_cast<size_t>(s.totalSamples()));
  ASSERT_EQ(s.render(out.data(), static_cast<int>(out.size())), static_cast<int>(out.size()));
  double expectedMs = 0.0;
  for (int i = 0; i < s.phoneCount(); ++i) {
    EXPECT_EQ(s.phoneStartSample(i), std::llround(expectedMs * 48.0)) << "phone " << i;
    expectedMs += u.phones[static_cast<size_t>(i)].durationMs;
  }
  float peak = 0.0f, jump = 0.0f;
  for (size_t i = 1; i < out.size(); ++i) {
    peak = std::max(peak, std::fabs(out[i]));
    jump = std::max(jump, std::fabs(out[i] - out[i - 1]));
  }
  EXPECT_GT(peak, 0.1f);
  EXPECT_LT(peak, 1.0f);
  EXPECT_LT(jump, 0.25f * peak) << "a sample-to-sample jump this large is an audible click";
  // An utterance larger than prepared for is refused, not overrun.
  Synthesizer tiny;
  tiny.prepare(48000.0, 2);
  EXPECT_FALSE(tiny.start(u, 1));
}

// Speaker settings from a Blueprint or a hand-edited asset are held to their ranges: a rate of 0
// made every phone endless (the renderer asked for an impossible buffer) and an infinite tract
// length turned the line to NaN.
TEST(FrontEnd, SpeakerSettingsOutsideTheirRangesAreHeldToThem) {
  const Lexicon lex = smallLexicon();
  const std::string line = "are you lost? the wolf";
  auto spoken = [&](SpeakerSettings speaker) { return buildUtterance(line, lex, speaker).utterance; };
  auto with = [](float SpeakerSettings::* member, float value) {
    SpeakerSettings s;
    s.*member = value;
    return s;
  };
  const float nan = std::numeric_limits<float>::quiet_NaN(), inf = std::numeric_limits<float>::infinity();
  // The slowest allowed rate (0.5) stands in for 0, negative and NaN... rates; 2 for huge ones.
  const float slowest = spoken(with(&SpeakerSettings::rate, 0.5f)).totalMs();
  EXPECT_GT(slowest, 1.5f * spoken(SpeakerSettings{}).totalMs());
  EXPECT_FLOAT_EQ(spoken(with(&SpeakerSettings::rate, 0.0f)).totalMs(), slowest);
  EXPECT_FLOAT_EQ(spoken(with(&SpeakerSettings::rate, -3.0f)).totalMs(), slowest);
  EXPECT_FLOAT_EQ(spoken(with(&SpeakerSettings::rate, 1e9f)).totalMs(),
                  spoken(with(&SpeakerSettings::rate, 2.0f)).totalMs());
  EXPECT_FLOAT_EQ(spoken(with(&SpeakerSettings::rate, nan)).totalMs(), spoken(SpeakerSettings{}).totalMs());
  // Pitch: a negative one is the lowest (50 Hz), NaN the default (120 Hz).
  auto highestF0 = [](const Utterance& u) {
    float f = 0.0f;
    for (const UtterancePhone& p : u.phones) f = std::max({f, p.f0StartHz, p.f0EndHz});
    return f;
  };
  EXPECT_FLOAT_EQ(highestF0(spoken(with(&SpeakerSettings::basePitchHz, -50.0f))),
                  highestF0(spoken(with(&SpeakerSettings::basePitchHz, 50.0f))));
  EXPECT_FLOAT_EQ(highestF0(spoken(with(&SpeakerSettings::basePitchHz, nan))), highestF0(spoken(SpeakerSettings{})));
  const Utterance held = spoken(SpeakerSettings{inf, -inf, nan, 1e-6f});
  EXPECT_EQ(held.speaker.basePitchHz, 120.0f);
  EXPECT_EQ(held.speaker.tractLengthCm, 17.5f);
  EXPECT_EQ(held.speaker.breathiness, 0.05f);
  EXPECT_EQ(held.speaker.rate, 0.5f);
  SpeakerSettings edges{400.0f, 25.0f, 1.0f, 2.0f};
  EXPECT_EQ(clampSpeaker(edges), 0) << "values at the edges are in range";
  SpeakerSettings outside{401.0f, 9.0f, 2.0f, nan};
  EXPECT_EQ(clampSpeaker(outside), 4);
  // Varied individuals stay in range too (a 400 Hz voice would go up to 504 Hz).
  const SpeakerSettings varied = varySpeaker(edges, 7, 1.0f);
  for (std::size_t i = 0; i < speakerInfoCount(); ++i) {
    const SpeakerInfo& info = speakerInfos()[i];
    EXPECT_GE(varied.*(info.member), info.minValue) << info.name;
    EXPECT_LE(varied.*(info.member), info.maxValue) << info.name;
  }
}

// An Utterance is a public struct: one made by hand with nonsense in it still renders a finite
// line of the length its playable phones add up to, and the same bits at any block size.
TEST(Synthesizer, AHandMadeUtteranceWithNonsenseValuesRendersFinite) {
  const Lexicon lex = smallLexicon();
  Utterance u = buildUtterance("are you lost? the wolf", lex, SpeakerSettings{}).utterance;
  const float nan = std::numeric_limits<float>::quiet_NaN(), inf = std::numeric_limits<float>::infinity();
  ASSERT_GE(u.phones.size(), 6u);
  double playableMs = 0.0;
  for (std::size_t i = 0; i < u.phones.size(); ++i) {
    UtterancePhone& p = u.phones[i];
    // clang-format off
    switch (i % 6) {
      case 0: p.durationMs = nan; break;
      case 1: p.durationMs = -40.0f; break;
      case 2: p.f0StartHz = -200.0f; p.f0EndHz = inf; break;
      case 3: p.f0StartHz = nan; p.gain = inf; break;
      case 4: p.f0EndHz = 1e7f; p.gain = -1.0f; break;
      default: break;
    }
    // clang-format on
    if (i % 6 > 1) playableMs += p.durationMs;
  }
  u.speaker.tractLengthCm = inf;
  u.effort = nan;
  u.breathiness = -inf;
  Synthesizer s;
  ASSERT_TRUE(s.prepare(16000.0, 64));
  ASSERT_TRUE(s.start(u, 3));
  EXPECT_EQ(s.totalSamples(), std::llround(playableMs * 16.0));
  auto render = [&](int block) {
    s.start(u, 3);
    std::vector<float> out(static_cast<size_t>(s.totalSamples()));
    size_t pos = 0;
    while (pos < out.size()) {
      const int written = s.render(out.data() + pos, static_cast<int>(std::min<size_t>(block, out.size() - pos)));
      if (written < 1) break;
      pos += static_cast<size_t>(written);
    }
    EXPECT_EQ(pos, out.size());
    EXPECT_TRUE(s.finished()) << "the line is exactly totalSamples() long (phones of no sample included)";
    return out;
  };
  const std::vector<float> out = render(4096);
  float peak = 0.0f;
  for (float y : out) {
    ASSERT_TRUE(std::isfinite(y));
    peak = std::max(peak, std::fabs(y));
  }
  EXPECT_GT(peak, 0.01f) << "the playable phones still speak";
  EXPECT_LT(peak, 2.0f);
  EXPECT_EQ(out, render(7));
}

TEST(Synthesizer, AShortTractAtALowRateIsNoLouderThanAt48kHz) {
  // At 8 kHz a 10 cm tract's F3-F5 lie above Nyquist; clamped just below it they stacked three
  // resonances on one frequency and a line peaked at +24 dBFS (the speech fuzzer's find). The
  // cascade now keeps only the formants that fit (Klatt's number of cascade formants).
  const Lexicon lex = smallLexicon();
  auto peakAt = [&](double rate, float tract, Emotion emotion) {
    SpeakerSettings speaker;
    speaker.tractLengthCm = tract;
    const Utterance u =
        buildUtterance("{AH0} {IY1 K W AH0 L Z} {AE1} {ER1} are you lost", lex, speaker, emotion).utterance;
    Synthesizer s;
    EXPECT_TRUE(s.prepare(rate, static_cast<int>(u.phones.size())));
    EXPECT_TRUE(s.start(u, 5));
    std::vector<float> out(static_cast<size_t>(s.totalSamples()));
    EXPECT_EQ(s.render(out.data(), static_cast<int>(out.size())), static_cast<int>(out.size()));
    float peak = 0.0f;
    for (float y : out) peak = std::max(peak, std::fabs(y));
    return peak;
  };
  for (const float tract : {10.0f, 12.0f, 17.5f, 25.0f}) {
    for (const Emotion emotion : {Emotion::Neutral, Emotion::Rage}) {
      const float reference = peakAt(48000.0, tract, emotion);
      for (const double rate : {8000.0, 11025.0, 16000.0}) {
        const float peak = peakAt(rate, tract, emotion);
        EXPECT_GT(peak, 0.3f * reference) << rate << " Hz, " << tract << " cm";
        EXPECT_LT(peak, 1.5f * reference) << rate << " Hz, " << tract << " cm";
      }
    }
  }
}

TEST(Synthesizer, StartAndRenderNeverAllocate) {
  const Lexicon lex = smallLexicon();
  const auto u = buildUtterance("are you lost? the wolf", lex, SpeakerSettings{}, Emotion::Rage).utterance;
  Synthesizer s;
  s.prepare(48000.0, 256);  // allocates, once
  std::vector<float> block(256);
  vs_test::gAllocations = 0;
  vs_test::gCountAllocations = true;
  for (int repeat = 0; repeat < 3; ++repeat) {
    s.start(u, static_cast<std::uint64_t>(repeat));
    while (!s.finished()) s.render(block.data(), 256);
  }
  vs_test::gCountAllocations = false;
  EXPECT_EQ(vs_test::gAllocations.load(), 0);
}

TEST(Visemes, EveryPhoneHasOneOfFifteen) {
  int used[kVisemeCount] = {};
  for (int p = 0; p < static_cast<int>(Phone::Count); ++p) {
    const int v = visemeOf(static_cast<Phone>(p));
    ASSERT_GE(v, 0);
    ASSERT_LT(v, kVisemeCount);
    ++used[v];
  }
  for (int v = 0; v < kVisemeCount; ++v) EXPECT_GT(used[v], 0) << visemeName(v);
  EXPECT_STREQ(visemeName(visemeOf(Phone::M)), "PP");
  EXPECT_STREQ(visemeName(visemeOf(Phone::S)), "SS");
  EXPECT_STREQ(visemeName(visemeOf(Phone::Sil)), "sil");
}

TEST(Synthesizer, EventsMarkWordsPhonesAndVisemesAtTheirExactSamples) {
  const Lexicon lex = smallLexicon();
  const auto u = buildUtterance("you are lost. the wolf", lex, SpeakerSettings{}).utterance;
  Synthesizer s;
  s.prepare(48000.0, 64);
  s.start(u, 1);
  std::vector<SpeechEvent> events;
  std::vector<float> block(300);
  std::int64_t rendered = 0;
  SpeechEvent batch[64];
  while (!s.finished()) {
    const int n = s.render(block.data(), 300);
    for (int k = s.popEvents(batch, 64); k > 0; k = s.popEvents(batch, 64)) {
      for (int e = 0; e < k; ++e) {
        EXPECT_EQ(batch[e].sample, rendered + batch[e].offsetInBlock);  // offset locates it in the block
        events.push_back(batch[e]);
      }
    }
    rendered += n;
  }
  int words = 0, phones = 0, visemes = 0;
  for (const auto& e : events) {
    if (e.type == SpeechEvent::Type::Word) {
      EXPECT_EQ(e.index, words);
      EXPECT_EQ(e.sample, s.phoneStartSample(u.words[static_cast<size_t>(words)].firstPhone));
      ++words;
    } else if (e.type == SpeechEvent::Type::Phone) {
      EXPECT_EQ(e.sample, s.phoneStartSample(e.index));
      ++phones;
    } else {
      ++visemes;
    }
  }
  EXPECT_EQ(words, static_cast<int>(u.words.size()));
  EXPECT_EQ(phones, s.phoneCount());
  EXPECT_GT(visemes, 5);
  EXPECT_LE(visemes, phones);
}

namespace {

// A slow line in explicit phones, rendered at 48 kHz, for measuring its phones' spectra.
struct SlowLine {
  Utterance utterance;
  Synthesizer synth;
  std::vector<float> audio;

  explicit SlowLine(const char* phones) {
    SpeakerSettings slow;
    slow.rate = 0.5f;
    const auto built = buildUtterance(phones, smallLexicon(), slow);
    EXPECT_TRUE(built.ok()) << built.error;
    utterance = built.utterance;
    audio = vs_test::renderSpeech(synth, utterance, 48000.0);
  }
  /// `length` samples from `start`, Hann-windowed.
  std::vector<float> frame(size_t start, size_t length) const {
    std::vector<float> out(length);
    for (size_t i = 0; i < length; ++i)
      out[i] = audio[start + i] * static_cast<float>(0.5 - 0.5 * std::cos(2.0 * 3.14159265358979 * (i + 0.5) / length));
    return out;
  }
};

/// The strongest harmonic in a band of a 48 kHz frame, in dB (a DFT on the bins of the band only).
double bandPeakDb(const std::vector<float>& frame, double lo, double hi) {
  double best = 0.0;
  for (double f = lo; f < hi; f += 48000.0 / static_cast<double>(frame.size()))
    best = std::max(best, vs_test::dtftMagnitude(frame, f, 48000.0));
  return vs_test::toDb(best);
}

}  // namespace

TEST(Synthesizer, VoicedSpeechKeepsItsUpperHarmonics) {
  // Five formants in cascade alone leave /a/'s harmonics above 5 kHz 100-160 dB below F1: a
  // muffled voice. With the higher-pole correction they fall off gently, as a real voice's do
  // (~ -63 dB re F1 at 5-6 kHz, -71 dB at 10 kHz).
  const SlowLine line("{AA1}");
  const Synthesizer& s = line.synth;
  int vowel = 0;  // the longest phone
  for (int i = 1; i < s.phoneCount(); ++i) {
    if (s.phoneStartSample(i + 1) - s.phoneStartSample(i) > s.phoneStartSample(vowel + 1) - s.phoneStartSample(vowel))
      vowel = i;
  }
  constexpr size_t kLength = 8192;
  const auto start = static_cast<size_t>(s.phoneStartSample(vowel)) + 4800;  // 100 ms in
  ASSERT_LE(start + kLength, static_cast<size_t>(s.phoneStartSample(vowel + 1)));
  const auto frame = line.frame(start, kLength);
  const double f1 = bandPeakDb(frame, 200.0, 1200.0);
  const double upper = bandPeakDb(frame, 5000.0, 6000.0) - f1, top = bandPeakDb(frame, 7000.0, 8000.0) - f1;
  const double air = bandPeakDb(frame, 10000.0, 12000.0) - f1;
  EXPECT_GT(upper, -75.0);
  EXPECT_LT(upper, -45.0);
  EXPECT_GT(top, -80.0);
  EXPECT_LT(air, upper);  // and on falling above
}

TEST(Synthesizer, ANasalIsALowMurmurNeitherAVowelNorAStop) {
  // A nasal's mouth is closed: the murmur keeps its low resonance (~250-300 Hz) and loses the
  // oral formants above it (Klatt 1980's nasal pole-zero pair). Without the pair an /m/ had a
  // vowel's spectrum at half its level, and a recognizer heard it as a voiced stop.
  const SlowLine line("{AA1 M AA1}");
  const Synthesizer& s = line.synth;
  int nasal = -1;
  for (int i = 0; i < s.phoneCount(); ++i) {
    if (line.utterance.phones[static_cast<size_t>(i)].phone == Phone::M) nasal = i;
  }
  ASSERT_GT(nasal, 0);
  constexpr size_t kLength = 2048;  // ~43 ms, the middle of each phone
  auto middleOf = [&](int phone) {
    return line.frame(
        static_cast<size_t>((s.phoneStartSample(phone) + s.phoneStartSample(phone + 1)) / 2) - kLength / 2, kLength);
  };
  const auto murmur = middleOf(nasal), vowel = middleOf(nasal + 1);
  const double murmurLow = bandPeakDb(murmur, 150.0, 450.0), vowelLow = bandPeakDb(vowel, 150.0, 450.0);
  const double vowelPeak = bandPeakDb(vowel, 150.0, 3000.0);
  const double murmurOral = bandPeakDb(murmur, 900.0, 3000.0) - murmurLow;
  const double vowelOral = bandPeakDb(vowel, 900.0, 3000.0) - vowelLow;
  // As strong as the vowel (its strongest harmonic): a murmur, not a closure's voice bar.
  EXPECT_GT(murmurLow, vowelPeak - 10.0);
  EXPECT_LT(murmurLow, vowelPeak + 8.0);
  EXPECT_LT(murmurOral, vowelOral - 15.0);  // and far weaker above it
  EXPECT_LT(murmurOral, -30.0);             // (-22 dB with the oral formants alone)
}

TEST(FrontEnd, VariedSpeakersAreDistinctIndividualsOfTheSameVoice) {
  const Lexicon lex = smallLexicon();
  // The zombie's voice pitched as the human's: four semitones down, its falls stay above the
  // contour's 62 Hz floor (EachSentenceIsItsOwnPhrase), where the line moves with the speaker.
  const SpeakerSettings base{120.0f, 18.0f, 0.2f, 0.75f};
  auto meanF0 = [](const Utterance& u) {
    double sum = 0.0;
    int n = 0;
    for (const auto& p : u.phones) {
      if (p.f0StartHz > 0.0f) sum += 0.5 * (p.f0StartHz + p.f0EndHz), ++n;
    }
    return sum / n;
  };
  auto duration = [](const Utterance& u) {
    double ms = 0.0;
    for (const auto& p : u.phones) ms += p.durationMs;
    return ms;
  };
  const Utterance plain = buildUtterance("you are lost", lex, base).utterance;
  // Amount 0 is the voice itself; the same seed is the same individual.
  const SpeakerSettings none = varySpeaker(base, 7, 0.0f);
  EXPECT_EQ(none.basePitchHz, base.basePitchHz);
  EXPECT_EQ(none.tractLengthCm, base.tractLengthCm);
  EXPECT_EQ(none.rate, base.rate);
  EXPECT_EQ(varySpeaker(base, 7, 1.0f).basePitchHz, varySpeaker(base, 7, 1.0f).basePitchHz);
  int higher = 0, lower = 0;
  double widest = 0.0;
  for (std::uint64_t seed = 1; seed <= 40; ++seed) {
    const SpeakerSettings s = varySpeaker(base, seed, 1.0f);
    const Utterance u = buildUtterance("you are lost", lex, s).utterance;
    // The line's pitch moves with the speaker's (within 4 semitones), its pace with the rate.
    const double semitones = 12.0 * std::log2(meanF0(u) / meanF0(plain));
    EXPECT_LE(std::fabs(semitones), 4.01) << "seed " << seed;
    EXPECT_NEAR(12.0 * std::log2(s.basePitchHz / base.basePitchHz), semitones, 0.05) << "seed " << seed;
    EXPECT_NEAR(duration(u) / duration(plain), base.rate / s.rate, 0.02) << "seed " << seed;
    EXPECT_LE(std::fabs(s.tractLengthCm / base.tractLengthCm - 1.0f), 0.0801f);
    higher += semitones > 0.5;
    lower += semitones < -0.5;
    widest = std::max(widest, std::fabs(semitones));
  }
  EXPECT_GE(higher, 10);  // spread both ways, not a fixed offset
  EXPECT_GE(lower, 10);
  EXPECT_GT(widest, 3.0);
  // Half the amount, half the spread.
  const double half = 12.0 * std::log2(varySpeaker(base, 3, 0.5f).basePitchHz / base.basePitchHz);
  const double full = 12.0 * std::log2(varySpeaker(base, 3, 1.0f).basePitchHz / base.basePitchHz);
  EXPECT_NEAR(half, 0.5 * full, 1e-3);
}

TEST(Normalize, TelephoneNumbersAreReadDigitByDigitRangesAndDatesAreNot) {
  // They were read as a range: "five hundred fifty five to twelve thirty four".
  EXPECT_EQ(normalizeText("Call 555-1234 now!"), "call five five five , one two three four now !");
  EXPECT_EQ(normalizeText("dial 1-800-555-0199"), "dial one , eight zero zero , five five five , zero one nine nine");
  EXPECT_EQ(normalizeText("555-123-4567"), "five five five , one two three , four five six seven");
  EXPECT_EQ(normalizeText("from 1990-1995"), "from nineteen ninety to nineteen ninety five");
  EXPECT_EQ(normalizeText("pages 100-1000, 250-2500"),
            "pages one hundred to one thousand , two hundred fifty to two thousand five hundred");
  EXPECT_EQ(normalizeText("on 2024-01-15"), "on january fifteenth , twenty twenty four");  // a date, not a number
}

TEST(Normalize, StreetAndDriveAfterANameTheTitleBeforeOne) {
  // "Baker St." was "Baker Saint".
  EXPECT_EQ(normalizeText("He lives on Baker St."), "he lives on baker street");
  EXPECT_EQ(normalizeText("Meet me on Elm Dr. tonight"), "meet me on elm drive tonight");
  EXPECT_EQ(normalizeText("St. Peter's gate"), "saint peter's gate");
  EXPECT_EQ(normalizeText("Ask Dr. Mortis"), "ask doctor mortis");
  EXPECT_EQ(normalizeText("pray to St. George"), "pray to saint george");
  // A capital that starts the next sentence is no saint's name ("Baker St. That's" was "saint").
  EXPECT_EQ(normalizeText("Baker St. That's where."), "baker street . that's where .");
  EXPECT_EQ(normalizeText("Elm Dr. The house"), "elm drive . the house");
  EXPECT_EQ(normalizeText("Ask Dr. Mortis"), "ask doctor mortis");
}

TEST(Normalize, HouseRoomAndFlightNumbersAreReadAsAddressesCountsAsCardinals) {
  // They were read as counts: "two hundred twenty one b baker street", "room one hundred one".
  EXPECT_EQ(normalizeText("221B Baker Street"), "two twenty one b. baker street");
  EXPECT_EQ(normalizeText("Room 101"), "room one oh one");
  EXPECT_EQ(normalizeText("Flight 815, Apt. 42"), "flight eight fifteen , apartment forty two");
  EXPECT_EQ(normalizeText("1600 Pennsylvania Ave."), "sixteen hundred pennsylvania avenue");
  EXPECT_EQ(normalizeText("12 Elm Rd. The gate"), "twelve elm road . the gate");
  EXPECT_EQ(normalizeText("742 Evergreen Terrace"), "seven forty two evergreen terrace");
  EXPECT_EQ(normalizeText("Cell 2187"), "cell twenty one eighty seven");
  EXPECT_EQ(normalizeText("Vault 2005"), "vault twenty oh five");
  EXPECT_EQ(normalizeText("room 400"), "room four hundred");  // round ones as said
  EXPECT_EQ(normalizeText("Gate 3000"), "gate three thousand");
  // Counts stay counts, and a street needs a name before it.
  EXPECT_EQ(normalizeText("I killed 221 zombies"), "i killed two hundred twenty one zombies");
  EXPECT_EQ(normalizeText("221 streets"), "two hundred twenty one streets");
}

TEST(Normalize, NoIsTheWordUnlessANumberFollowsFtIsFeetAfterOne) {
  // "I said no." was "i said number".
  EXPECT_EQ(normalizeText("I said no."), "i said no .");
  EXPECT_EQ(normalizeText("No. Never."), "no . never .");
  EXPECT_EQ(normalizeText("no, no, no."), "no , no , no .");
  EXPECT_EQ(normalizeText("No. 5 is here"), "number five is here");
  EXPECT_EQ(normalizeText("He is 6 ft. The end"), "he is six feet . the end");
  EXPECT_EQ(normalizeText("Ft. Knox"), "fort knox");
  // A unit after exactly one is singular ("one kilograms" before); after 21 or 0.1 it is not.
  EXPECT_EQ(normalizeText("1 kg, 1 ft. and 1 lbs"), "one kilogram , one foot and one pound");
  EXPECT_EQ(normalizeText("21 kg, 2 km, 0.1 kg"), "twenty one kilograms , two kilometers , zero point one kilograms");
}

TEST(Normalize, CalendarAbbreviationsAreTheirNames) {
  // "Mon., Jan. 5th" was "mon . , jan . fifth": a sentence break at each stop.
  EXPECT_EQ(normalizeText("on Mon., Jan. 5th."), "on monday , january fifth .");
  EXPECT_EQ(normalizeText("Sept 3 or Dec. 25"), "september third or december twenty fifth");
  EXPECT_EQ(normalizeText("See you Fri. The gate opens."), "see you friday . the gate opens .");
  // Those that are also words or names need a number or a comma after them.
  EXPECT_EQ(normalizeText("Ask Jan. She knows."), "ask jan . she knows .");
  EXPECT_EQ(normalizeText("The Sun. They wed."), "the sun . they wed .");
  EXPECT_EQ(normalizeText("Sat., Jan 5"), "saturday , january fifth");
  // After "on", "next", "every"... a short name with a stop is the day even where it is a word.
  EXPECT_EQ(normalizeText("On Wed. we fight."), "on wednesday we fight .");
}

TEST(Normalize, NumbersInTheirEverydayForms) {
  // Decades and plural numbers ("nineteen ninety s", "the ' eighty s").
  EXPECT_EQ(normalizeText("the 1990s, the '80s, the 1990's, the 2010s, the 1600s, two 6s"),
            "the nineteen nineties , the eighties , the nineteen nineties , the twenty tens , the sixteen hundreds , "
            "two sixes");
  // Fractions ("one two"); "24/7" stays two numbers; a month and day after "on" is a date.
  EXPECT_EQ(normalizeText("1/2 of it, 3/4, 2/3, 1/8"), "one half of it , three quarters , two thirds , one eighth");
  EXPECT_EQ(normalizeText("24/7 on 12/25"), "twenty four seven on december twenty fifth");
  // Versions point by point ("two point zero . one"), thousands with a small k, heights.
  EXPECT_EQ(normalizeText("Version 2.0.1"), "version two point zero point one");
  EXPECT_EQ(normalizeText("1.5k gold, 10k silver, a 4K screen"),
            "one point five thousand gold , ten thousand silver , a four k. screen");
  EXPECT_EQ(normalizeText("I'm 6'2\" and 200 lbs. of muscle"), "i'm six foot two and two hundred pounds of muscle");
  // A multiplier; a model's two capitals spelt (AK was "ack"); a double dash is one pause.
  EXPECT_EQ(normalizeText("x2 bonus"), "times two bonus");
  EXPECT_EQ(normalizeText("the AK-47, the AR15"), "the a.k forty seven , the a.r fifteen");
  EXPECT_EQ(normalizeText("Wait -- did you? Wait---no."), "wait - did you ? wait - no .");
}

TEST(Normalize, DatesYearsTimesOfDayAndMultipliers) {
  // Dates were numbers: "three four one thousand nine hundred ninety nine", "twenty twenty four
  // one fifteen", "december twenty five".
  EXPECT_EQ(normalizeText("On December 25, 2050 we rise."), "on december twenty fifth , twenty fifty we rise .");
  EXPECT_EQ(normalizeText("Born 3/4/1999, died 25/12/2050."),
            "born march fourth , nineteen ninety nine , died december twenty fifth , twenty fifty .");
  EXPECT_EQ(normalizeText("On 2024-01-15 it ends."), "on january fifteenth , twenty twenty four it ends .");
  EXPECT_EQ(normalizeText("on 12/25/05"), "on december twenty fifth , oh five");
  EXPECT_EQ(normalizeText("25 December 2050"), "the twenty fifth of december twenty fifty");
  EXPECT_EQ(normalizeText("the 5th of May"), "the fifth of may");
  // A year where one is said (in, since, by...); a count stays a count.
  EXPECT_EQ(normalizeText("In 2050 we fell, in 2000 we rose."), "in twenty fifty we fell , in two thousand we rose .");
  EXPECT_EQ(normalizeText("He paid 2050 coins."), "he paid two thousand fifty coins .");
  // Not dates: a fraction, a telephone number, a range.
  EXPECT_EQ(normalizeText("1/2 of it"), "one half of it");
  EXPECT_EQ(normalizeText("Call 1-800-555-0199"), "call one , eight zero zero , five five five , zero one nine nine");
  EXPECT_EQ(normalizeText("10-20 men"), "ten to twenty men");
  // Times of day: the letters ("am" was the verb, "pm" unknown); a stop that ends the sentence stays.
  EXPECT_EQ(normalizeText("at 7 am, 5pm, 10 PM"), "at seven a.m , five p.m , ten p.m");
  EXPECT_EQ(normalizeText("Meet at 7 a.m. The gate opens."), "meet at seven a.m . the gate opens .");
  EXPECT_EQ(normalizeText("I am here"), "i am here");
  // Multipliers after the number, and "by" between two sizes.
  EXPECT_EQ(normalizeText("Deal 2x damage, a 4x4, 2 x 3"), "deal two times damage , a four by four , two times three");
}

TEST(Normalize, GameLinesScoresMoneyAndUnitsJoinedToTheirNumber) {
  // A score or gauge was two numbers ("one hundred one hundred"); a denominator above 31 is no date.
  EXPECT_EQ(normalizeText("HP: 100/100, 75/120"),
            "hp : one hundred out of one hundred , seventy five out of one hundred twenty");
  EXPECT_EQ(normalizeText("24/7 and 9/11 and 12/25"), "twenty four seven and nine eleven and twelve twenty five");
  EXPECT_EQ(normalizeText("wolf pelts (0/10), a 50/50 chance"), "wolf pelts zero out of ten , a fifty fifty chance");
  // A 24-hour clock before "hours" ("six hundred hours"), levels ("lv ."), a decimal multiplier ("x").
  EXPECT_EQ(normalizeText("at 0600 hours, 1830 hrs, 0000 hours"),
            "at oh six hundred hours , eighteen thirty hours , zero hundred hours");
  EXPECT_EQ(normalizeText("Lv. 42 Warrior, Lvl 3, crit 2.5x"),
            "level forty two warrior , level three , crit two point five times");
  // Euros were dropped ("or five"); a scale after an amount was "five dollars m".
  EXPECT_EQ(normalizeText("\xE2\x82\xAC"
                          "5 or \xE2\x82\xAC"
                          "1.50"),
            "five euros or one euro and fifty cents");
  // A sign after the amount was dropped; a comma after "$5" was taken into the number.
  EXPECT_EQ(normalizeText("5\xE2\x82\xAC, 1 \xE2\x82\xAC or 20 $. Costs $5, ok"),
            "five euros , one euro or twenty dollars . costs five dollars , ok");
  EXPECT_EQ(normalizeText("$5m, a $1.5bn deal, \xC2\xA3"
                          "10k"),
            "five million dollars , a one point five billion dollars deal , ten thousand pounds");
  // Units joined to the number ("ten ft", "three hundred m"); alone, m, mm and ft are words.
  EXPECT_EQ(normalizeText("10ft tall, go 300m north, 5 cm, 1 m, 60 mph"),
            "ten feet tall , go three hundred meters north , five centimeters , one meter , sixty miles per hour");
  EXPECT_EQ(normalizeText("Mm, the M is silent"), "mm , the m is silent");
  EXPECT_EQ(normalizeText("Humans vs zombies, a 2v2 match"), "humans versus zombies , a two versus two match");
  EXPECT_EQ(normalizeText("10 mins left! Wait 5 secs. 1 min. Wait a sec."),
            "ten minutes left ! wait five seconds . one minute . wait a sec .");
  // Before a number: pages and episodes ("see p . forty two"); odds ("one : one"); an area code in
  // brackets ("five hundred fifty five one hundred twenty three to four thousand ...").
  EXPECT_EQ(normalizeText("See p. 42, Ep. 3. I said no."), "see page forty two , episode three . i said no .");
  EXPECT_EQ(normalizeText("Rm. 4B in Ravenholm, pop. 312"),
            "room four b. in ravenholm , population three hundred twelve");
  EXPECT_EQ(normalizeText("1:1 odds, 3:1 against, at 3:45"),
            "one to one odds , three to one against , at three forty five");
  EXPECT_EQ(normalizeText("Call (555) 123-4567."), "call five five five , one two three , four five six seven .");
  // Emergency numbers after call or dial ("nine hundred eleven"); a year after a cue up to 2999.
  EXPECT_EQ(normalizeText("Call 911! I paid 911 gold."), "call nine one one ! i paid nine hundred eleven gold .");
  EXPECT_EQ(normalizeText("The year 2525."), "the year twenty five twenty five .");
  // A stop in a time before am or pm ("three point three zero p.m"), round plurals ("one thousand s").
  EXPECT_EQ(normalizeText("at 3.30pm, 9.05 a.m. or 3.30 gold"),
            "at three thirty p.m , nine oh five a.m or three point three zero gold");
  EXPECT_EQ(normalizeText("1,000s of them, 100s of zombies, pg. 5"),
            "thousands of them , hundreds of zombies , page five");
  // Web and e-mail addresses: their stops were sentence breaks ("www . example . com").
  EXPECT_EQ(normalizeText("Visit www.example.com or mail grim@crypt.co.uk. The U.S.A. is far. It.Then"),
            "visit www dot example dot com or mail grim at crypt dot co dot uk . the u.s.a is far . it . then");
}

TEST(Normalize, DecimalCommasMeasuresBeforeANounCalibresAndAcronymWords) {
  // Cents after a decimal comma, or before a trailing sign, were hundreds ("three hundred fifty
  // euros") or digits ("three point five zero euros"); a comma is a thousands mark only before three digits.
  EXPECT_EQ(normalizeText("\xE2\x82\xAC"
                          "3,50, 3,50 \xE2\x82\xAC"
                          " or 12.99\xE2\x82\xAC"),
            "three euros and fifty cents , three euros and fifty cents or twelve euros and ninety nine cents");
  EXPECT_EQ(normalizeText("Pick 1,2 or 3 of $1,000,000"), "pick one , two or three of one million dollars");
  EXPECT_EQ(normalizeText("10,000s of them"), "tens of thousands of them");
  // A decimal comma before a unit or a percent was a list too ("one , fifty meters").
  EXPECT_EQ(normalizeText("It is 1,50 m tall, 2,5 km off, 0,5 % left; a 2,5 m wall"),
            "it is one point five zero meters tall , two point five kilometers off , zero point five percent left ; "
            "a two point five meter wall");
  // A measure before its noun is singular ("a ten feet wall"); after it, or at the end, plural.
  EXPECT_EQ(normalizeText("A 10ft wall, the 9mm pistol, a 5 km walk, the 60 mph limit"),
            "a ten foot wall , the nine millimeter pistol , a five kilometer walk , the sixty mile per hour limit");
  EXPECT_EQ(normalizeText("The 10 mins left, the 5 km to the gate, 6 ft tall, we walked 5 km today"),
            "the ten minutes left , the five kilometers to the gate , six feet tall , we walked five kilometers today");
  // After "a" a measure is never plural, at the end too ("a nine millimeters").
  EXPECT_EQ(normalizeText("I want a 9mm. An 8 hr shift."), "i want a nine millimeter . an eight hour shift .");
  // A number from its point was ". five", with "a" read as the letter; a calibre is said as its number.
  EXPECT_EQ(normalizeText("It has a .5 chance (.25)."), "it has a point five chance point two five .");
  EXPECT_EQ(normalizeText("A .45 ACP, a .22 rifle, the .308 Winchester"),
            "a forty five ** acp ** , a twenty two rifle , the three oh eight winchester");
  // An acronym said as a word is no shouted word; UN, UK and EU were "un", "uk" and "eu".
  EXPECT_EQ(normalizeText("NASA is at DEFCON 1, send SWAT ASAP. I said NEVER."),
            "nasa is at defcon one , send swat asap . i said ** never ** .");
  EXPECT_EQ(normalizeText("The UN, the UK and the EU"), "the u.n , the u.k and the e.u");
  // More digits than a count has (15) are read one by one: they lost all but the first 15, and an
  // amount's overflowed.
  EXPECT_EQ(normalizeText("$12345678901234567"),
            "one two three four five six seven eight nine zero one two three four five six seven dollars");
  EXPECT_EQ(normalizeText("Code 1234567890123456"),
            "code one two three four five six seven eight nine zero one two three four five six");
}

TEST(Normalize, MillionsYearsBeforeElevenHundredCentsAndWordsInCapitals) {
  // A capital M or B joined to a number is a scale ("one point two meters xp"); a small m stays
  // meters, and a house number's letter is its name (Room 12M was "twelve meters").
  EXPECT_EQ(normalizeText("1.2M XP, 5M players, 2.5B years, 1.5m tall, Room 12M"),
            "one point two million xp , five million players , two point five billion years , "
            "one point five meters tall , room twelve m.");
  // A year before 1100 after a cue ("in one thousand sixty six"); a count stays one.
  EXPECT_EQ(normalizeText("In 1066 they landed, since 1050 AD, with 1066 arrows"),
            "in ten sixty six they landed , since ten fifty a.d , with one thousand sixty six arrows");
  // The cent sign was dropped.
  EXPECT_EQ(normalizeText("99\xC2\xA2 or 1\xC2\xA2"), "ninety nine cents or one cent");
  // OMG was "omg" (AA1 M G), WWII a shouted word.
  EXPECT_EQ(normalizeText("OMG. WWII, WWI. Press ESC."), "o.m.g . world war two , world war one . press escape .");
}

TEST(Normalize, ChatAndGameShorthand) {
  // Each was read as its letters or dropped: "w my brother , w o a sword", "two h thirty meters",
  // "give or take two", "three tenths", "plus two ** dex **", "ctrl plus alt plus del", "i three you".
  EXPECT_EQ(normalizeText("I came w/ my brother, w/o a sword, in 2h 30m, 1h early."),
            "i came with my brother , without a sword , in two hours thirty minutes , one hour early .");
  EXPECT_EQ(normalizeText("It's ~5 km, give or take \xC2\xB1"
                          "2. Wave 3/10, but 3/10 of them."),
            "it's about five kilometers , give or take plus or minus two . wave three of ten , "
            "but three tenths of them .");
  EXPECT_EQ(normalizeText("+1 STR, +2 DEX. Ctrl+Alt+Del or Alt+F4, Shift+Tab. C++ and A+B."),
            "plus one strength , plus two dexterity . control alt delete or alt f four , shift tab . "
            "c plus plus and a plus b .");
  EXPECT_EQ(normalizeText("I <3 you. See you <3"), "i love you . see you");
  // "DMG" was spelt, "oz" read as a word; Oz the place stays.
  EXPECT_EQ(normalizeText("DMG x3 for 3 oz of gold. Off to Oz."),
            "damage times three for three ounces of gold . off to oz .");
}

TEST(Normalize, DurationsWithSecondsSpacedTelephoneNumbersAndInches) {
  // "one oh five thirty", a lap time's point lost ("twenty three four hundred fifty six"), a spaced
  // number read as three amounts, "eleven in".
  EXPECT_EQ(normalizeText("It took 1:05:30, the timer read 0:04:59 and 2:00:30. Lap 1:23.456, best 0:59.9."),
            "it took one hour five minutes and thirty seconds , the timer read four minutes and fifty nine "
            "seconds and two hours and thirty seconds . lap one minute and twenty three point four five six "
            "seconds , best fifty nine point nine seconds .");
  EXPECT_EQ(normalizeText("At 10:30:15 it opens, at 3:45 it shuts. Odds 3:1."),
            "at ten thirty and fifteen seconds it opens , at three forty five it shuts . odds three to one .");
  EXPECT_EQ(normalizeText("Call 555 123 4567, or call me on 555.123.4567. My number: (555) 123 4567."),
            "call five five five , one two three , four five six seven , or call me on five five five , one two "
            "three , four five six seven . my number : five five five , one two three , four five six seven .");
  // Without a word that asks for a number to call, spaced numbers stay numbers.
  EXPECT_EQ(normalizeText("Pay 250 300 4000 gold. Count 5 10 15 20."),
            "pay two hundred fifty three hundred four thousand gold . count five ten fifteen twenty .");
  EXPECT_EQ(normalizeText("He is 5 ft 11 in tall, she 5 feet 1 in. Born in 1990 in Paris, at 5 in the morning."),
            "he is five feet eleven inches tall , she five feet one inch . born in nineteen ninety in paris , at "
            "five in the morning .");
}

TEST(Normalize, ArrowsRatingsSpeedsSecondsAndMarks) {
  // The arrow was dropped ("ten eleven") or a pause, "4.5/5" "four point five five", "kilometers h",
  // "nine point five eight s", "mk . ii", "vol . four", "** eta **" (shouted).
  EXPECT_EQ(normalizeText("Level 10 \xE2\x86\x92 11, fear -> rage. Rated 4.5/5, 1.5/10."),
            "level ten to eleven , fear to rage . rated four point five out of five , one point five out of ten .");
  EXPECT_EQ(normalizeText("He ran 100m in 9.58s at 120 km/h, then 5 m/s. Two 6s."),
            "he ran one hundred meters in nine point five eight seconds at one hundred twenty kilometers per "
            "hour , then five meters per second . two sixes .");
  EXPECT_EQ(normalizeText("The Mk. II and Mk 4, Vol. IV. The ETA is 5. I said no. I know."),
            "the mark two and mark four , volume four . the e.t.a is five . i said no . i know .");
  // A version and a date's "circa" ("v one point two point three", "ca"); a V that is a word stays one.
  EXPECT_EQ(normalizeText("Patch v1.2.3 is out, ver. 2 too. Built ca. 1200. V for Vendetta."),
            "patch version one point two point three is out , version two too . built circa twelve hundred . v for "
            "vendetta .");
  // A calibre that names its gun ("nine millimeters", "point four five"); a measure stays plural.
  EXPECT_EQ(normalizeText("Grab the 9mm. Load the .45 and my 9mm! It moved 300 mm. The .25 is due."),
            "grab the nine millimeter . load the forty five and my nine millimeter ! it moved three hundred "
            "millimeters . the point two five is due .");
  // "one dollar . five m.", "five dollars meters", "five dollars million", "y o".
  EXPECT_EQ(normalizeText("It costs $1.5M, $2B or $5 Million. I am 25 y/o, a 30 y/o guard."),
            "it costs one point five million dollars , two billion dollars or five million dollars . i am twenty "
            "five years old , a thirty year old guard .");
  // A capital M at the very end of the text, after blanks: the "5M players" rule looked past it
  // (found by the fuzzer; the bounds-checked build stops on it).
  EXPECT_EQ(normalizeText("Gain 50M "), "gain fifty m.");
  // "thirties", "tens", "five tenths wolves", "one hundred one".
  EXPECT_EQ(normalizeText("Respawn in 30s, I waited 10s. In the 30s, roll two 6s. Kill 5/10 wolves, add 3/4 cup."),
            "respawn in thirty seconds , i waited ten seconds . in the thirties , roll two sixes . kill five out "
            "of ten wolves , add three quarters cup .");
  EXPECT_EQ(normalizeText("Take Highway 101 to Route 66."), "take highway one oh one to route sixty six .");
  // Ratings where the phrase ends ("ten ten", "four fifths"); a fraction of something, a date after "on".
  EXPECT_EQ(normalizeText("It's 10/10. Rated 4/5, only 3/10 of them, on 10/10."),
            "it's ten out of ten . rated four out of five , only three tenths of them , on october tenth .");
  // Initialisms that letter-to-sound rules read as words ("AE1 F K", "AY1 M OW0", "AA1 P").
  EXPECT_EQ(normalizeText("FYI, I'm AFK. idk, imo it's OP. RIP my loot, rip the page. An AOE spell."),
            "f.y.i , i'm a.f.k . i.d.k , i.m.o it's o.p . r.i.p my loot , rip the page . an a.o.e spell .");
  // A riddle's sums (the signs were dropped: "five three fifteen"); a*b and *sighs* are no sums.
  EXPECT_EQ(normalizeText("5 * 3 = 15, 6 \xC3\x97 7 = 42 and 10 \xC3\xB7 2 = 5."),
            "five times three equals fifteen , six times seven equals forty two and ten divided by two equals five .");
  EXPECT_EQ(normalizeText("A*B is no sum. *sighs* Fine."), "a b is no sum . fine .");
  // One word between stars inside a sentence is emphasis (it was dropped as an action).
  EXPECT_EQ(normalizeText("I *told* you. He *really* did. *coughs* Go."),
            "i ** told ** you . he ** really ** did . go .");
  // At a sentence's edge too, unless the word names an action (*Never* was dropped as one).
  EXPECT_EQ(normalizeText("*Never* again. Do it *again*. *Sighs* Fine. *cough* Sorry. *nodding* Yes. *cries*"),
            "** never ** again . do it ** again ** . fine . sorry . yes .");
  // Comparisons (the signs were dropped: "a b", "x five"); a tag-like a<b> stays a direction.
  EXPECT_EQ(normalizeText("If a < b, run. x > 5 hurts, hp <= 0 dies, x>=3 and n != m."),
            "if a less than b , run . x greater than five hurts , hp less than or equal to zero dies , x greater than "
            "or equal to three and n not equal to m .");
  EXPECT_EQ(normalizeText("hp \xE2\x89\xA4 0 and 3<5"), "hp less than or equal to zero and three less than five");
  // Game lines: a count written as a multiplier ("two times potions"), a gauge in thousands (the
  // slash dropped), a code of dashed numbers ("four to eight to fifteen"), stat names and points.
  EXPECT_EQ(normalizeText("Take 2x potions, 1x elixir, 10x arrows; 2x damage, 3x as much, a 4x4."),
            "take two potions , one elixir , ten arrows ; two times damage , three times as much , a four by four .");
  EXPECT_EQ(normalizeText("XP 12,345/20,000 and 1,000/500 gold."),
            "xp twelve thousand three hundred forty five out of twenty thousand and one thousand five hundred gold .");
  EXPECT_EQ(normalizeText("The code is 4-8-15-16, wait 10-20 minutes, we lost 3-2."),
            "the code is four eight fifteen sixteen , wait ten to twenty minutes , we lost three two .");
  EXPECT_EQ(normalizeText("250 ATK, 30 DEF, 12 SPD, 1,250 pts."),
            "two hundred fifty attack , thirty defense , twelve speed , one thousand two hundred fifty points .");
  // International numbers digit by digit in their groups (they were amounts, "five hundred fifty
  // five"), and a local 555 0199 after a cue word; a stat bonus and two numbers stay as they were.
  EXPECT_EQ(
      normalizeText("Call +1 555 0199, or +44 20 7946 0958. Call me at 555 0199. +2 DEX, +10 15, 555 0199."),
      "call plus one , five five five , zero one nine nine , or plus four four , two zero , seven nine four six , "
      "zero nine five eight . call me at five five five , zero one nine nine . plus two dexterity , plus ten "
      "fifteen , five hundred fifty five one hundred ninety nine .");
  // Chat shorthand as what it stands for ("thx" was "T H K S", "m8" "m eight", "omw" spelt), small
  // letters only for u, ur, ty and np ("Ty" is a name, "press u" the key); coins after a number.
  EXPECT_EQ(
      normalizeText("thx m8, gr8 job. pls, omw, tbh, btw, nvm, GG EZ. u ok? ty, np. Ty waved. press u. cya l8r"),
      "thanks mate , great job . please , on my way , to be honest , by the way , never mind , gg easy . you ok ? "
      "thank you , no problem . ty waved . press u . see ya later");
  EXPECT_EQ(normalizeText("It costs 5 gp, 10 sp or 30 cp."),
            "it costs five gold pieces , ten silver pieces or thirty copper pieces .");
  // Central and Eastern European letters (Latin Extended-A, Romanian comma below): as an English
  // reader says them (they were dropped, "Vlad T,epes," was "vlad epe").
  EXPECT_EQ(normalizeText("Vlad \xC8\x9A"
                          "epe\xC8\x99, Dvo\xC5\x99\xC3\xA1k, \xC5\xA0\xC3\xA1rka, \xC5\x81\xC3\xB3"
                          "d\xC5\xBA, \xC4\x8C"
                          "apek"),
            "vlad tsepesh , dvorak , sharka , lodz , chapek");
  // A 24-hour time with a leading nought after "at" (it was "three hundred"); years abbreviated.
  EXPECT_EQ(normalizeText("We move at 0300, at 2400 and at 0099. Dead 200 yrs, 1 yr, a 5 yr. plan."),
            "we move at oh three hundred , at two thousand four hundred and at ninety nine . dead two hundred years , "
            "one year , a five year plan .");
  // What a backend's text can carry: HTML entities (they were read, "and amp ;"), a language model's
  // special tokens (read as a word), a web address's scheme ("https :").
  EXPECT_EQ(normalizeText("Salt &amp; iron. He said &quot;run&quot;. It&#39;s late.<|endoftext|>"),
            "salt and iron . he said run . it's late .");
  EXPECT_EQ(normalizeText("See https://www.crypt.com or http://www.crypt.com, AT&T."),
            "see www dot crypt dot com or www dot crypt dot com , at and t .");
  // On the hour before am or pm, the hour alone (it was "twelve o'clock a.m"); else o'clock stays.
  EXPECT_EQ(normalizeText("At 12:00 AM, 7:00 p.m. and 7:00 a meeting, 9:05 pm."),
            "at twelve a.m , seven p.m and seven o'clock a meeting , nine oh five p.m .");
  // A language model's numbered list: each item's number and a pause (it ran on, "one a sword").
  EXPECT_EQ(normalizeText("You need:\n1. A sword\n2) A shield\nThe year 2024. Go."),
            "you need : one , a sword two , a shield the year twenty twenty four . go .");
  // Exponents and a formula's variables ("mc" was read as a word, the power dropped); N/A spelt.
  EXPECT_EQ(normalizeText("E = mc^2, x^3, 2^10, 10^-3. The answer is N/A, see I/O, in m/s."),
            "e equals m.c squared , x. cubed , two to the power of ten , ten to the power of minus three . the answer "
            "is n.a , see i.o , in meters per second .");
}

TEST(Normalize, StageDirectionsInBracketsAreActionsNotWords) {
  // They were read aloud, as *sighs* once was.
  EXPECT_EQ(normalizeText("[laughs] You fool. (sighs) Fine. <whispers> Run. (Coughs) Well... [coughs] ...yes"),
            "you fool . fine . run . well . . . . . . yes");
  // Not directions: a key to press, a letter joined to a number, words in an aside, comparisons.
  EXPECT_EQ(normalizeText("Press [E] to open, [Space] to jump, (Space) or [LMB] to strike"),
            "press e. to open , space to jump , space or l.m.b to strike");
  // A key is said as players say it, in any case, and [A] is the letter (it was the article);
  // longer capitals are a script's direction (they were read and shouted).
  EXPECT_EQ(normalizeText("Press [A], [ESC], [Ctrl] and [Del], then [PgUp]"),
            "press a. , escape , control and delete , then page up");
  EXPECT_EQ(normalizeText("[LAUGHS] You again. [SIGHS HEAVILY] Fine. [BEAT] Go."), "you again . fine . go .");
  // A control named in brackets where a key is meant is read (it was dropped as a direction).
  EXPECT_EQ(normalizeText("Use the [Interact] key, press [Jump], hit the [Use] button. [laughs] [Jump]"),
            "use the interact key , press jump , hit the use button .");
  EXPECT_EQ(normalizeText("Section 3(b), I know (or think) so, if a < b and c > d"),
            "section three b , i know or think so , if a less than b and c greater than d");
  // "ID" was the word id ("IH1 D"), "AI" "eye", "NE" "nee".
  EXPECT_EQ(normalizeText("Show me your ID. Two IDs."), "show me your i.d . two i.d+s .");
  EXPECT_EQ(normalizeText("The AI went NE, then SW"), "the a.i went northeast , then southwest");
  const Lexicon lex;
  const auto u = buildUtterance("your ID", lex, SpeakerSettings{}).utterance;
  ASSERT_EQ(u.words.size(), 2u);
  EXPECT_EQ(wordPhones(u, 1), "AY2 D IY1");
  const auto key = buildUtterance("Press [A]", lex, SpeakerSettings{}).utterance;
  ASSERT_EQ(key.words.size(), 2u);
  EXPECT_EQ(wordPhones(key, 1), "EY1");  // the letter's name, not the article's "AH0"
}

TEST(Normalize, MarkupTagsAreNotReadAndABreakPauses) {
  // SSML from a dialogue model: its tags were read ("speak hello break time equals ones there").
  EXPECT_EQ(normalizeText("<speak>Hello <break time='1s'/> there.</speak>"), "hello <1000ms> there .");
  EXPECT_EQ(normalizeText("<prosody rate=\"slow\" pitch=\"-2st\">Go <emphasis level=strong>away</emphasis>.</prosody>"),
            "<prosody:800:891:1000> go ** away ** . </prosody>");
  // HTML from a subtitle table, and UMG rich text: <Style>...</> (styles may be dotted).
  EXPECT_EQ(normalizeText("Hello<br/>there, <i>really</i> <b>big</b>"), "hello , there , really ** big **");
  // Emphasis tags are said as **word** is (a close with none open says nothing).
  EXPECT_EQ(normalizeText("<Emphasis>No!</> Not <RichText.Bold>that</> one.</>"), "** no ! ** not ** that ** one .");
  EXPECT_EQ(normalizeText("<emphasis level=\"reduced\">so</emphasis> <em>very</em> <strong>much</strong>"),
            "so ** very ** ** much **");
  // An emphasis opens only where it closes later (left open, it stressed the rest of the line).
  EXPECT_EQ(normalizeText("Plan <b> is better, <em>always"), "plan is better , always");
  EXPECT_EQ(normalizeText("<Strong>Now</STRONG>, <b>here</>"), "** now ** , ** here **");
  // Still words: comparisons, a heart, a key in angle brackets, a tag cut off.
  EXPECT_EQ(normalizeText("if a < b and c > d, I <3 you, press <E>, <i unclosed"),
            "if a less than b and c greater than d , i love you , press e. , i unclosed");
  // A bare tag that is no markup name stays a stage direction, dropped; its closing tag too.
  EXPECT_EQ(normalizeText("<whisper>Come closer.</whisper>"), "come closer .");
  // A whole SSML document: its prologue, comments (notes to the voice actor) and <sub alias>.
  EXPECT_EQ(normalizeText("<?xml version=\"1.0\" encoding=\"UTF-8\"?><!DOCTYPE speak><speak version=\"1.1\" "
                          "xmlns=\"http://www.w3.org/2001/10/synthesis\" xml:lang=\"en-US\">Hello <!-- angry, "
                          "slow --> there. <sub alias=\"World Wide Web\">WWW</sub>, <say-as interpret-as="
                          "\"characters\">NPC</say-as>.</speak>"),
            "hello there . world wide web , npc .");
  // Markdown's _italic_ and __bold__ are its stars: emphasis, or an action (which is not said).
  EXPECT_EQ(normalizeText("I _told_ you. __Never__ again. _sighs_ Fine. snake_case, a _ b, _x"),
            "i ** told ** you . ** never ** again . fine . snake case , a b , x");
  // A Markdown link: its text, not its address (the text was dropped as a direction, the address read).
  EXPECT_EQ(normalizeText("See [the map](https://example.com/map), [laughs] (sighs) ok, [E] (to go)"),
            "see the map , ok , e. to go");
  // A timed break travels as a token buildUtterance reads; a line's own control bytes are blanked.
  EXPECT_EQ(normalizeText("Wait <break time=\"1.5s\"/> now <break strength=\"none\"/> go <break time=\"abc\"/> on"),
            "wait <1500ms> now go , on");
  EXPECT_EQ(normalizeText("a\x1E"
                          "12\x1E"
                          "b"),
            "a twelve b");
  const Lexicon lex;
  const auto u = buildUtterance("<speak>Hello <break time=\"500ms\"/> there</speak>", lex, SpeakerSettings{}).utterance;
  ASSERT_EQ(u.words.size(), 2u);
  EXPECT_EQ(u.words[0].text, "hello");
  EXPECT_EQ(u.words[1].text, "there");
  // The break is a pause between the two words.
  const int gap = u.words[0].firstPhone + u.words[0].phoneCount;
  ASSERT_LT(gap, u.words[1].firstPhone);
  EXPECT_EQ(u.phones[static_cast<std::size_t>(gap)].phone, Phone::Sil);
  EXPECT_FLOAT_EQ(u.phones[static_cast<std::size_t>(gap)].durationMs, 500.0f);
}

TEST(FrontEnd, AnSsmlBreakLastsAsLongAsItAsks) {
  // The pause between two words, in ms: W3C SSML's time (absolute, whatever the rate; at most
  // 10 s) or strength; a comma's own pause where punctuation is there too and is longer.
  const Lexicon lex;
  auto gapMs = [&](const std::string& line, float rate = 1.0f) {
    SpeakerSettings speaker;
    speaker.rate = rate;
    const auto u = buildUtterance(line, lex, speaker).utterance;
    EXPECT_EQ(u.words.size(), 2u) << line;
    float ms = 0.0f;
    for (int p = u.words[0].firstPhone + u.words[0].phoneCount; p < u.words[1].firstPhone; ++p)
      ms += u.phones[static_cast<std::size_t>(p)].durationMs;
    return ms;
  };
  EXPECT_FLOAT_EQ(gapMs("Hello there"), 0.0f);
  EXPECT_FLOAT_EQ(gapMs("Hello <break time=\"2s\"/> there"), 2000.0f);
  EXPECT_FLOAT_EQ(gapMs("Hello <break time='250ms'/> there", 2.0f), 250.0f);
  EXPECT_FLOAT_EQ(gapMs("Hello <break time=\"0.75s\"/><break time=\"300ms\"/> there"), 750.0f);
  EXPECT_FLOAT_EQ(gapMs("Hello <break time=\"99s\"/> there"), 10000.0f);
  EXPECT_FLOAT_EQ(gapMs("Hello <break strength=\"x-strong\"/> there"), 700.0f);
  EXPECT_FLOAT_EQ(gapMs("Hello <break strength=\"none\"/> there"), 0.0f);
  EXPECT_FLOAT_EQ(gapMs("Hello, there"), 180.0f);
  EXPECT_FLOAT_EQ(gapMs("Hello <break/> there"), 180.0f);
  EXPECT_FLOAT_EQ(gapMs("Hello, <break time=\"50ms\"/> there"), 180.0f);
  EXPECT_FLOAT_EQ(gapMs("Hello. <break time=\"1s\"/> There"), 1000.0f);
  // A line's breaks add up to 30 s at most (a service's 2,000 characters could ask for 17 minutes).
  std::string many = "Hello";
  for (int i = 0; i < 100; ++i) many += "<break time=\"10s\"/> no";
  const auto capped = buildUtterance(many + " there", lex, SpeakerSettings{}).utterance;
  float silentMs = 0.0f;
  for (const auto& phone : capped.phones) silentMs += phone.phone == Phone::Sil ? phone.durationMs : 0.0f;
  EXPECT_GE(silentMs, 30000.0f);
  EXPECT_LE(silentMs, 30000.0f + 60.0f + 120.0f);  // and the line's leading and trailing pauses
  // The line's length grows by the break, and a leading break is silence before the first word.
  const auto lead = buildUtterance("<break time=\"1s\"/>Hello there", lex, SpeakerSettings{}).utterance;
  EXPECT_FLOAT_EQ(lead.phones.front().durationMs, 1000.0f);
}

TEST(FrontEnd, AnSsmlProsodyScopeSetsTheRatePitchAndVolumeOfItsWords) {
  // W3C SSML 1.1 <prosody>: labels, percentages, semitones and decibels, as multipliers of the
  // words inside (a scope inside another multiplies it); what cannot be read changes nothing.
  EXPECT_EQ(normalizeText("<prosody rate=\"slow\" pitch=\"+2st\" volume=\"-6dB\">Go</prosody> now"),
            "<prosody:800:1122:501> go </prosody> now");
  EXPECT_EQ(normalizeText("<prosody rate='150%' pitch='x-low' volume='loud'>a</prosody>"),
            "<prosody:1500:750:1410> a </prosody>");
  EXPECT_EQ(normalizeText("<prosody rate='+10%' pitch='-10%' volume='whisper'>a</prosody>"),
            "<prosody:1100:900:1000> a </prosody>");
  EXPECT_EQ(normalizeText("<prosody pitch='+24st' rate='0.1'>a</prosody>"), "<prosody:500:2000:1000> a </prosody>");
  const Lexicon lex;
  auto build = [&](const std::string& line) { return buildUtterance(line, lex, SpeakerSettings{}).utterance; };
  const auto plain = build("Stay here and wait for me");
  const auto marked = build(
      "Stay <prosody rate=\"50%\" pitch=\"+12st\" volume=\"+6dB\">here and</prosody> wait "
      "<prosody pitch='-12st'><prosody rate='x-fast' pitch='+12st'>for</prosody></prosody> me");
  ASSERT_EQ(plain.words.size(), marked.words.size());
  ASSERT_EQ(plain.phones.size(), marked.phones.size());
  for (std::size_t w = 0; w < plain.words.size(); ++w) {
    const bool inside = w == 1 || w == 2;
    const bool nested = w == 4;  // -12 st then +12 st: the pitch is the line's, the rate 1.5x
    for (int k = 0; k < plain.words[w].phoneCount; ++k) {
      const auto& a = plain.phones[static_cast<std::size_t>(plain.words[w].firstPhone + k)];
      const auto& b = marked.phones[static_cast<std::size_t>(marked.words[w].firstPhone + k)];
      EXPECT_NEAR(b.durationMs, a.durationMs * (inside ? 2.0f : (nested ? 1.0f / 1.5f : 1.0f)), 1e-3f) << w;
      EXPECT_NEAR(b.gain, a.gain * (inside ? 1.995f : 1.0f), 1e-2f) << w;
    }
  }
  // The contour under the scope is an octave up (the same shape, in time with the longer words).
  const auto& here = marked.phones[static_cast<std::size_t>(marked.words[1].firstPhone + 1)];
  const auto& stay = marked.phones[static_cast<std::size_t>(marked.words[0].firstPhone + 2)];
  EXPECT_GT(here.f0StartHz, 1.6f * stay.f0StartHz);
  const auto& forVowel = marked.phones[static_cast<std::size_t>(marked.words[4].firstPhone + 1)];
  const auto& waitVowel = marked.phones[static_cast<std::size_t>(marked.words[3].firstPhone + 1)];
  EXPECT_LT(forVowel.f0StartHz, 1.3f * waitVowel.f0StartHz);
}

TEST(FrontEnd, GlidePitchTurnsTheLinesPitchIntoAnothersOverItsSpan) {
  // A transformation: F0 keeps its contour, and its level moves by the ratio, evenly in
  // semitones, between the span's ends; nothing before the span or any timing moves.
  const Lexicon lex;
  const auto plain = buildUtterance("Stay here and wait for me in the dark", lex, SpeakerSettings{}).utterance;
  const float total = plain.totalMs();
  const float start = 0.25f * total, end = 0.75f * total, ratio = 0.5f;
  auto glided = plain;
  glidePitch(glided, ratio, start, end);
  ASSERT_EQ(glided.phones.size(), plain.phones.size());
  float at = 0.0f;
  float lastFactor = 1.0f;
  int within = 0;
  for (std::size_t i = 0; i < plain.phones.size(); ++i) {
    const auto& a = plain.phones[i];
    const auto& b = glided.phones[i];
    EXPECT_EQ(b.durationMs, a.durationMs);
    EXPECT_EQ(b.gain, a.gain);
    const float endAt = at + a.durationMs;
    if (endAt <= start) {
      EXPECT_EQ(b.f0StartHz, a.f0StartHz) << i;
      EXPECT_EQ(b.f0EndHz, a.f0EndHz) << i;
    } else if (at >= end) {
      EXPECT_NEAR(b.f0StartHz, a.f0StartHz * ratio, 1e-3f) << i;
      EXPECT_NEAR(b.f0EndHz, a.f0EndHz * ratio, 1e-3f) << i;
    } else if (a.f0EndHz > 0.0f) {
      const float progress = std::clamp((endAt - start) / (end - start), 0.0f, 1.0f);
      const float factor = b.f0EndHz / a.f0EndHz;
      EXPECT_NEAR(factor, std::exp2(-progress), 1e-4f) << i;  // half-way in time: half-way in semitones
      EXPECT_LE(factor, lastFactor + 1e-6f) << i;
      lastFactor = factor;
      ++within;
    }
    at = endAt;
  }
  EXPECT_GE(within, 8);  // the span covers half the line's phones
  // An instant change, and input that cannot be a glide (it changes nothing).
  auto instant = plain;
  glidePitch(instant, 2.0f, start, start);
  EXPECT_NEAR(instant.phones.back().f0EndHz, 2.0f * plain.phones.back().f0EndHz, 1e-3f);
  EXPECT_EQ(instant.phones.front().f0StartHz, plain.phones.front().f0StartHz);
  for (const float bad :
       {0.0f, -1.0f, std::numeric_limits<float>::quiet_NaN(), std::numeric_limits<float>::infinity()}) {
    auto same = plain;
    glidePitch(same, bad, start, end);
    glidePitch(same, 2.0f, end, start);
    glidePitch(same, 2.0f, std::numeric_limits<float>::quiet_NaN(), end);
    for (std::size_t i = 0; i < plain.phones.size(); ++i) EXPECT_EQ(same.phones[i].f0EndHz, plain.phones[i].f0EndHz);
  }
}

TEST(FrontEnd, ALoneCapitalAIsTheLetterWhereNoWordFollowsTheArticleOtherwise) {
  // "Plan A" was "plan uh". The letter is the token "a." (the article stays "a").
  EXPECT_EQ(normalizeText("That's Plan A."), "that's plan a. .");
  EXPECT_EQ(normalizeText("Exhibit A shows it"), "exhibit a. shows it");
  EXPECT_EQ(normalizeText("Grade A, or B"), "grade a. , or b");
  EXPECT_EQ(normalizeText("flat 12A is empty"), "flat twelve a. is empty");
  EXPECT_EQ(normalizeText("Q and A"), "q and a.");
  // The article: a word follows it, or it hesitates; a shouted line's capitals say nothing.
  EXPECT_EQ(normalizeText("A man walks in. Take a sword, a... a shield."),
            "a man walks in . take a sword , a . . . a shield .");
  EXPECT_EQ(normalizeText("GET A SWORD"), "get a sword");
  const Lexicon lex;
  const auto u = buildUtterance("Plan A", lex, SpeakerSettings{}).utterance;
  ASSERT_EQ(u.words.size(), 2u);
  EXPECT_EQ(wordPhones(u, 1), "EY1");
}

TEST(FrontEnd, ADroppedGIsTheDictionarysIngWithN) {
  // Dialect in dialogue: "nothin'" was read by the rules, "N AA1 TH IH0 N"; a word the dictionary
  // has as written keeps its own reading, and without the apostrophe nothing is guessed.
  std::string data;
  data += entry(0, "cabin", {"K", "AE1", "B", "AH0", "N"});
  data += entry(0, "goin", {"G", "OY1", "N"});  // a surname; the dictionary's dialect form has the apostrophe
  data += entry(4, "'", {"G", "OW1", "AH0", "N"});
  data += entry(4, "g", {"G", "OW1", "IH0", "NG"});
  data += entry(0, "nothing", {"N", "AH1", "TH", "IH0", "NG"});
  Lexicon lex;
  ASSERT_TRUE(lex.load(data));
  auto said = [&](const char* line) { return linePhones(buildUtterance(line, lex, SpeakerSettings{}).utterance); };
  EXPECT_EQ(said("nothin'"), "N AH1 TH IH0 N");
  EXPECT_EQ(said("goin' home"), "G OW1 AH0 N | " + said("home"));  // the dictionary's "goin'"
  EXPECT_EQ(said("Goin"), "G OY1 N");
  EXPECT_EQ(said("cabin'"), "K AE1 B AH0 N");
  EXPECT_NE(said("nothin"), "N AH1 TH IH0 N");
}

TEST(FrontEnd, WordsWrittenWithAnApostropheAreTheDictionarysOrADroppedH) {
  // "Get 'em!" was "EH1 M" (the apostrophe was stripped before the dictionary was asked: "em" is the
  // letter M); Cockney's "'ello" was read by the rules.
  std::string data;
  data += entry(0, "'em", {"AH0", "M"});
  data += entry(0, "and", {"AH0", "N", "D"});
  data += entry(0, "em", {"EH1", "M"});
  data += entry(0, "hand", {"HH", "AE1", "N", "D"});
  data += entry(0, "hello", {"HH", "AH0", "L", "OW1"});
  data += entry(0, "here", {"HH", "IY1", "R"});
  Lexicon lex;
  ASSERT_TRUE(lex.load(data));
  auto said = [&](const char* line) { return linePhones(buildUtterance(line, lex, SpeakerSettings{}).utterance); };
  EXPECT_EQ(said("'em"), "AH0 M");
  EXPECT_EQ(said("em"), "EH1 M");
  EXPECT_EQ(said("'ello"), "AH0 L OW1");
  EXPECT_EQ(said("'ere"), "IY1 R");
  EXPECT_EQ(said("'and"), "AH0 N D") << "a single-quoted line's first word, not 'hand'";
}

TEST(FrontEnd, OldVerbEndingsAndMyLadyAreTheDictionarysWords) {
  // Fantasy dialogue: "thou goest" was read by the rules ("G AA1 EH0 S T"), "m'lady" "M L AE1 D IY0".
  std::string data;
  data += entry(0, "come", {"K", "AH1", "M"});
  data += entry(0, "do", {"D", "UW1"});
  data += entry(0, "doe", {"D", "OW1"});
  data += entry(0, "go", {"G", "OW1"});
  data += entry(0, "lady", {"L", "EY1", "D", "IY0"});
  data += entry(0, "mak", {"M", "AE1", "K"});
  data += entry(0, "make", {"M", "EY1", "K"});
  data += entry(0, "run", {"R", "AH1", "N"});
  Lexicon lex;
  ASSERT_TRUE(lex.load(data));
  auto said = [&](const char* line) { return linePhones(buildUtterance(line, lex, SpeakerSettings{}).utterance); };
  EXPECT_EQ(said("goest"), "G OW1 IH0 S T");
  EXPECT_EQ(said("cometh"), "K AH1 M IH0 TH");   // the e the ending dropped
  EXPECT_EQ(said("maketh"), "M EY1 K IH0 TH");   // make, not the name Mak
  EXPECT_EQ(said("doeth"), "D UW1 IH0 TH");      // do, not doe
  EXPECT_EQ(said("runneth"), "R AH1 N IH0 TH");  // one of a doubled consonant
  EXPECT_EQ(said("m'lady"), "M AH0 L EY1 D IY0");
}

TEST(FrontEnd, ThePossessiveAndPluralSuffixFollowTheWordsLastSound) {
  // A possessive the dictionary lacks took /Z/ after anything: "the lich's" ended "CH Z", "the
  // moth's" "TH Z", "Xerxes's" "Z Z"; an initialism's plural, the BFFs, "F Z".
  std::string data;
  data += entry(0, "i'd", {"AY1", "D"});
  data += entry(0, "lich", {"L", "IH1", "CH"});
  data += entry(0, "moth", {"M", "AO1", "TH"});
  data += entry(0, "varga", {"V", "AA1", "R", "G", "AH0"});
  data += entry(0, "wolf", {"W", "UH1", "L", "F"});
  data += entry(0, "xerxes", {"Z", "ER1", "K", "S", "IY0", "Z"});
  Lexicon lex;
  ASSERT_TRUE(lex.load(data));
  auto said = [&](const char* line) { return linePhones(buildUtterance(line, lex, SpeakerSettings{}).utterance); };
  EXPECT_EQ(said("lich's"), "L IH1 CH IH0 Z");  // after a sibilant: another syllable
  EXPECT_EQ(said("Xerxes's"), "Z ER1 K S IY0 Z IH0 Z");
  EXPECT_EQ(said("moth's"), "M AO1 TH S");  // after a voiceless sound: /s/
  EXPECT_EQ(said("wolf's"), "W UH1 L F S");
  EXPECT_EQ(said("Varga's"), "V AA1 R G AH0 Z");  // after a vowel or a voiced sound: /z/
  EXPECT_EQ(said("NPC's"), "EH2 N P IY2 S IY1 Z");
  // Names no dictionary has: the rules' reading, then the suffix (the rules read the 's as /s/).
  EXPECT_EQ(said("Cthulhu's"), said("Cthulhu") + " Z");
  EXPECT_EQ(said("Dovahkiin's"), said("Dovahkiin") + " Z");
  EXPECT_EQ(said("Dovahkiin").find("IH0 IH0"), std::string::npos) << said("Dovahkiin") << ": a doubled i is one vowel";
  EXPECT_EQ(said("Blaz's"), said("Blaz") + " IH0 Z");
  EXPECT_EQ(said("Geralt's"), said("Geralt") + " S");
  // The other clitics the same way: 've, 'll, 'd take a schwa after a consonant ("I'd've" was
  // "IH1 D V"), 're is /R/ after a vowel and /ER0/ after a consonant.
  EXPECT_EQ(said("I'd've"), "AY1 D AH0 V");
  EXPECT_EQ(said("Varga'll"), "V AA1 R G AH0 L");
  EXPECT_EQ(said("Geralt'll"), said("Geralt") + " AH0 L");
  EXPECT_EQ(said("Geralt'd"), said("Geralt") + " AH0 D");
  EXPECT_EQ(said("Geralt're"), said("Geralt") + " ER0");
  EXPECT_EQ(said("Varga're"), "V AA1 R G AH0 R");
  EXPECT_EQ(said("NPC'll"), "EH2 N P IY2 S IY1 L");
  EXPECT_EQ(said("BFFs"), "B IY2 EH2 F EH1 F S");  // an initialism's plural: its last letter's name
  EXPECT_EQ(said("NPCs"), "EH2 N P IY2 S IY1 Z");
}

TEST(FrontEnd, InitialismsAreSpeltLetterByLetterWithTheStressOnTheLast) {
  const Lexicon lex;
  auto said = [&](const char* line) { return linePhones(buildUtterance(line, lex, SpeakerSettings{}).utterance); };
  // Letter-to-sound rules made "NPCs" "N P K S", "XP" "K S P" and "brb" "B R B"; U.S.A. was three
  // sentences, its "a" the article.
  EXPECT_EQ(said("NPCs"), "EH2 N P IY2 S IY1 Z");
  EXPECT_EQ(said("XP"), "EH2 K S P IY1");
  EXPECT_EQ(said("brb"), "B IY2 AA2 R B IY1");
  EXPECT_EQ(said("NPC's"), "EH2 N P IY2 S IY1 Z");  // the possessive
  EXPECT_EQ(said("U.S.A."), "Y UW2 EH2 S EY1");
  // Their words, as word timings and a game's word events (subtitles) show them, are the letters as
  // written, not the front end's markers ("npc+s", "p.m", "a.").
  std::vector<std::string> texts;
  const char* line = "Kill the NPCs at 3 p.m. in the U.S.A., Plan A, for XP and the NPC's hat";
  for (const auto& w : buildUtterance(line, lex, SpeakerSettings{}).utterance.words) texts.push_back(w.text);
  EXPECT_EQ(texts, (std::vector<std::string>{"kill", "the", "NPCs", "at", "three", "PM", "in", "the", "USA", "plan",
                                             "A", "for", "XP", "and", "the", "NPC's", "hat"}));
  EXPECT_EQ(said("at 3 p.m."), "AE1 T | TH R IY1 | P IY2 EH1 M");
  const auto u = buildUtterance("The U.S.A. and the J.R.R. way.", lex, SpeakerSettings{}).utterance;
  int pauses = 0;
  for (const auto& ph : u.phones) pauses += ph.phone == Phone::Sil;
  EXPECT_EQ(pauses, 2) << "only the line's start and end: no sentence break at the stops";
  // Sounds with no vowel are still sounds, not letters.
  EXPECT_EQ(said("hmm, grrr, psst"), "HH M | G ER1 | P S T");
  // Spoken forms the dictionary lacks: th' was spelt "T IY1 EY1 CH", ow "OW1", argh "AA1 R G".
  EXPECT_EQ(said("Th' king, ow, argh"), "DH AH0 | K IH1 NG | AW1 | AA1 R");
  // An initialism in a mixed-case line is not a stressed word in capitals.
  EXPECT_EQ(normalizeText("I said NEVER, NPC."), "i said ** never ** , npc .");
  EXPECT_EQ(normalizeText("Kill the NPCs"), "kill the npc+s");
}

TEST(FrontEnd, ReadIsPastWhenTheSentenceSaysWhen) {
  const Lexicon lex;
  auto read = [&](const char* line) {
    const auto u = buildUtterance(line, lex, SpeakerSettings{}).utterance;
    for (int w = 0; w < static_cast<int>(u.words.size()); ++w) {
      if (u.words[w].text == "read") return wordPhones(u, w);
    }
    return std::string("(no read)");
  };
  EXPECT_EQ(read("I read it yesterday."), "R EH1 D");  // was "reed": the deciding word was not its neighbour
  EXPECT_EQ(read("We read the scrolls last night."), "R EH1 D");
  EXPECT_EQ(read("They read it long ago."), "R EH1 D");
  EXPECT_EQ(read("I didn't read it yesterday."), "R IY1 D");
  EXPECT_EQ(read("Read it before dawn."), "R IY1 D");
  EXPECT_EQ(read("I read it. Yesterday I slept."), "R IY1 D");  // the next sentence does not decide
}

TEST(FrontEnd, ArbitraryTextNeverBreaksTheFrontEnd) {
  // Lines built at random from the pieces the normaliser's rules look for (numbers of every
  // length, signs, stops, commas, brackets, capitals, abbreviations, non-ASCII bytes). The
  // sanitizer builds run this too: an index past a line's end, or an overflowing number ("$"
  // clang-format off
  // and twenty digits overflowed a 64-bit count), fails there. Here: every line gives a finite
  // utterance of bounded length, the same one twice.
  static const char* const kPieces[] = {
      "$", "\xE2\x82\xAC", "\xC2\xA3", "1", "0", "12", "3,50", "1,000", ",", ".", "..", ":", "/", "-", "'", "\"", "(",
      ")", "[", "]", "<", ">", "*", "**", "{", "}", "{AA1 B}", " ", " ", " ", "A", "a", "I", "NASA", "NPCs", "St.",
      "Dr.", "no.", "ft", "mm", "km", "x", "k", "m", "bn", "pm", "am", "\xC3\xA9", "\xE2\x80\x94", "\xFF", "Jan.",
      "the", "10ft", "hahaha", "grrr", "nooo", "www", "@", "%", "#", "&", "+", "=", "?", "!", ";", "\t", "III",
      "99999999999999999999", "0600", "hours", "HP", "100/100", "3:1", "s", "'s", "E", "Space", "you", "lost"};
  // clang-format on
  const Lexicon lex = smallLexicon();
  vs_test::SeededDraws draws(12345);
  auto next = [&](std::uint64_t bound) { return draws.below(bound); };
  constexpr std::uint64_t kPieceCount = sizeof(kPieces) / sizeof(kPieces[0]);
  for (int line = 0; line < 4000; ++line) {
    std::string text;
    const auto pieces = 1 + next(24);
    for (std::uint64_t p = 0; p < pieces; ++p) text += kPieces[next(kPieceCount)];
    const std::string said = normalizeText(text);
    ASSERT_EQ(normalizeText(text), said) << text;
    const FrontEndResult r = buildUtterance(text, lex, SpeakerSettings{});
    if (!r.ok()) continue;  // (an unknown phoneme in braces: reported, not said)
    const Utterance& u = r.utterance;
    for (const UtterancePhone& p : u.phones) {
      ASSERT_TRUE(std::isfinite(p.durationMs) && p.durationMs >= 0.0f) << text;
      ASSERT_TRUE(std::isfinite(p.f0StartHz) && std::isfinite(p.f0EndHz) && p.f0StartHz >= 0.0f) << text;
      ASSERT_TRUE(std::isfinite(p.gain) && p.gain > 0.0f) << text;
    }
    for (const UtteranceWord& w : u.words) {
      ASSERT_LE(static_cast<std::size_t>(w.firstPhone + w.phoneCount), u.phones.size()) << text;
    }
    // Bounded: a second per written character at most (twenty digits are twenty words).
    ASSERT_LE(u.totalMs(), 1000.0f * static_cast<float>(text.size() + 1)) << text;
  }
}
