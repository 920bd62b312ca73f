#include "vocalsynth/speech/synthesizer.h"

#include <cmath>

#include "vocalsynth/dsp_math.h"
#include "vocalsynth/glottal.h"

namespace vocalsynth::speech {
namespace {

constexpr int kControlInterval = 16;
constexpr float kHigherFormants[2] = {3550.0f, 4200.0f};  // typical adult male F4, F5
constexpr float kHigherBandwidths[2] = {250.0f, 300.0f};
// Higher-pole correction (Klatt 1980): an all-pole cascade of five formants lacks the
// boost that a real tract's poles above F5 give everything below them, so its spectrum falls ever
// faster above ~2.5 kHz and off a cliff above ~4.5 kHz, and voiced speech sounds muffled. F6-F8
// of a 17.5 cm tract (a uniform tube resonates every ~1.1 kHz; wider as losses grow) restore the
// 2.5-5 kHz range in cascade; a broad parallel resonance (Holmes 1973) adds the "air" above them.
// Human /a/ then has harmonics at -63 dB re F1 at 5-6 kHz and -71 dB at 10 kHz (-104 and -161
// without); the air's level is the one the intelligibility benchmark liked (twice it scores lower).
constexpr float kUpperFormantsHz[3] = {5300.0f, 6400.0f, 7600.0f};
constexpr float kUpperBandwidthsHz[3] = {600.0f, 800.0f, 1000.0f};
constexpr float kAirHz = 6000.0f;
constexpr float kAirQ = 0.8f;
constexpr float kAirGain = 0.05f;  // for a neutral tract; it follows the vowel (see cascadeMagnitude)
// The neutral tract (a uniform tube: 500, 1500, 2500 Hz, and F4, F5 as above) the air is set for.
constexpr float kNeutralFormants[5] = {500.0f, 1500.0f, 2500.0f, kHigherFormants[0], kHigherFormants[1]};
constexpr float kNeutralBandwidths[5] = {60.0f, 90.0f, 120.0f, kHigherBandwidths[0], kHigherBandwidths[1]};

/// |H(f)| of the five-formant cascade, each stage normalised to unity at DC:
/// the product of 1 / |1 - (f/F)^2 + j f B / F^2|. Formants are multiplied by `scale`.
float cascadeMagnitude(float f, const float* formantsHz, const float* bandwidthsHz, float scale) noexcept {
  float magnitude = 1.0f;
  for (int k = 0; k < 5; ++k) {
    const float formant = formantsHz[k] * scale;
    const float r = f / formant;
    const float re = 1.0f - r * r, im = f * bandwidthsHz[k] / (formant * formant);
    magnitude *= 1.0f / std::sqrt(re * re + im * im);
  }
  return magnitude;
}
// Calibrated: the reference speaker's lines at about -18 LUFS (as loud as the built-in anchor),
// typical peaks near -3 dBFS: headroom for the archetype chains (it was 0.066, peaks near -1).
constexpr float kOutputGain = 0.052f;

/// Output gain for a speaker, so that any speaker's lines are as loud (EBU R128) as the
/// reference speaker's (120 Hz, 17.5 cm). At one effort, a higher voice carries more pulses per
/// second (energy grows with F0) and a shorter tract moves formants up into the range loudness
/// weights most: measured on four lines over 70-230 Hz and 14.5-22 cm, +4.1 dB per octave of F0
/// and +2.25 dB per octave of shorter tract (0.2 dB residual). A Banshee's 230 Hz, 14.5 cm
/// speaker was 8.4 LU louder than a Golem's 70 Hz, 22 cm one.
float speakerGain(float basePitchHz, float tractLengthCm) noexcept {
  const float pitch = basePitchHz > 20.0f ? basePitchHz : 120.0f;
  const float tract = tractLengthCm > 5.0f ? tractLengthCm : 17.5f;
  return std::pow(pitch / 120.0f, -4.1f / 6.0206f) * std::pow(tract / 17.5f, 2.25f / 6.0206f);
}

// Nasal murmur (Klatt 1980's nasal pole-zero pair, FNP and FNZ): the pole stays at 270 Hz, and the
// zero sits on it (the pair does nothing) except in a nasal, where it rises to 450 Hz. The murmur
// then keeps its low resonance and loses ~9 dB above ~500 Hz, as the closed mouth takes the oral
// formants' energy. The pair takes that energy from the murmur's voicing too, so a nasal's voicing
// is raised to keep the murmur's low resonance as strong as a vowel's F1 region; at the old 0.55 it
// read as a voiced stop (pocketsphinx allphone: /n/ 3%, /m/ 38% of 40 lines' nasals).
constexpr float kNasalPoleHz = 270.0f;
constexpr float kNasalZeroHz = 450.0f;
constexpr float kNasalBandwidthHz = 100.0f;
constexpr float kNasalVoicing = 1.3f;
// An unstressed /ah/ is the reduced vowel, schwa: near the neutral tract, its F2 a little back
// (with Peterson & Barney's stressed /ah/ for "the", "a" and "-tion", they were heard as /aa/).
constexpr float kSchwaHz[3] = {520.0f, 1400.0f, 2450.0f};

/// Klatt's (1980) digital resonator y = A x + B y1 + C y2 at `hz` with bandwidth `bandwidthHz`,
/// unity gain at DC.
void klattResonator(double hz, double bandwidthHz, double sampleRate, double& a, double& b, double& c) noexcept {
  constexpr double kPi = 3.14159265358979323846;
  const double t = 1.0 / sampleRate;
  c = -std::exp(-2.0 * kPi * bandwidthHz * t);
  b = 2.0 * std::exp(-kPi * bandwidthHz * t) * std::cos(2.0 * kPi * hz * t);
  a = 1.0 - b - c;
}

}  // namespace

bool Synthesizer::prepare(double sampleRateHz, int maxPhones) {
  if (!(sampleRateHz >= 8000.0 && sampleRateHz <= 192000.0) || maxPhones < 1) return false;
  sampleRate_ = sampleRateHz;
  phones_.assign(static_cast<std::size_t>(maxPhones), UtterancePhone{});
  phoneStarts_.assign(static_cast<std::size_t>(maxPhones) + 1, 0);
  phoneCount_ = 0;
  phoneIndex_ = 0;
  return true;
}

bool Synthesizer::start(const Utterance& u, std::uint64_t seed) noexcept {
  if (u.phones.size() > phones_.size()) return false;
  phoneCount_ = static_cast<int>(u.phones.size());
  // An Utterance is a public struct, so one made by hand is held to what the renderer can play
  // (buildUtterance's are already): a phone lasts 0-60 s (a negative or non-finite duration is
  // 0), F0 lies in 0-2 kHz and below a quarter of the rate (the glottal phase then wraps at most
  // once a sample), gains are finite and >= 0, and the speaker's settings are clamped.
  const float highestF0 = std::fmin(2000.0f, 0.25f * static_cast<float>(sampleRate_));
  auto held = [](float value, float low, float high, float otherwise) {
    return isFinite(value) ? std::fmin(std::fmax(value, low), high) : otherwise;
  };
  double t = 0.0;
  for (int i = 0; i < phoneCount_; ++i) {
    UtterancePhone& phone = phones_[i];
    phone = u.phones[i];
    phone.durationMs = held(phone.durationMs, 0.0f, 60000.0f, 0.0f);
    phone.f0StartHz = held(phone.f0StartHz, 0.0f, highestF0, 0.0f);
    phone.f0EndHz = held(phone.f0EndHz, 0.0f, highestF0, 0.0f);
    phone.gain = held(phone.gain, 0.0f, 16.0f, 1.0f);
    phoneStarts_[i] = static_cast<std::int64_t>(std::llround(t * sampleRate_ / 1000.0));
    t += phone.durationMs;
  }
  totalSamples_ = static_cast<std::int64_t>(std::llround(t * sampleRate_ / 1000.0));
  phoneStarts_[phoneCount_] = totalSamples_;
  SpeakerSettings speaker = u.speaker;
  clampSpeaker(speaker);
  formantScale_ = 17.5f / speaker.tractLengthCm;
  effort_ = held(u.effort, 0.0f, 4.0f, 1.0f);
  breathiness_ = held(u.breathiness, 0.0f, 1.0f, speaker.breathiness);
  whispered_ = u.whispered;
  random_.setSeed(seed, 0x5EEC);
  for (auto& r : cascade_) r.reset();
  // Resonances too close to Nyquist to ring cleanly are left out (at low sample rates). The
  // cascade keeps the formants whose neutral-tract place is below the limit, for the whole line,
  // as Klatt (1980) sets the number of cascade formants by sample rate and tract length. (A short
  // tract at 8 kHz had F3-F5 all clamped just below Nyquist, three resonances stacked on one
  // frequency: peaks of +24 dBFS.)
  const float highest = 0.42f * static_cast<float>(sampleRate_);
  cascadeCount_ = 0;
  while (cascadeCount_ < 5 && kNeutralFormants[cascadeCount_] * formantScale_ <= highest) ++cascadeCount_;
  upperCount_ = 0;
  for (int k = 0; k < kUpperFormants; ++k) {
    const float f = kUpperFormantsHz[k] * formantScale_;
    if (f > highest) break;
    upper_[upperCount_].reset();
    upper_[upperCount_].setup(f, f / kUpperBandwidthsHz[k], static_cast<float>(sampleRate_));
    ++upperCount_;
  }
  airActive_ = kAirHz * formantScale_ <= highest;
  // The air continues the cascade's own level up there, so it follows the vowel: the cascade's
  // gain at the air's centre, relative to the neutral tract's, scales it (an /u/ gets ~20 dB less
  // than an /i/, as in real voices).
  neutralAirMagnitude_ = cascadeMagnitude(kAirHz * formantScale_, kNeutralFormants, kNeutralBandwidths, formantScale_);
  air_.reset();
  if (airActive_) air_.setup(kAirHz * formantScale_, kAirQ, static_cast<float>(sampleRate_));
  frication_.reset();
  burst_.reset();
  aspirationTilt_.reset();
  aspirationTilt_.setup(3000.0f, 0.5f, static_cast<float>(sampleRate_));
  const auto fs = static_cast<float>(sampleRate_);
  amplitudeSmoothing_ = 1.0f - std::exp(-1.0f / (0.004f * fs));
  burstDecay_ = std::exp(-1.0f / (0.004f * fs));
  formantGlide_ = 1.0f - std::exp(-static_cast<float>(kControlInterval) / (0.015f * fs));
  sourceShelf_.reset();
  sourceShelf_.setup(1500.0f, static_cast<float>(sampleRate_));
  nasal_.start(clampValue(kNasalPoleHz * formantScale_, 60.0f, 0.4f * fs),
               clampValue(kNasalZeroHz * formantScale_, 60.0f, 0.4f * fs), sampleRate_);
  glottalPhase_ = 0.0f;
  previousFlow_ = 0.0f;
  voicing_ = aspiration_ = fric_ = burstLevel_ = 0.0f;
  samplePosition_ = 0;
  eventHead_ = eventCount_ = 0;
  lastViseme_ = -1;
  renderOffset_ = 0;
  phoneIndex_ = -1;
  sampleInPhone_ = 0;
  phoneLength_ = 0;
  controlCountdown_ = 0;
  // Start the formant tracks on the first phone's targets.
  Track first;
  targetsFor(0, 0.0f, first);
  for (int k = 0; k < 5; ++k) {
    current_[k] = first.f[k];
    currentBw_[k] = first.bw[k];
  }
  gain_ = kOutputGain * speakerGain(speaker.basePitchHz, speaker.tractLengthCm) * (0.6f + 0.4f * effort_);
  if (phoneCount_ > 0) enterPhone(0);
  return true;
}

void Synthesizer::enterPhone(int index) noexcept {
  // A phone that rounds to no sample (only a hand-made utterance has one) raises its events and
  // hands over to the next phone at the same sample, so a line is exactly totalSamples() long.
  for (;; ++index) {
    phoneIndex_ = index;
    sampleInPhone_ = 0;
    if (index >= phoneCount_) return;
    phoneLength_ = phoneStarts_[index + 1] - phoneStarts_[index];
    const UtterancePhone& p = phones_[index];
    if (p.word >= 0 && (index == 0 || phones_[index - 1].word != p.word))
      pushEvent(SpeechEvent::Type::Word, p.word, renderOffset_);
    pushEvent(SpeechEvent::Type::Phone, index, renderOffset_);
    const int viseme = visemeOf(p.phone);
    if (viseme != lastViseme_) {
      pushEvent(SpeechEvent::Type::Viseme, viseme, renderOffset_);
      lastViseme_ = viseme;
    }
    if (phoneLength_ >= 1) return;
  }
}

void Synthesizer::pushEvent(SpeechEvent::Type type, int index, int offsetInBlock) noexcept {
  const int slot = (eventHead_ + eventCount_) % kEventCapacity;
  events_[slot] = SpeechEvent{type, index, samplePosition_, offsetInBlock};
  if (eventCount_ < kEventCapacity) ++eventCount_;
  else eventHead_ = (eventHead_ + 1) % kEventCapacity;  // full: drop the oldest
}

int Synthesizer::popEvents(SpeechEvent* out, int maxEvents) noexcept {
  int n = 0;
  while (n < maxEvents && eventCount_ > 0) {
    out[n++] = events_[eventHead_];
    eventHead_ = (eventHead_ + 1) % kEventCapacity;
    --eventCount_;
  }
  return n;
}

void Synthesizer::targetsFor(int index, float progress, Track& out) const noexcept {
  // Formant targets of phone `index`; pauses, /h/ and stop closures borrow their neighbours'
  // vowel targets so the tract moves only where speech does (coarticulation).
  int source = index;
  const Phone phone = phones_[index].phone;
  const PhoneClass cls = phoneInfo(phone).cls;
  if (cls == PhoneClass::Silence || cls == PhoneClass::Aspirate) {
    source = index + 1 < phoneCount_ ? index + 1 : (index > 0 ? index - 1 : index);
    if (phoneInfo(phones_[source].phone).cls == PhoneClass::Silence && index > 0) source = index - 1;
  }
  const PhoneInfo& info = phoneInfo(phones_[source].phone);
  const float p = info.cls == PhoneClass::Diphthong ? progress : 0.0f;
  const bool schwa = phones_[source].phone == Phone::AH && phones_[source].stress == 0;
  for (int k = 0; k < 3; ++k) {
    const float f = schwa ? kSchwaHz[k] : info.formantHz[k] + (info.endFormantHz[k] - info.formantHz[k]) * p;
    out.f[k] = f * formantScale_;
    out.bw[k] = info.bandwidthHz[k];
  }
  for (int k = 0; k < 2; ++k) {
    out.f[3 + k] = kHigherFormants[k] * formantScale_;
    out.bw[3 + k] = kHigherBandwidths[k];
  }
}

float Synthesizer::renderSample() noexcept {
  const UtterancePhone& ph = phones_[phoneIndex_];
  const PhoneInfo& info = phoneInfo(ph.phone);
  const float fs = static_cast<float>(sampleRate_);
  const float progress = static_cast<float>(sampleInPhone_) / static_cast<float>(phoneLength_);

  if (controlCountdown_ <= 0) {
    controlCountdown_ = kControlInterval;
    Track target;
    targetsFor(phoneIndex_, progress, target);
    // Formants glide toward their targets (critically damped, ~15 ms): the coarticulation of
    // Klatt's parameter smoothing.
    const float glide = formantGlide_;
    for (int k = 0; k < 5; ++k) {
      current_[k] += (target.f[k] - current_[k]) * glide;
      currentBw_[k] += (target.bw[k] - currentBw_[k]) * glide;
      const float f = clampValue(current_[k], 60.0f, 0.45f * fs);
      cascade_[k].setup(f, f / currentBw_[k], fs);
    }
    // The nasal zero glides as the formants do (the velum opens and closes over ~15 ms too), and
    // settles on its target within 0.5 Hz, so outside nasals the pair is set once and passes through.
    const float zeroTarget = info.cls == PhoneClass::Nasal ? nasal_.murmurZeroHz : nasal_.poleHz;
    if (nasal_.zeroHz != zeroTarget) {
      const float zero = nasal_.zeroHz + (zeroTarget - nasal_.zeroHz) * glide;
      nasal_.setZero(std::fabs(zero - zeroTarget) < 0.5f ? zeroTarget : zero, sampleRate_);
    }
    if (airActive_)
      airGain_ = kAirGain * cascadeMagnitude(kAirHz * formantScale_, current_, currentBw_, 1.0f) / neutralAirMagnitude_;
    if (info.fricationHz > 0.0f) frication_.setup(info.fricationHz * formantScale_, info.fricationQ, fs);
    if (info.burstHz > 0.0f) burst_.setup(info.burstHz * formantScale_, 1.5f, fs);
  }
  --controlCountdown_;

  // Source amplitudes by phone class and position within the phone.
  float av = 0.0f, ah = breathiness_ * 0.25f, af = 0.0f, burstTrigger = 0.0f;
  switch (info.cls) {
    case PhoneClass::Silence: ah = 0.0f; break;
    case PhoneClass::Vowel:
    case PhoneClass::Diphthong: av = 1.0f; break;
    case PhoneClass::Liquid:
    case PhoneClass::Glide: av = 0.8f; break;
    case PhoneClass::Nasal: av = kNasalVoicing; break;
    case PhoneClass::Aspirate: ah = 0.7f; break;
    case PhoneClass::Fricative:
      av = info.voiced ? 0.45f : 0.0f;
      af = info.fricationLevel;
      break;
    case PhoneClass::Affricate:
      if (progress > 0.4f) af = info.fricationLevel;
      av = info.voiced ? 0.3f : 0.0f;
      if (progress > 0.4f && progress - 1.0f / static_cast<float>(phoneLength_) <= 0.4f) burstTrigger = 0.6f;
      break;
    case PhoneClass::Stop: {
      const float release = info.voiced ? 0.8f : 0.55f;
      if (progress < release) {
        av = info.voiced ? 0.12f : 0.0f;  // voice bar during a voiced closure
        ah = 0.0f;
      } else {
        av = info.voiced ? 0.7f : 0.0f;
        ah = info.voiced ? ah : 0.6f;  // aspiration after a voiceless release
      }
      if (progress >= release && progress - 1.0f / static_cast<float>(phoneLength_) < release) burstTrigger = 1.0f;
      break;
    }
  }
  if (whispered_) {
    ah = av > 0.0f ? 0.9f * av : ah;
    av = 0.0f;
  }
  av *= ph.gain;  // (an emphasised word; x1 is exact for the rest)
  ah *= ph.gain;
  af *= ph.gain;
  // Amplitudes move smoothly (~4 ms) so phone boundaries never click.
  voicing_ += (av - voicing_) * amplitudeSmoothing_;
  aspiration_ += (ah - aspiration_) * amplitudeSmoothing_;
  fric_ += (af - fric_) * amplitudeSmoothing_;
  if (burstTrigger > 0.0f) burstLevel_ = burstTrigger;
  burstLevel_ *= burstDecay_;

  // Glottal source: Rosenberg flow derivative at the interpolated F0, with a little flutter.
  const float f0 = (ph.f0StartHz + (ph.f0EndHz - ph.f0StartHz) * progress) * (1.0f + 0.004f * random_.bipolar());
  glottalPhase_ += f0 / fs;
  if (glottalPhase_ >= 1.0f) glottalPhase_ -= 1.0f;
  const float flow = rosenbergFlow(glottalPhase_);
  const float pulse = (flow - previousFlow_) * fs / (f0 > 1.0f ? f0 : 1.0f) * 0.25f;
  previousFlow_ = flow;
  const float noise = random_.bipolar();
  const float aspirationNoise = aspirationTilt_.bandPass(noise) * 1.5f;
  // Aspiration is modulated by the glottal cycle when voicing (breathy voice), steady otherwise.
  const float aspirationGate = voicing_ > 0.1f ? (glottalPhase_ < 0.56f ? 1.0f : 0.4f) : 1.0f;
  // Source spectral tilt (Klatt's TL): a high shelf above 1.5 kHz, brighter with more effort, so
  // the upper formants stand where natural voices put them relative to F1.
  const float voiced = voicing_ * pulse * effort_;
  const float low = sourceShelf_.lowPass(voiced);
  const float shaped = low + (voiced - low) * (2.0f + 2.0f * effort_);
  const float source = shaped + aspiration_ * aspirationNoise * aspirationGate;
  float y = source;
  for (int k = 0; k < cascadeCount_; ++k) y = cascade_[k].lowPass(y);
  for (int k = 0; k < upperCount_; ++k) y = upper_[k].lowPass(y);  // higher-pole correction
  y = nasal_.process(y);
  // Subtracted: where the two meet (~4.5 kHz) the cascade's phase is opposite the band-pass's,
  // and added they would notch the spectrum there by ~6 dB.
  if (airActive_) y -= air_.bandPass(source) * airGain_;
  // Parallel branch: frication and bursts excite band-passes directly.
  if (fric_ > 1e-4f) y += fric_ * frication_.bandPass(noise) * 0.5f;
  if (burstLevel_ > 1e-4f) y += burstLevel_ * burst_.bandPass(random_.bipolar()) * 0.8f;
  return y * gain_;
}

void Synthesizer::NasalPair::start(float hz, float murmurHz, double sampleRate) noexcept {
  poleHz = hz;
  murmurZeroHz = murmurHz;
  klattResonator(hz, kNasalBandwidthHz, sampleRate, poleA, poleB, poleC);
  setZero(hz, sampleRate);
  x1 = x2 = y1 = y2 = 0.0;
}

void Synthesizer::NasalPair::setZero(float hz, double sampleRate) noexcept {
  // The antiresonator is the resonator's inverse (Klatt 1980): x = (y - B y1 - C y2) / A. At the
  // pole's frequency it is the pole's own inverse, and the pair passes the signal through.
  zeroHz = hz;
  double a, b, c;
  klattResonator(hz, kNasalBandwidthHz, sampleRate, a, b, c);
  zeroA = 1.0 / a;
  zeroB = -b / a;
  zeroC = -c / a;
}

float Synthesizer::NasalPair::process(float in) noexcept {
  if (zeroHz == poleHz) {  // the pair is the identity: keep its histories as it would, and pass through
    x2 = x1;
    x1 = in;
    y2 = y1;
    y1 = in;
    return in;
  }
  // In double: the pole sits ~0.5% inside the unit circle at 270 Hz, where float coefficients
  // would move it.
  const double zeroed = zeroA * in + zeroB * x1 + zeroC * x2;
  x2 = x1;
  x1 = in;
  const double out = poleA * zeroed + poleB * y1 + poleC * y2;
  y2 = y1;
  y1 = out;
  return static_cast<float>(out);
}

int Synthesizer::render(float* out, int n) noexcept {
  int written = 0;
  renderOffset_ = 0;
  while (written < n && phoneIndex_ < phoneCount_) {
    out[written++] = renderSample();
    ++samplePosition_;
    renderOffset_ = written;  // an event raised now happens at the next sample of this block
    if (++sampleInPhone_ >= phoneLength_) enterPhone(phoneIndex_ + 1);
  }
  return written;
}

}  // namespace vocalsynth::speech
