package org.iopoutcomes.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.iopoutcomes.SampleDataRun;
import org.iopoutcomes.publish.PublishedOutputs;
import org.junit.jupiter.api.Test;

/**
 * Issue 13, acceptance 3: report.html and summary.json hold nothing the published tables do not. On the JVM's
 * shared sample-data run, every number on the page (its visible text; of an SVG only the text labels, not the axis
 * ticks or coordinates) and every number in summary.json (its numeric leaves, and numbers inside its texts) must be
 * one a reader of the published folder gets from it by formatting alone.
 *
 * <p><b>Sources.</b> The published CSV tables of the run's folder (the Parquet tables hold the same values; the CSV
 * holds each double's round-trip text), and the settings of manifest.json. From a numeric cell the reader gets the
 * formats the page uses ({@link Numbers}): the value as written, a count with thousands separators, a share as a
 * percentage with one decimal (with and without the sign, of the value and of its 10-digit rounding), a ratio with
 * two decimals, days, a p-value with three decimals ("&lt;0.001"), percentage points with a sign, a share with two
 * decimals, and for summary.json the value rounded to 10 significant digits. Text cells give numbers only when they
 * are labels (stratum values, definitions, exposures, dose levels, ...): a number inside a free text (a note, the
 * covariates left out) is on the page only if a numeric cell or a setting gives it, which is the point: a text may
 * carry no count of people (SPEC section 5).
 *
 * <p><b>Strict matching.</b> Values are matched as exact formatted strings, never with a tolerance. And a number may
 * not come from just anywhere: the page is split into its units (a table row, a paragraph, a card, a definition, a
 * chart label) and summary.json into its strata ({@code overall}, each {@code programs[i]}, {@code data_quality}).
 * Every number of a unit must come from the rows of the stratum the page says the unit is about (its row header, else
 * the subheading above it, or in a chart the row label before it: "all programs" or a program id), or, where the
 * page names none, from the rows of ONE stratum the page is drawn from (overall or one program:
 * {@link PublishedTables#REPORT_STRATA}) or of data_quality; or it must be a setting. The curve tables feed only the
 * charts, so their numbers count only for chart labels. Numbers of the settings' texts (the relapse definitions,
 * paths) count only in the settings table of the page. The test also plants a wrong count in a table row and counts
 * in a sentence under a program's heading, and requires each to be caught.
 *
 * <p><b>Beyond formatting</b>, declared one by one: the totals of data_quality over the input tables (data_quality
 * counts rows, not people, SPEC section 5), the number of programs, the largest hidden count (threshold - 1) where
 * the page says "from 1 to ...", the threshold and 0 in "fewer than 11 (may be 0)" (a hidden safety count), and the
 * fixed wording of the page (the 95% of every CI, "1 - S", the 30-day windows of overdose after abstinence, the
 * 0.025 that the band p-values are read against), each allowed only inside its phrase. The shared run has no
 * previous run, so the change table (differences between two runs' summary.json) is not exercised here.
 */
class PublishedPageNumbersTest {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    /** The curve tables feed only the charts. */
    static final List<String> CURVE_TABLES = List.of("retention_curve", "relapse_curve");
    static final List<String> ALL_TABLES = List.of("retention_summary", "retention_curve", "relapse_summary",
            "relapse_curve", "continuity_effect", "dose_response", "point_prevalence", "data_quality");
    /** Text columns that name categories: their numbers are part of the label (e.g. a dose level "Q1 [0.13-0.60]"). */
    static final Set<String> LABEL_COLUMNS = Set.of("stratum", "stratum_value", "definition", "clock", "exposure",
            "dimension", "level", "table_name", "source", "format", "metric", "reason", "run_date", "verdict");
    static final String DATA_QUALITY = "data_quality";

    @Test
    void everyNumberOnThePageIsInThePublishedTables() throws IOException {
        Path published = SampleDataRun.get().published();
        long started = System.nanoTime();
        Sources sources = sources(published);
        String html = Files.readString(published.resolve(ReportStage.REPORT_FILE), StandardCharsets.UTF_8);

        List<Unit> units = Page.units(html);
        Check check = sources.checkPage(units);
        System.out.printf(Locale.ROOT, "report.html: %d numbers in %d units checked, %d not from the published "
                + "tables (%.1f s)%n", check.numbers(), units.size(), check.problems().size(),
                (System.nanoTime() - started) / 1e9);

        assertNotBlind(sources, html, check);
        assertTrue(check.problems().isEmpty(), check.problems().size() + " number(s) on report.html that no "
                + "published table or setting gives (" + published + "):\n" + check.message());
    }

    /**
     * The check is not blind: a count changed by one in the overall row of the headline table is caught, and so are
     * counts in a sentence under a program's heading, each held by no table of the program.
     */
    static void assertNotBlind(Sources sources, String html, Check check) {
        String episodes = Numbers.count(sources.overallEpisodes());
        String planted = html.replaceFirst("(?<row><tr class=\"total\"><th scope=\"row\">all programs</th><td>)"
                + Pattern.quote(episodes) + "<", "${row}" + Numbers.count(sources.overallEpisodes() + 1) + "<");
        assertTrue(!planted.equals(html), "the headline table's overall row was not found");
        List<String> caught = new ArrayList<>(sources.checkPage(Page.units(planted)).problems());
        caught.removeAll(check.problems());
        assertEquals(1, caught.size(), "a count changed by one must be caught: " + caught);
        String program = sources.text.keySet().stream().filter(g -> g.startsWith("program_id=")).findFirst()
                .orElseThrow().substring("program_id=".length());
        long[] absent = sources.absentCounts("program_id=" + program, 2);
        String heading = "<h3>" + Html.esc(program) + "</h3>";
        assertTrue(html.contains(heading), "no heading " + heading + " on the page");
        caught = new ArrayList<>(sources.checkPage(Page.units(html.replaceFirst(Pattern.quote(heading),
                heading + "<p class=\"note\">moud (missing in " + absent[0] + " of " + absent[1] + " rows)</p>")))
                .problems());
        caught.removeAll(check.problems());
        assertEquals(2, caught.size(), "counts in a text must be caught: " + caught);
    }

    @Test
    void everyNumberOfSummaryJsonIsInThePublishedTables() throws IOException {
        Path published = SampleDataRun.get().published();
        Sources sources = sources(published);
        JsonNode summary = JSON.readTree(published.resolve(ReportStage.SUMMARY_FILE).toFile());
        Check check = sources.checkSummary(summary);
        System.out.printf(Locale.ROOT, "summary.json: %d numbers checked, %d not from the published tables%n",
                check.numbers(), check.problems().size());
        assertTrue(check.numbers() > 50, "summary.json holds too few numbers to check: " + check.numbers());
        // not blind: the overall episodes changed by one are caught
        ObjectNode planted = summary.deepCopy();
        ((ObjectNode) planted.get("overall")).put("episodes",
                sources.overallEpisodes() + 1);
        List<String> caught = new ArrayList<>(sources.checkSummary(planted).problems());
        caught.removeAll(check.problems());
        assertEquals(1, caught.size(), "a count changed by one must be caught: " + caught);
        assertTrue(check.problems().isEmpty(), check.problems().size() + " number(s) in summary.json that no "
                + "published table or setting gives (" + published + "):\n" + check.message());
    }

    @Test
    void numbersAreReadAsThePagePrintsThem() {
        assertEquals(List.of("57.0%", "52.4", "61.5"), texts(Tokens.of("57.0% (52.4-61.5)")));
        assertEquals(List.of("-3.9", "-12.5", "+4.7"), texts(Tokens.of("-3.9 points (-12.5 to +4.7)")));
        assertEquals(List.of("40", "60%"), texts(Tokens.of("within the 40-60% band")));
        assertEquals(List.of("29,613", "0.001"), texts(Tokens.of("29,613 rows, p <0.001")));
        assertEquals(List.of("2026-09-30", "3", "444"), texts(Tokens.of("Data cut 2026-09-30 · 3 programs · 444")));
        assertEquals(List.of("2026-09-30", "2026-09"), texts(Tokens.of("before 2026-09-30. Month 2026-09")));
        assertEquals(List.of("Q1", "0.13", "0.60", "9", "12"), texts(Tokens.of("Q1 [0.13-0.60] 9-<12 h")));
        assertEquals(List.of("lee2016", "continuing_care_14d", "0.1.0", "81", "118"),
                texts(Tokens.of("lee2016 continuing_care_14d iop-outcomes 0.1.0; moud (missing in 81 of 118 rows")));
        assertEquals(List.of("77", "70", "80", "30", "60", "90"), texts(Tokens.of("77 (70-80) 30; 60; 90")));
    }

    private static final Map<Path, Sources> SOURCES = new LinkedHashMap<>();

    /** The sources of a published folder, read once for the tests of this class. */
    private static synchronized Sources sources(Path published) {
        return SOURCES.computeIfAbsent(published, Sources::read);
    }

    private static List<String> texts(List<Tokens.Token> tokens) {
        return tokens.stream().map(Tokens.Token::text).toList();
    }

    // ---- what the reader of the published folder has ----------------------------------------------------------

    /** A number as the reader can state it, and where it comes from (for the failure message). */
    record Pool(Map<String, String> tokens) {
        Pool() {
            this(new LinkedHashMap<>());
        }

        void add(String formatted, String provenance) {
            if (formatted == null) {
                return;
            }
            for (Tokens.Token t : Tokens.of(formatted)) {
                tokens.putIfAbsent(t.text(), provenance);
            }
        }

        void addExact(String text, String provenance) {
            if (text != null) {
                tokens.putIfAbsent(text, provenance);
            }
        }

        boolean has(String token) {
            return tokens.containsKey(token);
        }
    }

    /** The published tables and settings as pools of formatted numbers: per stratum, data_quality and settings. */
    static final class Sources {
        /** Stratum key ("overall=overall", "program_id=prog-a") or "data_quality" to the page forms of its numbers. */
        final Map<String, Pool> text = new LinkedHashMap<>();
        /** The same from the curve tables, for chart labels only. */
        final Map<String, Pool> curves = new LinkedHashMap<>();
        /** The same in summary.json's form (10 significant digits, plain decimal). */
        final Map<String, Pool> json = new LinkedHashMap<>();
        /** Settings (numeric ones and lists of numbers), the run date and version: allowed anywhere. */
        final Pool settings = new Pool();
        final Pool settingsJson = new Pool();
        /** Numbers inside the settings' texts (relapse definitions, paths): allowed in the settings table only. */
        final Pool settingTexts = new Pool();
        final List<Pattern> fixedWording = new ArrayList<>();
        private long overallEpisodes = -1;

        static Sources read(Path published) {
            PublishedOutputs out = PublishedOutputs.read(published);
            Sources s = new Sources();
            for (String name : ALL_TABLES) {
                PublishedOutputs.Table table = out.table(name);
                assertTrue(!table.header().isEmpty(), "published table " + name + " missing in " + published);
                s.addTable(table);
            }
            s.addDataQualityTotals(out.table(DATA_QUALITY));
            s.addSettings(out.manifest(), out.threshold(), out.table("retention_summary"));
            return s;
        }

        long overallEpisodes() {
            return overallEpisodes;
        }

        /** The first {@code n} counts from 12 up that neither the group's rows nor the settings give. */
        long[] absentCounts(String group, int n) {
            long[] found = new long[n];
            int i = 0;
            for (long c = 12; i < n; c++) {
                String t = Long.toString(c);
                if (!text.get(group).has(t) && !settings.has(t)) {
                    found[i++] = c;
                }
            }
            return found;
        }

        private void addTable(PublishedOutputs.Table table) {
            boolean curve = CURVE_TABLES.contains(table.name());
            for (PublishedOutputs.Row row : table.rows()) {
                String group;
                if (table.name().equals(DATA_QUALITY)) {
                    group = DATA_QUALITY;
                } else {
                    String stratum = row.text("stratum");
                    if (!PublishedTables.REPORT_STRATA.contains(stratum)) {
                        continue; // the page and summary.json show the overall and program strata only
                    }
                    group = stratum + "=" + row.text("stratum_value");
                    if (table.name().equals("retention_summary") && stratum.equals("overall")
                            && row.count("episodes") != null) {
                        overallEpisodes = row.count("episodes");
                    }
                }
                Pool pool = (curve ? curves : text).computeIfAbsent(group, g -> new Pool());
                Pool jsonPool = json.computeIfAbsent(group, g -> new Pool());
                for (String column : table.header()) {
                    String cell = row.text(column);
                    if (cell.isEmpty()) {
                        continue;
                    }
                    String where = table.name() + "." + column + " (" + group + ")";
                    Double value = row.number(column);
                    if (value != null) {
                        addFormats(pool, value, cell, where);
                        if (!curve) {
                            addJson(jsonPool, value, where);
                        }
                    } else if (LABEL_COLUMNS.contains(column)) {
                        pool.add(cell, where);
                        jsonPool.add(cell, where);
                    }
                }
            }
        }

        /** Every form in which the page prints a number (see {@link Numbers} and ReportHtml). */
        static void addFormats(Pool pool, double v, String written, String where) {
            pool.add(written, where);
            Double r = Numbers.round10(v);
            if (v == Math.rint(v) && Math.abs(v) < 1e15) {
                long n = (long) v;
                pool.add(Long.toString(n), where);
                pool.add(Numbers.count(n), where);
            }
            for (Double x : new Double[] {v, r}) {
                if (x == null) {
                    continue;
                }
                pool.add(Numbers.percent(x), where + " as %");
                pool.add(Numbers.percentNumber(x), where + " as % (CI limit)");
                pool.add(Numbers.ratio(x), where + " as a ratio");
                pool.add(Numbers.days(x), where + " as days");
                pool.add(Numbers.pValue(x), where + " as a p-value");
                pool.add(String.format(Locale.ROOT, "%+.1f", x * 100), where + " as points");
                pool.add(String.format(Locale.ROOT, "%.2f%%", x * 100), where + " as a share");
                pool.add(Numbers.bandPercent(x), where + " as a band limit");
            }
        }

        static void addJson(Pool pool, double v, String where) {
            BigDecimal d = Numbers.json(v);
            if (d != null) {
                pool.addExact(d.toPlainString(), where);
            }
            BigDecimal r = Numbers.json(Numbers.round10(v));
            if (r != null) {
                pool.addExact(r.toPlainString(), where);
            }
            if (v == Math.rint(v) && Math.abs(v) < 1e15) {
                pool.addExact(Long.toString((long) v), where);
            }
        }

        /**
         * data_quality counts rows, not people (SPEC section 5): the page and summary.json add its counts up over
         * the input tables, per metric and per quarantine reason, and give the share of the total.
         */
        private void addDataQualityTotals(PublishedOutputs.Table quality) {
            Map<String, Long> perMetric = new TreeMap<>();
            Map<String, Long> perReason = new TreeMap<>();
            for (PublishedOutputs.Row row : quality.rows()) {
                Long rows = row.count("rows");
                if (rows == null) {
                    continue;
                }
                if (row.isEmpty("reason")) {
                    perMetric.merge(row.text("metric"), rows, Long::sum);
                } else if (row.text("metric").equals("quarantined")) {
                    perReason.merge(row.text("reason"), rows, Long::sum);
                }
            }
            Pool pool = text.computeIfAbsent(DATA_QUALITY, g -> new Pool());
            Pool jsonPool = json.computeIfAbsent(DATA_QUALITY, g -> new Pool());
            for (Map<String, Long> sums : List.of(perMetric, perReason)) {
                for (Map.Entry<String, Long> e : sums.entrySet()) {
                    String where = "data_quality: " + e.getKey() + " over all input tables";
                    addFormats(pool, e.getValue(), Long.toString(e.getValue()), where);
                    addJson(jsonPool, e.getValue(), where);
                }
            }
            Long read = perMetric.get("rows_read");
            if (read != null && read > 0) {
                for (Map.Entry<String, Long> e : perMetric.entrySet()) {
                    pool.add(String.format(Locale.ROOT, "%.2f%%", 100.0 * e.getValue() / read),
                            "data_quality: share of all rows read, " + e.getKey());
                }
            }
        }

        private void addSettings(JsonNode manifest, int threshold, PublishedOutputs.Table retention) {
            addSettingLeaves("settings", manifest.path("settings"));
            settings.add(manifest.path("run_date").asText(null), "manifest.run_date");
            settings.add(manifest.path("versions").path("iop_outcomes").asText(null), "manifest.versions");
            JsonNode relapse = manifest.path("settings").path("relapse");
            if (relapse.path("band_lower").isNumber() && relapse.path("band_upper").isNumber()) {
                settings.add(ReportHtml.bandText(relapse.path("band_lower").asDouble(),
                        relapse.path("band_upper").asDouble()), "the band of settings.relapse");
            }
            // the number of programs (the header: "3 programs")
            Set<String> programs = new LinkedHashSet<>();
            for (PublishedOutputs.Row row : retention.rows()) {
                if (row.text("stratum").equals("program_id")) {
                    programs.add(row.text("stratum_value"));
                }
            }
            settings.add(Integer.toString(programs.size()), "the number of program_id strata");
            // the fixed wording of the page: numbers that are part of a phrase, allowed only there
            fixedWording.add(Pattern.compile("95% (?:CI|CIs|confidence interval)"));
            fixedWording.add(Pattern.compile("1 - S\\b"));
            fixedWording.add(Pattern.compile("(?:within|in the) 30 days"));
            fixedWording.add(Pattern.compile("numerically 0 or 1"));
            fixedWording.add(Pattern.compile("zero is shown as 0"));
            fixedWording.add(Pattern.compile("from 1 to " + (threshold - 1) + "\\b"));
            // a hidden safety count (overdoses after abstinence): the threshold, a setting, and "may be 0"
            fixedWording.add(Pattern.compile("fewer than " + threshold + " \\(may be 0\\)"));
            fixedWording.add(Pattern.compile("42 CFR Part 2"));
            // the one-sided level of the band p-values that matches the 95% CI (issue 14)
            fixedWording.add(Pattern.compile("under 0\\.025"));
        }

        private void addSettingLeaves(String path, JsonNode node) {
            if (node.isObject()) {
                for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    addSettingLeaves(path + "." + e.getKey(), e.getValue());
                }
            } else if (node.isArray()) {
                for (JsonNode item : node) {
                    addSettingLeaves(path + "[]", item);
                }
            } else if (node.isNumber()) {
                // as the settings table prints it, a count, or a share as the page states it ("40%", "20%")
                double v = node.asDouble();
                settings.add(node.asText(), path);
                if (v == Math.rint(v)) {
                    settings.add(Numbers.count((long) v), path);
                } else {
                    settings.add(Numbers.bandPercent(v), path + " as %");
                }
                settingsJson.addExact(plain(node), path);
            } else if (node.isTextual()) {
                settingTexts.add(node.asText(), path);
                // a date setting (today, as_of) is printed as such in texts too
                if (Tokens.DATE.matcher(node.asText()).matches()) {
                    settings.add(node.asText(), path);
                }
            }
        }

        Check checkPage(List<Unit> units) {
            List<String> problems = new ArrayList<>();
            long numbers = 0;
            Map<String, Pool> withCurves = merged(text, curves);
            for (Unit u : units) {
                List<Tokens.Token> tokens = Tokens.of(u.text());
                numbers += tokens.size();
                Map<String, Pool> all = u.inChart() ? withCurves : text;
                Map<String, Pool> groups = all;
                // the stratum the page says the unit is about: its row header, else the subheading above it
                for (String label : new String[] {u.rowHeader(), u.heading()}) {
                    String named = Page.stratum(label);
                    if (named != null && all.containsKey(named)) {
                        groups = Map.of(named, all.get(named));
                        break;
                    }
                }
                List<Pool> anywhere = u.section().equals("settings") ? List.of(settings, settingTexts)
                        : List.of(settings);
                problems.addAll(check(u.where(), u.text(), notFixedWording(u.text(), tokens, fixedWording), groups,
                        all, anywhere));
            }
            return new Check(numbers, problems);
        }

        Check checkSummary(JsonNode summary) {
            List<String> problems = new ArrayList<>();
            long numbers = 0;
            Map<String, JsonNode> units = new LinkedHashMap<>();
            ObjectNode top = summary.deepCopy();
            for (Iterator<Map.Entry<String, JsonNode>> it = summary.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getKey().equals("programs")) {
                    for (int i = 0; i < e.getValue().size(); i++) {
                        units.put("/programs/" + i, e.getValue().get(i));
                    }
                    top.remove(e.getKey());
                } else if (e.getValue().isObject()) {
                    units.put("/" + e.getKey(), e.getValue());
                    top.remove(e.getKey());
                }
            }
            assertEquals(Summary.SCHEMA_VERSION, top.path("schema_version").asInt(), "schema_version");
            top.remove("schema_version"); // the format's version, not a number of the data
            units.put("", top);
            // numeric leaves are matched in summary.json's form ("#" before), numbers inside its texts in the page's
            Map<String, Pool> groups = new LinkedHashMap<>();
            for (String g : text.keySet()) {
                Pool both = new Pool();
                text.get(g).tokens().forEach(both.tokens()::putIfAbsent);
                json.getOrDefault(g, new Pool()).tokens().forEach((k, v) -> both.tokens().putIfAbsent("#" + k, v));
                groups.put(g, both);
            }
            Pool anywhere = new Pool();
            settings.tokens().forEach(anywhere.tokens()::putIfAbsent);
            settingsJson.tokens().forEach((k, v) -> anywhere.tokens().putIfAbsent("#" + k, v));
            for (Map.Entry<String, JsonNode> unit : units.entrySet()) {
                List<Leaf> leaves = new ArrayList<>();
                leaves(unit.getKey(), unit.getValue(), leaves);
                List<Tokens.Token> tokens = new ArrayList<>();
                for (Leaf leaf : leaves) {
                    if (leaf.node().isNumber()) {
                        tokens.add(new Tokens.Token("#" + plain(leaf.node()), leaf.pointer()));
                    } else if (leaf.node().isTextual()) {
                        String t = leaf.node().asText();
                        for (Tokens.Token token : notFixedWording(t, Tokens.of(t), fixedWording)) {
                            tokens.add(new Tokens.Token(token.text(), leaf.pointer() + " = \"" + Tokens.around(t,
                                    token) + "\""));
                        }
                    }
                }
                numbers += tokens.size();
                // the stratum the unit is about: overall, a program, data_quality; the top level has settings only
                String named = unit.getKey().equals("/overall") ? "overall=overall"
                        : unit.getKey().startsWith("/programs/") ? "program_id=" + unit.getValue().path("program_id")
                        .asText() : unit.getKey().equals("/" + DATA_QUALITY) ? DATA_QUALITY : null;
                Map<String, Pool> own = named == null ? Map.of() : Map.of(named, groups.getOrDefault(named,
                        new Pool()));
                problems.addAll(check("summary.json " + (unit.getKey().isEmpty() ? "(top level)" : unit.getKey()),
                        null, tokens, own, groups, List.of(anywhere)));
            }
            return new Check(numbers, problems);
        }

        /** The tokens not inside a phrase of the page's fixed wording. */
        static List<Tokens.Token> notFixedWording(String text, List<Tokens.Token> tokens, List<Pattern> fixed) {
            Set<Integer> exempt = new LinkedHashSet<>();
            for (Pattern p : fixed) {
                Matcher m = p.matcher(text);
                while (m.find()) {
                    for (int i = m.start(); i < m.end(); i++) {
                        exempt.add(i);
                    }
                }
            }
            return tokens.stream().filter(t -> !exempt.contains(t.start())).toList();
        }

        private static Map<String, Pool> merged(Map<String, Pool> a, Map<String, Pool> b) {
            Map<String, Pool> m = new LinkedHashMap<>();
            Set<String> keys = new LinkedHashSet<>(a.keySet());
            keys.addAll(b.keySet());
            for (String k : keys) {
                Pool p = new Pool();
                a.getOrDefault(k, new Pool()).tokens().forEach(p.tokens()::putIfAbsent);
                b.getOrDefault(k, new Pool()).tokens().forEach(p.tokens()::putIfAbsent);
                m.put(k, p);
            }
            return m;
        }

        /**
         * The numbers of one unit: each is a setting (or part of a fixed phrase), or all the others come from the
         * rows of a single group (a stratum, or data_quality) among {@code groups}. Returns one line per number that
         * does not, saying where else ({@code all}) it would have been found.
         */
        private static List<String> check(String where, String text, List<Tokens.Token> tokens,
                                          Map<String, Pool> groups, Map<String, Pool> all, List<Pool> anywhere) {
            List<Tokens.Token> open = new ArrayList<>();
            for (Tokens.Token t : tokens) {
                if (anywhere.stream().noneMatch(p -> p.has(t.text()))) {
                    open.add(t);
                }
            }
            if (open.isEmpty()) {
                return List.of();
            }
            String best = null;
            long bestCount = -1;
            for (Map.Entry<String, Pool> g : groups.entrySet()) {
                long n = open.stream().filter(t -> g.getValue().has(t.text())).count();
                if (n > bestCount) {
                    best = g.getKey();
                    bestCount = n;
                }
            }
            Pool chosen = best == null ? new Pool() : groups.get(best);
            List<String> problems = new ArrayList<>();
            for (Tokens.Token t : open) {
                if (chosen.has(t.text())) {
                    continue;
                }
                List<String> elsewhere = new ArrayList<>();
                for (Map.Entry<String, Pool> g : all.entrySet()) {
                    if (g.getValue().has(t.text())) {
                        elsewhere.add(g.getValue().tokens().get(t.text()));
                    }
                }
                String context = text == null ? t.context() : "\"" + Tokens.around(text, t) + "\"";
                problems.add(String.format(Locale.ROOT, "  %s: %s in %s (%s; %s)", where,
                        t.text().replaceFirst("^#", ""), context, best == null ? "a unit with settings only"
                        : groups.size() == 1 ? "the unit is about " + best : bestCount > 0
                        ? "the unit's other numbers are from " + best
                        : "no other number of the unit is from a published stratum", elsewhere.isEmpty()
                        ? "in no published table" : "found only elsewhere: " + String.join(", ",
                        elsewhere.subList(0, Math.min(3, elsewhere.size())))));
            }
            return problems;
        }

        private static void leaves(String pointer, JsonNode node, List<Leaf> out) {
            if (node.isObject()) {
                for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    leaves(pointer + "/" + e.getKey(), e.getValue(), out);
                }
            } else if (node.isArray()) {
                for (int i = 0; i < node.size(); i++) {
                    leaves(pointer + "/" + i, node.get(i), out);
                }
            } else {
                out.add(new Leaf(pointer, node));
            }
        }

        private static String plain(JsonNode number) {
            if (number.isIntegralNumber()) {
                return number.bigIntegerValue().toString();
            }
            BigDecimal d = number.decimalValue().stripTrailingZeros();
            return (d.scale() < 0 ? d.setScale(0) : d).toPlainString();
        }
    }

    record Leaf(String pointer, JsonNode node) {}

    /** What a check found: how many numbers it looked at, and one line per number no source gives. */
    record Check(long numbers, List<String> problems) {
        /** The problems, each line once with the number of times it occurs. */
        String message() {
            Map<String, Integer> lines = new LinkedHashMap<>();
            problems.forEach(p -> lines.merge(p, 1, Integer::sum));
            StringBuilder b = new StringBuilder();
            lines.forEach((line, n) -> b.append(line).append(n > 1 ? " [" + n + " times]" : "").append('\n'));
            return b.toString();
        }
    }

    // ---- numbers in text ----------------------------------------------------------------------------------------

    /** The numbers of a text as the page prints them: dates, counts with separators, decimals, %, a leading sign. */
    static final class Tokens {
        static final Pattern DATE = Pattern.compile("(?:19|20)\\d\\d-\\d\\d(?:-\\d\\d)?");
        /** A date; a word holding a digit (an identifier such as lee2016, Q1, a version 0.1.0); a number. */
        private static final Pattern TOKEN = Pattern.compile(
                "(?<date>(?:19|20)\\d\\d-\\d\\d(?:-\\d\\d)?)(?!\\d|\\.\\d)"
                        + "|(?<word>[A-Za-z0-9_]*[A-Za-z_][A-Za-z0-9_]*\\d[A-Za-z0-9_]*"
                        + "|[A-Za-z0-9_]*\\d[A-Za-z0-9_]*[A-Za-z_][A-Za-z0-9_]*|\\d+(?:\\.\\d+){2,})"
                        + "|(?<number>[-+]?(?:\\d{1,3}(?:,\\d{3})+|\\d+)(?:\\.\\d+)?%?)");

        record Token(String text, int start, String context) {
            Token(String text, String context) {
                this(text, -1, context);
            }
        }

        static List<Token> of(String text) {
            List<Token> tokens = new ArrayList<>();
            Matcher m = TOKEN.matcher(text);
            while (m.find()) {
                String t = m.group();
                int start = m.start();
                if (m.group("word") != null && start > 0 && isWordChar(text.charAt(start - 1))) {
                    continue;
                }
                if (m.group("number") != null) {
                    char first = t.charAt(0);
                    if (first == '-' || first == '+') {
                        // a sign only where a number cannot end just before: "52.4-61.5" is a range
                        char before = start > 0 ? text.charAt(start - 1) : ' ';
                        if (Character.isLetterOrDigit(before) || before == '.' || before == '_' || before == '%'
                                || before == ')') {
                            t = t.substring(1);
                            start++;
                        }
                    }
                    if (start > 0 && isWordChar(text.charAt(start - 1)) && !Character.isDigit(t.charAt(0))) {
                        continue;
                    }
                }
                tokens.add(new Token(t, start, null));
            }
            return tokens;
        }

        private static boolean isWordChar(char c) {
            return Character.isLetterOrDigit(c) || c == '_';
        }

        /** The text around a token, for the failure message. */
        static String around(String text, Token t) {
            int from = Math.max(0, t.start() - 70);
            int to = Math.min(text.length(), t.start() + t.text().length() + 70);
            return (from > 0 ? "..." : "") + text.substring(from, to).replaceAll("\\s+", " ").trim()
                    + (to < text.length() ? "..." : "");
        }
    }

    // ---- the page as units of text ------------------------------------------------------------------------------

    /**
     * A piece of the page's visible text read as one: a table row, a paragraph, a card, a definition, a heading, a
     * chart's text label.
     *
     * @param section the id of the page section it is in ("header", "footer", "head" outside sections)
     * @param inChart a text label of an SVG chart
     * @param rowHeader the row header of a table row (null for none)
     * @param heading the subheading (h3) above the unit in its section, or in a chart the row label before it (null
     *                for none)
     */
    record Unit(String section, String kind, String text, boolean inChart, String rowHeader, String heading) {
        String where() {
            return "report.html #" + section + " " + kind;
        }
    }

    /** Splits report.html (well-formed: ReportHtml escapes every text) into its units of visible text. */
    static final class Page {
        private static final Pattern MARKUP = Pattern.compile(
                "<!--.*?-->|<![^>]*>|<(/?)([a-zA-Z][a-zA-Z0-9]*)((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>|([^<]+)",
                Pattern.DOTALL);
        private static final Pattern CLASS = Pattern.compile("\\bclass=\"([^\"]*)\"");
        private static final Pattern ID = Pattern.compile("\\bid=\"([^\"]*)\"");
        private static final Set<String> VOID = Set.of("meta", "br", "hr", "img", "input", "link", "path", "rect",
                "line", "circle", "wbr", "col");
        private static final Set<String> UNIT_TAGS = Set.of("title", "h1", "h2", "h3", "p", "dt", "dd", "tr", "li",
                "footer", "nav", "caption", "figcaption");

        private record Element(String tag, String cls, String id, StringBuilder unit, boolean svg,
                               StringBuilder capture) {}

        static List<Unit> units(String html) {
            List<Unit> units = new ArrayList<>();
            Deque<Element> stack = new ArrayDeque<>();
            Map<StringBuilder, Unit> pending = new LinkedHashMap<>();
            Map<StringBuilder, String> rowHeaders = new LinkedHashMap<>();
            Map<StringBuilder, String> headings = new LinkedHashMap<>();
            String heading = null;
            String headingOutsideSvg = null;
            Matcher m = MARKUP.matcher(html);
            while (m.find()) {
                if (m.group(4) != null) {
                    text(stack, unescape(m.group(4)));
                    continue;
                }
                String tag = m.group(2);
                if (tag == null) {
                    continue; // doctype, comment
                }
                tag = tag.toLowerCase(Locale.ROOT);
                String attrs = m.group(3) == null ? "" : m.group(3);
                if (m.group(1).isEmpty()) {
                    if (tag.equals("style") || tag.equals("script")) {
                        int end = html.indexOf("</" + tag, m.end());
                        m.region(end < 0 ? html.length() : end, html.length());
                        continue;
                    }
                    boolean inSvg = !stack.isEmpty() && stack.peek().svg();
                    boolean svg = inSvg || tag.equals("svg");
                    String cls = attr(CLASS, attrs);
                    String id = attr(ID, attrs);
                    StringBuilder unit = null;
                    String kind = null;
                    if (svg && tag.equals("text") && !"tick".equals(cls)) {
                        kind = "chart label (" + cls + ")"; // axis ticks are not data; every other label is
                    } else if (!svg && (UNIT_TAGS.contains(tag) || tag.equals("div") && "card".equals(cls))) {
                        kind = tag + (cls == null ? "" : "." + cls);
                    }
                    if (tag.equals("section") || tag.equals("header")) {
                        heading = null;
                    }
                    if (tag.equals("svg")) {
                        headingOutsideSvg = heading;
                    }
                    if (kind != null) {
                        unit = new StringBuilder();
                        pending.put(unit, new Unit(section(stack, tag, id), kind, null, svg, null, null));
                        if (heading != null) {
                            headings.put(unit, heading);
                        }
                    }
                    // the row header of a table row, a subheading, a row label of a chart: what the numbers after
                    // them are about
                    StringBuilder capture = !svg && (tag.equals("th") && attrs.contains("scope=\"row\"")
                            || tag.equals("h3")) || svg && tag.equals("text") && "label".equals(cls)
                            ? new StringBuilder() : null;
                    boolean selfClosing = attrs.endsWith("/");
                    if (!VOID.contains(tag) && !selfClosing) {
                        stack.push(new Element(tag, cls, id, unit, svg, capture));
                    }
                    text(stack, " ");
                } else {
                    text(stack, " ");
                    while (!stack.isEmpty()) {
                        Element e = stack.pop();
                        if (e.capture() != null) {
                            String captured = e.capture().toString().replaceAll("\\s+", " ").trim();
                            if (e.tag().equals("h3") || e.tag().equals("text")) {
                                heading = captured;
                            } else {
                                for (Element outer : stack) {
                                    if (outer.unit() != null) {
                                        rowHeaders.putIfAbsent(outer.unit(), captured);
                                        break;
                                    }
                                }
                            }
                        }
                        if (e.tag().equals("svg")) {
                            heading = headingOutsideSvg;
                        }
                        if (e.tag().equals(tag)) {
                            break;
                        }
                    }
                }
            }
            for (Map.Entry<StringBuilder, Unit> e : pending.entrySet()) {
                String t = e.getKey().toString().replaceAll("\\s+", " ").trim();
                if (!t.isEmpty()) {
                    Unit u = e.getValue();
                    units.add(new Unit(u.section(), u.kind(), t, u.inChart(), rowHeaders.get(e.getKey()),
                            headings.get(e.getKey())));
                }
            }
            return units;
        }

        /** Text goes to the innermost unit around it; inside an SVG only into a text label. */
        private static void text(Deque<Element> stack, String text) {
            for (Element e : stack) {
                if (e.capture() != null) {
                    e.capture().append(text);
                }
            }
            for (Element e : stack) {
                if (e.unit() != null) {
                    e.unit().append(text);
                    return;
                }
                if (e.svg()) {
                    return; // SVG internals: titles, coordinates, ticks
                }
            }
            if (!text.isBlank()) {
                throw new IllegalStateException("visible text outside any unit of the page: " + text.strip());
            }
        }

        private static String section(Deque<Element> stack, String tag, String id) {
            if (tag.equals("section") && id != null) {
                return id;
            }
            for (Element e : stack) {
                if (e.tag().equals("section") && e.id() != null) {
                    return e.id();
                }
                if (e.tag().equals("header") || e.tag().equals("footer") || e.tag().equals("head")) {
                    return e.tag();
                }
            }
            return tag.equals("footer") || tag.equals("title") ? tag : "body";
        }

        private static String attr(Pattern p, String attrs) {
            Matcher m = p.matcher(attrs);
            return m.find() ? m.group(1) : null;
        }

        /** The group of a stratum label of the page: "all programs" is overall, a program id its program. */
        static String stratum(String label) {
            if (label == null) {
                return null;
            }
            return label.equals("all programs") || label.startsWith("All programs,") ? "overall=overall"
                    : "program_id=" + label;
        }

        static String unescape(String s) {
            return s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'")
                    .replace("&amp;", "&");
        }
    }
}
