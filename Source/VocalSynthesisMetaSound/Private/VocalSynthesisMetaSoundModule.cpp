// Runtime module: hands the MetaSound nodes this module defines (METASOUND_REGISTER_NODE queues
// them while the module loads) to the MetaSound registry.
#include "CoreMinimal.h"
#include "MetasoundFrontendRegistryContainer.h"
#include "Modules/ModuleManager.h"

class FVocalSynthesisMetaSoundModule : public IModuleInterface
{
public:
	virtual void StartupModule() override
	{
		FMetasoundFrontendRegistryContainer::Get()->RegisterPendingNodes();
	}
};

IMPLEMENT_MODULE(FVocalSynthesisMetaSoundModule, VocalSynthesisMetaSound)
