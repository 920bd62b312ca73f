#include "VocalSynthesisLibrary.h"

#include "VocalArchetypeLookup.h"
#include "VocalSynthesisModule.h"
#include "vocalsynth/archetypes.h"
#include "vocalsynth/config.h"
#include "vocalsynth/speech/phonemes.h"
#include "vocalsynth/speech/text_frontend.h"

#include <string>

TArray<FString> UVocalSynthesisLibrary::GetArchetypeNames()
{
	TArray<FString> Names;
	for (std::size_t I = 0; I < vocalsynth::archetypeCount(); ++I)
	{
		Names.Add(UTF8_TO_TCHAR(vocalsynth::archetypes()[I].name));
	}
	return Names;
}

FString UVocalSynthesisLibrary::GetArchetypeDescription(FName Archetype)
{
	const vocalsynth::Archetype* Found = VocalSynthesis::FindArchetype(Archetype);
	return Found ? FString(UTF8_TO_TCHAR(Found->description)) : FString();
}

bool UVocalSynthesisLibrary::GetPhonemes(const FString& Text, FString& OutPhonemes)
{
	const vocalsynth::speech::FrontEndResult Result =
		vocalsynth::speech::buildUtterance(TCHAR_TO_UTF8(*Text), FVocalSynthesisModule::GetLexicon(), vocalsynth::speech::SpeakerSettings{});
	if (!Result.ok())
	{
		OutPhonemes = UTF8_TO_TCHAR(Result.error.c_str());
		return false;
	}
	std::string Phones;
	for (const vocalsynth::speech::UtteranceWord& Word : Result.utterance.words)
	{
		if (!Phones.empty()) Phones += " | ";
		for (int I = 0; I < Word.phoneCount; ++I)
		{
			const vocalsynth::speech::UtterancePhone& Phone = Result.utterance.phones[static_cast<std::size_t>(Word.firstPhone + I)];
			if (I > 0) Phones += ' ';
			Phones += vocalsynth::speech::phoneSymbol(Phone.phone, Phone.stress);
		}
	}
	OutPhonemes = UTF8_TO_TCHAR(Phones.c_str());
	return true;
}

FString UVocalSynthesisLibrary::GetEngineVersion()
{
	return UTF8_TO_TCHAR(vocalsynth::kEngineVersion);
}
