#pragma once
// The report's words, per language. English is the reference; a translation is one more
// column in i18n.cpp. Placeholders are {0}, {1} ... and every language must use the same
// ones (a test checks it).
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace spyglass::html {

enum class Lang { kEn, kFr };

// "en", "fr"; nullopt for a language the report does not have.
std::optional<Lang> parse_lang(std::string_view code);
std::string_view lang_code(Lang lang);

enum class Msg {
  kTitle,
  kSkipToDetails,
  kVerdictKnown,
  kVerdictKnownExplain,
  kVerdictSuspicious,
  kVerdictSuspiciousExplain,
  kVerdictIncomplete,
  kVerdictIncompleteExplain,
  kVerdictNone,
  kVerdictNoneExplain,
  kVerdictNoIndicators,
  kLevelLabel,
  kExaminedHeading,
  kDevice,
  kEvidence,
  kEvidenceTypes,
  kDatesCovered,
  kScanDate,
  kToolVersion,
  kModulesRun,
  kModulesFailed,
  kModulesAbsent,
  kUnknown,
  kIndicatorSetsHeading,
  kIndicatorSetsNone,
  kIndicatorSetsFromInfo,
  kCollectionsMatched,
  kNextHeading,
  kNextKnown,
  kNextSuspicious,
  kNextIncomplete,
  kNextNone,
  kNextContacts,
  kNextDont,
  kNextDontWipe,
  kNextDontUpdate,
  kNextDontConfront,
  kNextDontShare,
  kNextKeep,
  kChartHeading,
  kChartExplain,
  kChartNoEvents,
  kChartAlert,
  kChartBucketDay,
  kChartBucketDays,
  kAlertsHeading,
  kAlertsNone,
  kAlertsTruncated,
  kAlertKindIndicator,
  kAlertKindHeuristic,
  kWhatMatched,
  kIndicator,
  kIndicatorType,
  kMatchKind,
  kObservedValue,
  kRecordField,
  kCampaign,
  kIndicatorSource,
  kIndicatorId,
  kOutsideValidity,
  kEvidenceRecord,
  kProvenance,
  kProvenanceUnknown,
  kWhyItMatters,
  kFalsePositive,
  kHeuristicName,
  kEventTime,
  kModule,
  kTimelineHeading,
  kTimelineExplain,
  kTimelineNoAlerts,
  kTimelineEmpty,
  kTimelineTruncated,
  kFilterModules,
  kFilterAlertsOnly,
  kFilterText,
  kColTime,
  kColModule,
  kColEvent,
  kColDetails,
  kColSource,
  kLevelsHeading,
  kLevelCritical,
  kLevelHigh,
  kLevelMedium,
  kLevelLow,
  kLevelInformational,
  kGlossaryHeading,
  kGlossIndicator,
  kGlossStix,
  kGlossModule,
  kGlossHeuristic,
  kGlossFalsePositive,
  kGlossTimeline,
  kNotesHeading,
  kFooter,
  kWhyDomain,
  kWhyUrl,
  kWhyProcess,
  kWhyAppId,
  kWhyFilePath,
  kWhyEmail,
  kWhyIp,
  kWhyHash,
  kWhyOther,
  kFpDomain,
  kFpProcess,
  kFpAppId,
  kFpFilePath,
  kFpOther,
  kWhyHeuristic,
  kFpHeuristic,
  kFamilyIos,
  kFamilyAndroid,
  kFamilyNet,
  kFamilyText,
  kCount,  // not a message
};

std::string_view text(Lang lang, Msg msg);
// text() with {0}, {1} ... replaced by args (as given: callers escape what they pass).
std::string format(Lang lang, Msg msg, const std::vector<std::string>& args);

// For tests: the {N} placeholders a message uses, sorted.
std::vector<int> placeholders(std::string_view message);

}  // namespace spyglass::html
