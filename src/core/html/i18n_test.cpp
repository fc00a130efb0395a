#include "core/html/i18n.hpp"

#include <gtest/gtest.h>

namespace spyglass::html {
namespace {

TEST(I18n, EveryMessageExistsInEveryLanguageWithTheSamePlaceholders) {
  for (int i = 0; i < static_cast<int>(Msg::kCount); ++i) {
    const auto m = static_cast<Msg>(i);
    const std::string_view en = text(Lang::kEn, m);
    const std::string_view fr = text(Lang::kFr, m);
    EXPECT_FALSE(en.empty()) << i;
    EXPECT_FALSE(fr.empty()) << i;
    EXPECT_EQ(placeholders(en), placeholders(fr)) << i << ": " << en;
  }
}

TEST(I18n, FrenchIsATranslationNotACopy) {
  EXPECT_NE(text(Lang::kEn, Msg::kVerdictNone), text(Lang::kFr, Msg::kVerdictNone));
  EXPECT_NE(text(Lang::kFr, Msg::kNextDontWipe).find("expert"), std::string_view::npos);
}

TEST(I18n, ParseLang) {
  EXPECT_EQ(parse_lang("en"), Lang::kEn);
  EXPECT_EQ(parse_lang("fr"), Lang::kFr);
  EXPECT_FALSE(parse_lang("de"));
  EXPECT_FALSE(parse_lang(""));
  EXPECT_FALSE(parse_lang("EN"));
  EXPECT_EQ(lang_code(Lang::kFr), "fr");
}

TEST(I18n, FormatSubstitutesArgumentsOnce) {
  EXPECT_EQ(format(Lang::kEn, Msg::kLevelLabel, {"HIGH"}), "Level: HIGH");
  EXPECT_EQ(format(Lang::kFr, Msg::kLevelLabel, {"HIGH"}), "Niveau : HIGH");
  // An argument that looks like a placeholder is not expanded again.
  EXPECT_EQ(format(Lang::kEn, Msg::kLevelLabel, {"{0}"}), "Level: {0}");
  // Missing arguments become empty rather than reading out of bounds.
  EXPECT_EQ(format(Lang::kEn, Msg::kLevelLabel, {}), "Level: ");
  EXPECT_EQ(placeholders("{1} and {0} and {0}"), (std::vector<int>{0, 0, 1}));
}

}  // namespace
}  // namespace spyglass::html
