package org.iopoutcomes.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.iopoutcomes.relapse.RelapseDefinitions;
import org.iopoutcomes.stats.BandTest;
import org.iopoutcomes.stats.BandTestResult;
import org.iopoutcomes.stats.BinomialOneSample;
import org.iopoutcomes.stats.ConfType;
import org.iopoutcomes.stats.IncidenceScale;
import org.iopoutcomes.stats.Interval;
import org.iopoutcomes.stats.Normal;
import org.iopoutcomes.stats.PAdjust;
import org.iopoutcomes.stats.TimeCounts;
import org.junit.jupiter.api.Test;

/**
 * Issue 14, acceptance 4: the band verdict and its p-values agree by construction. The verdict is read from the 95%
 * CI ({@link RelapseSummary#bandVerdict}); the p-values come from the same estimate, standard error and scale
 * ({@link BandTest}); so p_below &lt; 0.025 exactly when the verdict is below the band, p_above &lt; 0.025 exactly
 * when it is above, and both are at least 0.025 when it is within or inconclusive. Checked
 * <ul>
 *   <li>on a grid of estimates, standard errors, bands and every CI scale, and at points placed a relative 1e-9
 *       and 1e-12 of z on either side of each edge (the CI's limit just under and just over it);</li>
 *   <li>on relapse_summary's verdict rows (no Spark: {@link RelapseSummary#summaryRows}) for 400 generated programs
 *       under three bands, where the q-values must also be the Benjamini-Hochberg adjustment of those p-values
 *       across the programs, the crude columns the exact binomial tests, and verdict_robust_to_loss the worst case's
 *       verdict compared with the verdict.</li>
 * </ul>
 * The generated run's rows are checked the same way in {@code PlantedRelapseSummaryTest}.
 */
class VerdictAgreesWithPValuesTest {
    private static final double ALPHA = 0.025;

    @Test
    void onAGridOfEstimatesStandardErrorsBandsAndScales() {
        List<IncidenceScale> scales = new ArrayList<>();
        for (ConfType type : ConfType.values()) {
            scales.add(new IncidenceScale(type, true));
            scales.add(new IncidenceScale(type, false));
        }
        double[][] bands = {{0.40, 0.60}, {0.20, 0.30}, {0.05, 0.95}, {0.50, 0.51}};
        int checked = 0;
        int[] byVerdict = new int[4];
        for (IncidenceScale scale : scales) {
            for (double[] band : bands) {
                for (int i = 0; i <= 200; i++) {
                    double f = i / 200.0;
                    for (double se : new double[] {0, 1e-4, 0.002, 0.01, 0.02, 0.035, 0.05, 0.08, 0.12, 0.2, 0.3}) {
                        String verdict = assertAgree(f, se, scale, band[0], band[1]);
                        checked++;
                        switch (verdict) {
                            case RelapseSummary.BELOW_BAND -> byVerdict[0]++;
                            case RelapseSummary.WITHIN_BAND -> byVerdict[1]++;
                            case RelapseSummary.ABOVE_BAND -> byVerdict[2]++;
                            default -> byVerdict[3]++;
                        }
                    }
                }
            }
        }
        assertEquals(6 * 4 * 201 * 11, checked);
        for (int n : byVerdict) {
            assertTrue(n > 1000, "every verdict is reached often: " + java.util.Arrays.toString(byVerdict));
        }
    }

    /**
     * At each edge, the standard error that puts the CI's limit on the edge, and that standard error moved by a
     * relative 1e-9 and 1e-12 either way: the verdict flips exactly where the p-value crosses 0.025.
     */
    @Test
    void atTheEdgesTheVerdictAndThePValueFlipTogether() {
        int flips = 0;
        for (IncidenceScale scale : List.of(IncidenceScale.LOG_SURVIVAL, IncidenceScale.LOG_INCIDENCE,
                IncidenceScale.PLAIN, new IncidenceScale(ConfType.LOG_LOG, true),
                new IncidenceScale(ConfType.LOG_LOG, false))) {
            double lower = 0.40;
            double upper = 0.60;
            for (int i = 1; i < 100; i++) {
                double f = i / 100.0;
                if (f == lower || f == upper) {
                    continue;
                }
                // the CI's limit is on an edge when |h(edge) - h(F)| = z se_h, se_h = slope(F) se
                double edge = f < lower ? lower : f > upper ? upper : Double.NaN;
                if (Double.isNaN(edge)) {
                    continue;
                }
                double seOnEdge = Math.abs(scale.h(edge) - scale.h(f)) / (Normal.Z95 * scale.slope(f));
                for (double relative : new double[] {1e-9, 1e-12}) {
                    String inside = assertAgree(f, seOnEdge * (1 + relative), scale, lower, upper);
                    String outside = assertAgree(f, seOnEdge * (1 - relative), scale, lower, upper);
                    assertEquals(f < lower ? RelapseSummary.BELOW_BAND : RelapseSummary.ABOVE_BAND, outside,
                            scale + " F " + f + " just outside");
                    assertEquals(RelapseSummary.INCONCLUSIVE, inside, scale + " F " + f + " just inside");
                    flips++;
                }
            }
        }
        assertTrue(flips > 5 * 2 * 70, "flips checked: " + flips);
    }

    /** relapse_summary's verdict rows for 400 generated programs, under three bands. */
    @Test
    void onTheVerdictRowsOfManyPrograms() {
        Random random = new Random(20261207L);
        Map<RelapseSummary.Group, List<TimeCounts>> counts = new TreeMap<>();
        Map<RelapseSummary.Group, Map<Integer, RelapseSummary.CrudeCounts>> crude = new TreeMap<>();
        for (int p = 0; p < 400; p++) {
            RelapseSummary.Group g = new RelapseSummary.Group("program_id", String.format("prog-%03d", p),
                    RelapseSummary.FIRST_USE, RelapseSummary.CLOCK_DISCHARGE);
            // a program's 365-day risk from 5% to 95%, 20 to 400 episodes, censoring uniform over 0-900 days
            double risk = 0.05 + 0.9 * random.nextDouble();
            double rate = -Math.log(1 - risk) / 365;
            int n = 20 + random.nextInt(381);
            Map<Integer, long[]> byDay = new TreeMap<>();
            long eligible = 0;
            long relapsedKnown = 0;
            long knownRelapseFree = 0;
            for (int i = 0; i < n; i++) {
                int relapse = (int) Math.ceil(-Math.log(1 - random.nextDouble()) / rate);
                int censor = random.nextInt(901);
                boolean event = relapse <= censor;
                int time = event ? relapse : censor;
                byDay.computeIfAbsent(time, d -> new long[2])[event ? 0 : 1]++;
                eligible++;
                if (event && time <= 365) {
                    relapsedKnown++;
                } else if (time >= 365) {
                    knownRelapseFree++;
                }
            }
            List<TimeCounts> programCounts = new ArrayList<>();
            byDay.forEach((day, c) -> programCounts.add(new TimeCounts(day, c[0], c[1])));
            counts.put(g, programCounts);
            crude.put(g, Map.of(365, new RelapseSummary.CrudeCounts(eligible, relapsedKnown, knownRelapseFree)));
        }
        int[] verdicts = new int[5];
        int notRobust = 0;
        for (double[] band : new double[][] {{0.40, 0.60}, {0.25, 0.35}, {0.70, 0.80}}) {
            RelapseSettings settings = new RelapseSettings(List.of(365), band[0], band[1], 365,
                    RelapseSettings.DEFAULT_MIN_COMPLETENESS, RelapseSettings.DEFAULT_MIN_AT_RISK,
                    RelapseDefinitions.parseAll(RelapseSettings.DEFAULT_DEFINITIONS), List.of(),
                    RelapseSettings.DEFAULT_FOLLOWUP_WINDOW_DAYS);
            List<Row> rows = RelapseSummary.summaryRows(counts, crude, Map.of(), settings);
            assertEquals(400, rows.size());
            double[] pBelow = new double[rows.size()];
            double[] pAbove = new double[rows.size()];
            Map<String, Row> byProgram = new LinkedHashMap<>();
            for (int i = 0; i < rows.size(); i++) {
                Row row = rows.get(i);
                String program = row.getAs("stratum_value");
                byProgram.put(program, row);
                String verdict = row.getAs("verdict");
                assertNotNull(verdict, program);
                RelapseSummary.Group g = new RelapseSummary.Group("program_id", program, RelapseSummary.FIRST_USE,
                        RelapseSummary.CLOCK_DISCHARGE);
                RelapseSummary.CrudeCounts c = crude.get(g).get(365);
                if (verdict.equals(RelapseSummary.INSUFFICIENT_FOLLOW_UP)) {
                    verdicts[4]++;
                    assertNull(row.getAs("p_below_band"), program);
                    assertNull(row.getAs("verdict_robust_to_loss"), program);
                    pBelow[i] = Double.NaN;
                    pAbove[i] = Double.NaN;
                    continue;
                }
                pBelow[i] = row.getAs("p_below_band");
                pAbove[i] = row.getAs("p_above_band");
                // by construction: the verdict from the CI, the p-values from the same estimate, se and scale
                assertEquals(verdict.equals(RelapseSummary.BELOW_BAND), pBelow[i] < ALPHA, program + " " + row);
                assertEquals(verdict.equals(RelapseSummary.ABOVE_BAND), pAbove[i] < ALPHA, program + " " + row);
                Interval ci = new Interval(row.getAs("ci_lower"), row.getAs("ci_upper"));
                assertEquals(verdict, RelapseSummary.bandVerdict(ci, band[0], band[1]));
                // the same numbers as the statistics package on the program's counts
                // the discharge clock is Aalen-Johansen (issue 14): R's multi-state SE, log CI on F
                List<org.iopoutcomes.stats.StatusCount> states = new ArrayList<>();
                for (TimeCounts t : counts.get(g)) {
                    states.add(new org.iopoutcomes.stats.StatusCount(t.time(), 1, t.nEvent()));
                    states.add(new org.iopoutcomes.stats.StatusCount(t.time(), 0, t.nCensor()));
                }
                var at = org.iopoutcomes.stats.AalenJohansen.fit(states, new int[] {1, 2},
                        org.iopoutcomes.stats.Normal.Z95).at(365).get(0).state(1);
                BandTestResult expected = BandTest.test(at.estimate(), at.stdErr(), IncidenceScale.LOG_INCIDENCE,
                        band[0], band[1]);
                assertEquals(expected.pBelow(), pBelow[i], 0.0);
                assertEquals(expected.pAbove(), pAbove[i], 0.0);
                assertEquals(expected.ci(), ci);
                // the crude sensitivity columns: the exact binomial of the known-status counts, as before
                assertEquals(BinomialOneSample.test(c.relapsedKnown(), c.knownStatus(), band[0]).exactLess(),
                        (double) row.getAs("p_below_band_crude"), 0.0);
                assertEquals(BinomialOneSample.test(c.relapsedKnown(), c.knownStatus(), band[1]).exactGreater(),
                        (double) row.getAs("p_above_band_crude"), 0.0);
                // the worst case (lost before 365 counted as relapsed) with its Clopper-Pearson CI
                Interval worst = BinomialOneSample.test(c.eligible() - c.knownRelapseFree(), c.eligible(), 0.5)
                        .clopperPearson();
                assertEquals(worst.lower(), (double) row.getAs("worst_case_lower"), 0.0);
                assertEquals(worst.upper(), (double) row.getAs("worst_case_upper"), 0.0);
                boolean robust = RelapseSummary.bandVerdict(worst, band[0], band[1]).equals(verdict);
                assertEquals(robust, (boolean) row.getAs("verdict_robust_to_loss"), program);
                notRobust += robust ? 0 : 1;
                switch (verdict) {
                    case RelapseSummary.BELOW_BAND -> verdicts[0]++;
                    case RelapseSummary.WITHIN_BAND -> verdicts[1]++;
                    case RelapseSummary.ABOVE_BAND -> verdicts[2]++;
                    default -> verdicts[3]++;
                }
            }
            // q: Benjamini-Hochberg across the programs, of those same p-values
            double[] qBelow = PAdjust.adjust(pBelow, PAdjust.Method.BH);
            double[] qAbove = PAdjust.adjust(pAbove, PAdjust.Method.BH);
            for (int i = 0; i < rows.size(); i++) {
                Row row = rows.get(i);
                if (Double.isNaN(qBelow[i])) {
                    assertNull(row.getAs("q_below_band"));
                    continue;
                }
                assertEquals(qBelow[i], (double) row.getAs("q_below_band"), 0.0);
                assertEquals(qAbove[i], (double) row.getAs("q_above_band"), 0.0);
                assertTrue(qBelow[i] >= pBelow[i] && qAbove[i] >= pAbove[i]);
            }
        }
        // the generated programs reach every verdict, and the worst case overturns some
        for (int n : verdicts) {
            assertTrue(n >= 10, "verdicts below, within, above, inconclusive, insufficient: "
                    + java.util.Arrays.toString(verdicts));
        }
        assertTrue(notRobust >= 10, "verdicts not robust to loss: " + notRobust);
    }

    /**
     * One estimate against one band: the verdict from the CI, and the p-values on its scale agree with it; returns
     * the verdict.
     */
    private static String assertAgree(double f, double se, IncidenceScale scale, double lower, double upper) {
        BandTestResult r = BandTest.test(f, se, scale, lower, upper);
        String verdict = RelapseSummary.bandVerdict(r.ci(), lower, upper);
        String where = scale + " F " + f + " se " + se + " band " + lower + "-" + upper + ": " + r;
        assertEquals(verdict.equals(RelapseSummary.BELOW_BAND), r.pBelow() < ALPHA, where);
        assertEquals(verdict.equals(RelapseSummary.ABOVE_BAND), r.pAbove() < ALPHA, where);
        // and on the z scale: the CI's limit is past the edge exactly when z is past qnorm(0.975)
        assertEquals(verdict.equals(RelapseSummary.BELOW_BAND), r.zBelow() > Normal.Z95, where);
        assertEquals(verdict.equals(RelapseSummary.ABOVE_BAND), r.zAbove() > Normal.Z95, where);
        return verdict;
    }
}
