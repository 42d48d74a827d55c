package org.iopoutcomes.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.iopoutcomes.stats.KaplanMeier;
import org.iopoutcomes.stats.SurvivalAtTime;
import org.iopoutcomes.stats.TrendTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The attacker's tools on hand-made inputs (no Spark, runs by default): the CSV reader, the curve-step limits
 * against Kaplan-Meier fits of known data, the trend_p search against a known table, and the attacks and the interval
 * audit on a small published folder whose leaks are known.
 */
class AttackerToolsTest {
    @TempDir
    Path tmp;

    @Test
    void readsSparkCsvWithQuotedCommasAndEmptyCells() {
        List<List<String>> rows = PublishedOutputs.Csv.parse("a,b,c\n1,,\"x, \\\"y\\\" (3 of 4)\"\n");
        assertEquals(List.of(List.of("a", "b", "c"), List.of("1", "", "x, \"y\" (3 of 4)")), rows);
    }

    @Test
    void theAttackerRefusesTheRestrictedTree() {
        assertThrows(IllegalArgumentException.class,
                () -> PublishedOutputs.read(tmp.resolve("out/restricted/run_date=2026-01-01")));
    }

    /** Daily times, weekly grid: the true events of every step lie within the limits; one time per step: exact. */
    @Test
    void curveStepLimitsHoldTheTrueEvents() {
        Random random = new Random(13);
        for (boolean weekly : new boolean[] {false, true}) {
            for (int trial = 0; trial < 50; trial++) {
                int n = 20 + random.nextInt(200);
                double[] time = new double[n];
                int[] event = new int[n];
                for (int i = 0; i < n; i++) {
                    int day = random.nextInt(120);
                    time[i] = weekly ? 7 * (day / 7 + 1) - 1 : day;
                    event[i] = random.nextDouble() < 0.4 ? 1 : 0;
                }
                KaplanMeier km = KaplanMeier.fromSubjects(time, event);
                List<CurveSteps.Point> points = new ArrayList<>();
                for (int day = 0; day <= 126; day += 7) {
                    SurvivalAtTime at = km.at(day);
                    points.add(new CurveSteps.Point(day, at.nRisk(), at.surv()));
                }
                for (CurveSteps.Step s : CurveSteps.steps(points, weekly)) {
                    long truth = 0;
                    for (int i = 0; i < n; i++) {
                        truth += event[i] == 1 && time[i] > s.from() && time[i] <= s.to() ? 1 : 0;
                    }
                    String what = (weekly ? "weekly " : "daily ") + trial + " " + s;
                    assertTrue(s.low() <= truth && truth <= s.high(), what + " truth " + truth);
                    if (weekly) {
                        assertTrue(s.exact(), what);
                        assertEquals(truth, s.low(), what);
                    }
                }
            }
        }
    }

    /** Two levels hidden: the search finds the true counts among the combinations that print as the p. */
    @Test
    void trendSearchFindsTheHiddenLevels() {
        long[] x = {3, 7, 12};
        long[] n = {30, 25, 20};
        double p = TrendTest.propTrend(x, n, new double[] {1, 2, 3}).p();
        List<TrendInversion.Level> levels = List.of(
                new TrendInversion.Level("a", "low", 1, 30L, 3L, 30),
                new TrendInversion.Level("b", "mid", 2, null, null, 26),
                new TrendInversion.Level("c", "high", 3, null, null, 22));
        TrendInversion.Result r = new TrendInversion.Case("k", "s", p, Double.toString(p), levels).solve();
        assertTrue(r.searched());
        assertTrue(r.solutions() >= 1);
        if (r.unique()) {
            assertEquals(25, r.solution().get(0).known());
            assertEquals(7, r.solution().get(0).relapsed());
            assertEquals(20, r.solution().get(1).known());
            assertEquals(12, r.solution().get(1).relapsed());
        }
        // rounded to 2 significant digits the p matches many more combinations
        String rounded = String.format(java.util.Locale.ROOT, "%.2g", p);
        TrendInversion.Result coarse = new TrendInversion.Case("k", "s", Double.parseDouble(rounded), rounded, levels)
                .solve();
        assertTrue(coarse.solutions() > 10, "solutions at " + rounded + ": " + coarse.solutions());
        // printed as a limit: a range of p
        assertEquals(0.0005, TrendInversion.printedP("p < 0.001"), 1e-15);
        assertEquals(0.0005, TrendInversion.tolerance("<0.001", 0.0005), 1e-15);
        // as the published CSV writes it: the limit 0.001 with its flag is "p < 0.001", not p = 0.001
        PublishedOutputs.Table published = PublishedOutputs.Table.parse("dose_response",
                "trend_p,trend_p_below_0_001\n0.001,true\n0.001,false\n0.046,false\n,\n");
        assertEquals("p < 0.001", TrendInversion.printed(published.rows().get(0)));
        assertEquals("0.001", TrendInversion.printed(published.rows().get(1)));
        assertEquals("0.046", TrendInversion.printed(published.rows().get(2)));
        assertEquals("", TrendInversion.printed(published.rows().get(3)));
        assertEquals(0.0005, TrendInversion.tolerance(TrendInversion.printed(published.rows().get(2)), 0.046), 1e-15);
        // trailing zeros dropped: "0.06" is 0.060, "1.0" is 1.0 (2 significant digits)
        assertEquals(0.0005, TrendInversion.tolerance("0.06", 0.06), 1e-15);
        assertEquals(0.005, TrendInversion.tolerance("0.1", 0.1), 1e-15);
        assertEquals(0.05, TrendInversion.tolerance("1.0", 1.0), 1e-15);
        assertEquals(5e-11, TrendInversion.tolerance("0.0123456789", 0.0123456789), 1e-24);
    }

    @Test
    void aLabelInACountCellIsAHiddenCell() {
        PublishedOutputs.Table t = PublishedOutputs.Table.parse("x", "a,b\nfewer than 11 (may be 0),12\n");
        assertEquals(null, t.rows().get(0).count("a"));
        assertEquals(12L, t.rows().get(0).count("b"));
    }

    /**
     * A folder with one retention_summary: prog-b's discharged is the stratum's only hidden value (overall minus the
     * others), prog-a shows 15 episodes and 12 discharged (3 still in care). The attacks find both, the audit
     * finds the hidden cell pinned and the shown small count.
     */
    @Test
    void attacksAndAuditFindTheKnownLeaksOfASmallFolder() throws IOException {
        Path folder = Files.createDirectories(tmp.resolve("out/published/run_date=2026-01-01"));
        String header = "stratum,stratum_value,horizon_days,episodes,discharged,completed,dropouts,n_at_risk,"
                + "initiated,engaged,suppressed";
        Files.writeString(folder.resolve("retention_summary.csv"), String.join("\n", header,
                "overall,overall,30,60,50,30,12,40,60,50,false",
                "program_id,prog-a,30,15,12,,,,,,true",
                "program_id,prog-b,30,45,,,,,,,true", ""));
        Files.writeString(folder.resolve("manifest.json"), "{\"settings\":{\"suppression_threshold\":11}}");
        PublishedOutputs out = PublishedOutputs.read(folder);
        List<Recovered> found = new PublishedAttacks(out).run();
        assertTrue(found.stream().anyMatch(r -> r.attack() == Attack.ACROSS_STRATA && r.hiddenCell()
                && r.rowKey().equals("program_id|prog-b|30") && r.what().startsWith("discharged") && r.count() == 38),
                found::toString);
        assertTrue(found.stream().anyMatch(r -> r.attack() == Attack.ROW_SUBTRACTION && r.small()
                && r.rowKey().equals("program_id|prog-a|30") && r.what().equals("episodes - discharged")
                && r.count() == 3), found::toString);

        AttackerIntervalAudit.Result audit = AttackerIntervalAudit.run(out);
        assertTrue(audit.findings().stream().anyMatch(f -> f.kind() == AttackerIntervalAudit.Kind2.NARROW_HIDDEN
                && f.column().equals("discharged") && f.low() == 38 && f.high() == 38), audit.findings()::toString);
        // prog-a's completed is hidden but lies in 0..12 with prog-b's in 0..38: only the sum is known, wide enough
        assertFalse(audit.findings().stream().anyMatch(f -> f.rowKey().startsWith("program_id|prog-b")
                && f.column().equals("completed")), audit.findings()::toString);
        assertTrue(audit.lps() > 0, "the simplex ran");
    }

    /** x + y = y + z = x + z = 20: bound propagation leaves each in 0..20, the simplex pins 10. */
    @Test
    void theSimplexPinsWhatPropagationCannot() {
        RelationSystem s = RelationSystem.empty(11);
        RelationSystem.Cell x = s.published("t", "x", "count", "x", null);
        RelationSystem.Cell y = s.published("t", "y", "count", "y", null);
        RelationSystem.Cell z = s.published("t", "z", "count", "z", null);
        RelationSystem.Cell twenty = s.published("t", "total", "count", "total", 20L);
        for (RelationSystem.Cell[] pair : new RelationSystem.Cell[][] {{x, y}, {y, z}, {x, z}}) {
            s.relate("pair", Attack.ACROSS_STRATA, "t", "line", RelationSystem.Op.EQ, null, pair[0], 1, pair[1], 1,
                    twenty, -1);
        }
        AttackerIntervalAudit.Result audit = AttackerIntervalAudit.run(s);
        assertEquals(3, audit.hiddenCells());
        assertEquals(3, audit.of(AttackerIntervalAudit.Kind2.NARROW_HIDDEN).size(), audit.findings()::toString);
        for (AttackerIntervalAudit.Finding f : audit.findings()) {
            assertEquals(10, f.low(), f::toString);
            assertEquals(10, f.high(), f::toString);
            assertEquals("simplex", f.how());
        }
        // x + y = 20 alone: each 0..20, wide
        RelationSystem wide = RelationSystem.empty(11);
        RelationSystem.Cell a = wide.published("t", "a", "count", "a", null);
        RelationSystem.Cell b = wide.published("t", "b", "count", "b", null);
        wide.relate("pair", Attack.ACROSS_STRATA, "t", "line", RelationSystem.Op.EQ, null, a, 1, b, 1,
                wide.published("t", "total", "count", "total", 20L), -1);
        assertEquals(List.of(), AttackerIntervalAudit.run(wide).findings());
    }
}
