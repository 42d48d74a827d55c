package org.iopoutcomes.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.iopoutcomes.relapse.RelapseDefinition;
import org.iopoutcomes.relapse.RelapseDefinitions;
import org.iopoutcomes.stats.Interval;
import org.iopoutcomes.stats.TimeCounts;
import org.junit.jupiter.api.Test;

/** The driver-side rules of relapse_summary and relapse_curve on hand-made counts (no Spark). */
class RelapseSummaryRulesTest {
    private static final RelapseSummary.Group PROGRAM = new RelapseSummary.Group("program_id", "prog-a",
            RelapseSummary.FIRST_USE, RelapseSummary.CLOCK_DISCHARGE);

    @Test
    void bandVerdictFollowsTheWholeInterval() {
        assertEquals("below_band", RelapseSummary.bandVerdict(new Interval(0.20, 0.399), 0.40, 0.60));
        assertEquals("above_band", RelapseSummary.bandVerdict(new Interval(0.601, 0.80), 0.40, 0.60));
        assertEquals("within_band", RelapseSummary.bandVerdict(new Interval(0.40, 0.60), 0.40, 0.60));
        assertEquals("inconclusive", RelapseSummary.bandVerdict(new Interval(0.35, 0.55), 0.40, 0.60));
        assertEquals("inconclusive", RelapseSummary.bandVerdict(new Interval(0.30, 0.70), 0.40, 0.60));
        assertEquals("inconclusive", RelapseSummary.bandVerdict(new Interval(0.399, 0.40), 0.40, 0.60));
    }

    @Test
    void fewerThanTheThresholdAtRiskMeansInsufficientFollowUp() {
        // 30 episodes: 10 relapse on day 10, 10 censored on day 20, 10 followed to day 400 (10 < 11 at risk at 365)
        List<TimeCounts> counts = List.of(new TimeCounts(10, 10, 0), new TimeCounts(20, 0, 10),
                new TimeCounts(400, 0, 10));
        Row row = verdictRow(counts, new RelapseSummary.CrudeCounts(30, 10, 10));
        assertEquals(10L, (long) row.getAs("at_risk"));
        assertFalse((boolean) row.getAs("estimable"));
        assertEquals("insufficient_follow_up", row.getAs("verdict"));
        assertNull(row.getAs("cumulative_incidence"));
        assertNull(row.getAs("crude_proportion"));
        assertNull(row.getAs("p_below_band"));
        assertEquals(20.0 / 30, (double) row.getAs("worst_case_proportion"), 1e-15);
    }

    @Test
    void completenessUnderTheMinimumMeansInsufficientFollowUp() {
        List<TimeCounts> counts = List.of(new TimeCounts(10, 20, 0), new TimeCounts(400, 0, 40));
        // 100 eligible, 49 with known status: under the 50% minimum
        Row row = verdictRow(counts, new RelapseSummary.CrudeCounts(100, 20, 29));
        assertEquals(0.49, (double) row.getAs("followup_completeness"), 1e-15);
        assertFalse((boolean) row.getAs("estimable"));
        assertEquals("insufficient_follow_up", row.getAs("verdict"));
        Row enough = verdictRow(counts, new RelapseSummary.CrudeCounts(100, 20, 30));
        assertTrue((boolean) enough.getAs("estimable"));
        assertEquals(20.0 / 60, (double) enough.getAs("cumulative_incidence"), 1e-15);
        assertEquals(20.0 / 50, (double) enough.getAs("crude_proportion"), 1e-15);
        assertEquals(70.0 / 100, (double) enough.getAs("worst_case_proportion"), 1e-15);
    }

    @Test
    void curveStopsBeforeTheFirstWeekWithTooFewAtRisk() {
        List<TimeCounts> counts = new ArrayList<>();
        for (int day = 1; day <= 30; day++) {
            counts.add(new TimeCounts(day, 1, 0)); // 30 episodes, one relapse a day
        }
        List<Row> curve = RelapseSummary.curveRows(Map.of(PROGRAM, counts), RelapseSettings.defaults());
        // at risk on day d: 30 - (d - 1); day 14 has 17, day 21 has 10 (< 11): the curve ends at day 14
        assertEquals(List.of(0, 7, 14), curve.stream().map(r -> (int) r.getAs("day")).toList());
        assertEquals(7.0 / 30, (double) curve.get(1).getAs("cumulative_incidence"), 1e-15);
    }

    @Test
    void defaultDefinitionsAreTheBuiltIns() {
        assertEquals(RelapseDefinitions.BUILT_IN.stream().map(RelapseDefinition::name).toList(),
                RelapseSettings.defaults().definitions().stream().map(RelapseDefinition::name).toList());
    }

    private static Row verdictRow(List<TimeCounts> counts, RelapseSummary.CrudeCounts crude) {
        RelapseSettings settings = RelapseSettings.defaults();
        List<Row> rows = RelapseSummary.summaryRows(Map.of(PROGRAM, counts), Map.of(PROGRAM, Map.of(365, crude)),
                Map.of(), settings);
        return rows.stream().filter(r -> (int) r.getAs("horizon_days") == 365).findFirst().orElseThrow();
    }
}
