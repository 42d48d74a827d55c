package org.iopoutcomes.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.iopoutcomes.SampleDataRun;
import org.iopoutcomes.SparkTestSession;
import org.iopoutcomes.metrics.RelapseSummary;
import org.iopoutcomes.stats.Interval;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 7, acceptance 1: a run on sample-data writes report.html; headless Chromium renders it from disk; the
 * visible text names every program and shows the headline numbers of summary.json and the band verdicts; the
 * page holds no address and makes no request. Fails, not skips, when Chromium is missing. Issue 14, acceptance 5
 * (its second half): beside each verdict the page shows the follow-up completeness, the worst case with its CI and
 * whether the verdict holds in it.
 *
 * <p>Issue 13, acceptance 4, on the same run: report_internal.html is in the restricted tree only, renders the same
 * way with no request, says it is the internal page, and lists the overdose-after-abstinence episodes, which the
 * test finds on its own from the sample-data CSV files.
 */
class ReportChromiumTest {
    @TempDir
    Path tmp;

    @Test
    void sampleDataReportRendersHeadlessWithTheSummaryNumbersAndNoNetwork() throws Exception {
        String browser = Chromium.binary();
        // the JVM's shared sample-data run (its first and only run into its folder: "No earlier run")
        Path published = SampleDataRun.get().published();
        assertEquals("run_date=2026-09-30", published.getFileName().toString());
        Path report = published.resolve("report.html");
        assertTrue(Files.isRegularFile(report), "report.html not written");
        JsonNode summary = new ObjectMapper().readTree(published.resolve("summary.json").toFile());

        // No address of any kind in the file: nothing for the browser to fetch.
        String html = Files.readString(report);
        assertNoAddress(html, "report.html");

        Chromium.Load load = Chromium.load(report, Files.createDirectories(tmp.resolve("chromium")));
        assertEquals(List.of(), load.pageRequests(), "the page made network requests");
        String text = Chromium.visibleText(load.dom());
        assertTrue(load.dom().contains("<svg"), "no chart rendered");

        // Sample data: three programs, every one named with its headline numbers.
        List<JsonNode> strata = new ArrayList<>();
        strata.add(summary.get("overall"));
        summary.get("programs").forEach(strata::add);
        assertEquals(List.of("prog-a", "prog-b", "prog-c"), summary.get("programs").findValuesAsText("program_id"));
        assertEquals(444, summary.at("/overall/episodes").asLong());
        for (JsonNode s : strata) {
            if (!s.get("program_id").isNull()) {
                assertTrue(text.contains(s.get("program_id").asText()), "program " + s.get("program_id"));
            }
            assertTrue(text.contains(String.format(Locale.ROOT, "%,d", s.get("episodes").asLong())),
                    "episodes of " + s.get("program_id"));
            assertContainsCi(text, s.get("completion_rate"), "completion rate of " + s.get("program_id"));
            for (JsonNode h : s.get("retention")) {
                JsonNode r = h.get("in_care");
                String what = "still in treatment at " + h.get("horizon_days") + " of " + s.get("program_id");
                if (r.get("estimate").isNull()) {
                    // a horizon off the curve's grid is hidden with its row (docs/disclosure.md), never the
                    // headline: the page says so in words
                    assertTrue(h.get("horizon_days").asInt() != 90, what + ": the headline horizon is hidden");
                    assertTrue(text.contains("suppressed"), what + " is hidden and the page does not say so");
                } else {
                    assertContainsCi(text, r, what);
                }
            }
            JsonNode relapse = s.get("relapse");
            assertEquals(365, relapse.get("horizon_days").asInt());
            assertContainsCi(text, relapse.get("cumulative_incidence"), "relapse of " + s.get("program_id"));
            String verdict = relapse.get("verdict").asText();
            assertTrue(List.of("below_band", "within_band", "above_band", "inconclusive").contains(verdict), verdict);
            String words = ReportHtml.verdictWords(verdict, "40-60%");
            assertTrue(text.contains(words), "verdict '" + words + "' of " + s.get("program_id"));
            // Issue 14, acceptance 5: beside each verdict, the follow-up completeness, the worst case with its CI
            // and whether the verdict holds in it: in the headline table's verdict cell, and in the band table's
            // row, cell after cell
            String completeness = Numbers.percent(relapse.get("followup_completeness").asDouble());
            JsonNode worst = relapse.get("worst_case");
            boolean robust = relapse.get("verdict_robust_to_loss").asBoolean();
            String headline = words + "; followed up: " + completeness + "; "
                    + ReportHtml.robustnessWords(robust);
            assertTrue(text.contains(headline), "'" + headline + "' not on the page");
            String worstVerdict = RelapseSummary.bandVerdict(new Interval(worst.get("lower").asDouble(),
                    worst.get("upper").asDouble()), 0.40, 0.60);
            assertEquals(robust, worstVerdict.equals(verdict), "robust to loss in summary.json");
            String bandRow = words + " " + completeness + " " + ci(worst) + " "
                    + (robust ? "yes" : "no: it would be " + ReportHtml.verdictWords(worstVerdict, "40-60%"));
            assertTrue(text.contains(bandRow), "'" + bandRow + "' not on the page");
        }
        assertTrue(text.contains("Relapsed within 365 days after discharge, deaths counted apart"), "the window and the estimand are stated");
        // Headline cards: the overall figures, as in summary.json.
        assertTrue(text.contains("Treatment episodes 444 "), text.substring(0, Math.min(600, text.length())));
        // "still in treatment" names only the probability of not yet being discharged (issue 14)
        assertTrue(text.contains("Still in treatment at 90 days " + ci(summary.at("/overall/retention/2/in_care"))));
        assertTrue(summary.at("/overall/retention/2/horizon_days").asInt() == 90);
        assertFalse(text.toLowerCase(Locale.ROOT).contains("retention at 90 days"), "the old label is gone");
        assertTrue(text.contains("No earlier run"), "first run: nothing to compare");
        // Data quality and settings are on the page.
        assertTrue(text.contains(String.format(Locale.ROOT, "%,d input rows read",
                summary.at("/data_quality/rows_read").asLong())));
        assertTrue(text.contains("relapse.band_horizon_days 365"));
        assertFalse(browser.isEmpty());

        // The published page says where the internal one is, and lists no safety event itself.
        assertTrue(text.contains("the internal version of this page, with small counts not suppressed and the "
                + "overdose-after-abstinence episodes listed for clinical follow-up, is "
                + "restricted/run_date=2026-09-30/report_internal.html under this run's output folder."), text);
        List<List<String>> expected = overdosesAfterAbstinence(Path.of("sample-data"), LocalDate.parse("2026-09-30"));
        assertEquals(0, summary.at("/data_quality/quarantined").asLong(), "the test reads the input as it is");
        for (List<String> event : expected) {
            assertFalse(html.contains(event.get(0)) || html.contains(event.get(1)), "row-level id on report.html");
        }
        // Issue 13's safety count: the sample's 3 overdoses after abstinence read as "fewer than 11 (may be 0)" on the
        // overall row, with no flag column, and the published relapse_summary has no flag column.
        String overdose = text.substring(text.indexOf("Overdose after abstinence, and follow-up calls"));
        assertTrue(overdose.contains("all programs "), overdose);
        assertTrue(overdose.substring(overdose.indexOf("all programs ")).contains(" fewer than 11 (may be 0) "),
                overdose);
        assertFalse(overdose.contains("FLAG"), overdose);
        assertFalse(html.contains("<th>flag</th>"), "a flag column on report.html");
        String relapseHeader = Files.readAllLines(published.resolve("relapse_summary.csv")).get(0);
        assertFalse(relapseHeader.contains("overdose_after_abstinence_flag"), relapseHeader);
        assertTrue(relapseHeader.contains("overdoses_after_abstinence"), relapseHeader);

        internalPage(SampleDataRun.get().output(), expected);
    }

    /** report_internal.html of the same run: restricted tree only, no request, the internal title, the episodes. */
    private void internalPage(Path out, List<List<String>> expected) throws Exception {
        Path restricted = out.resolve("restricted/run_date=2026-09-30");
        Path page = restricted.resolve(ReportStage.INTERNAL_REPORT_FILE);
        assertTrue(Files.isRegularFile(page), "report_internal.html not in the restricted tree");
        try (var walk = Files.walk(out.resolve("published"))) {
            assertEquals(List.of(), walk.filter(p -> p.getFileName().toString().contains("internal")).toList(),
                    "the internal page or tables in the published tree");
        }
        String html = Files.readString(page);
        assertNoAddress(html, "report_internal.html");

        Chromium.Load load = Chromium.load(page, Files.createDirectories(tmp.resolve("chromium-internal")));
        assertEquals(List.of(), load.pageRequests(), "the internal page made network requests");
        assertTrue(load.dom().contains("<svg"), "no chart rendered");
        assertTrue(load.dom().contains("<title>IOP program outcomes, internal page (small counts not suppressed), "
                + "data cut 2026-09-30</title>"), "internal title");
        String text = Chromium.visibleText(load.dom());
        assertTrue(text.startsWith("IOP program outcomes: internal page, small counts not suppressed Data cut "
                + "2026-09-30"), text.substring(0, Math.min(300, text.length())));
        assertTrue(text.contains("Internal page for the staff of the program with access to the restricted tree "
                + "only."), "who may read it");
        assertFalse(text.contains("suppressed (<"), "nothing is suppressed on the internal page");
        assertTrue(text.contains("Treatment episodes 444 "), "headline numbers as on the published page");

        // The episodes, as the test finds them in the input: one table row each, latest relapse first.
        assertEquals(3, expected.size(), "sample-data has three overdoses after abstinence: " + expected);
        assertTrue(text.contains("Overdose after abstinence: episodes for clinical follow-up"));
        String dom = load.dom();
        int table = dom.indexOf("<table class=\"data followup\">");
        assertTrue(table >= 0, "no follow-up table");
        String rows = dom.substring(table, dom.indexOf("</table>", table));
        List<List<String>> listed = new ArrayList<>();
        java.util.regex.Matcher row = java.util.regex.Pattern.compile("<tr><th scope=\"row\">([^<]*)</th><td>([^<]*)"
                + "</td><td>([^<]*)</td><td>([^<]*)</td><td>([^<]*)</td></tr>").matcher(rows);
        while (row.find()) {
            listed.add(List.of(row.group(1), row.group(2), row.group(3), row.group(4), row.group(5)));
        }
        assertEquals(expected, listed);
        assertTrue(text.contains(expected.size() + " events in all."));
        assertFalse(text.contains("None recorded"));
        // The count of the unsuppressed relapse_summary (overall row) agrees with the list, and the page shows it.
        org.apache.spark.sql.Row overall = SparkTestSession.get().read()
                .parquet(restricted.resolve("internal/relapse_summary").toString())
                .where("stratum = 'overall' and clock = 'discharge' and definition = 'first_use' "
                        + "and horizon_days = 365").first();
        assertEquals(expected.size(), (long) overall.<Long>getAs("overdoses_after_abstinence"));
        assertTrue(text.contains("all programs " + overall.<Long>getAs("relapses_after_abstinence") + " "
                + expected.size() + " "), text.substring(text.indexOf("Overdose after abstinence, and follow-up")));
    }

    /**
     * The overdose-after-abstinence events of SPEC section 3, worked out from the CSV files without Spark: a
     * positive screen or use event on day r with no positive in r-30 .. r-1 and a negative screen or an abstinent
     * reached follow-up there, followed by an overdose or fatal overdose in r .. r+30; owned by the participant's
     * episode admitted last on or before r. Rows: episode_id, participant_id, program_id, r, first overdose date;
     * the latest relapse first, then by episode.
     */
    static List<List<String>> overdosesAfterAbstinence(Path input, LocalDate cut) throws Exception {
        java.util.Map<String, java.util.TreeSet<LocalDate>> positive = new java.util.HashMap<>();
        java.util.Map<String, java.util.TreeSet<LocalDate>> overdose = new java.util.HashMap<>();
        java.util.Map<String, java.util.TreeSet<LocalDate>> abstinent = new java.util.HashMap<>();
        for (java.util.Map<String, String> r : csv(input.resolve("screens.csv"))) {
            LocalDate day = LocalDate.parse(r.get("collected_date"));
            if (!day.isAfter(cut) && r.get("result").equals("positive")) {
                add(positive, r.get("participant_id"), day);
            } else if (!day.isAfter(cut) && r.get("result").equals("negative")) {
                add(abstinent, r.get("participant_id"), day);
            }
        }
        for (java.util.Map<String, String> r : csv(input.resolve("use_events.csv"))) {
            LocalDate day = LocalDate.parse(r.get("event_date"));
            if (!day.isAfter(cut)) {
                add(positive, r.get("participant_id"), day);
                if (List.of("overdose", "fatal_overdose").contains(r.get("event_type"))) {
                    add(overdose, r.get("participant_id"), day);
                }
            }
        }
        for (java.util.Map<String, String> r : csv(input.resolve("followups.csv"))) {
            LocalDate day = LocalDate.parse(r.get("assessment_date"));
            if (!day.isAfter(cut) && "true".equals(r.get("reached")) && "true".equals(r.get("abstinent_past_30_days"))) {
                add(abstinent, r.get("participant_id"), day);
            }
        }
        List<java.util.Map<String, String>> episodes = csv(input.resolve("episodes.csv"));
        List<List<String>> events = new ArrayList<>();
        for (var e : positive.entrySet()) {
            String participant = e.getKey();
            for (LocalDate r : e.getValue()) {
                boolean usedBefore = !e.getValue().subSet(r.minusDays(30), true, r, false).isEmpty();
                boolean abstinentBefore = !abstinent.getOrDefault(participant, new java.util.TreeSet<>())
                        .subSet(r.minusDays(30), true, r, false).isEmpty();
                LocalDate od = overdose.getOrDefault(participant, new java.util.TreeSet<>()).ceiling(r);
                if (usedBefore || !abstinentBefore || od == null || od.isAfter(r.plusDays(30))) {
                    continue;
                }
                java.util.Map<String, String> owner = null;
                for (java.util.Map<String, String> ep : episodes) {
                    LocalDate admitted = LocalDate.parse(ep.get("admission_date"));
                    if (ep.get("participant_id").equals(participant) && !admitted.isAfter(r) && (owner == null
                            || admitted.isAfter(LocalDate.parse(owner.get("admission_date")))
                            || admitted.equals(LocalDate.parse(owner.get("admission_date")))
                            && ep.get("episode_id").compareTo(owner.get("episode_id")) > 0)) {
                        owner = ep;
                    }
                }
                if (owner != null) {
                    events.add(List.of(owner.get("episode_id"), participant, owner.get("program_id"), r.toString(),
                            od.toString()));
                }
            }
        }
        events.sort(java.util.Comparator.<List<String>, String>comparing(l -> l.get(3)).reversed()
                .thenComparing(l -> l.get(0)));
        return events;
    }

    private static void add(java.util.Map<String, java.util.TreeSet<LocalDate>> days, String participant,
                            LocalDate day) {
        days.computeIfAbsent(participant, p -> new java.util.TreeSet<>()).add(day);
    }

    /** A CSV file of sample-data (no quoted fields) as rows by column name; an empty field is null. */
    private static List<java.util.Map<String, String>> csv(Path file) throws Exception {
        List<String> lines = Files.readAllLines(file);
        String[] header = lines.get(0).split(",", -1);
        List<java.util.Map<String, String>> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            assertFalse(line.contains("\""), "a quoted field in " + file);
            String[] fields = line.split(",", -1);
            java.util.Map<String, String> row = new java.util.HashMap<>();
            for (int i = 0; i < header.length; i++) {
                row.put(header[i], i < fields.length && !fields[i].isEmpty() ? fields[i] : null);
            }
            rows.add(row);
        }
        return rows;
    }

    /** The net-log filter is not vacuous: a page that fetches something is caught. */
    @Test
    void aPageThatFetchesIsCaught() throws Exception {
        Path page = tmp.resolve("fetching.html");
        Files.writeString(page, "<!DOCTYPE html><html><body><p>control</p>"
                + "<img alt=\"x\" src=\"http://127.0.0.1:9/pixel.png\"></body></html>");
        Chromium.Load load = Chromium.load(page, Files.createDirectories(tmp.resolve("control")));
        assertEquals(List.of("http://127.0.0.1:9/pixel.png"), load.pageRequests());
        assertEquals("control", Chromium.visibleText(load.dom()));
    }

    static String ci(JsonNode e) {
        return ReportHtml.ciText(number(e.get("estimate")), number(e.get("lower")), number(e.get("upper")));
    }

    static Double number(JsonNode n) {
        return n == null || n.isNull() ? null : n.asDouble();
    }

    static void assertContainsCi(String text, JsonNode estimate, String what) {
        assertFalse(estimate.get("estimate").isNull(), what + " is empty in summary.json");
        String expected = String.format(Locale.ROOT, "%.1f%% (%.1f-%.1f)", estimate.get("estimate").asDouble() * 100,
                estimate.get("lower").asDouble() * 100, estimate.get("upper").asDouble() * 100);
        assertTrue(text.contains(expected), what + ": '" + expected + "' not on the page");
    }

    /** No address of any kind in the file: nothing for the browser to fetch. */
    private static void assertNoAddress(String html, String page) {
        for (String forbidden : List.of("http://", "https://", "src=", "url(", "@import", "<script", "<link",
                "<img", "<iframe", "<object")) {
            assertFalse(html.toLowerCase(Locale.ROOT).contains(forbidden), page + " contains " + forbidden);
        }
    }
}
