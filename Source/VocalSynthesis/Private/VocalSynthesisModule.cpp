#include "VocalSynthesisModule.h"

#include "Interfaces/IPluginManager.h"
#include "Misc/FileHelper.h"
#include "Misc/Paths.h"
#include "Modules/ModuleManager.h"
#include "vocalsynth/speech/text_frontend.h"

DEFINE_LOG_CATEGORY_STATIC(LogVocalSynthesis, Log, All);

static FVocalSynthesisModule* GModule = nullptr;

FVocalSynthesisModule::FVocalSynthesisModule() = default;
FVocalSynthesisModule::~FVocalSynthesisModule() = default;

void FVocalSynthesisModule::StartupModule()
{
	GModule = this;
	Lexicon = MakeUnique<vocalsynth::speech::Lexicon>();
	const TSharedPtr<IPlugin> Plugin = IPluginManager::Get().FindPlugin(TEXT("VocalSynthesis"));
	const FString Path = Plugin.IsValid()
		? FPaths::Combine(Plugin->GetBaseDir(), TEXT("Resources"), TEXT("Lexicon"), TEXT("en_us.vslex"))
		: FString();
	TArray<uint8> Bytes;
	if (Path.IsEmpty() || !FFileHelper::LoadFileToArray(Bytes, *Path))
	{
		UE_LOG(LogVocalSynthesis, Error, TEXT("Cannot read the lexicon %s: speech falls back to letter-to-sound rules"), *Path);
		return;
	}
	if (!Lexicon->load(std::string_view(reinterpret_cast<const char*>(Bytes.GetData()), Bytes.Num())))
	{
		UE_LOG(LogVocalSynthesis, Error, TEXT("%s is malformed: regenerate it with tools/gen_lexicon.py"), *Path);
	}
}

void FVocalSynthesisModule::ShutdownModule()
{
	GModule = nullptr;
	Lexicon.Reset();
}

const vocalsynth::speech::Lexicon& FVocalSynthesisModule::GetLexicon()
{
	static const vocalsynth::speech::Lexicon Empty;
	return GModule && GModule->Lexicon ? *GModule->Lexicon : Empty;
}

IMPLEMENT_MODULE(FVocalSynthesisModule, VocalSynthesis)
