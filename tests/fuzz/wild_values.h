// What a broken caller sends (NaN, infinities, +-1e9, any float), shared by the fuzz targets.
#pragma once

#include <fuzzer/FuzzedDataProvider.h>

#include <limits>

namespace vs_fuzz {

inline float wildValue(FuzzedDataProvider& data) {
  switch (data.ConsumeIntegralInRange(0, 5)) {
    case 0: return std::numeric_limits<float>::quiet_NaN();
    case 1: return std::numeric_limits<float>::infinity();
    case 2: return -std::numeric_limits<float>::infinity();
    case 3: return 1e9f;
    case 4: return -1e9f;
    default: return data.ConsumeFloatingPoint<float>();
  }
}

}  // namespace vs_fuzz
