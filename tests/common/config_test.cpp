#include "vectobeat/common/config.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "common/test_util.hpp"

namespace vb::config {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::string expand(std::string_view text, std::map<std::string, std::string> vars = {}) {
  auto r = interpolate(text, map_env(std::move(vars)));
  EXPECT_TRUE(r) << "interpolating '" << text << "' failed: " << (r ? "" : r.error());
  return r ? *r : std::string("<error>");
}

std::string expand_error(std::string_view text, std::map<std::string, std::string> vars = {}) {
  auto r = interpolate(text, map_env(std::move(vars)));
  EXPECT_FALSE(r) << "interpolating '" << text << "' should fail, got '" << (r ? *r : "") << "'";
  return r ? std::string() : r.error();
}

// Runs `f` and returns the config::error message it throws ("" when it does not throw).
template <class F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const error& e) {
    return e.what();
  }
  ADD_FAILURE() << "expected a config::error";
  return {};
}

document yaml(std::string_view text, std::map<std::string, std::string> vars = {}) {
  return document::parse(text, "test.yml", map_env(std::move(vars)));
}

// ------------------------------------------------------------------ interpolation

TEST(Interpolate, ReplacesSetVariables) {
  EXPECT_EQ(expand("${HOST}", {{"HOST", "lavalink"}}), "lavalink");
  EXPECT_EQ(expand("http://${HOST}:${PORT}/v4", {{"HOST", "h"}, {"PORT", "2333"}}), "http://h:2333/v4");
  EXPECT_EQ(expand("no references here"), "no references here");
  EXPECT_EQ(expand("$HOST and $ alone"), "$HOST and $ alone");
}

TEST(Interpolate, UnsetVariableWithoutDefaultIsEmpty) { EXPECT_EQ(expand("[${MISSING}]"), "[]"); }

TEST(Interpolate, DefaultsApplyToUnsetAndEmptyVariables) {
  EXPECT_EQ(expand("${PORT:2333}"), "2333");
  EXPECT_EQ(expand("${PORT:2333}", {{"PORT", ""}}), "2333");
  EXPECT_EQ(expand("${PORT:2333}", {{"PORT", "80"}}), "80");
  EXPECT_EQ(expand("${PORT:-2333}"), "2333");
  EXPECT_EQ(expand("${PORT:-2333}", {{"PORT", ""}}), "2333");
  EXPECT_EQ(expand("${PORT:-2333}", {{"PORT", "80"}}), "80");
  EXPECT_EQ(expand("${EMPTY_DEFAULT:}", {}), "");
  EXPECT_EQ(expand("${URL:http://localhost:3050/api}"), "http://localhost:3050/api");
}

TEST(Interpolate, DefaultsMayReferenceOtherVariables) {
  EXPECT_EQ(expand("${A:${B:z}}"), "z");
  EXPECT_EQ(expand("${A:${B:z}}", {{"B", "b"}}), "b");
  EXPECT_EQ(expand("${A:${B:z}}", {{"A", "a"}}), "a");
}

TEST(Interpolate, ValuesAreNotExpandedAgain) {
  EXPECT_EQ(expand("${A}", {{"A", "${B}"}, {"B", "oops"}}), "${B}");
}

TEST(Interpolate, DoubleDollarIsALiteral) {
  EXPECT_EQ(expand("$${HOST}", {{"HOST", "x"}}), "${HOST}");
  EXPECT_EQ(expand("a$${b}c${HOST}", {{"HOST", "x"}}), "a${b}cx");
  EXPECT_EQ(expand("${A:$${x}}"), "${x}");
}

TEST(Interpolate, MalformedReferencesAreErrors) {
  EXPECT_THAT(expand_error("${HOST"), HasSubstr("unterminated"));
  EXPECT_THAT(expand_error("x ${A:${B}"), HasSubstr("unterminated"));
  EXPECT_THAT(expand_error("${}"), HasSubstr("invalid variable name"));
  EXPECT_THAT(expand_error("${1ABC}"), HasSubstr("invalid variable name '1ABC'"));
  EXPECT_THAT(expand_error("${A B}"), HasSubstr("invalid variable name 'A B'"));
  EXPECT_THAT(expand_error("${:default}"), HasSubstr("invalid variable name"));
}

// ------------------------------------------------------------------ dotenv

TEST(Dotenv, ParsesPlainQuotedAndExportedValues) {
  auto r = parse_dotenv(
      "# a comment\n"
      "\n"
      "PLAIN=value\n"
      "export EXPORTED=yes\n"
      "  SPACED = padded  \n"
      "INLINE=abc # trailing comment\n"
      "HASH=abc#def\n"
      "DOUBLE=\"line1\\nline2 \\\"quoted\\\" back\\\\slash\"\n"
      "SINGLE='literal \\n ${NOT} # kept'\n"
      "WINPATH=\"C:\\Users\\bot\"\n"
      "EMPTY=\n"
      "QUOTED_EMPTY=\"\"\n"
      "AFTER=\"v\" # comment after quotes\n"
      "CRLF=dos\r\n");
  EXPECT_TRUE(r.errors.empty()) << ::testing::PrintToString(r.errors);
  std::map<std::string, std::string> want{{"PLAIN", "value"},
                                          {"EXPORTED", "yes"},
                                          {"SPACED", "padded"},
                                          {"INLINE", "abc"},
                                          {"HASH", "abc#def"},
                                          {"DOUBLE", "line1\nline2 \"quoted\" back\\slash"},
                                          {"SINGLE", "literal \\n ${NOT} # kept"},
                                          {"WINPATH", "C:\\Users\\bot"},
                                          {"EMPTY", ""},
                                          {"QUOTED_EMPTY", ""},
                                          {"AFTER", "v"},
                                          {"CRLF", "dos"}};
  EXPECT_EQ(r.values, want);
}

TEST(Dotenv, SkipsByteOrderMark) {
  auto r = parse_dotenv("\xEF\xBB\xBFTOKEN=abc\n");
  EXPECT_TRUE(r.errors.empty());
  EXPECT_EQ(r.values["TOKEN"], "abc");
}

TEST(Dotenv, ReportsMalformedLinesWithLineNumbers) {
  auto r = parse_dotenv(
      "GOOD=1\n"
      "no equals sign\n"
      "1BAD=x\n"
      "OPEN=\"never closed\n"
      "TRAIL='x' junk\n"
      "exportNOSPACE\n"
      "ALSO_GOOD=2");
  EXPECT_THAT(r.errors, ElementsAre("line 2: expected KEY=VALUE", "line 3: invalid variable name '1BAD'",
                                    "line 4: unterminated quote", "line 5: unexpected text after the closing quote",
                                    "line 6: expected KEY=VALUE"));
  EXPECT_EQ(r.values, (std::map<std::string, std::string>{{"GOOD", "1"}, {"ALSO_GOOD", "2"}}));
}

TEST(Dotenv, ApplySetsOnlyUnsetVariables) {
  test::temp_dir dir;
  auto file = dir.write(".env", "VB_TEST_DOTENV_NEW=from-file\nVB_TEST_DOTENV_SET=from-file\n");
  test::scoped_env unset("VB_TEST_DOTENV_NEW", nullptr);
  test::scoped_env preset("VB_TEST_DOTENV_SET", "from-process");
  auto names = apply_dotenv(file);
  EXPECT_THAT(names, ElementsAre("VB_TEST_DOTENV_NEW"));
  EXPECT_STREQ(std::getenv("VB_TEST_DOTENV_NEW"), "from-file");
  EXPECT_STREQ(std::getenv("VB_TEST_DOTENV_SET"), "from-process");
}

TEST(Dotenv, ApplyRejectsMalformedFilesNamingFileAndLine) {
  test::temp_dir dir;
  auto file = dir.write(".env", "A=1\nbroken line\n");
  auto msg = error_of([&] { apply_dotenv(file); });
  EXPECT_THAT(msg, HasSubstr(file.string()));
  EXPECT_THAT(msg, HasSubstr("line 2: expected KEY=VALUE"));
  EXPECT_THAT(error_of([&] { apply_dotenv(dir.path() / "missing.env"); }), HasSubstr("cannot read"));
}

TEST(Dotenv, FindPrefersLocalFilesThenSearchesUpwards) {
  test::temp_dir dir;
  dir.write(".env", "A=root\n");
  auto sub = dir.path() / "bot" / "deep";
  std::filesystem::create_directories(sub);
  EXPECT_EQ(find_dotenv(sub), dir.path() / ".env");
  dir.write("bot/deep/.env", "A=deep\n");
  EXPECT_EQ(find_dotenv(sub), sub / ".env");
  dir.write("bot/deep/.env.production", "A=prod\n");
  EXPECT_EQ(find_dotenv(sub), sub / ".env.production");
  dir.write("bot/deep/.env.local", "A=local\n");
  EXPECT_EQ(find_dotenv(sub), sub / ".env.local");
}

// ------------------------------------------------------------------ documents

TEST(Document, InterpolatesScalarsAfterParsing) {
  // A variable's value can never change the document's structure.
  auto doc = yaml("server:\n  host: ${HOST}\n  port: ${PORT:2333}\n", {{"HOST", "evil\nextra: key"}});
  auto server = doc.root()["server"];
  EXPECT_EQ(server.get("host", ""), "evil\nextra: key");
  EXPECT_EQ(server.get_int("port", 0), 2333);
  EXPECT_TRUE(doc.unknown_keys().empty());
}

TEST(Document, BlankValuesTakeTheDefault) {
  auto doc = yaml(
      "a: ${UNSET}\n"
      "b: ${EMPTY}\n"
      "c:\n"
      "d: ~\n"
      "e: \"\"\n",
      {{"EMPTY", ""}});
  auto r = doc.root();
  EXPECT_EQ(r.get_int("a", 7), 7);
  EXPECT_EQ(r.get_int("b", 7), 7);
  EXPECT_EQ(r.get_int("c", 7), 7);
  EXPECT_EQ(r.get_double("d", 1.5), 1.5);
  EXPECT_TRUE(r.get_bool("e", true));
  EXPECT_EQ(r.get("a", "def"), "def");
  EXPECT_EQ(r.get("e", "def"), "def");
  EXPECT_EQ(r.get_optional("b"), std::nullopt);
  EXPECT_EQ(r.get_optional("missing"), std::nullopt);
  EXPECT_TRUE(r["c"].is_null());
  EXPECT_TRUE(r["d"].is_null());
  EXPECT_TRUE(r["missing"].is_null());
  EXPECT_FALSE(r["missing"].exists());
}

TEST(Document, ReadsTypedValues) {
  auto doc = yaml(
      "i: 42\n"
      "neg: -7\n"
      "plus: +5\n"
      "d: 2.5\n"
      "exp: 1e3\n"
      "yes1: yes\n"
      "on1: On\n"
      "f: false\n"
      "zero: 0\n"
      "s: \"  text  \"\n");
  auto r = doc.root();
  EXPECT_EQ(r.get_int("i", 0), 42);
  EXPECT_EQ(r.get_int("neg", 0), -7);
  EXPECT_EQ(r.get_int("plus", 0), 5);
  EXPECT_DOUBLE_EQ(r.get_double("d", 0), 2.5);
  EXPECT_DOUBLE_EQ(r.get_double("exp", 0), 1000);
  EXPECT_DOUBLE_EQ(r.get_double("i", 0), 42);
  EXPECT_TRUE(r.get_bool("yes1", false));
  EXPECT_TRUE(r.get_bool("on1", false));
  EXPECT_FALSE(r.get_bool("f", true));
  EXPECT_FALSE(r.get_bool("zero", true));
  EXPECT_EQ(r.get("s", ""), "  text  ");
}

TEST(Document, TypeErrorsNameFileLineAndKey) {
  auto doc = yaml(
      "server:\n"
      "  port: abc\n"
      "  big: 70000\n"
      "  huge: 99999999999999999999999\n"
      "  flag: maybe\n"
      "  ratio: 1,5\n"
      "  nan: .nan\n"
      "  weight: 300\n");
  auto s = doc.root()["server"];
  EXPECT_EQ(error_of([&] { s.get_int("port", 0, 1, 65535); }),
            "test.yml:2: key 'server.port': expected an integer, got 'abc'");
  EXPECT_EQ(error_of([&] { s.get_int("big", 0, 1, 65535); }),
            "test.yml:3: key 'server.big': value 70000 out of range [1, 65535]");
  EXPECT_THAT(error_of([&] { s.get_int("huge", 0); }), HasSubstr("test.yml:4: key 'server.huge': value"));
  EXPECT_THAT(error_of([&] { s.get_int("huge", 0); }), HasSubstr("out of range"));
  EXPECT_EQ(error_of([&] { s.get_bool("flag", false); }),
            "test.yml:5: key 'server.flag': expected a boolean (true/false), got 'maybe'");
  EXPECT_EQ(error_of([&] { s.get_double("ratio", 0); }), "test.yml:6: key 'server.ratio': expected a number, got '1,5'");
  EXPECT_THAT(error_of([&] { s.get_double("nan", 0); }), HasSubstr("expected a number"));
  EXPECT_EQ(error_of([&] { s.get_double("weight", 0, 0, 200); }),
            "test.yml:8: key 'server.weight': value 300 out of range [0, 200]");
}

TEST(Document, ShapeErrorsNameTheKey) {
  auto doc = yaml("a: scalar\nb: [1, 2]\nc:\n  d: 1\n");
  auto r = doc.root();
  EXPECT_EQ(error_of([&] { r["a"]["x"]; }), "test.yml:1: key 'a': expected a mapping");
  EXPECT_EQ(error_of([&] { r["b"].as_string(); }), "test.yml:2: key 'b': expected a scalar value");
  EXPECT_EQ(error_of([&] { r["c"].items(); }), "test.yml:4: key 'c': expected a list");
  EXPECT_THAT(error_of([&] { r["missing"].as_string(); }), HasSubstr("key 'missing': is required"));
}

TEST(Document, InterpolationErrorsNameTheKey) {
  auto doc = yaml("x:\n  y: \"${BROKEN\"\n");
  EXPECT_EQ(error_of([&] { doc.root()["x"].get("y", ""); }), "test.yml:2: key 'x.y': unterminated '${'");
}

TEST(Document, SyntaxErrorsNameFileAndLine) {
  EXPECT_THAT(error_of([] { yaml("a: 1\nb: [unclosed\nc: 2\n"); }), HasSubstr("test.yml:"));
  EXPECT_THAT(error_of([] { yaml("a: 1\nb: [unclosed\nc: 2\n"); }), HasSubstr("invalid YAML"));
  EXPECT_EQ(error_of([] { yaml("- just\n- a list\n"); }), "test.yml: the top level must be a mapping");
  EXPECT_NO_THROW(yaml(""));
  EXPECT_NO_THROW(yaml("# only a comment\n"));
}

TEST(Document, LoadNamesTheFile) {
  test::temp_dir dir;
  auto file = dir.write("config.yml", "a:\n  b: nope\n");
  auto doc = document::load(file, map_env({}));
  EXPECT_EQ(doc.name(), file.string());
  EXPECT_EQ(error_of([&] { doc.root()["a"].get_int("b", 0); }),
            file.string() + ":2: key 'a.b': expected an integer, got 'nope'");
  EXPECT_THAT(error_of([&] { document::load(dir.path() / "nope.yml", map_env({})); }),
              HasSubstr("cannot read configuration file"));
}

TEST(Document, ReportsUnknownKeysWithFileAndLine) {
  auto doc = yaml(
      "known: 1\n"
      "section:\n"
      "  used: 2\n"
      "  typo_key: 3\n"
      "stray:\n"
      "  nested: 4\n"
      "free:\n"
      "  anything: [1, 2]\n"
      "list:\n"
      "  - name: a\n"
      "    extra: b\n");
  auto r = doc.root();
  r.get_int("known", 0);
  r["section"].get_int("used", 0);
  r["free"].accept_all();
  for (auto& item : r["list"].items()) item.get("name", "");
  EXPECT_THAT(doc.unknown_keys(), ElementsAre("test.yml:4: unknown key 'section.typo_key'",
                                              "test.yml:5: unknown key 'stray'",
                                              "test.yml:11: unknown key 'list[0].extra'"));
}

TEST(Document, KeysMarksEveryKeyAsKnown) {
  auto doc = yaml("components:\n  gateway: debug\n  node.player: trace\n");
  auto keys = doc.root()["components"].keys();
  EXPECT_THAT(keys, ElementsAre("gateway", "node.player"));
  EXPECT_TRUE(doc.unknown_keys().empty());
  EXPECT_TRUE(doc.root()["absent"].keys().empty());
}

TEST(Document, SelfReferencingAliasesDoNotHang) {
  // yaml-cpp resolves "&a [*a]" to a sequence that contains itself.
  try {
    auto doc = yaml("a: &x [*x]\nb: &y {k: *y}\n");
    doc.root().keys();
    EXPECT_LE(doc.unknown_keys().size(), 2u);
  } catch (const error&) {
    SUCCEED();  // rejecting the document is fine too
  }
}

enum class color { red, green, blue };

TEST(Document, GetEnumAcceptsListedNamesOnly) {
  auto doc = yaml("a: green\nb: BLUE\nc: purple\nd: ${UNSET}\n");
  auto r = doc.root();
  std::initializer_list<std::pair<std::string_view, color>> choices{
      {"red", color::red}, {"green", color::green}, {"blue", color::blue}};
  EXPECT_EQ(r.get_enum("a", color::red, choices), color::green);
  EXPECT_EQ(r.get_enum("b", color::red, choices), color::blue);
  EXPECT_EQ(r.get_enum("d", color::red, choices), color::red);
  EXPECT_EQ(r.get_enum("missing", color::blue, choices), color::blue);
  EXPECT_EQ(error_of([&] { r.get_enum("c", color::red, choices); }),
            "test.yml:3: key 'c': expected one of [red, green, blue], got 'purple'");
}

TEST(Document, StringListsFromYamlListsAndCommaStrings) {
  auto doc = yaml(
      "list: [a, \"b, c\", d]\n"
      "csv: \" a, b ,,c\t\"\n"
      "env: ${IDS}\n"
      "unset: ${NOPE}\n"
      "block:\n"
      "  - x\n"
      "  - ${IDS}\n",
      {{"IDS", "1,2,3"}});
  auto r = doc.root();
  EXPECT_THAT(r.get_string_list("list"), ElementsAre("a", "b, c", "d"));
  EXPECT_THAT(r.get_string_list("csv"), ElementsAre("a", "b", "c"));
  EXPECT_THAT(r.get_string_list("env"), ElementsAre("1", "2", "3"));
  EXPECT_TRUE(r.get_string_list("unset").empty());
  EXPECT_TRUE(r.get_string_list("missing").empty());
  EXPECT_THAT(r.get_string_list("block"), ElementsAre("x", "1,2,3"));
}

TEST(Document, ProcessEnvReadsTheEnvironment) {
  test::scoped_env v("VB_TEST_CONFIG_PROCESS_ENV", "hello");
  auto env = process_env();
  EXPECT_EQ(env("VB_TEST_CONFIG_PROCESS_ENV"), "hello");
  EXPECT_EQ(env("VB_TEST_CONFIG_SURELY_UNSET_VARIABLE"), std::nullopt);
}

}  // namespace
}  // namespace vb::config
