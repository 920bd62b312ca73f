// Stand-in (see CoreMinimal.h): TObjectIterator as in CoreUObject's UObject/UObjectIterator.h, every
// live object of a class (game thread).
#pragma once

#include "CoreMinimal.h"

template <typename T>
class TObjectIterator {
 public:
  TObjectIterator();
  explicit operator bool() const;
  TObjectIterator& operator++();
  T* operator*() const;
  T* operator->() const;
};
