// The crowd kernels, written once over the lane-batch API of simd_batch.h and included inside
// one namespace per instruction set by kernels_*.cpp (after `using namespace simd::<isa>`).
// No standard-library call in here: every instantiation must stay behind its own name.
//
// Per lane, per sample (see crowd_kernels.h for the model):
//   phase += f0 * periodScale / fs; at each glottal closure draw jitter, shimmer, (Near) a broken
//   pulse and flip the period-doubling sign; KLGLOTT88 flow derivative 3 t (2 - 3 t) over the
//   open phase; amplitude-modulate by low-passed noise (roughness); add breath noise; multiply by
//   the syllable envelope; formant bank; ramped stereo gains into the lane-interleaved bus.
// Every kControlPeriod samples (a grid shared by all voices, so block size does not matter):
//   advance the syllable, draw a new vowel, loudness and pitch at syllable starts, set the
//   envelope and pitch ramps, glide the formant frequencies, recompute resonator coefficients.

// Rational [5/4] Pade approximant of tan(x), accurate to 1e-5 relative for x <= 1.35 (the
// formants are clamped below 0.42 fs, so x = pi f / fs <= 1.32).
VOCALSYNTH_FORCE_INLINE F tanPade(F x) {
  const F x2 = x * x;
  const F x4 = x2 * x2;
  const F num = x * (splat(945.0f) - splat(105.0f) * x2 + x4);
  const F den = splat(945.0f) - splat(420.0f) * x2 + splat(15.0f) * x4;
  return num / den;
}

VOCALSYNTH_FORCE_INLINE F rampToward(F value, F target, F step) {
  return value + vmin(step, vmax(splat(0.0f) - step, target - value));
}

struct Coeffs {
  F a1[kMaxFormants], a2[kMaxFormants], a3[kMaxFormants], out[kMaxFormants];
};

template <int kFormants>
VOCALSYNTH_FORCE_INLINE void computeCoeffs(Coeffs& c, const F* fq, F bwMul, F piOverFs) {
  for (int k = 0; k < kFormants; ++k) {
    const F g = tanPade(fq[k] * piOverFs);
    const F damping = splat(kFormantBandwidthHz[k]) * bwMul / fq[k];  // 1/Q = B/F
    c.a1[k] = splat(1.0f) / (splat(1.0f) + g * (g + damping));
    c.a2[k] = g * c.a1[k];
    c.a3[k] = g * c.a2[k];
    c.out[k] = damping * splat(kFormantGain[k]);  // band output * 1/Q = unity peak gain
  }
}

// All the per-lane state a kernel keeps in registers.
struct Lanes {
  F f0Base, jitter, shimmer, subDepth, dropout, breath, voicing, roughAmt, invOQ;
  F formMul, formShift, bwMul, sylRate, pauseProb, intonation, vowelSpread;
  F phase, periodScale, pulseAmp, subSign, f0, f0Step, f0Target, roughLp;
  F env, envStep, sylPos, sylInc, sylLoud, vOpen, vFront;
  F fq[kMaxFormants], sa[kMaxFormants], sb[kMaxFormants];
  F gL, gLT, gLS, gR, gRT, gRS, nearMix, nearMixT, nearMixS;
  U rng;
};

VOCALSYNTH_FORCE_INLINE void loadLanes(Lanes& s, const LaneBlock& b) {
#define VOCALSYNTH_LOAD(name) s.name = load(b.name);
  VOCALSYNTH_LOAD(f0Base) VOCALSYNTH_LOAD(jitter) VOCALSYNTH_LOAD(shimmer) VOCALSYNTH_LOAD(subDepth)
  VOCALSYNTH_LOAD(dropout) VOCALSYNTH_LOAD(breath) VOCALSYNTH_LOAD(voicing) VOCALSYNTH_LOAD(roughAmt)
  VOCALSYNTH_LOAD(invOQ) VOCALSYNTH_LOAD(formMul) VOCALSYNTH_LOAD(formShift) VOCALSYNTH_LOAD(bwMul)
  VOCALSYNTH_LOAD(sylRate) VOCALSYNTH_LOAD(pauseProb) VOCALSYNTH_LOAD(intonation) VOCALSYNTH_LOAD(vowelSpread)
  VOCALSYNTH_LOAD(phase) VOCALSYNTH_LOAD(periodScale) VOCALSYNTH_LOAD(pulseAmp) VOCALSYNTH_LOAD(subSign)
  VOCALSYNTH_LOAD(f0) VOCALSYNTH_LOAD(f0Step) VOCALSYNTH_LOAD(f0Target) VOCALSYNTH_LOAD(roughLp)
  VOCALSYNTH_LOAD(env) VOCALSYNTH_LOAD(envStep) VOCALSYNTH_LOAD(sylPos) VOCALSYNTH_LOAD(sylInc)
  VOCALSYNTH_LOAD(sylLoud) VOCALSYNTH_LOAD(vOpen) VOCALSYNTH_LOAD(vFront)
  VOCALSYNTH_LOAD(gL) VOCALSYNTH_LOAD(gLT) VOCALSYNTH_LOAD(gLS) VOCALSYNTH_LOAD(gR) VOCALSYNTH_LOAD(gRT)
  VOCALSYNTH_LOAD(gRS) VOCALSYNTH_LOAD(nearMix) VOCALSYNTH_LOAD(nearMixT) VOCALSYNTH_LOAD(nearMixS)
#undef VOCALSYNTH_LOAD
  s.fq[0] = load(b.fq0); s.fq[1] = load(b.fq1); s.fq[2] = load(b.fq2); s.fq[3] = load(b.fq3); s.fq[4] = load(b.fq4);
  s.sa[0] = load(b.s0a); s.sa[1] = load(b.s1a); s.sa[2] = load(b.s2a); s.sa[3] = load(b.s3a); s.sa[4] = load(b.s4a);
  s.sb[0] = load(b.s0b); s.sb[1] = load(b.s1b); s.sb[2] = load(b.s2b); s.sb[3] = load(b.s3b); s.sb[4] = load(b.s4b);
  s.rng = loadU(b.rng);
}

// Only the fields a kernel changes go back.
VOCALSYNTH_FORCE_INLINE void storeLanes(const Lanes& s, LaneBlock& b) {
#define VOCALSYNTH_STORE(name) store(b.name, s.name);
  VOCALSYNTH_STORE(phase) VOCALSYNTH_STORE(periodScale) VOCALSYNTH_STORE(pulseAmp) VOCALSYNTH_STORE(subSign)
  VOCALSYNTH_STORE(f0) VOCALSYNTH_STORE(f0Step) VOCALSYNTH_STORE(f0Target) VOCALSYNTH_STORE(roughLp)
  VOCALSYNTH_STORE(env) VOCALSYNTH_STORE(envStep) VOCALSYNTH_STORE(sylPos) VOCALSYNTH_STORE(sylInc)
  VOCALSYNTH_STORE(sylLoud) VOCALSYNTH_STORE(vOpen) VOCALSYNTH_STORE(vFront)
  VOCALSYNTH_STORE(gL) VOCALSYNTH_STORE(gR) VOCALSYNTH_STORE(nearMix)
#undef VOCALSYNTH_STORE
  store(b.fq0, s.fq[0]); store(b.fq1, s.fq[1]); store(b.fq2, s.fq[2]); store(b.fq3, s.fq[3]); store(b.fq4, s.fq[4]);
  store(b.s0a, s.sa[0]); store(b.s1a, s.sa[1]); store(b.s2a, s.sa[2]); store(b.s3a, s.sa[3]); store(b.s4a, s.sa[4]);
  store(b.s0b, s.sb[0]); store(b.s1b, s.sb[1]); store(b.s2b, s.sb[2]); store(b.s3b, s.sb[3]); store(b.s4b, s.sb[4]);
  storeU(b.rng, s.rng);
}

// Vowel space -> formant targets (kVowel* tables), then the archetype's scale and shift,
// clamped below 0.42 fs.
VOCALSYNTH_FORCE_INLINE void formantTargets(const Lanes& s, F maxHz, F* out) {
  for (int k = 0; k < kMaxFormants; ++k) {
    const F base = splat(kVowelBaseHz[k]) + splat(kVowelOpenSpanHz[k]) * s.vOpen + splat(kVowelFrontSpanHz[k]) * s.vFront;
    out[k] = vmin(maxHz, vmax(splat(90.0f), base * s.formMul + s.formShift));
  }
}

// The control tick: identical in every tier, so a voice's syllables, pitch and vowels go on
// unchanged when it changes tier.
VOCALSYNTH_FORCE_INLINE void controlTick(Lanes& s, F formantAlpha, F maxHz) {
  const F one = splat(1.0f);
  s.sylPos = s.sylPos + s.sylInc;
  const M newSyllable = ge(s.sylPos, one);
  if (any(newSyllable)) {
    const U r1 = xorshift(s.rng);
    const U r2 = xorshift(r1);
    const U r3 = xorshift(r2);
    const U r4 = xorshift(r3);
    s.rng = selectU(newSyllable, r4, s.rng);
    const F u3 = unit(r3);
    const F u4 = unit(r4);
    s.sylPos = select(newSyllable, s.sylPos - one, s.sylPos);
    const F half = splat(0.5f);
    s.vOpen = select(newSyllable, half + s.vowelSpread * (unit(r1) - half), s.vOpen);
    s.vFront = select(newSyllable, half + s.vowelSpread * (unit(r2) - half), s.vFront);
    const F loud = select(lt(u3, s.pauseProb), splat(0.0f), splat(0.55f) + splat(0.45f) * u4);
    s.sylLoud = select(newSyllable, loud, s.sylLoud);
    s.f0Target = select(newSyllable, s.f0Base * (one + s.intonation * (u4 - splat(0.5f))), s.f0Target);
    s.sylInc = select(newSyllable, s.sylRate * (splat(0.7f) + splat(0.6f) * u3), s.sylInc);
  }
  const F invPeriod = splat(1.0f / static_cast<float>(kControlPeriod));
  const F p = vmin(one, s.sylPos + s.sylInc);
  const F shape = splat(4.0f) * p * (one - p);  // parabolic syllable envelope, zero at the joins
  s.envStep = (s.sylLoud * shape - s.env) * invPeriod;
  s.f0Step = (s.f0Target - s.f0) * splat(kPitchGlidePerTick) * invPeriod;
  F targets[kMaxFormants];
  formantTargets(s, maxHz, targets);
  for (int k = 0; k < kMaxFormants; ++k) s.fq[k] = s.fq[k] + (targets[k] - s.fq[k]) * formantAlpha;
}

struct Constants {
  F invFs, piOverFs, roughCoef, formantAlpha, maxHz;
};

VOCALSYNTH_FORCE_INLINE Constants makeConstants(float sampleRate) {
  // exp() is evaluated once per call on the scalar side, identically for every instruction set.
  const float twoPiFcOverFs = 6.2831853f * kRoughnessCutoffHz / sampleRate;
  const float roughCoef = twoPiFcOverFs / (1.0f + twoPiFcOverFs);
  const float glideSamples = kFormantGlideSeconds * sampleRate;
  const float formantAlpha = static_cast<float>(kControlPeriod) / (glideSamples + static_cast<float>(kControlPeriod));
  return {splat(1.0f / sampleRate), splat(3.14159265f / sampleRate), splat(roughCoef), splat(formantAlpha),
          splat(0.42f * sampleRate)};
}

// One sample of the glottal source with breath and roughness, times the syllable envelope.
// kNear adds the effects that Mid and Far leave out, each scaled by nearMix.
template <bool kNear>
VOCALSYNTH_FORCE_INLINE F sourceSample(Lanes& s, const Constants& c, M& openPhase) {
  const F one = splat(1.0f);
  const F zero = splat(0.0f);
  s.f0 = s.f0 + s.f0Step;
  s.phase = s.phase + s.f0 * c.invFs * s.periodScale;
  const M closure = ge(s.phase, one);
  if (any(closure)) {
    const U r1 = xorshift(s.rng);
    const U r2 = xorshift(r1);
    const U r3 = xorshift(r2);
    s.rng = selectU(closure, r3, s.rng);
    s.phase = select(closure, s.phase - one, s.phase);
    s.periodScale = select(closure, one + s.jitter * bipolar(r1), s.periodScale);
    F amp = one + s.shimmer * bipolar(r2);
    if constexpr (kNear) {
      amp = amp * select(lt(unit(r3), s.dropout * s.nearMix), splat(0.1f), one);
    }
    s.pulseAmp = select(closure, amp, s.pulseAmp);
    s.subSign = select(closure, zero - s.subSign, s.subSign);
  }
  const F t = s.phase * s.invOQ;
  openPhase = lt(t, one);
  const F pulse = select(openPhase, splat(3.0f) * t * (splat(2.0f) - splat(3.0f) * t), zero);
  s.rng = xorshift(s.rng);
  const F noise = bipolar(s.rng);
  s.roughLp = s.roughLp + (noise - s.roughLp) * c.roughCoef;
  F voiced = pulse * s.pulseAmp * s.voicing * vmax(zero, one + s.roughAmt * s.roughLp);
  F gate = splat(0.6f);
  if constexpr (kNear) {
    voiced = voiced * (one + s.nearMix * s.subDepth * s.subSign);
    gate = gate + s.nearMix * (select(openPhase, one, splat(0.3f)) - gate);
  }
  const F src = (voiced + noise * s.breath * gate) * s.env;
  s.env = s.env + s.envStep;
  return src;
}

template <int kFormants, bool kNear>
void renderVoiced(const KernelArgs& a) noexcept {
  Lanes s;
  loadLanes(s, *a.lanes);
  const Constants c = makeConstants(a.sampleRate);
  Coeffs co;
  computeCoeffs<kFormants>(co, s.fq, s.bwMul, c.piOverFs);
  const int n = a.numSamples;
  int nextTick = a.firstTick;
  int i = 0;
  while (i < n) {
    if (i == nextTick) {
      controlTick(s, c.formantAlpha, c.maxHz);
      computeCoeffs<kFormants>(co, s.fq, s.bwMul, c.piOverFs);
      nextTick += kControlPeriod;
    }
    const int end = nextTick < n ? nextTick : n;
    for (; i < end; ++i) {
      M openPhase;
      const F src = sourceSample<kNear>(s, c, openPhase);
      if (a.send != nullptr) store(a.send + i * kWidth, src);
      F low = splat(0.0f);   // formants every tier has
      F high = splat(0.0f);  // Near's F4 and F5
      for (int k = 0; k < kFormants; ++k) {
        // TPT SVF (Zavalishin, ch. 4), band output.
        const F v3 = src - s.sb[k];
        const F v1 = co.a1[k] * s.sa[k] + co.a2[k] * v3;
        const F v2 = s.sb[k] + co.a2[k] * s.sa[k] + co.a3[k] * v3;
        s.sa[k] = v1 + v1 - s.sa[k];
        s.sb[k] = v2 + v2 - s.sb[k];
        if (k < 3) {
          low = low + v1 * co.out[k];
        } else {
          high = high + v1 * co.out[k];
        }
      }
      F y = low;
      if constexpr (kNear) {
        y = y + high * s.nearMix;
        s.nearMix = rampToward(s.nearMix, s.nearMixT, s.nearMixS);
      }
      float* bl = a.busL + i * kWidth;
      float* br = a.busR + i * kWidth;
      store(bl, load(bl) + y * s.gL);
      store(br, load(br) + y * s.gR);
      s.gL = rampToward(s.gL, s.gLT, s.gLS);
      s.gR = rampToward(s.gR, s.gRT, s.gRS);
    }
  }
  storeLanes(s, *a.lanes);
}

void renderFar(const KernelArgs& a) noexcept {
  Lanes s;
  loadLanes(s, *a.lanes);
  const Constants c = makeConstants(a.sampleRate);
  const int n = a.numSamples;
  int nextTick = a.firstTick;
  int i = 0;
  while (i < n) {
    if (i == nextTick) {
      controlTick(s, c.formantAlpha, c.maxHz);
      nextTick += kControlPeriod;
    }
    const int end = nextTick < n ? nextTick : n;
    for (; i < end; ++i) {
      M openPhase;
      const F src = sourceSample<false>(s, c, openPhase);
      float* bl = a.busL + i * kWidth;
      float* br = a.busR + i * kWidth;
      store(bl, load(bl) + src * s.gL);
      store(br, load(br) + src * s.gR);
      s.gL = rampToward(s.gL, s.gLT, s.gLS);
      s.gR = rampToward(s.gR, s.gRT, s.gRS);
    }
  }
  storeLanes(s, *a.lanes);
}

void renderNear(const KernelArgs& a) noexcept { renderVoiced<5, true>(a); }
void renderMid(const KernelArgs& a) noexcept { renderVoiced<3, false>(a); }
