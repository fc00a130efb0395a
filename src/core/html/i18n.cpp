#include "core/html/i18n.hpp"

#include <algorithm>
#include <array>
#include <cstddef>

namespace spyglass::html {
namespace {

struct Entry {
  Msg id;
  std::string_view en;
  std::string_view fr;
};

// One row per message, English and French side by side so a reviewer sees both.
constexpr Entry kTable[] = {
    {Msg::kTitle, "spyglass report", "Rapport spyglass"},
    {Msg::kSkipToDetails, "Go to the details", "Aller aux détails"},
    {Msg::kVerdictKnown, "Traces of a known spyware campaign were found",
     "Des traces d'une campagne de logiciel espion connue ont été trouvées"},
    {Msg::kVerdictKnownExplain,
     "Part of the evidence matches indicators that researchers published for a spyware "
     "campaign. This is serious, but a match alone is not proof of infection: an expert must "
     "look at the alerts below.",
     "Une partie des éléments examinés correspond à des indicateurs publiés par des chercheurs "
     "pour une campagne de logiciel espion. C'est grave, mais une correspondance seule ne prouve "
     "pas une infection : un expert doit examiner les alertes ci-dessous."},
    {Msg::kVerdictSuspicious, "Suspicious signs that need an expert",
     "Des signes suspects qui demandent l'avis d'un expert"},
    {Msg::kVerdictSuspiciousExplain,
     "No published indicator matched, but some checks found signs that are unusual and may "
     "come from spyware. Many have innocent explanations; an expert can tell.",
     "Aucun indicateur publié ne correspond, mais certaines vérifications ont trouvé des signes "
     "inhabituels qui peuvent venir d'un logiciel espion. Beaucoup ont une explication "
     "innocente ; un expert saura faire la différence."},
    {Msg::kVerdictIncomplete, "The check could not be completed",
     "La vérification n'a pas pu être menée à terme"},
    {Msg::kVerdictIncompleteExplain,
     "Nothing suspicious was found in what could be read, but part of the evidence could not "
     "be analysed (see the modules that failed below).",
     "Rien de suspect n'a été trouvé dans ce qui a pu être lu, mais une partie des éléments n'a "
     "pas pu être analysée (voir les modules en échec ci-dessous)."},
    {Msg::kVerdictNone,
     "No known indicators were found \u2014 this does not prove the device is clean",
     "Aucun indicateur connu n'a été trouvé \u2014 cela ne prouve pas que l'appareil est sain"},
    {Msg::kVerdictNoneExplain,
     "The evidence was compared with the indicator sets listed below. Spyware changes its "
     "infrastructure often, and some infections leave no trace in this kind of evidence.",
     "Les éléments ont été comparés aux jeux d'indicateurs listés ci-dessous. Les logiciels "
     "espions changent souvent d'infrastructure, et certaines infections ne laissent aucune "
     "trace dans ce type d'éléments."},
    {Msg::kVerdictNoIndicators,
     "No indicator set was loaded: only the built-in checks (heuristics) ran.",
     "Aucun jeu d'indicateurs n'a été chargé : seules les vérifications intégrées "
     "(heuristiques) ont été faites."},
    {Msg::kLevelLabel, "Level: {0}", "Niveau : {0}"},
    {Msg::kExaminedHeading, "What was examined", "Ce qui a été examiné"},
    {Msg::kDevice, "Device", "Appareil"},
    {Msg::kEvidence, "Evidence", "Éléments examinés"},
    {Msg::kEvidenceTypes, "Kind of evidence", "Type d'éléments"},
    {Msg::kDatesCovered, "Dates covered", "Période couverte"},
    {Msg::kScanDate, "Scan run on", "Analyse faite le"},
    {Msg::kToolVersion, "spyglass version", "Version de spyglass"},
    {Msg::kModulesRun, "Checks run", "Vérifications faites"},
    {Msg::kModulesFailed, "Checks that failed", "Vérifications en échec"},
    {Msg::kModulesAbsent, "Not present in this evidence", "Absent de ces éléments"},
    {Msg::kUnknown, "unknown", "inconnu"},
    {Msg::kIndicatorSetsHeading, "Indicator sets used", "Jeux d'indicateurs utilisés"},
    {Msg::kIndicatorSetsNone, "none", "aucun"},
    {Msg::kIndicatorSetsFromInfo,
     "(file names from info.json; no manifest.json with their SHA-256 in this folder)",
     "(noms de fichiers tirés d'info.json ; pas de manifest.json avec leur SHA-256 dans ce "
     "dossier)"},
    {Msg::kCollectionsMatched, "Campaigns and reports that matched",
     "Campagnes et rapports concernés"},
    {Msg::kNextHeading, "What to do next", "Que faire maintenant"},
    {Msg::kNextKnown,
     "Contact a digital-security helpline now and share this report with them over a safe "
     "channel. Until they have seen the phone, assume that what you say or type near it may be "
     "seen by the attackers: use another device for sensitive conversations.",
     "Contactez dès maintenant une ligne d'assistance en sécurité numérique et transmettez-lui "
     "ce rapport par un canal sûr. Tant qu'elle n'a pas vu le téléphone, considérez que ce que "
     "vous dites ou tapez à proximité peut être vu par les attaquants : utilisez un autre "
     "appareil pour les conversations sensibles."},
    {Msg::kNextSuspicious,
     "Ask a digital-security helpline to review the alerts below. Keep the phone as it is "
     "until they have answered.",
     "Demandez à une ligne d'assistance en sécurité numérique d'examiner les alertes "
     "ci-dessous. Gardez le téléphone en l'état jusqu'à sa réponse."},
    {Msg::kNextIncomplete,
     "Ask the person who ran the check to look at the failed checks, fix the cause and run it "
     "again, or ask a helpline for help.",
     "Demandez à la personne qui a fait la vérification d'examiner les vérifications en échec, "
     "d'en corriger la cause et de recommencer, ou demandez l'aide d'une ligne d'assistance."},
    {Msg::kNextNone,
     "If you still have reasons to worry (threats, odd messages, people knowing what they "
     "should not), ask a helpline: they may check more evidence or newer indicators.",
     "Si vous avez encore des raisons de vous inquiéter (menaces, messages étranges, des "
     "personnes qui savent ce qu'elles ne devraient pas savoir), demandez l'aide d'une ligne "
     "d'assistance : elle pourra examiner d'autres éléments ou des indicateurs plus récents."},
    {Msg::kNextContacts,
     "Who can help (free, confidential): Access Now Digital Security Helpline "
     "(help@accessnow.org, accessnow.org/help); Amnesty International Security Lab "
     "(securitylab.amnesty.org/get-help); Citizen Lab (citizenlab.ca).",
     "Qui peut aider (gratuit, confidentiel) : la ligne d'assistance d'Access Now "
     "(help@accessnow.org, accessnow.org/help) ; le Security Lab d'Amnesty International "
     "(securitylab.amnesty.org/get-help) ; le Citizen Lab (citizenlab.ca)."},
    {Msg::kNextDont, "Do not:", "Ne faites pas :"},
    {Msg::kNextDontWipe,
     "wipe, reset or restore the phone before an expert has seen it: it erases the traces "
     "that prove what happened;",
     "d'effacement, de réinitialisation ou de restauration du téléphone avant qu'un expert "
     "l'ait vu : cela détruit les traces qui prouvent ce qui s'est passé ;"},
    {Msg::kNextDontUpdate,
     "delete messages, apps or browsing history, or update the phone, until the evidence has "
     "been preserved;",
     "de suppression de messages, d'applications ou d'historique, ni de mise à jour du "
     "téléphone, tant que les éléments n'ont pas été préservés ;"},
    {Msg::kNextDontConfront,
     "warn or confront whoever you suspect, from this phone;",
     "d'avertissement ou de confrontation avec la personne que vous soupçonnez, depuis ce "
     "téléphone ;"},
    {Msg::kNextDontShare,
     "share this report or the results folder publicly: they contain private data.",
     "de partage public de ce rapport ou du dossier de résultats : ils contiennent des données "
     "privées."},
    {Msg::kNextKeep,
     "Keep this folder and the evidence it was made from in a safe place; manifest.json "
     "lets an expert check that nothing was changed.",
     "Gardez ce dossier et les éléments d'origine en lieu sûr ; manifest.json permet à un "
     "expert de vérifier que rien n'a été modifié."},
    {Msg::kChartHeading, "Activity over time", "Activité dans le temps"},
    {Msg::kChartExplain,
     "Each bar counts the events recorded in the evidence per {0}, coloured by the kind of "
     "record. Red marks show when alerts happened.",
     "Chaque barre compte les événements enregistrés par {0}, colorés selon le type "
     "d'enregistrement. Les repères rouges montrent quand les alertes ont eu lieu."},
    {Msg::kChartNoEvents, "No dated events in this evidence.",
     "Aucun événement daté dans ces éléments."},
    {Msg::kChartAlert, "alert", "alerte"},
    {Msg::kChartBucketDay, "day", "jour"},
    {Msg::kChartBucketDays, "{0} days", "{0} jours"},
    {Msg::kAlertsHeading, "Alerts, explained", "Les alertes, expliquées"},
    {Msg::kAlertsNone, "There are no alerts.", "Il n'y a aucune alerte."},
    {Msg::kAlertsTruncated,
     "Only the first {0} of {1} alerts are shown here; alerts.json holds all of them.",
     "Seules les {0} premières alertes sur {1} sont montrées ici ; alerts.json les contient "
     "toutes."},
    {Msg::kAlertKindIndicator, "Known indicator", "Indicateur connu"},
    {Msg::kAlertKindHeuristic, "Suspicious sign (heuristic)", "Signe suspect (heuristique)"},
    {Msg::kWhatMatched, "What matched", "Ce qui correspond"},
    {Msg::kIndicator, "Indicator", "Indicateur"},
    {Msg::kIndicatorType, "Indicator type", "Type d'indicateur"},
    {Msg::kMatchKind, "How it matched", "Type de correspondance"},
    {Msg::kObservedValue, "Value seen in the evidence", "Valeur vue dans les éléments"},
    {Msg::kRecordField, "Field of the record", "Champ de l'enregistrement"},
    {Msg::kCampaign, "Campaign or report", "Campagne ou rapport"},
    {Msg::kIndicatorSource, "Indicator file", "Fichier d'indicateurs"},
    {Msg::kIndicatorId, "Indicator id and pattern", "Identifiant et motif de l'indicateur"},
    {Msg::kOutsideValidity,
     "The event happened outside the period in which this indicator was known to be in use: "
     "it is less likely to be related.",
     "L'événement a eu lieu en dehors de la période où cet indicateur était connu pour être "
     "utilisé : le lien est moins probable."},
    {Msg::kEvidenceRecord, "The evidence record", "L'enregistrement concerné"},
    {Msg::kProvenance, "Where it is in the evidence", "Où il se trouve dans les éléments"},
    {Msg::kProvenanceUnknown, "not recorded", "non enregistré"},
    {Msg::kWhyItMatters, "Why it matters", "Pourquoi c'est important"},
    {Msg::kFalsePositive, "Could it be innocent?", "Cela peut-il être innocent ?"},
    {Msg::kHeuristicName, "Check that raised it", "Vérification qui l'a signalé"},
    {Msg::kEventTime, "When (UTC)", "Quand (UTC)"},
    {Msg::kModule, "Found by", "Trouvé par"},
    {Msg::kTimelineHeading, "Timeline around the alerts", "Chronologie autour des alertes"},
    {Msg::kTimelineExplain,
     "Alerts and the other events recorded within {0} hours of each of them, device and "
     "network together, in UTC.",
     "Les alertes et les autres événements enregistrés dans les {0} heures autour de chacune, "
     "appareil et réseau ensemble, en UTC."},
    {Msg::kTimelineNoAlerts,
     "No alert to centre on: the first {0} events of the timeline are shown.",
     "Aucune alerte autour de laquelle se centrer : les {0} premiers événements de la "
     "chronologie sont montrés."},
    {Msg::kTimelineEmpty, "No timeline in this folder.", "Pas de chronologie dans ce dossier."},
    {Msg::kTimelineTruncated,
     "{0} of {1} events are shown; the full timeline is in {2}.",
     "{0} événements sur {1} sont montrés ; la chronologie complète est dans {2}."},
    {Msg::kFilterModules, "Show:", "Afficher :"},
    {Msg::kFilterAlertsOnly, "alerts only", "alertes seulement"},
    {Msg::kFilterText, "Search", "Rechercher"},
    {Msg::kColTime, "Time (UTC)", "Heure (UTC)"},
    {Msg::kColModule, "Source", "Source"},
    {Msg::kColEvent, "Event", "Événement"},
    {Msg::kColDetails, "Details", "Détails"},
    {Msg::kColSource, "Evidence location", "Emplacement"},
    {Msg::kLevelsHeading, "What the levels mean", "Ce que signifient les niveaux"},
    {Msg::kLevelCritical,
     "CRITICAL: a published indicator of spyware matched something the device did or holds.",
     "CRITICAL (critique) : un indicateur publié de logiciel espion correspond à quelque chose "
     "que l'appareil a fait ou contient."},
    {Msg::kLevelHigh,
     "HIGH: a strong sign, such as an indicator found in a less direct place (a file listed "
     "in a backup).",
     "HIGH (élevé) : un signe fort, par exemple un indicateur trouvé à un endroit moins direct "
     "(un fichier listé dans une sauvegarde)."},
    {Msg::kLevelMedium, "MEDIUM: unusual, worth an expert's look.",
     "MEDIUM (moyen) : inhabituel, mérite l'avis d'un expert."},
    {Msg::kLevelLow, "LOW: weak sign, often innocent.",
     "LOW (faible) : signe faible, souvent innocent."},
    {Msg::kLevelInformational, "INFORMATIONAL: context for the expert, not a problem by itself.",
     "INFORMATIONAL (information) : contexte pour l'expert, pas un problème en soi."},
    {Msg::kGlossaryHeading, "Glossary", "Glossaire"},
    {Msg::kGlossIndicator,
     "Indicator (of compromise): a domain, web address, process name, app or file that "
     "researchers tied to a spyware campaign.",
     "Indicateur (de compromission) : un domaine, une adresse web, un nom de processus, une "
     "application ou un fichier que des chercheurs ont relié à une campagne de logiciel espion."},
    {Msg::kGlossStix,
     "STIX: the standard file format in which researchers publish indicators.",
     "STIX : le format de fichier standard dans lequel les chercheurs publient les indicateurs."},
    {Msg::kGlossModule,
     "Check (module): the part of spyglass that reads one kind of record, such as SMS or "
     "browsing history.",
     "Vérification (module) : la partie de spyglass qui lit un type d'enregistrement, comme les "
     "SMS ou l'historique de navigation."},
    {Msg::kGlossHeuristic,
     "Heuristic: a rule that spots something unusual without a published indicator.",
     "Heuristique : une règle qui repère quelque chose d'inhabituel sans indicateur publié."},
    {Msg::kGlossFalsePositive,
     "False positive: an alert about something that turns out to be innocent.",
     "Faux positif : une alerte sur quelque chose qui se révèle innocent."},
    {Msg::kGlossTimeline,
     "Timeline: the evidence's dated events in order; times are UTC.",
     "Chronologie : les événements datés des éléments, dans l'ordre ; les heures sont en UTC."},
    {Msg::kNotesHeading, "Notes on this report", "Remarques sur ce rapport"},
    {Msg::kFooter,
     "Made by spyglass from the results folder. It opens offline and makes no network "
     "request; links in the evidence are shown as text and never made clickable.",
     "Produit par spyglass à partir du dossier de résultats. Il s'ouvre hors ligne et ne fait "
     "aucune requête réseau ; les liens des éléments sont montrés comme du texte, jamais "
     "cliquables."},
    {Msg::kWhyDomain,
     "This domain name was used by the attackers' servers. A device that contacted it, or "
     "received a link to it, was at least targeted.",
     "Ce nom de domaine a été utilisé par les serveurs des attaquants. Un appareil qui l'a "
     "contacté, ou qui a reçu un lien vers lui, a au moins été ciblé."},
    {Msg::kWhyUrl,
     "This web address was used to deliver spyware or to track a target.",
     "Cette adresse web a servi à installer un logiciel espion ou à suivre une cible."},
    {Msg::kWhyProcess,
     "A program with this name ran on the device; the spyware is known to use this name.",
     "Un programme portant ce nom a tourné sur l'appareil ; le logiciel espion est connu pour "
     "utiliser ce nom."},
    {Msg::kWhyAppId,
     "An app with this identifier is on the device; it is known spyware or stalkerware.",
     "Une application avec cet identifiant est sur l'appareil ; c'est un logiciel espion ou de "
     "surveillance connu."},
    {Msg::kWhyFilePath,
     "A file at this place was left by the spyware.",
     "Un fichier à cet endroit a été laissé par le logiciel espion."},
    {Msg::kWhyEmail,
     "This e-mail address was used by the attackers (for example to register accounts).",
     "Cette adresse e-mail a été utilisée par les attaquants (par exemple pour créer des "
     "comptes)."},
    {Msg::kWhyIp,
     "This network address belonged to the attackers' infrastructure.",
     "Cette adresse réseau faisait partie de l'infrastructure des attaquants."},
    {Msg::kWhyHash,
     "A file with exactly this content is a known part of the spyware.",
     "Un fichier avec exactement ce contenu est un élément connu du logiciel espion."},
    {Msg::kWhyOther,
     "This value was published as an indicator of the campaign named above.",
     "Cette valeur a été publiée comme indicateur de la campagne nommée ci-dessus."},
    {Msg::kFpDomain,
     "A visit to a spyware vendor's public web site, or a link in a news article or a "
     "researcher's report, is not an infection. Look at where the domain appeared (an "
     "unexpected SMS or a redirect is worrying; reading about it is not) and at what happened "
     "around it on the timeline.",
     "Une visite du site web public d'un fabricant de logiciel espion, ou un lien dans un "
     "article de presse ou un rapport de chercheurs, n'est pas une infection. Regardez où le "
     "domaine est apparu (un SMS inattendu ou une redirection est inquiétant ; lire un article "
     "ne l'est pas) et ce qui s'est passé autour dans la chronologie."},
    {Msg::kFpProcess,
     "Short or generic process names can collide with legitimate system programs, especially "
     "when only the first characters are recorded. An expert compares it with the processes "
     "of this OS version.",
     "Des noms de processus courts ou génériques peuvent coïncider avec des programmes "
     "système légitimes, surtout quand seuls les premiers caractères sont enregistrés. Un "
     "expert le compare aux processus de cette version du système."},
    {Msg::kFpAppId,
     "Check whether the app was installed knowingly (for example a parental-control or "
     "company app) and from which store.",
     "Vérifiez si l'application a été installée en connaissance de cause (par exemple un "
     "contrôle parental ou une application d'entreprise) et depuis quelle boutique."},
    {Msg::kFpFilePath,
     "A path match on a folder prefix can hit a legitimate file in the same place; an expert "
     "checks the file itself.",
     "Une correspondance sur le début d'un chemin peut toucher un fichier légitime au même "
     "endroit ; un expert vérifie le fichier lui-même."},
    {Msg::kFpOther,
     "Indicators are sometimes wrong or too broad. An expert checks the record and its "
     "context before concluding.",
     "Les indicateurs sont parfois faux ou trop larges. Un expert vérifie l'enregistrement et "
     "son contexte avant de conclure."},
    {Msg::kWhyHeuristic,
     "This is not a published indicator but a pattern that spyware has shown before.",
     "Ce n'est pas un indicateur publié mais un comportement que des logiciels espions ont "
     "déjà montré."},
    {Msg::kFpHeuristic,
     "Heuristics fire on unusual things, and unusual is not always malicious (beta software, "
     "developer tools, device management). Compare with what the owner installed and with "
     "the events around it.",
     "Les heuristiques signalent ce qui est inhabituel, et inhabituel ne veut pas toujours "
     "dire malveillant (logiciels bêta, outils de développement, gestion d'appareils). "
     "Comparez avec ce que la personne a installé et avec les événements autour."},
    {Msg::kFamilyIos, "iOS device (backup or file system)", "Appareil iOS (sauvegarde ou système de fichiers)"},
    {Msg::kFamilyAndroid, "Android device", "Appareil Android"},
    {Msg::kFamilyNet, "Network traffic or logs", "Trafic ou journaux réseau"},
    {Msg::kFamilyText, "Text file", "Fichier texte"},
};

constexpr bool table_in_order() {
  for (std::size_t i = 0; i < std::size(kTable); ++i) {
    if (static_cast<std::size_t>(kTable[i].id) != i) return false;
  }
  return std::size(kTable) == static_cast<std::size_t>(Msg::kCount);
}
static_assert(table_in_order(), "kTable rows must follow the Msg enum, one per message");

}  // namespace

std::optional<Lang> parse_lang(std::string_view code) {
  if (code == "en") return Lang::kEn;
  if (code == "fr") return Lang::kFr;
  return std::nullopt;
}

std::string_view lang_code(Lang lang) { return lang == Lang::kFr ? "fr" : "en"; }

std::string_view text(Lang lang, Msg msg) {
  const auto i = static_cast<std::size_t>(msg);
  if (i >= std::size(kTable)) return {};
  return lang == Lang::kFr ? kTable[i].fr : kTable[i].en;
}

std::string format(Lang lang, Msg msg, const std::vector<std::string>& args) {
  const std::string_view t = text(lang, msg);
  std::string out;
  for (std::size_t i = 0; i < t.size(); ++i) {
    if (t[i] == '{' && i + 2 < t.size() && t[i + 1] >= '0' && t[i + 1] <= '9' && t[i + 2] == '}') {
      const auto n = static_cast<std::size_t>(t[i + 1] - '0');
      if (n < args.size()) out += args[n];
      i += 2;
    } else {
      out += t[i];
    }
  }
  return out;
}

std::vector<int> placeholders(std::string_view message) {
  std::vector<int> out;
  for (std::size_t i = 0; i + 2 < message.size(); ++i) {
    if (message[i] == '{' && message[i + 1] >= '0' && message[i + 1] <= '9' &&
        message[i + 2] == '}') {
      out.push_back(message[i + 1] - '0');
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace spyglass::html
