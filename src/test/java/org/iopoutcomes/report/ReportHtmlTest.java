package org.iopoutcomes.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.iopoutcomes.metrics.RelapseSettings;
import org.iopoutcomes.metrics.RelapseSummary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** summary.json and report.html from hand-made published tables: values, rounding, suppression, escaping. */
class ReportHtmlTest {
    static final String ODD = "p<b>&\"x'";

    @TempDir
    Path tmp;

    static Map<String, Object> row(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    static Table table(String name, List<Map<String, Object>> rows) {
        List<String> columns = rows.isEmpty() ? List.of() : new ArrayList<>(rows.get(0).keySet());
        return new Table(name, columns, rows);
    }

    static Map<String, Object> retention(String stratum, String value, long horizon, Long episodes, Double s,
                                         boolean suppressed) {
        return row("stratum", stratum, "stratum_value", value, "horizon_days", horizon, "episodes", episodes,
                "completion_rate", episodes == null ? null : 0.123456789012345, "completion_rate_lower",
                episodes == null ? null : 0.1, "completion_rate_upper", episodes == null ? null : 0.2,
                "n_at_risk", episodes == null ? null : 40L, "in_care", s, "in_care_lower", s == null ? null : s - 0.1,
                "in_care_upper", s == null ? null : s + 0.1,
                "dropout_incidence", s == null ? null : (1 - s) / 2, "dropout_incidence_lower",
                s == null ? null : (1 - s) / 2 - 0.05, "dropout_incidence_upper", s == null ? null : (1 - s) / 2 + 0.05,
                "completion_incidence", s == null ? null : (1 - s) / 4, "completion_incidence_lower",
                s == null ? null : (1 - s) / 8, "completion_incidence_upper", s == null ? null : (1 - s) / 3,
                "other_discharge_incidence", s == null ? null : (1 - s) / 4, "other_discharge_incidence_lower",
                s == null ? null : (1 - s) / 8, "other_discharge_incidence_upper", s == null ? null : (1 - s) / 3,
                "median_length_of_stay_days", episodes == null ? null
                        : 56.0, "median_length_of_stay_lower", episodes == null ? null : 49.0,
                "median_length_of_stay_upper", null, "higher_level_discharges", episodes == null ? null : 24L,
                "followed_by_lower_level", episodes == null ? null : 18L, "step_down_continuity_rate",
                episodes == null ? null : 0.75, "step_down_continuity_rate_lower", episodes == null ? null : 0.55,
                "step_down_continuity_rate_upper", episodes == null ? null : 0.88, "suppressed", suppressed);
    }

    static Map<String, Object> relapse(String stratum, String value, Long episodes, Double ci, String verdict,
                                       boolean suppressed) {
        return row("stratum", stratum, "stratum_value", value, "definition", "first_use", "clock", "discharge",
                "horizon_days", 365L, "episodes", episodes, "at_risk", episodes == null ? null : 30L, "relapses",
                episodes == null ? null : 25L, "cumulative_incidence", ci, "ci_lower", ci == null ? null : ci - 0.05,
                "ci_upper", ci == null ? null : ci + 0.05, "estimable", episodes != null, "verdict", verdict,
                "p_below_band", ci == null ? null : 0.5, "p_above_band", ci == null ? null : 0.25,
                "q_below_band", ci == null ? null : 0.5, "q_above_band", ci == null ? null : 0.5,
                "followup_completeness", episodes == null ? null : 0.583333333, "worst_case_proportion",
                episodes == null ? null : 0.75, "worst_case_lower", episodes == null ? null : 0.66,
                "worst_case_upper", episodes == null ? null : 0.82, "verdict_robust_to_loss",
                ci == null ? null : false,
                "relapses_after_abstinence", episodes == null ? null : 12L, "overdoses_after_abstinence",
                episodes == null ? null : 0L, "overdose_after_abstinence_flag", episodes == null ? null : false,
                "suppressed", suppressed);
    }

    static PublishedTables tables(Optional<Table> continuity) {
        Table retention = table("retention_summary", List.of(
                retention("overall", "overall", 30, 120L, 0.8, false),
                retention("overall", "overall", 90, 120L, 0.6, false),
                retention("program_id", ODD, 30, 110L, 0.75, false),
                retention("program_id", ODD, 90, 110L, 0.55, false),
                retention("program_id", "tiny", 30, null, null, true),
                retention("program_id", "tiny", 90, null, null, true)));
        Table relapse = table("relapse_summary", List.of(
                relapse("overall", "overall", 100L, 0.52, "within_band", false),
                relapse("program_id", ODD, 92L, 0.3, "below_band", false),
                relapse("program_id", "tiny", null, null, null, true)));
        Table curve = table("retention_curve", List.of(
                row("stratum", "overall", "stratum_value", "overall", "day", 0L, "n_at_risk", 120L, "in_care", 1.0,
                        "in_care_lower", 1.0, "in_care_upper", 1.0, "suppressed", false),
                row("stratum", "overall", "stratum_value", "overall", "day", 7L, "n_at_risk", 100L, "in_care", 0.9,
                        "in_care_lower", 0.85, "in_care_upper", 0.95, "suppressed", false)));
        Table relapseCurve = table("relapse_curve", List.of(
                row("stratum", "overall", "stratum_value", "overall", "clock", "discharge", "definition",
                        "first_use", "day", 0L, "at_risk", 100L, "cumulative_incidence", 0.0, "ci_lower", 0.0,
                        "ci_upper", 0.0)));
        Table quality = table("data_quality", List.of(
                row("table_name", "episodes", "metric", "rows_read", "reason", null, "rows", 130L, "rows_read", 130L),
                row("table_name", "episodes", "metric", "rows_loaded", "reason", null, "rows", 128L, "rows_read", 130L),
                row("table_name", "episodes", "metric", "quarantined", "reason", null, "rows", 2L, "rows_read", 130L),
                row("table_name", "episodes", "metric", "quarantined", "reason", "bad_date", "rows", 2L,
                        "rows_read", 130L),
                row("table_name", "episodes", "metric", "after_data_cut", "reason", null, "rows", 0L,
                        "rows_read", 130L)));
        return new PublishedTables(retention, curve, relapse, relapseCurve, quality, continuity, Optional.empty());
    }

    static Summary summary(Optional<Table> continuity) {
        return Summary.of(LocalDate.of(2026, 3, 1), RelapseSettings.defaults(), 11, List.of(30, 90),
                tables(continuity));
    }

    static String render(Summary summary, ReportHtml.PreviousRun previous) {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("dropout_reasons", List.of("dropped_out", "terminated"));
        settings.put("step_down_days", 14);
        settings.put("relapse", RelapseSettings.defaults().asMap());
        return ReportHtml.render(new ReportHtml.Input(summary, tables(Optional.empty()), settings, previous, "test"));
    }

    @Test
    void summaryJsonHasFixedKeysRoundedNumbersAndEmptySuppressedCells() throws Exception {
        String json = ReportStage.summaryJson(summary(Optional.empty()));
        JsonNode node = new ObjectMapper().readTree(json);
        assertEquals(List.of("schema_version", "run_date", "band", "suppression_threshold", "retention_horizons_days",
                "continuity_present", "overall", "programs", "data_quality"), fieldNames(node));
        assertEquals(4, node.get("schema_version").asInt());
        // 0.123456789012345 to 10 significant digits, written plainly.
        assertTrue(json.contains("\"estimate\" : 0.1234567890") || json.contains("\"estimate\" : 0.123456789"), json);
        assertEquals(0.123456789, node.at("/overall/completion_rate/estimate").asDouble(), 0);
        assertEquals(0.4, node.at("/band/lower").asDouble());
        assertEquals(365, node.at("/band/horizon_days").asInt());
        assertEquals(120, node.at("/overall/episodes").asLong());
        assertEquals("within_band", node.at("/overall/relapse/verdict").asText());
        assertEquals(0.6, node.at("/overall/retention/1/in_care/estimate").asDouble(), 1e-12);
        assertEquals(0.2, node.at("/overall/retention/1/dropout/estimate").asDouble(), 1e-12);
        assertEquals(0.1, node.at("/overall/retention/1/completion/estimate").asDouble(), 1e-12);
        assertEquals(0.1, node.at("/overall/retention/1/other_discharge/estimate").asDouble(), 1e-12);
        assertTrue(node.at("/overall/continuity").isNull(), "no continuity table: null");
        assertFalse(node.get("continuity_present").asBoolean());
        // Programs sorted by id; the suppressed one is null, flagged, never 0.
        assertEquals(List.of(ODD, "tiny"), node.get("programs").findValuesAsText("program_id"));
        JsonNode tiny = node.at("/programs/1");
        assertTrue(tiny.get("suppressed").asBoolean());
        assertTrue(tiny.get("episodes").isNull());
        assertTrue(tiny.at("/completion_rate/estimate").isNull());
        assertTrue(tiny.get("higher_level_discharges").isNull());
        assertTrue(tiny.at("/step_down_continuity/estimate").isNull());
        assertEquals(24, node.at("/overall/higher_level_discharges").asLong());
        assertEquals(18, node.at("/overall/followed_by_lower_level").asLong());
        assertEquals(0.75, node.at("/overall/step_down_continuity/estimate").asDouble(), 0);
        assertEquals(0.88, node.at("/overall/step_down_continuity/upper").asDouble(), 0);
        assertTrue(tiny.at("/relapse/cumulative_incidence/estimate").isNull());
        assertTrue(tiny.at("/relapse/verdict").isNull());
        assertEquals(2, node.at("/data_quality/quarantined").asLong());
        assertEquals(2, node.at("/data_quality/quarantined_by_reason/bad_date").asLong());
        // Same tables, same bytes.
        assertEquals(json, ReportStage.summaryJson(summary(Optional.empty())));
    }

    @Test
    void continuityHeadlineIsTheAdjustedHazardRatioAtTheBandHorizon() throws Exception {
        Table continuity = table("continuity_effect", List.of(
                row("stratum", "overall", "stratum_value", "overall", "exposure", "continuing_care_14d",
                        "horizon_days", 365L, "estimable", true, "adjusted_hr", 0.61234567891234,
                        "adjusted_hr_lower", 0.5, "adjusted_hr_upper", 0.75, "adjusted_hr_p", 1.5e-7,
                        "hr_model_n", 100L, "hr_model_events", 40L, "note", null, "suppressed", false),
                row("stratum", "overall", "stratum_value", "overall", "exposure", "continuing_care_14d",
                        "horizon_days", 90L, "estimable", true, "adjusted_hr", 0.9, "adjusted_hr_lower", 0.8,
                        "adjusted_hr_upper", 1.1, "adjusted_hr_p", 0.3, "hr_model_n", 100L, "hr_model_events", 20L,
                        "note", null, "suppressed", false)));
        JsonNode node = new ObjectMapper().readTree(ReportStage.summaryJson(summary(Optional.of(continuity))));
        assertTrue(node.get("continuity_present").asBoolean());
        JsonNode c = node.at("/overall/continuity");
        assertEquals(1, c.size());
        assertEquals("continuing_care_14d", c.at("/0/exposure").asText());
        assertEquals(0.6123456789, c.at("/0/adjusted_hr/estimate").asDouble(), 0);
        // a p-value below 0.001 is never published as its value: the limit, flagged
        assertEquals(0.001, c.at("/0/adjusted_hr_p").asDouble(), 0);
        assertTrue(c.at("/0/adjusted_hr_p_below_0_001").asBoolean());
        // the internal summary states it in full
        JsonNode internal = new ObjectMapper().readTree(ReportStage.summaryJson(Summary.of(LocalDate.of(2026, 3, 1),
                RelapseSettings.defaults(), 1, List.of(30, 90), tables(Optional.of(continuity)),
                Summary.Precision.FULL)));
        assertEquals(1.5e-7, internal.at("/overall/continuity/0/adjusted_hr_p").asDouble(), 0);
        assertTrue(internal.at("/overall/continuity/0/adjusted_hr_p_below_0_001").asBoolean());
        assertEquals(0, node.at("/programs/0/continuity").size());
    }

    @Test
    void pageEscapesTextShowsSuppressionAndHoldsNoAddress() {
        String html = render(summary(Optional.empty()), new ReportHtml.PreviousRun(null, null, "No earlier run."));
        assertFalse(html.contains(ODD), "raw program id on the page");
        assertTrue(html.contains("p&lt;b&gt;&amp;&quot;x&#39;"));
        assertTrue(html.contains(">suppressed<"));
        // one label for every hidden figure: whether it is small or protects another must not be readable
        assertFalse(html.contains("suppressed (&lt;"), "a label that tells small cells from complements");
        assertTrue(html.contains("within the 40-60% band"));
        assertTrue(html.contains("below the 40-60% band"));
        assertTrue(html.contains("Relapsed within 365 days after discharge, deaths counted apart"));
        assertTrue(html.contains("12.3% (10.0-20.0)"), "completion rate with its CI");
        assertTrue(html.contains("Not computed in this run: the run wrote no continuity_effect table."));
        for (String forbidden : List.of("http:", "https:", "src=", "url(", "@import", "<script", "<img")) {
            assertFalse(html.contains(forbidden), forbidden);
        }
        // The tiny program's row: no number made up for hidden cells.
        int at = html.indexOf("<th scope=\"row\">tiny</th>");
        String tinyRow = html.substring(at, html.indexOf("</tr>", at));
        assertFalse(tinyRow.contains(">0<") || tinyRow.contains("0.0%"), tinyRow);
        assertTrue(tinyRow.contains(">suppressed<"), tinyRow);
    }

    /**
     * Issue 14: beside each verdict, the follow-up completeness, the worst case with its CI and whether the verdict
     * holds in it; where it does not, what the worst case would say. A hidden row says "suppressed", not a made-up
     * "no"; a row not judged for too little follow-up says so.
     */
    /**
     * Issue 14, point 5: initiation measured from the IOP admission is at its ceiling by construction (444 of 444 on
     * the sample data), so the page shows it nowhere, let alone as a headline.
     */
    @Test
    void initiationIsNoHeadline() {
        String html = render(summary(Optional.empty()), new ReportHtml.PreviousRun(null, null, "No earlier run."));
        assertFalse(html.toLowerCase(java.util.Locale.ROOT).contains("initiat"), "initiation on the page");
    }

    @Test
    void theStepDownContinuityIsShownPerProgramWithItsWindow() {
        String html = render(summary(Optional.empty()), new ReportHtml.PreviousRun(null, null, "No earlier run."));
        assertTrue(html.contains("<th>followed by a lower level of care within 14 days</th>"), html);
        assertTrue(html.contains("<td>24</td><td>18</td><td>75.0% (55.0-88.0)</td>"), html);
    }

    @Test
    void eachVerdictStandsBesideItsFollowUpAndWorstCase() {
        String html = render(summary(Optional.empty()), new ReportHtml.PreviousRun(null, null, "No earlier run."));
        // the overall row: within the band (CI 47-57%), worst case 66-82%: the verdict does not hold
        assertTrue(html.contains("<td>within the 40-60% band; followed up: 58.3%; would change if everyone lost to "
                + "follow-up relapsed</td>"), html);
        assertTrue(html.contains("<td>within the 40-60% band</td><td>58.3%</td><td>75.0% (66.0-82.0)</td><td>no: it "
                + "would be above the 40-60% band (more relapses than the usual range)</td>"), html);
        // the headline card says it too
        assertTrue(html.contains("95% CI; within the 40-60% band; followed up: 58.3%; would change"), html);
        // the tiny program: hidden
        int at = html.indexOf("<th scope=\"row\">tiny</th>", html.indexOf("id=\"band\""));
        String tinyRow = html.substring(at, html.indexOf("</tr>", at));
        assertTrue(tinyRow.contains("<td>suppressed</td><td>suppressed</td><td>suppressed</td>"), tinyRow);
        assertTrue(html.contains("under 0.025"), "the p-values' agreement with the verdict is stated");

        // above the band, and so is the whole worst case: it holds
        Map<String, Object> above = new LinkedHashMap<>(relapse("overall", "overall", 100L, 0.7, "above_band",
                false));
        above.put("verdict_robust_to_loss", true);
        PublishedTables holds = new PublishedTables(tables(Optional.empty()).retentionSummary(),
                tables(Optional.empty()).retentionCurve(), table("relapse_summary", List.of(above)),
                tables(Optional.empty()).relapseCurve(), tables(Optional.empty()).dataQuality(), Optional.empty(),
                Optional.empty());
        String holdsPage = ReportHtml.render(new ReportHtml.Input(Summary.of(LocalDate.of(2026, 3, 1),
                RelapseSettings.defaults(), 11, List.of(30, 90), holds), holds, Map.of(),
                new ReportHtml.PreviousRun(null, null, "No earlier run."), "test"));
        assertTrue(holdsPage.contains("<td>above the 40-60% band (more relapses than the usual range)</td><td>58.3%</td>"
                + "<td>75.0% (66.0-82.0)</td><td>yes</td>"), holdsPage);
        assertTrue(holdsPage.contains("above the 40-60% band (more relapses than the usual range); followed up: 58.3%; "
                + "holds even if everyone lost to follow-up relapsed"), holdsPage);

        // not judged for too little follow-up: no answer to "does it hold"
        Map<String, Object> insufficient = new LinkedHashMap<>(relapse("overall", "overall", 100L, null,
                "insufficient_follow_up", false));
        insufficient.put("estimable", false);
        insufficient.put("followup_completeness", 0.3);
        insufficient.put("verdict_robust_to_loss", null);
        PublishedTables base = tables(Optional.empty());
        PublishedTables published = new PublishedTables(base.retentionSummary(), base.retentionCurve(),
                table("relapse_summary", List.of(insufficient)), base.relapseCurve(), base.dataQuality(),
                Optional.empty(), Optional.empty());
        String page = ReportHtml.render(new ReportHtml.Input(Summary.of(LocalDate.of(2026, 3, 1),
                RelapseSettings.defaults(), 11, List.of(30, 90), published), published, Map.of(),
                new ReportHtml.PreviousRun(null, null, "No earlier run."), "test"));
        assertTrue(page.contains("<td>not enough follow-up to judge</td><td>30.0%</td><td>75.0% (66.0-82.0)</td>"
                + "<td>not judged</td>"), page);
        assertTrue(page.contains("<td>not enough follow-up to judge; followed up: 30.0%</td>"), page);
    }

    @Test
    void continuityAndDoseResponseAreShownWhenTheRunWroteThem() {
        Table continuity = table("continuity_effect", List.of(
                row("stratum", "overall", "stratum_value", "overall", "exposure", "continuing_care_14d",
                        "horizon_days", 365L, "landmark_days", 14L, "exposed_n", 60L, "exposed_relapses", 20L,
                        "unexposed_n", 50L, "unexposed_relapses", 30L, "exposed_cumulative_incidence", 0.35,
                        "exposed_ci_lower", 0.25, "exposed_ci_upper", 0.45, "unexposed_cumulative_incidence", 0.6,
                        "unexposed_ci_lower", 0.5, "unexposed_ci_upper", 0.7, "risk_difference", -0.25,
                        "risk_difference_lower", -0.4, "risk_difference_upper", -0.1, "risk_ratio", 0.58,
                        "risk_ratio_lower", 0.4, "risk_ratio_upper", 0.85, "odds_ratio", 0.36, "odds_ratio_lower",
                        0.2, "odds_ratio_upper", 0.7, "adjusted_hr", 0.61, "adjusted_hr_lower", 0.45,
                        "adjusted_hr_upper", 0.83, "adjusted_hr_p", 0.0021, "hr_model_n", 108L, "hr_model_events",
                        49L, "covariates_used", "age_band, sex", "covariates_left_out", "moud (missing in 80%)",
                        "rows_left_out_missing", 2L, "estimable", true, "note", null, "suppressed", false),
                row("stratum", "program_id", "stratum_value", "tiny", "exposure", "continuing_care_14d",
                        "horizon_days", 365L, "landmark_days", 14L, "exposed_n", null, "exposed_relapses", null,
                        "unexposed_n", null, "unexposed_relapses", null, "estimable", false,
                        "note", "fewer than 10 relapses per group", "suppressed", true)));
        Table dose = table("dose_response", List.of(
                row("stratum", "overall", "stratum_value", "overall", "dimension", "attendance_rate_quartile",
                        "level", "Q1 (0.00-0.52]", "level_order", 1L, "horizon_days", 365L, "episodes", 30L,
                        "relapses", 18L, "cumulative_incidence", 0.62, "ci_lower", 0.45, "ci_upper", 0.77,
                        "trend_p", 0.004, "suppressed", false),
                row("stratum", "overall", "stratum_value", "overall", "dimension", "attendance_rate_quartile",
                        "level", "Q2 (0.52-0.70]", "level_order", 2L, "horizon_days", 365L, "episodes", null,
                        "relapses", null, "cumulative_incidence", null, "ci_lower", null, "ci_upper", null,
                        "trend_p", 0.004, "suppressed", true)));
        PublishedTables base = tables(Optional.empty());
        PublishedTables withBoth = new PublishedTables(base.retentionSummary(), base.retentionCurve(),
                base.relapseSummary(), base.relapseCurve(), base.dataQuality(), Optional.of(continuity),
                Optional.of(dose));
        Summary summary = Summary.of(LocalDate.of(2026, 3, 1), RelapseSettings.defaults(), 11, List.of(30, 90),
                withBoth);
        String html = ReportHtml.render(new ReportHtml.Input(summary, withBoth, Map.of(),
                new ReportHtml.PreviousRun(null, null, "No earlier run."), "test"));
        assertTrue(html.contains("<td>60, 20, 35.0% (25.0-45.0)</td><td>50, 30, 60.0% (50.0-70.0)</td>"), html);
        assertTrue(html.contains("<td>-25.0 points (-40.0 to -10.0)</td><td>0.58 (0.40-0.85)</td>"
                + "<td>0.36 (0.20-0.70)</td><td>0.61 (0.45-0.83), p 0.0021</td><td>108 / 49</td>"));
        assertTrue(html.contains("covariates: age_band, sex; left out: moud (missing in 80%); 2 episodes left out"));
        assertTrue(html.contains("365 (from day 14)"));
        assertTrue(html.contains("not estimable; fewer than 10 relapses per group; suppressed where shown"));
        assertTrue(html.contains("attendance rate quartile: relapse within 365 days after discharge (trend p 0.004)"));
        assertTrue(html.contains("<td>Q2 (0.52-0.70]</td><td>365</td><td>suppressed</td>"), html);
        assertFalse(html.contains("Not computed in this run"));
    }

    /**
     * Issue 13: published p- and q-values at 2 significant digits, and "p < 0.001" where the published table flags
     * one below 0.001 (its value column then holds the limit 0.001); the internal page prints the full values.
     */
    @Test
    void publishedPValuesHaveTwoDigitsAndReadPBelowTheLimitFromTheirFlag() throws Exception {
        Map<String, Object> overall = new LinkedHashMap<>(relapse("overall", "overall", 100L, 0.52, "within_band",
                false));
        overall.put("p_below_band", 0.001);
        overall.put("p_below_band_below_0_001", true);
        overall.put("p_above_band", 0.046);
        overall.put("p_above_band_below_0_001", false);
        overall.put("q_below_band", 0.001);
        overall.put("q_below_band_below_0_001", false);
        overall.put("q_above_band", 0.23456);
        overall.put("q_above_band_below_0_001", false);
        PublishedTables base = tables(Optional.empty());
        Table relapse = table("relapse_summary", List.of(overall));
        Table dose = table("dose_response", List.of(
                row("stratum", "overall", "stratum_value", "overall", "dimension", "attendance_rate_quartile",
                        "level", "Q1 (0.00-0.52]", "level_order", 1L, "horizon_days", 365L, "episodes", 30L,
                        "relapses", 18L, "cumulative_incidence", 0.62, "ci_lower", 0.45, "ci_upper", 0.77,
                        "trend_p", 0.001, "trend_p_below_0_001", true, "suppressed", false)));
        PublishedTables published = new PublishedTables(base.retentionSummary(), base.retentionCurve(), relapse,
                base.relapseCurve(), base.dataQuality(), Optional.empty(), Optional.of(dose));
        Summary summary = Summary.of(LocalDate.of(2026, 3, 1), RelapseSettings.defaults(), 11, List.of(30, 90),
                published);
        JsonNode r = new ObjectMapper().readTree(ReportStage.summaryJson(summary)).at("/overall/relapse");
        assertEquals(List.of("horizon_days", "episodes", "at_risk", "relapses", "cumulative_incidence",
                "death_incidence", "interval_censored_incidence", "estimable", "verdict", "p_below_band",
                "p_below_band_below_0_001", "p_above_band", "p_above_band_below_0_001",
                "q_below_band", "q_below_band_below_0_001", "q_above_band", "q_above_band_below_0_001",
                "followup_completeness", "worst_case", "verdict_robust_to_loss", "suppressed"), fieldNames(r));
        assertEquals(0.583333333, r.get("followup_completeness").asDouble(), 0);
        assertEquals(0.75, r.at("/worst_case/estimate").asDouble(), 0);
        assertEquals(0.66, r.at("/worst_case/lower").asDouble(), 0);
        assertEquals(0.82, r.at("/worst_case/upper").asDouble(), 0);
        assertFalse(r.get("verdict_robust_to_loss").asBoolean());
        assertEquals(0.001, r.get("p_below_band").asDouble(), 0);
        assertTrue(r.get("p_below_band_below_0_001").asBoolean());
        assertEquals(0.001, r.get("q_below_band").asDouble(), 0);
        assertFalse(r.get("q_below_band_below_0_001").asBoolean());
        assertEquals(0.046, r.get("p_above_band").asDouble(), 0);
        assertEquals(0.23, r.get("q_above_band").asDouble(), 0, "a table value with more digits is rounded too");

        String html = ReportHtml.render(new ReportHtml.Input(summary, published, Map.of(),
                new ReportHtml.PreviousRun(null, null, "No earlier run."), "test"));
        assertTrue(html.contains("<td>within the 40-60% band</td><td>58.3%</td><td>75.0% (66.0-82.0)</td><td>no: it "
                + "would be above the 40-60% band (more relapses than the usual range)</td>"
                + "<td>&lt; 0.001</td><td>0.001</td><td>0.046</td><td>0.23</td></tr>"), html);
        assertTrue(html.contains("relapse within 365 days after discharge (trend p &lt; 0.001)"), html);
        assertTrue(html.contains("<td>Q1 (0.00-0.52]</td><td>365</td><td>30</td><td>18</td><td>62.0% (45.0-77.0)</td>"
                + "<td>&lt; 0.001</td></tr>"), html);
        assertTrue(html.contains("rounded to 2 significant digits"));

        // The internal page prints the full values of the unsuppressed tables as before.
        Map<String, Object> full = new LinkedHashMap<>(relapse("overall", "overall", 100L, 0.52, "within_band",
                false));
        full.put("p_below_band", 0.00049);
        full.put("p_above_band", 0.04567);
        PublishedTables unsuppressed = new PublishedTables(base.retentionSummary(), base.retentionCurve(),
                table("relapse_summary", List.of(full)), base.relapseCurve(), base.dataQuality(), Optional.empty(),
                Optional.empty());
        String internal = ReportHtml.render(new ReportHtml.Input(Summary.of(LocalDate.of(2026, 3, 1),
                RelapseSettings.defaults(), 1, List.of(30, 90), unsuppressed, Summary.Precision.FULL), unsuppressed,
                Map.of(), new ReportHtml.PreviousRun(null, null, "No earlier run."), "test",
                new ReportHtml.Internal(new OverdoseEpisodes(List.of(), 0, 500))));
        assertTrue(internal.contains("<td>&lt;0.001</td><td>0.500</td><td>0.046</td><td>0.500</td></tr>"), internal);
        assertFalse(internal.contains("rounded to 2 significant digits"));
        // The same tables on the published page: never the value of a p below 0.001.
        String publishedPage = ReportHtml.render(new ReportHtml.Input(Summary.of(LocalDate.of(2026, 3, 1),
                RelapseSettings.defaults(), 11, List.of(30, 90), unsuppressed), unsuppressed, Map.of(),
                new ReportHtml.PreviousRun(null, null, "No earlier run."), "test"));
        assertTrue(publishedPage.contains("<td>&lt; 0.001</td><td>0.5</td><td>0.046</td><td>0.5</td></tr>"),
                publishedPage);
    }

    /**
     * One sentence under the band table gives Gray's test across the programs, for relapse and for death before
     * relapse, as the published relapse_summary gives it on the programs' verdict rows: 2 significant digits, "p &lt;
     * 0.001" from the flag column; "not computed" where the table leaves it empty (fewer than two programs shown).
     */
    @Test
    void bandSectionGivesGraysTestAcrossProgramsFromThePublishedTable() {
        PublishedTables base = tables(Optional.empty());
        Map<String, Object> odd = new LinkedHashMap<>(relapse("program_id", ODD, 92L, 0.3, "below_band", false));
        Map<String, Object> other = new LinkedHashMap<>(relapse("program_id", "prog-b", 95L, 0.5, "within_band",
                false));
        for (Map<String, Object> row : List.of(odd, other)) {
            row.put(RelapseSummary.GRAY_P_RELAPSE, 0.001);
            row.put(RelapseSummary.GRAY_P_RELAPSE + "_below_0_001", true);
            row.put(RelapseSummary.GRAY_P_DEATH, 0.41);
            row.put(RelapseSummary.GRAY_P_DEATH + "_below_0_001", false);
        }
        Table relapse = table("relapse_summary", List.of(relapse("overall", "overall", 187L, 0.4, "within_band",
                false), odd, other, relapse("program_id", "tiny", null, null, null, true)));
        PublishedTables published = new PublishedTables(base.retentionSummary(), base.retentionCurve(), relapse,
                base.relapseCurve(), base.dataQuality(), Optional.empty(), Optional.empty());
        String html = ReportHtml.render(new ReportHtml.Input(Summary.of(LocalDate.of(2026, 3, 1),
                RelapseSettings.defaults(), 11, List.of(30, 90), published), published, Map.of(),
                new ReportHtml.PreviousRun(null, null, "No earlier run."), "test"));
        assertTrue(html.contains("</table><p class=\"note\">Gray&#39;s test of equal cumulative incidence across the "
                + "programs, comparing the whole curves after discharge (not one day), among the programs whose "
                + "curves are shown: relapse p &lt; 0.001, died before relapse p = 0.41.</p>"), html);

        // the tables of the other tests leave it empty: one program shown
        String none = render(summary(Optional.empty()), new ReportHtml.PreviousRun(null, null, "No earlier run."));
        assertTrue(none.contains("Gray&#39;s test of equal cumulative incidence across the programs, comparing the "
                + "whole curves after discharge (not one day): not computed (fewer than two programs whose curves "
                + "are shown).</p>"), none);
    }

    /** The overdose section of a page: from its heading to the end of its table. */
    static String overdoseSection(String html) {
        int at = html.indexOf("Overdose after abstinence, and follow-up calls</h2>");
        assertTrue(at >= 0, "no overdose section");
        return html.substring(at, html.indexOf("</table>", at));
    }

    /**
     * Issue 13: the published page shows the safety count when it reaches the threshold, else "fewer than T (may be
     * 0)" with the run's threshold, and no flag; the internal page keeps its flag column.
     */
    @Test
    void theSafetyCountIsANumberOrFewerThanTheThresholdAndNeverAFlag() {
        PublishedTables base = tables(Optional.empty());
        Map<String, Object> overall = new LinkedHashMap<>(relapse("overall", "overall", 100L, 0.52, "within_band",
                false));
        overall.put("overdoses_after_abstinence", 7L);
        overall.remove("overdose_after_abstinence_flag");
        Map<String, Object> hidden = new LinkedHashMap<>(relapse("program_id", "prog-h", 92L, 0.3, "below_band",
                true));
        hidden.put("overdoses_after_abstinence", null);
        hidden.remove("overdose_after_abstinence_flag");
        PublishedTables tables = new PublishedTables(base.retentionSummary(), base.retentionCurve(),
                table("relapse_summary", List.of(overall, hidden)), base.relapseCurve(), base.dataQuality(),
                Optional.empty(), Optional.empty());
        String page = ReportHtml.render(new ReportHtml.Input(Summary.of(LocalDate.of(2026, 3, 1),
                RelapseSettings.defaults(), 5, List.of(30, 90), tables), tables, Map.of(),
                new ReportHtml.PreviousRun(null, null, "No earlier run."), "test"));
        String section = overdoseSection(page);
        // 7 reaches the threshold 5: shown; the hidden one reads with the run's threshold, not 11
        assertTrue(section.contains("<th scope=\"row\">all programs</th><td>12</td><td>7</td>"), section);
        assertTrue(section.contains("<th scope=\"row\">prog-h</th><td>12</td><td>fewer than 5 (may be 0)</td>"),
                section);
        assertFalse(section.contains("fewer than 11"), section);
        assertFalse(section.contains("<th>flag</th>"), section);
        assertFalse(section.contains("FLAG"), section);
        assertFalse(section.contains(">none<"), section);

        // the internal page keeps the flag column
        Map<String, Object> flagged = new LinkedHashMap<>(relapse("overall", "overall", 100L, 0.52, "within_band",
                false));
        flagged.put("overdoses_after_abstinence", 3L);
        flagged.put("overdose_after_abstinence_flag", true);
        PublishedTables unsuppressed = new PublishedTables(base.retentionSummary(), base.retentionCurve(),
                table("relapse_summary", List.of(flagged)), base.relapseCurve(), base.dataQuality(), Optional.empty(),
                Optional.empty());
        String internal = overdoseSection(ReportHtml.render(new ReportHtml.Input(Summary.of(LocalDate.of(2026, 3, 1),
                RelapseSettings.defaults(), 1, List.of(30, 90), unsuppressed, Summary.Precision.FULL), unsuppressed,
                Map.of(), new ReportHtml.PreviousRun(null, null, "No earlier run."), "test",
                new ReportHtml.Internal(new OverdoseEpisodes(List.of(), 0, 500)))));
        assertTrue(internal.contains("<th>flag</th>"), internal);
        assertTrue(internal.contains("<td>3</td>"), internal);
        assertTrue(internal.contains("FLAG: overdose after abstinence"), internal);
        assertFalse(internal.contains("may be 0"), internal);
    }

    @Test
    void changeSectionComparesWithThePreviousSummary() throws Exception {
        Summary now = summary(Optional.empty());
        ObjectMapper mapper = new ObjectMapper();
        JsonNode old = mapper.readTree(ReportStage.summaryJson(now).replace("\"episodes\" : 120", "\"episodes\" : 100")
                .replace("\"verdict\" : \"within_band\"", "\"verdict\" : \"above_band\""));
        String html = render(now, new ReportHtml.PreviousRun("2026-02-01", old, "Compared with 2026-02-01."));
        assertTrue(html.contains("previous run (2026-02-01)"));
        assertTrue(html.contains("<td>episodes</td><td>100</td><td>120</td><td>+20</td>"), html);
        assertTrue(html.contains("<td>above the 40-60% band (more relapses than the usual range)</td>"
                + "<td>within the 40-60% band</td><td>changed</td>"));
        assertTrue(html.contains("<td>still in treatment at 90 days</td><td>60.0%</td><td>60.0%</td>"
                + "<td>+0.0 points</td>"), html);
    }

    @Test
    void previousRunIsTheLatestCommittedDateBeforeThisOne() throws Exception {
        Path root = tmp.resolve("published");
        String json = ReportStage.summaryJson(summary(Optional.empty()));
        for (String dir : List.of("run_date=2026-01-01", "run_date=2026-02-01", "run_date=2026-03-01",
                ".run_date=2026-02-10.staging-x")) {
            Files.createDirectories(root.resolve(dir));
            Files.writeString(root.resolve(dir).resolve("summary.json"), json);
        }
        Configuration conf = new Configuration();
        org.apache.hadoop.fs.Path hadoopRoot = new org.apache.hadoop.fs.Path(root.toUri());
        ReportHtml.PreviousRun p = ReportStage.previousRun(conf, hadoopRoot, LocalDate.of(2026, 2, 15));
        assertEquals("2026-02-01", p.runDate());
        assertEquals(120, p.summary().at("/overall/episodes").asLong());
        // A rerun of 2026-03-01 compares with 2026-02-01, not with itself.
        assertEquals("2026-02-01", ReportStage.previousRun(conf, hadoopRoot, LocalDate.of(2026, 3, 1)).runDate());
        ReportHtml.PreviousRun none = ReportStage.previousRun(conf, hadoopRoot, LocalDate.of(2026, 1, 1));
        assertNull(none.summary());
        assertTrue(none.note().startsWith("No earlier run"), none.note());
        Files.delete(root.resolve("run_date=2026-02-01/summary.json"));
        ReportHtml.PreviousRun old = ReportStage.previousRun(conf, hadoopRoot, LocalDate.of(2026, 2, 15));
        assertNull(old.summary());
        assertTrue(old.note().contains("has no summary.json"), old.note());
    }

    @Test
    void numbersRoundToTenSignificantDigits() {
        assertEquals(0.1234567890, Numbers.round10(0.12345678901234), 0);
        assertEquals(123456.7890, Numbers.round10(123456.78901234), 0);
        assertEquals("1234567891", Numbers.json(1234567890.6).toPlainString());
        assertEquals("0.4", Numbers.json(0.4).toPlainString());
        assertEquals("40-60%", ReportHtml.bandText(0.4, 0.6));
        assertEquals("42.5-60%", ReportHtml.bandText(0.425, 0.6));
        assertNull(Numbers.round10(Double.NaN));
    }

    static String renderInternal(OverdoseEpisodes events) {
        Summary summary = Summary.of(LocalDate.of(2026, 3, 1), RelapseSettings.defaults(), 1, List.of(30, 90),
                tables(Optional.empty()));
        return ReportHtml.render(new ReportHtml.Input(summary, tables(Optional.empty()), Map.of(),
                new ReportHtml.PreviousRun(null, null, "No earlier run."), "test", new ReportHtml.Internal(events)));
    }

    static OverdoseEpisodes.Event event(String episode, String participant, String program, String relapse,
                                        String overdose) {
        return new OverdoseEpisodes.Event(episode, participant, program, LocalDate.parse(relapse),
                LocalDate.parse(overdose));
    }

    @Test
    void internalPageSaysWhoMayReadItAndListsTheOverdoseEpisodes() {
        String html = renderInternal(new OverdoseEpisodes(List.of(
                event("P7-2", "P7", ODD, "2026-02-10", "2026-02-10"),
                event("P3-1", "P3", "prog-a", "2025-11-02", "2025-11-20")), 2, 500));
        assertTrue(html.contains("<title>IOP program outcomes, internal page (small counts not suppressed), data cut "
                + "2026-03-01</title>"), html.substring(0, 400));
        assertTrue(html.contains("<h1>IOP program outcomes: internal page, small counts not suppressed</h1>"));
        assertTrue(html.contains("staff of the program with access to the restricted tree only"));
        assertTrue(html.contains("42 CFR Part 2"));
        assertTrue(html.contains("<a href=\"#followup\">"));
        assertTrue(html.contains("<h2>Overdose after abstinence: episodes for clinical follow-up</h2>"));
        // one row per event, text escaped, the latest relapse first as given
        assertTrue(html.contains("<tr><th scope=\"row\">P7-2</th><td>P7</td><td>p&lt;b&gt;&amp;&quot;x&#39;</td>"
                + "<td>2026-02-10</td><td>2026-02-10</td></tr><tr><th scope=\"row\">P3-1</th><td>P3</td>"
                + "<td>prog-a</td><td>2025-11-02</td><td>2025-11-20</td></tr>"), html);
        assertTrue(html.contains("2 events in all."));
        assertFalse(html.contains(ODD), "raw text on the page");
        assertFalse(html.contains("None recorded"));
        assertFalse(html.contains("The list is cut"));
        // the published page's texts do not belong here
        assertFalse(html.contains("suppressed (&lt;"), "nothing is suppressed on the internal page");
        assertFalse(html.contains("internal version of this page"), "the pointer to itself");
        assertFalse(html.contains("Small-cell suppression"));
        assertTrue(html.contains("A curve runs as long as anyone remains at risk"));
        for (String forbidden : List.of("http:", "https:", "src=", "url(", "@import", "<script", "<img")) {
            assertFalse(html.contains(forbidden), forbidden);
        }
    }

    @Test
    void internalPageSaysNoneRecordedInWordsWhenThereIsNoEvent() {
        String html = renderInternal(new OverdoseEpisodes(List.of(), 0, 500));
        assertTrue(html.contains("<h2>Overdose after abstinence: episodes for clinical follow-up</h2>"));
        assertTrue(html.contains("None recorded: no relapse after abstinence was followed by an overdose"), html);
        assertFalse(html.contains("<table class=\"data followup\">"));
    }

    @Test
    void aCappedListSaysItIsCutAndHowManyThereWere() {
        OverdoseEpisodes capped = new OverdoseEpisodes(List.of(event("a-1", "a", "prog-a", "2026-02-01",
                "2026-02-03"), event("b-1", "b", "prog-b", "2026-01-01", "2026-01-02")), 1234, 2);
        assertTrue(capped.capped());
        String html = renderInternal(capped);
        assertTrue(html.contains("The list is cut at 2 rows: it shows the 2 latest of 1,234 events."), html);
        assertTrue(html.contains("1,234 events in all."));
        assertFalse(new OverdoseEpisodes(List.of(), 0, 2).capped());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new OverdoseEpisodes(List.of(event("a-1", "a", "p", "2026-02-01", "2026-02-03")), 1, 0));
    }

    /** The published estimates come from counts pooled between the grid's days (issue 13); the page says so. */
    @Test
    void publishedPageSaysItsCurvesAndEstimatesArePooledAndTheInternalPageDoesNot() {
        String published = render(summary(Optional.empty()), new ReportHtml.PreviousRun(null, null, "No earlier run."));
        String note = "Published curves and the estimates read from them are computed from counts pooled between the "
                + "published days (each interval holds none or enough of every kind of event that no single day&#39;s "
                + "count can be read back), as a life table: within a long interval, events and ends of follow-up are "
                + "assumed to fall as they do overall. They may differ slightly from the daily estimates on the "
                + "internal page.";
        // under the programs' table and under the retention curves
        assertEquals(2, published.split(java.util.regex.Pattern.quote(note), -1).length - 1, published.substring(0, 3000));
        assertTrue(published.contains("by days since admission (Aalen-Johansen), at the published days only;"));
        String internal = renderInternal(new OverdoseEpisodes(List.of(), 0, 500));
        assertFalse(internal.contains("pooled between the published days"));
        assertTrue(internal.contains("by days since admission (Aalen-Johansen), on a weekly grid;"));
    }

    @Test
    void publishedPageSaysWhereTheInternalPageIsWithNoCount() {
        String html = render(summary(Optional.empty()), new ReportHtml.PreviousRun(null, null, "No earlier run."));
        String sentence = "For staff of the program with access to the restricted tree: the internal version of this "
                + "page, with small counts not suppressed and the overdose-after-abstinence episodes listed for "
                + "clinical follow-up, is restricted/run_date=2026-03-01/report_internal.html under this run&#39;s "
                + "output folder.";
        assertTrue(html.contains("<p class=\"sub\">" + sentence + "</p>"), html.substring(0, 3000));
        assertFalse(html.contains("episodes for clinical follow-up</h2>"), "no event list on the published page");
        assertFalse(html.contains("internal page, small counts not suppressed"));
        assertTrue(html.contains("Small-cell suppression"));

        java.time.LocalDate cut = LocalDate.of(2026, 9, 30);
        org.iopoutcomes.pipeline.RunSettings defaults = org.iopoutcomes.pipeline.RunSettings.defaults("in",
                "/data/out/", cut);
        assertEquals("restricted/run_date=2026-09-30/report_internal.html under this run's output folder",
                ReportStage.internalPageLocation(defaults, cut));
        org.iopoutcomes.pipeline.RunSettings vault = new org.iopoutcomes.pipeline.RunSettings(defaults.input(),
                defaults.output(), "/vault/outcomes", null, cut, defaults.maxRejectRate(), defaults.strata(),
                defaults.suppressionThreshold(), defaults.retention(), defaults.relapse(), defaults.continuity(),
                defaults.publicationCadence());
        assertEquals("run_date=2026-09-30/report_internal.html under the restricted output folder (the "
                + "restricted_output setting)", ReportStage.internalPageLocation(vault, cut));
    }

    @Test
    void theInternalPageComparesWithThePreviousRunsInternalSummary() throws Exception {
        Path root = tmp.resolve("restricted");
        Files.createDirectories(root.resolve("run_date=2026-01-01/internal"));
        Configuration conf = new Configuration();
        org.apache.hadoop.fs.Path hadoopRoot = new org.apache.hadoop.fs.Path(root.toUri());
        ReportHtml.PreviousRun missing = ReportStage.previousRun(conf, hadoopRoot, LocalDate.of(2026, 2, 1),
                "internal/summary.json");
        assertNull(missing.summary());
        assertTrue(missing.note().contains("has no internal/summary.json: it was made before the internal page "
                + "existed"), missing.note());
        Files.writeString(root.resolve("run_date=2026-01-01/internal/summary.json"),
                ReportStage.summaryJson(summary(Optional.empty())));
        ReportHtml.PreviousRun found = ReportStage.previousRun(conf, hadoopRoot, LocalDate.of(2026, 2, 1),
                "internal/summary.json");
        assertEquals(120, found.summary().at("/overall/episodes").asLong());
        assertEquals("Compared with the previous run, data cut 2026-01-01 (its internal/summary.json).", found.note());
    }

    static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

}
