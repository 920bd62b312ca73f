// Level of detail from distance, shared by single voices (VoiceDetail) and crowds (CrowdTier):
// tier 0 = Near, 1 = Mid, 2 = Far. A voice enters a nearer tier at its threshold and leaves it
// only beyond threshold * (1 + hysteresis), so a voice at the edge does not flap between tiers.
#pragma once

namespace vocalsynth {

struct LodDistances {
  float nearM = 8.0f;
  float midM = 30.0f;
  float hysteresis = 0.1f;
};

/// `currentTier` is the voice's tier now (0-2; anything else counts as Far).
inline int lodTierForDistance(float distanceM, int currentTier, const LodDistances& lod) noexcept {
  const float h = 1.0f + (lod.hysteresis > 0.0f ? lod.hysteresis : 0.0f);
  const float nearLimit = lod.nearM * (currentTier == 0 ? h : 1.0f);
  const float midLimit = lod.midM * (currentTier == 0 || currentTier == 1 ? h : 1.0f);
  if (distanceM < nearLimit) return 0;
  if (distanceM < midLimit) return 1;
  return 2;
}

}  // namespace vocalsynth
