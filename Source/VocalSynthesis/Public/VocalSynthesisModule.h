// Runtime module: owns the pronouncing dictionary, loaded once from the plugin's Resources.
#pragma once

#include "CoreMinimal.h"
#include "Modules/ModuleInterface.h"

namespace vocalsynth::speech { class Lexicon; }

class VOCALSYNTHESIS_API FVocalSynthesisModule : public IModuleInterface
{
public:
	FVocalSynthesisModule();
	virtual ~FVocalSynthesisModule() override;  // out of line: Lexicon is only complete in the .cpp
	virtual void StartupModule() override;
	virtual void ShutdownModule() override;

	/** The CMU-derived lexicon (empty if Resources/Lexicon/en_us.vslex could not be read). */
	static const vocalsynth::speech::Lexicon& GetLexicon();

private:
	TUniquePtr<vocalsynth::speech::Lexicon> Lexicon;
};
