// Stand-in for Runtime/Core/Public/Stats/Stats.h: the stats macros the glue uses, with the engine's
// arguments (see CoreMinimal.h for what a stand-in is). As in the engine with STATS on, a group is
// a type named FStatGroup_<Group>, a cycle stat names its group, and SCOPE_CYCLE_COUNTER names a
// declared stat; so a misspelt group or stat, or a description that is not TEXT(...), fails here.
#pragma once

#include "CoreMinimal.h"

enum EStatCategoryStandIn { STATCAT_Advanced };

#define DECLARE_STATS_GROUP(Description, StatName, StatCategory)                           \
  struct FStatGroup_##StatName {                                                           \
    static const TCHAR* GetDescription() { return Description; }                          \
    static constexpr EStatCategoryStandIn Category = EStatCategoryStandIn::StatCategory;  \
  }

#define DECLARE_CYCLE_STAT(CounterName, StatId, GroupId)                         \
  struct FStat_##StatId {                                                        \
    using TGroup = FStatGroup_##GroupId;                                         \
    static const TCHAR* GetDescription() { return CounterName; }                \
  }

struct FScopeCycleCounterStandIn {
  explicit FScopeCycleCounterStandIn(const TCHAR* /*Description*/) {}
};
#define SCOPE_CYCLE_COUNTER(Stat) \
  const FScopeCycleCounterStandIn ScopeCycleCounter_##Stat(FStat_##Stat::GetDescription())
