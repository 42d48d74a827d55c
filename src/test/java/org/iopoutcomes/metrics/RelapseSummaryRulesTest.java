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
        assertNull(row.getAs("p_below_band_crude"));
        assertNull(row.getAs("verdict_robust_to_loss"), "no verdict to hold");
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

    /**
     * Beside the verdict: the p-values from the discharge clock's Aalen-Johansen estimate (the verdict's own; issue 14:
     * R's multi-state survfit, infinitesimal-jackknife SE, log CI on F; before, Kaplan-Meier with Greenwood's SE and
     * the log CI on S: CI 0.2027-0.4426, p_below 0.1242), the crude binomial ones as a sensitivity, the worst case
     * with its Clopper-Pearson CI and whether the verdict holds under it. In R (survival 3.5-3):
     * <pre>
     * d &lt;- data.frame(time = c(rep(10, 20), rep(400, 40)), status = c(rep(1, 20), rep(0, 40)))
     * s &lt;- summary(survfit(Surv(time, factor(status)) ~ 1, data = d), times = 365)
     * p &lt;- s$pstate[, 2]; se &lt;- s$std.err[, 2]
     * c(p, s$lower[, 2], s$upper[, 2])         # 0.333333333333333315, 0.233061918190855755, 0.476745029705460288
     * pnorm(-(log(0.40) - log(p)) / (se / p))  # p_below_band 0.15899030197776107
     * pnorm(-(log(p) - log(0.60)) / (se / p))  # p_above_band 0.99935779416098935
     * binom.test(20, 50, p = 0.40, alternative = "less")$p.value      # p_below_band_crude 0.56103493204006716
     * binom.test(20, 50, p = 0.60, alternative = "greater")$p.value   # p_above_band_crude 0.99862623830798491
     * binom.test(70, 100)$conf.int                     # worst case 70/100: 0.60018532382019596, 0.78759357951046338
     * </pre>
     * The estimate's CI crosses the lower edge (inconclusive); counting the 50 lost as relapsed puts the whole worst
     * case over the band: not robust to loss. With 5 relapses in 100 (and 20 lost of 120 eligible):
     * <pre>
     * d2 &lt;- data.frame(time = c(rep(10, 5), rep(400, 95)), status = c(rep(1, 5), rep(0, 95)))
     * s &lt;- summary(survfit(Surv(time, factor(status)) ~ 1, data = d2), times = 365)
     * p &lt;- s$pstate[, 2]; se &lt;- s$std.err[, 2]
     * c(s$lower[, 2], s$upper[, 2])            # 0.021278443356751265, 0.117489797448307967
     * pnorm(-(log(0.40) - log(p)) / (se / p))  # p_below_band 9.1854455765653442e-07
     * pnorm(-(log(p) - log(0.60)) / (se / p))  # p_above_band 0.99999999403651574
     * binom.test(25, 120)$conf.int                     # 0.13959154480841604, 0.29199127812056613
     * </pre>
     * below the band, and so is the whole worst case: robust.
     */
    @Test
    void worstCaseAndItsVerdictStandBesideTheVerdict() {
        Row row = verdictRow(List.of(new TimeCounts(10, 20, 0), new TimeCounts(400, 0, 40)),
                new RelapseSummary.CrudeCounts(100, 20, 30));
        assertEquals("inconclusive", row.getAs("verdict"));
        assertEquals(0.333333333333333315, (double) row.getAs("cumulative_incidence"), 1e-15);
        assertEquals(0.233061918190855755, (double) row.getAs("ci_lower"), 1e-14);
        assertEquals(0.476745029705460288, (double) row.getAs("ci_upper"), 1e-14);
        assertEquals(0.15899030197776107, (double) row.getAs("p_below_band"), 0.15899030197776107 * 1e-12);
        assertEquals(0.99935779416098935, (double) row.getAs("p_above_band"), 1e-12);
        assertEquals(0.56103493204006716, (double) row.getAs("p_below_band_crude"), 1e-12);
        assertEquals(0.99862623830798491, (double) row.getAs("p_above_band_crude"), 1e-12);
        assertEquals(0.70, (double) row.getAs("worst_case_proportion"), 1e-15);
        assertEquals(0.60018532382019596, (double) row.getAs("worst_case_lower"), 1e-9);
        assertEquals(0.78759357951046338, (double) row.getAs("worst_case_upper"), 1e-9);
        assertFalse((boolean) row.getAs("verdict_robust_to_loss"));

        Row low = verdictRow(List.of(new TimeCounts(10, 5, 0), new TimeCounts(400, 0, 95)),
                new RelapseSummary.CrudeCounts(120, 5, 95));
        assertEquals("below_band", low.getAs("verdict"));
        assertEquals(0.021278443356751265, (double) low.getAs("ci_lower"), 1e-14);
        assertEquals(0.117489797448307967, (double) low.getAs("ci_upper"), 1e-14);
        assertEquals(9.1854455765653442e-07, (double) low.getAs("p_below_band"), 9.1854455765653442e-07 * 1e-10);
        assertEquals(0.99999999403651574, (double) low.getAs("p_above_band"), 1e-12);
        assertEquals(0.13959154480841604, (double) low.getAs("worst_case_lower"), 1e-9);
        assertEquals(0.29199127812056613, (double) low.getAs("worst_case_upper"), 1e-9);
        assertTrue((boolean) low.getAs("verdict_robust_to_loss"));
        // on a horizon that is not the verdict's: the worst case and its CI, no verdict, no robustness
        Row earlier = RelapseSummary.summaryRows(Map.of(PROGRAM, List.of(new TimeCounts(10, 5, 0),
                        new TimeCounts(400, 0, 95))), Map.of(PROGRAM, Map.of(90, new RelapseSummary.CrudeCounts(120, 5,
                        95))), Map.of(), RelapseSettings.defaults()).stream()
                .filter(r -> (int) r.getAs("horizon_days") == 90).findFirst().orElseThrow();
        assertNull(earlier.getAs("verdict"));
        assertNull(earlier.getAs("verdict_robust_to_loss"));
        assertNull(earlier.getAs("p_below_band_crude"));
        assertEquals(0.13959154480841604, (double) earlier.getAs("worst_case_lower"), 1e-9);
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
