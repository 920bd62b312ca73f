#include "VocalSynthesisSettings.h"

UVocalSynthesisSettings::UVocalSynthesisSettings()
{
	CategoryName = TEXT("Plugins");
	SectionName = TEXT("VocalSynthesis");
}
