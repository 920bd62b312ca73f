// MetaSound node "Archetype Voice (VocalSynthesis)": the audio wired into In (a dialogue wave
// player, a synthesised voice, a microphone) comes out of Out in an archetype's voice, the
// core's full chain. Its pins are polled every block by vocalsynth::PolledVoice: names are looked
// up, and parameters set, only when they change; the first block starts on the pins at once and
// later changes glide in. An unknown archetype or emotion keeps the voice it had (the node logs
// the name it was built with when that one is unknown). Seed is taken when the graph is built and
// at each Reset (a pooled graph's next play), so each play can be another individual.
//
// Threads: the operator is built (and the chain allocated) where MetaSounds builds graphs;
// Execute and Reset run on the audio render thread and never allocate, lock or wait. Written
// against the UE 5.3-5.5 MetaSound API (FBuildOperatorParams, BindInputs/BindOutputs).
#include "CoreMinimal.h"
#include "Internationalization/Text.h"
#include "MetasoundAudioBuffer.h"
#include "MetasoundExecutableOperator.h"
#include "MetasoundFacade.h"
#include "MetasoundNodeRegistrationMacro.h"
#include "MetasoundParamHelper.h"
#include "MetasoundPrimitives.h"
#include "MetasoundVertex.h"
#include "Stats/Stats.h"
#include "vocalsynth/polled_voice.h"

#define LOCTEXT_NAMESPACE "VocalSynthesisMetaSound"

DEFINE_LOG_CATEGORY_STATIC(LogVocalSynthesisMetaSound, Log, All);
// The plugin's stat group (VocalSynthesisStats.h in the runtime module, which this module does not
// depend on): declared alike here, so `stat VocalSynthesis` lists the node beside the voices.
DECLARE_STATS_GROUP(TEXT("VocalSynthesis"), STATGROUP_VocalSynthesis, STATCAT_Advanced);
DECLARE_CYCLE_STAT(TEXT("MetaSound archetype node (audio thread)"), STAT_VocalSynthesisMetaSoundNode, STATGROUP_VocalSynthesis);

namespace VocalSynthesisMetaSound
{
using namespace Metasound;

namespace ArchetypeVoicePins
{
	METASOUND_PARAM(InputAudio, "In", "The voice to transform (mono).")
	METASOUND_PARAM(InputArchetype, "Archetype", "A built-in archetype: human, vampire, zombie, werewolf, wraith, ghoul, lich, banshee, golem, swarm (any case). An unknown name keeps the voice it had.")
	METASOUND_PARAM(InputEmotion, "Emotion", "neutral, fear, rage, sorrow, menace or whisper: the archetype's overrides for it, then what it does to any voice, as every path speaks it.")
	METASOUND_PARAM(InputProximity, "Proximity", "0 = far (effects x0.3), 0.5 = as designed, 1 = close (x1.5).")
	METASOUND_PARAM(InputEnvironment, "Environment", "0 = dry (more jitter, clicks, creaks) .. 1 = wet surroundings (more shimmer, pops).")
	METASOUND_PARAM(InputDetail, "Detail", "Level of detail: 0 = Near (the full chain), 1 = Mid (no additive layers), 2 = Far (no formant stage either).")
	METASOUND_PARAM(InputSeed, "Seed", "The voice's noise and incoherence draws; taken when the graph is built and at each new play.")
	METASOUND_PARAM(OutputAudio, "Out", "The voice in the archetype's voice, delayed by the chain's latency (~19 ms at 48 kHz).")
}

/** A name pin's text as ASCII for the core (non-ASCII characters match no name), in place. */
template <int32 N>
void ToAscii(const FString& From, char (&To)[N])
{
	const TCHAR* Text = *From;
	const int32 Length = FMath::Min(From.Len(), N - 1);  // longer than any name: still too long for the core
	for (int32 I = 0; I < Length; ++I)
	{
		To[I] = Text[I] > 0 && Text[I] < 128 ? static_cast<char>(Text[I]) : '?';
	}
	To[Length] = '\0';
}

class FArchetypeVoiceOperator : public TExecutableOperator<FArchetypeVoiceOperator>
{
public:
	// One more than the core's longest name, so that a longer pin value stays unknown.
	static constexpr int32 NameBufferSize = vocalsynth::PolledVoice::kMaxNameLength + 2;

	struct FInputs
	{
		FAudioBufferReadRef Audio;
		FStringReadRef Archetype;
		FStringReadRef Emotion;
		FFloatReadRef Proximity;
		FFloatReadRef Environment;
		FInt32ReadRef Detail;
		FInt32ReadRef Seed;
	};

	static const FVertexInterface& GetVertexInterface()
	{
		using namespace ArchetypeVoicePins;
		static const FVertexInterface Interface(
			FInputVertexInterface(
				TInputDataVertex<FAudioBuffer>(METASOUND_GET_PARAM_NAME_AND_METADATA(InputAudio)),
				TInputDataVertex<FString>(METASOUND_GET_PARAM_NAME_AND_METADATA(InputArchetype), FString(TEXT("zombie"))),
				TInputDataVertex<FString>(METASOUND_GET_PARAM_NAME_AND_METADATA(InputEmotion), FString(TEXT("neutral"))),
				TInputDataVertex<float>(METASOUND_GET_PARAM_NAME_AND_METADATA(InputProximity), 0.5f),
				TInputDataVertex<float>(METASOUND_GET_PARAM_NAME_AND_METADATA(InputEnvironment), 0.5f),
				TInputDataVertex<int32>(METASOUND_GET_PARAM_NAME_AND_METADATA(InputDetail), 0),
				TInputDataVertex<int32>(METASOUND_GET_PARAM_NAME_AND_METADATA(InputSeed), 0)),
			FOutputVertexInterface(
				TOutputDataVertex<FAudioBuffer>(METASOUND_GET_PARAM_NAME_AND_METADATA(OutputAudio))));
		return Interface;
	}

	static const FNodeClassMetadata& GetNodeInfo()
	{
		auto Make = []() -> FNodeClassMetadata
		{
			FNodeClassMetadata Info;
			Info.ClassName = FNodeClassName(TEXT("VocalSynthesis"), TEXT("ArchetypeVoice"), TEXT("Audio"));
			Info.MajorVersion = 1;
			Info.MinorVersion = 0;
			Info.DisplayName = METASOUND_LOCTEXT("ArchetypeVoiceDisplayName", "Archetype Voice (VocalSynthesis)");
			Info.Description = METASOUND_LOCTEXT("ArchetypeVoiceDescription",
				"Gives the audio an NPC archetype's voice in real time: formant shaping, glottal incoherence, subharmonics, corporeal and subliminal layers.");
			Info.Author = TEXT("VocalSynthesis");
			Info.PromptIfMissing = METASOUND_LOCTEXT("ArchetypeVoiceMissing", "Enable the VocalSynthesis plugin.");
			Info.DefaultInterface = GetVertexInterface();
			Info.CategoryHierarchy = { METASOUND_LOCTEXT("VocalSynthesisCategory", "VocalSynthesis") };
			Info.Keywords = { METASOUND_LOCTEXT("KeywordVoice", "voice"), METASOUND_LOCTEXT("KeywordMonster", "monster"),
				METASOUND_LOCTEXT("KeywordNpc", "NPC") };
			return Info;
		};
		static const FNodeClassMetadata Info = Make();
		return Info;
	}

	static TUniquePtr<IOperator> CreateOperator(const FBuildOperatorParams& InParams, FBuildResults& OutResults)
	{
		using namespace ArchetypeVoicePins;
		const FInputVertexInterfaceData& Data = InParams.InputData;
		const FOperatorSettings& Settings = InParams.OperatorSettings;
		FInputs Inputs{
			Data.GetOrConstructDataReadReference<FAudioBuffer>(METASOUND_GET_PARAM_NAME(InputAudio), Settings),
			Data.GetOrCreateDefaultDataReadReference<FString>(METASOUND_GET_PARAM_NAME(InputArchetype), Settings),
			Data.GetOrCreateDefaultDataReadReference<FString>(METASOUND_GET_PARAM_NAME(InputEmotion), Settings),
			Data.GetOrCreateDefaultDataReadReference<float>(METASOUND_GET_PARAM_NAME(InputProximity), Settings),
			Data.GetOrCreateDefaultDataReadReference<float>(METASOUND_GET_PARAM_NAME(InputEnvironment), Settings),
			Data.GetOrCreateDefaultDataReadReference<int32>(METASOUND_GET_PARAM_NAME(InputDetail), Settings),
			Data.GetOrCreateDefaultDataReadReference<int32>(METASOUND_GET_PARAM_NAME(InputSeed), Settings)};
		return MakeUnique<FArchetypeVoiceOperator>(Settings, MoveTemp(Inputs));
	}

	FArchetypeVoiceOperator(const FOperatorSettings& InSettings, FInputs&& InInputs)
		: Inputs(MoveTemp(InInputs))
		, AudioOut(FAudioBufferWriteRef::CreateNew(InSettings))
	{
		Prepare(InSettings.GetSampleRate(), InSettings.GetNumFramesPerBlock());
		char Name[NameBufferSize];
		ToAscii(*Inputs.Archetype, Name);
		if (bReady && !vocalsynth::findArchetype(Name))
		{
			UE_LOG(LogVocalSynthesisMetaSound, Warning,
				TEXT("Archetype Voice: unknown archetype '%s' (the voice stays transparent until a known one arrives; `vocalsynth archetypes` lists them)"),
				**Inputs.Archetype);
		}
	}

	virtual void BindInputs(FInputVertexInterfaceData& InOutVertexData) override
	{
		using namespace ArchetypeVoicePins;
		InOutVertexData.BindReadVertex(METASOUND_GET_PARAM_NAME(InputAudio), Inputs.Audio);
		InOutVertexData.BindReadVertex(METASOUND_GET_PARAM_NAME(InputArchetype), Inputs.Archetype);
		InOutVertexData.BindReadVertex(METASOUND_GET_PARAM_NAME(InputEmotion), Inputs.Emotion);
		InOutVertexData.BindReadVertex(METASOUND_GET_PARAM_NAME(InputProximity), Inputs.Proximity);
		InOutVertexData.BindReadVertex(METASOUND_GET_PARAM_NAME(InputEnvironment), Inputs.Environment);
		InOutVertexData.BindReadVertex(METASOUND_GET_PARAM_NAME(InputDetail), Inputs.Detail);
		InOutVertexData.BindReadVertex(METASOUND_GET_PARAM_NAME(InputSeed), Inputs.Seed);
	}

	virtual void BindOutputs(FOutputVertexInterfaceData& InOutVertexData) override
	{
		using namespace ArchetypeVoicePins;
		InOutVertexData.BindReadVertex(METASOUND_GET_PARAM_NAME(OutputAudio), AudioOut);
	}

	/** Audio render thread (a graph reused from the operator pool): a fresh voice on the same pins,
	 *  seeded from the Seed pin as it is now (no allocation). */
	void Reset(const IOperator::FResetParams& InParams)
	{
		const FOperatorSettings& Settings = InParams.OperatorSettings;
		if (Settings.GetSampleRate() != PreparedRate)
		{
			Prepare(Settings.GetSampleRate(), Settings.GetNumFramesPerBlock());  // a new rate: never seen in practice
		}
		Voice.reset(static_cast<uint64>(static_cast<uint32>(*Inputs.Seed)));
		AudioOut->Zero();
	}

	void Execute()
	{
		SCOPE_CYCLE_COUNTER(STAT_VocalSynthesisMetaSoundNode);
		const float* In = Inputs.Audio->GetData();
		float* Out = AudioOut->GetData();
		const int32 Frames = AudioOut->Num();
		if (!bReady)
		{
			// An unsupported rate (logged when built): the audio passes dry rather than not at all.
			FMemory::Memcpy(Out, In, sizeof(float) * Frames);
			return;
		}
		char Archetype[NameBufferSize];
		char Emotion[NameBufferSize];
		ToAscii(*Inputs.Archetype, Archetype);
		ToAscii(*Inputs.Emotion, Emotion);
		vocalsynth::PolledControls Controls;
		Controls.archetype = Archetype;
		Controls.emotion = Emotion;
		Controls.proximity = *Inputs.Proximity;
		Controls.environment = *Inputs.Environment;
		Controls.detail = *Inputs.Detail;
		Voice.process(Controls, In, Out, Frames);
	}

private:
	void Prepare(float SampleRate, int32 FramesPerBlock)
	{
		PreparedRate = SampleRate;
		const vocalsynth::PrepareResult Result =
			Voice.prepare(SampleRate, FMath::Max(FramesPerBlock, 1), static_cast<uint64>(static_cast<uint32>(*Inputs.Seed)));
		bReady = Result == vocalsynth::PrepareResult::Ok;
		if (!bReady)
		{
			UE_LOG(LogVocalSynthesisMetaSound, Warning, TEXT("Archetype Voice: %s at %g Hz (16-96 kHz): the audio passes dry"),
				UTF8_TO_TCHAR(vocalsynth::toString(Result)), SampleRate);
		}
	}

	FInputs Inputs;
	FAudioBufferWriteRef AudioOut;
	vocalsynth::PolledVoice Voice;
	float PreparedRate = 0.0f;
	bool bReady = false;
};

class FArchetypeVoiceNode : public FNodeFacade
{
public:
	FArchetypeVoiceNode(const FNodeInitData& InitData)
		: FNodeFacade(InitData.InstanceName, InitData.InstanceID, TFacadeOperatorClass<FArchetypeVoiceOperator>())
	{
	}
};

METASOUND_REGISTER_NODE(FArchetypeVoiceNode)
}  // namespace VocalSynthesisMetaSound

#undef LOCTEXT_NAMESPACE
