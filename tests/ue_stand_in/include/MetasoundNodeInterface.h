// Stand-in (see MetasoundOperatorSettings.h): MetasoundNodeInterface.h (UE 5.3-5.5).
#pragma once

#include "CoreMinimal.h"
#include "MetasoundVertex.h"

namespace Metasound {
extern const FString PluginAuthor;
extern const FText PluginNodeMissingPrompt;

class FNodeClassName {
 public:
  FNodeClassName();
  FNodeClassName(const FName& InNamespace, const FName& InName, const FName& InVariant);
};

struct FNodeDisplayStyle {};

struct FNodeClassMetadata {
  FNodeClassName ClassName;
  int32 MajorVersion = -1;
  int32 MinorVersion = -1;
  FText DisplayName;
  FText Description;
  FString Author;
  FText PromptIfMissing;
  FVertexInterface DefaultInterface;
  TArray<FText> CategoryHierarchy;
  TArray<FText> Keywords;
  FNodeDisplayStyle DisplayStyle;
  bool bDeprecated = false;
  static const FNodeClassMetadata& GetEmpty();
};

struct FNodeInitData {
  FVertexName InstanceName;
  FGuid InstanceID;
};

class INodeBase {
 public:
  virtual ~INodeBase() {}
  virtual const FNodeClassMetadata& GetMetadata() const = 0;
};

class INode : public INodeBase {};
}  // namespace Metasound
