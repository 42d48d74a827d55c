package org.iopoutcomes.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.iopoutcomes.SampleDataRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 7, acceptance 1: a run on sample-data writes report.html; headless Chromium renders it from disk; the
 * visible text names every program and shows the headline numbers of summary.json and the band verdicts; the
 * page holds no address and makes no request. Fails, not skips, when Chromium is missing.
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
        for (String forbidden : List.of("http://", "https://", "src=", "url(", "@import", "<script", "<link",
                "<img", "<iframe", "<object")) {
            assertFalse(html.toLowerCase(Locale.ROOT).contains(forbidden), "report.html contains " + forbidden);
        }

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
            for (JsonNode r : s.get("retention")) {
                assertContainsCi(text, r, "retention at " + r.get("horizon_days") + " of " + s.get("program_id"));
            }
            JsonNode relapse = s.get("relapse");
            assertEquals(365, relapse.get("horizon_days").asInt());
            assertContainsCi(text, relapse.get("cumulative_incidence"), "relapse of " + s.get("program_id"));
            String verdict = relapse.get("verdict").asText();
            assertTrue(List.of("below_band", "within_band", "above_band", "inconclusive").contains(verdict), verdict);
            String words = ReportHtml.verdictWords(verdict, "40-60%");
            assertTrue(text.contains(words), "verdict '" + words + "' of " + s.get("program_id"));
        }
        assertTrue(text.contains("Relapse within 365 days after discharge"), "the window is stated");
        // Headline cards: the overall figures, as in summary.json.
        assertTrue(text.contains("Treatment episodes 444 "), text.substring(0, Math.min(600, text.length())));
        assertTrue(text.contains("Retention at 90 days " + ci(summary.at("/overall/retention/2"))));
        assertTrue(text.contains("No earlier run"), "first run: nothing to compare");
        // Data quality and settings are on the page.
        assertTrue(text.contains(String.format(Locale.ROOT, "%,d input rows read",
                summary.at("/data_quality/rows_read").asLong())));
        assertTrue(text.contains("relapse.band_horizon_days 365"));
        assertFalse(browser.isEmpty());
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
}
