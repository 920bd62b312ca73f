// Stand-in (see MetasoundOperatorSettings.h): MetasoundFrontendRegistryContainer.h (MetasoundFrontend).
#pragma once

#include "CoreMinimal.h"

class FMetasoundFrontendRegistryContainer {
 public:
  static FMetasoundFrontendRegistryContainer* Get();
  virtual ~FMetasoundFrontendRegistryContainer() = default;
  /** Registers the nodes that METASOUND_REGISTER_NODE queued (a plugin calls it at module startup). */
  virtual void RegisterPendingNodes() = 0;
  virtual bool EnqueueInitCommand(TUniqueFunction<void()>&& InFunc) = 0;
};
