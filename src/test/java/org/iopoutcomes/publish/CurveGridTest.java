package org.iopoutcomes.publish;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.iopoutcomes.stats.AalenJohansen;
import org.iopoutcomes.stats.AalenJohansenRow;
import org.iopoutcomes.stats.KaplanMeier;
import org.iopoutcomes.stats.Normal;
import org.iopoutcomes.stats.StatusCount;
import org.iopoutcomes.stats.SurvivalAtTime;
import org.iopoutcomes.stats.TimeCounts;
import org.iopoutcomes.stats.WeightedStatusCount;
import org.junit.jupiter.api.Test;

/** The publication grid of curves, on hand-made day counts (no Spark). */
class CurveGridTest {
    static final int T = 11;

    /** Random day counts: n people over days 0..maxDay, about a third events. */
    static List<TimeCounts> randomCurve(long seed, int n, int maxDay) {
        Random random = new Random(seed);
        long[][] perDay = new long[maxDay + 1][2];
        for (int i = 0; i < n; i++) {
            int day = random.nextInt(maxDay + 1);
            perDay[day][random.nextInt(3) == 0 ? 0 : 1]++;
        }
        List<TimeCounts> counts = new ArrayList<>();
        for (int day = 0; day <= maxDay; day++) {
            if (perDay[day][0] + perDay[day][1] > 0) {
                counts.add(new TimeCounts(day, perDay[day][0], perDay[day][1]));
            }
        }
        return counts;
    }

    static TreeSet<Integer> weekly(int maxDay) {
        TreeSet<Integer> days = new TreeSet<>();
        for (int day = 0; day <= maxDay; day += 7) {
            days.add(day);
        }
        days.add(30);
        days.add(90);
        return days;
    }

    @Test
    void valuesWithoutACurveArePooledUntilThePoolCannotBeSplit() {
        // sex on the sample data: female 171, male 265, other 4, unknown 4. Two small values hold 8 people: the
        // overall curve less the shown ones would give "8 between them", so the smallest shown one joins them.
        assertArrayEquals(new boolean[] {true, false, true, true},
                CurveGrid.notShown(new long[] {171, 265, 4, 4}, 11));
        // one small value alone is the overall less the others: the next smallest joins it
        assertArrayEquals(new boolean[] {false, true, true}, CurveGrid.notShown(new long[] {300, 40, 3}, 11));
        // two small values with 10 between them: each may be 0 to 10, as good as "fewer than 11"
        assertArrayEquals(new boolean[] {false, true, true}, CurveGrid.notShown(new long[] {300, 6, 4}, 11));
        // nothing small: every value has its curve; zeros have no curve to hide
        assertArrayEquals(new boolean[] {false, false, false}, CurveGrid.notShown(new long[] {300, 40, 0}, 11));
        // threshold 1: nothing is hidden
        assertArrayEquals(new boolean[] {false, false}, CurveGrid.notShown(new long[] {3, 1}, 1));
    }

    @Test
    void thresholdOneIsTheDailyKaplanMeierAtEveryCandidate() {
        List<TimeCounts> curve = randomCurve(1, 300, 200);
        CurveGrid.Grid grid = new CurveGrid(1).build(List.of(curve), weekly(200));
        assertEquals(List.copyOf(weekly(200)), grid.published());
        KaplanMeier daily = KaplanMeier.fit(curve);
        KaplanMeier pooled = KaplanMeier.fit(grid.coarsen(curve));
        for (int day : grid.published()) {
            SurvivalAtTime a = daily.at(day);
            SurvivalAtTime b = pooled.at(day);
            assertEquals(a.surv(), b.surv(), 0.0, "day " + day);
            assertEquals(a.nRisk(), b.nRisk(), "day " + day);
            assertEquals(a.log().lower(), b.log().lower(), 0.0, "day " + day);
            assertEquals(a.log().upper(), b.log().upper(), 0.0, "day " + day);
        }
    }

    /**
     * What an attacker gets from two published points: the events between them (from the numbers at risk and the
     * estimates, or the cumulative events) and the other exits (the fall in the number at risk less those events).
     * In every curve of the stratum, the hidden values' pooled one too, each is 0 or at least T.
     */
    @Test
    void differencingThePublishedPointsGivesNoSmallCount() {
        List<TimeCounts> a = randomCurve(2, 2000, 300);
        List<TimeCounts> b = randomCurve(3, 800, 300);
        List<TimeCounts> hiddenValues = randomCurve(4, 300, 300);
        CurveGrid.Grid grid = new CurveGrid(T).build(List.of(a, b, hiddenValues), weekly(300));
        assertTrue(grid.published().size() > 5, grid.published().toString());
        int checked = 0;
        for (List<TimeCounts> curve : List.of(a, b, hiddenValues)) {
            KaplanMeier pooled = KaplanMeier.fit(grid.coarsen(curve));
            KaplanMeier daily = KaplanMeier.fit(curve);
            List<SurvivalAtTime> points = grid.published().stream().map(pooled::at).toList();
            for (int k = 0; k < points.size(); k++) {
                SurvivalAtTime at = points.get(k);
                // at risk: those still in after the previous published day; events: the true ones by the day
                int previousDay = k == 0 ? -1 : grid.published().get(k - 1);
                assertEquals(daily.at(previousDay + 1).nRisk(), at.nRisk());
                assertEquals(daily.at(at.t()).nEventCumByT(), at.nEventCumByT());
                assertFalse(at.nRisk() > 0 && at.nRisk() < T, "at risk " + at.nRisk() + " on day " + at.t());
                long events = at.nEventCumByT() - (k == 0 ? 0 : points.get(k - 1).nEventCumByT());
                // from the estimates, as the attacker of issue 13 computes them: the same count
                double fromEstimates = at.nRisk() * (1 - at.surv() / (k == 0 ? 1.0 : points.get(k - 1).surv()));
                assertEquals(events, fromEstimates, 1e-6);
                assertFalse(events > 0 && events < T, events + " events in the interval ending " + at.t());
                if (k + 1 < points.size()) {
                    long censored = at.nRisk() - points.get(k + 1).nRisk() - events;
                    assertFalse(censored > 0 && censored < T, censored + " censored in the interval ending " + at.t());
                    checked++;
                }
            }
        }
        assertTrue(checked > 15, "intervals checked: " + checked);
    }

    /** Random endings: n people over days 0..maxDay, status 0 (censored) to 3 with the given weights. */
    static List<StatusCount> randomEndings(long seed, int n, int maxDay, int... weights) {
        Random random = new Random(seed);
        int total = java.util.Arrays.stream(weights).sum();
        long[][] perDay = new long[maxDay + 1][weights.length];
        for (int i = 0; i < n; i++) {
            int pick = random.nextInt(total);
            int status = 0;
            while (pick >= weights[status]) {
                pick -= weights[status++];
            }
            perDay[random.nextInt(maxDay + 1)][status]++;
        }
        List<StatusCount> counts = new ArrayList<>();
        for (int day = 0; day <= maxDay; day++) {
            for (int status = 0; status < weights.length; status++) {
                if (perDay[day][status] > 0) {
                    counts.add(new StatusCount(day, status, perDay[day][status]));
                }
            }
        }
        return counts;
    }

    /**
     * Competing risks (retention: dropout, completion, other discharges, still open): every interval of the grid
     * holds none or at least the threshold of each state entered and of the censored, in every curve, and the
     * attacker's differencing of the published Aalen-Johansen points gives exactly those counts back.
     */
    @Test
    void differencingPublishedCumulativeIncidencesGivesNoSmallCountOfAnyState() {
        List<StatusCount> a = randomEndings(5, 3000, 200, 2, 3, 4, 1);
        List<StatusCount> b = randomEndings(6, 1500, 200, 1, 4, 2, 1);
        List<StatusCount> hiddenValues = randomEndings(7, 800, 200, 3, 1, 1, 1);
        CurveGrid.Grid grid = new CurveGrid(T).buildStates(List.of(a, b, hiddenValues), new int[] {0, 1, 2, 3},
                weekly(200), java.util.Set.of(), null);
        assertTrue(grid.published().size() > 5, grid.published().toString());
        int checked = 0;
        for (List<StatusCount> curve : List.of(a, b, hiddenValues)) {
            AalenJohansen pooled = AalenJohansen.fit(grid.coarsenStates(curve), new int[] {1, 2, 3}, Normal.Z95);
            double[] days = grid.published().stream().mapToDouble(Integer::doubleValue).toArray();
            List<AalenJohansenRow> points = pooled.at(days);
            for (int k = 1; k < points.size(); k++) {
                AalenJohansenRow from = points.get(k - 1);
                AalenJohansenRow to = points.get(k);
                for (int state = 1; state <= 3; state++) {
                    // the truth: entries into the state in (previous day, day]
                    long truth = 0;
                    for (StatusCount c : curve) {
                        if (c.status() == state && c.time() > from.time() && c.time() <= to.time()) {
                            truth += c.count();
                        }
                    }
                    assertFalse(truth > 0 && truth < T, truth + " entries into state " + state + " in ("
                            + from.time() + ", " + to.time() + "]");
                    // the attacker: with everything of (a, b] pooled at b, F(b) = F(a) + in_care(a) d / n(b), where
                    // n(b), the number at risk published at b, is the number entering the interval: the same count
                    if (from.initial().estimate() > 0) {
                        double fromEstimates = to.nRisk() * (to.state(state).estimate() - from.state(state).estimate())
                                / from.initial().estimate();
                        assertEquals(truth, fromEstimates, 1e-6, "state " + state + " on day " + to.time());
                        checked++;
                    }
                }
            }
        }
        assertTrue(checked > 45, "state intervals checked: " + checked);
    }

    /**
     * Retention's grid keeps dropouts apart and completions with other discharges together; completions and other
     * discharges are shown apart only through the last day every interval holds none or enough of each.
     */
    @Test
    void aFinerSplitOfTheStatesIsSafeOnlyThroughItsFirstFailingInterval() {
        // 20 dropouts on each of days 5, 12, 19, 26; completions 5 on day 5, 15 on day 19; others 6 on day 12 and
        // 20 on day 26; 15 still open on day 30
        List<StatusCount> curve = List.of(new StatusCount(5, 1, 20), new StatusCount(5, 2, 5), new StatusCount(12, 1, 20),
                new StatusCount(12, 3, 6), new StatusCount(19, 1, 20), new StatusCount(19, 2, 15),
                new StatusCount(26, 1, 20), new StatusCount(26, 3, 20), new StatusCount(30, 0, 15));
        CurveGrid grid = new CurveGrid(T);
        TreeSet<Integer> days = new TreeSet<>(List.of(0, 7, 14, 21, 28));
        CurveGrid.Grid together = grid.buildStates(List.of(curve), new int[] {0, 1, 2, 2}, days, java.util.Set.of(),
                null);
        // (0, 7]: 20 dropouts, 5 other ways out: not safe; (0, 14]: 40 and 11
        assertEquals(List.of(0, 14, 21, 28), together.published());
        // apart, (0, 14] holds 5 completions and 6 others: not even the first day past 0 qualifies
        assertEquals(0, grid.safeThrough(List.of(curve), new int[] {0, 1, 2, 3}, together));
        List<StatusCount> later = List.of(new StatusCount(5, 1, 20), new StatusCount(5, 2, 12), new StatusCount(12, 1, 20),
                new StatusCount(12, 3, 11), new StatusCount(19, 1, 20), new StatusCount(19, 2, 15),
                new StatusCount(26, 1, 20), new StatusCount(26, 3, 4), new StatusCount(26, 2, 8),
                new StatusCount(30, 0, 15));
        CurveGrid.Grid g2 = grid.buildStates(List.of(later), new int[] {0, 1, 2, 2}, days, java.util.Set.of(), null);
        assertEquals(List.of(0, 7, 14, 21, 28), g2.published());
        // (21, 28]: 4 others and 8 completions (12 together): split through day 21 only
        assertEquals(21, grid.safeThrough(List.of(later), new int[] {0, 1, 2, 3}, g2));
    }

    @Test
    void aHorizonIsWorthSkippingAWeekFor() {
        // 12 events on day 5, 4 on day 10, 8 on day 13: the most days are 0, 7, 14; the horizon 12 can follow 0
        // ((0, 12] holds 16) but not 7 ((7, 12] holds 4), so day 7 is given up for it
        List<TimeCounts> curve = List.of(new TimeCounts(5, 12, 0), new TimeCounts(10, 4, 0), new TimeCounts(13, 8, 0),
                new TimeCounts(100, 0, 50));
        TreeSet<Integer> candidates = new TreeSet<>(List.of(0, 7, 12, 14));
        assertEquals(List.of(0, 7, 14), new CurveGrid(T).build(List.of(curve), candidates).published());
        assertEquals(List.of(0, 12), new CurveGrid(T).build(List.of(curve), candidates, java.util.Set.of(12))
                .published());
    }

    @Test
    void aStratumIsShownOnlyOnTheOverallDays() {
        List<TimeCounts> curve = List.of(new TimeCounts(2, 20, 0), new TimeCounts(9, 20, 0), new TimeCounts(50, 0, 30));
        CurveGrid.Grid grid = new CurveGrid(T).build(List.of(curve), new TreeSet<>(List.of(0, 14)));
        assertEquals(List.of(0, 14), grid.published());
        assertEquals(List.of(0, 14), grid.boundaries());
    }

    @Test
    void aSmallNumberAtRiskInOneCurveStopsTheStratum() {
        // curve b: 15 people, 12 leave on day 3, the other 3 on day 40; curve a: 100 people
        List<TimeCounts> a = List.of(new TimeCounts(20, 30, 0), new TimeCounts(55, 0, 70));
        List<TimeCounts> b = List.of(new TimeCounts(3, 0, 12), new TimeCounts(40, 1, 2));
        CurveGrid.Grid grid = new CurveGrid(T).build(List.of(a, b), weekly(60));
        // day 0 is shown (15 at risk), day 7 would show b's 3 at risk: the stratum stops before it
        assertEquals(List.of(0), grid.published());
    }

    @Test
    void smallStepsArePooledIntoOneInterval() {
        // 5 events on day 2 and 7 on day 9: neither week alone may be shown, both together may (12)
        List<TimeCounts> curve = List.of(new TimeCounts(2, 5, 0), new TimeCounts(9, 7, 0), new TimeCounts(50, 0, 30));
        CurveGrid.Grid grid = new CurveGrid(T).build(List.of(curve), new TreeSet<>(List.of(0, 7, 14, 21)));
        assertEquals(List.of(0, 14, 21), grid.published());
        KaplanMeier pooled = KaplanMeier.fit(grid.coarsen(curve));
        assertEquals(42, pooled.at(0).nRisk());
        assertEquals(1.0, pooled.at(7).surv(), 0.0);  // nothing pooled to day 7: all of it lands on day 14
        assertEquals(30.0 / 42, pooled.at(14).surv(), 1e-15);
    }

    @Test
    void theEstimateUsesOnlyTheIntervalTotals() {
        // 12 events on day 1, 12 censored on day 3, 12 events on day 5: the daily estimate at 7 would tell the
        // order; pooled, (0, 7] is 24 events among 76, as survfit on the times rounded up to day 7 gives
        List<TimeCounts> curve = List.of(new TimeCounts(1, 12, 0), new TimeCounts(3, 0, 12), new TimeCounts(5, 12, 0),
                new TimeCounts(60, 0, 40));
        CurveGrid.Grid grid = new CurveGrid(T).build(List.of(curve), new TreeSet<>(List.of(0, 7)));
        assertEquals(List.of(0, 7), grid.published());
        assertEquals(List.of(0, 7), grid.boundaries());
        KaplanMeier pooled = KaplanMeier.fit(grid.coarsen(curve));
        assertEquals(52.0 / 76, pooled.at(7).surv(), 1e-15);
        assertEquals(76, pooled.at(7).nRisk());
        // Greenwood on the pooled step: sqrt(d / (n (n - d))), R's log interval
        double se = Math.sqrt(24.0 / (76.0 * 52));
        assertEquals(52.0 / 76 * Math.exp(-1.959963984540054 * se), pooled.at(7).log().lower(), 1e-12);
    }

    @Test
    void theSharesOfTheCensoredAtRiskDependOnTheIntervalsLengthOnly() {
        CurveGrid.Grid grid = new CurveGrid.Grid(List.of(0, 7, 30), List.of(0, 7, 30));
        assertEquals(1.0, grid.censoredAtRisk(0), 0); // day 0 alone
        assertEquals(8.0 / 14, grid.censoredAtRisk(7), 1e-15); // days 1..7
        assertEquals(24.0 / 46, grid.censoredAtRisk(30), 1e-15); // days 8..30
        assertEquals(1.0, grid.censoredAtRisk(31), 0); // after the last boundary: daily
        assertEquals(1.0, grid.censoredAtRisk(12), 0); // not a boundary
        // admission-clock times are the last days of lattice weeks (6, 13, 20, 27, ...): a week holds one of them
        CurveGrid.Grid weekly = new CurveGrid.Grid(List.of(0, 7, 14, 28), List.of(0, 7, 14, 28));
        assertEquals(1.0, weekly.censoredAtRisk(7, 7), 0); // day 6 only
        assertEquals(1.0, weekly.censoredAtRisk(14, 7), 0); // day 13 only
        assertEquals(3.0 / 4, weekly.censoredAtRisk(28, 7), 1e-15); // days 20 and 27
        assertEquals(15.0 / 28, weekly.censoredAtRisk(28), 1e-15); // as days: 14 of them
        CurveGrid.Grid daily = new CurveGrid.Grid(List.of(3), List.of(0, 1, 2, 3));
        for (int day = 0; day <= 3; day++) {
            assertEquals(1.0, daily.censoredAtRisk(day), 0, "one-day intervals pool nothing");
        }
    }

    @Test
    void spreadSharesAnIntervalsCountsByTheReferencesCountsOfTheSameStatus() {
        CurveGrid.Grid coarse = new CurveGrid.Grid(List.of(0, 30, 90), List.of(0, 30, 90));
        CurveGrid.Grid fine = new CurveGrid.Grid(List.of(0, 10, 30, 60, 90), List.of(0, 10, 30, 60, 90));
        // the reference: relapses 20 by day 10, 20 by 30, 30 by 60 and 10 by 90; censored 40 at 30, 60 at 90
        List<StatusCount> reference = List.of(new StatusCount(4, 1, 20), new StatusCount(25, 1, 20),
                new StatusCount(30, 0, 40), new StatusCount(45, 1, 30), new StatusCount(88, 1, 10),
                new StatusCount(90, 0, 60), new StatusCount(120, 1, 5));
        // this curve: 12 relapses and 11 censored in (0, 30], 16 relapses and 20 censored in (30, 90], 3 deaths in
        // (30, 90] (none in the reference: at the interval's end), 2 relapses after the last boundary
        List<StatusCount> counts = List.of(new StatusCount(3, 1, 12), new StatusCount(29, 0, 11),
                new StatusCount(50, 1, 16), new StatusCount(61, 0, 20), new StatusCount(70, 2, 3),
                new StatusCount(100, 1, 2));
        List<WeightedStatusCount> spread = coarse.spread(counts, fine, reference);
        assertEquals(List.of(new WeightedStatusCount(10, 1, 6), new WeightedStatusCount(30, 0, 11),
                new WeightedStatusCount(30, 1, 6), new WeightedStatusCount(60, 1, 12),
                new WeightedStatusCount(90, 0, 20), new WeightedStatusCount(90, 1, 4),
                new WeightedStatusCount(90, 2, 3), new WeightedStatusCount(100, 1, 2)), spread);
        // counts never leave their interval: the numbers at risk and events at this grid's boundaries are the same
        for (int day : coarse.boundaries()) {
            double exitsBy = spread.stream().filter(c -> c.time() <= day).mapToDouble(WeightedStatusCount::weight)
                    .sum();
            long pooledBy = coarse.coarsenStates(counts).stream().filter(c -> c.time() <= day)
                    .mapToLong(StatusCount::count).sum();
            assertEquals(pooledBy, exitsBy, 1e-12, "exits by day " + day);
        }
        // no reference: the pooled counts as they are
        assertEquals(coarse.coarsenStates(counts).stream().map(WeightedStatusCount::of).toList(),
                coarse.spread(counts, null, null));
    }

    @Test
    void statusesOfOneKindAreSpreadAlikeByTheirKindsCount() {
        CurveGrid.Grid coarse = new CurveGrid.Grid(List.of(0, 30), List.of(0, 30));
        CurveGrid.Grid fine = new CurveGrid.Grid(List.of(0, 10, 30), List.of(0, 10, 30));
        // the reference: completions 3 by day 10 and 9 by 30, other discharges 9 by 10 and 3 by 30 (each split
        // small, their sums 12 and 12)
        List<StatusCount> reference = List.of(new StatusCount(5, 2, 3), new StatusCount(25, 2, 9),
                new StatusCount(5, 3, 9), new StatusCount(25, 3, 3));
        List<StatusCount> counts = List.of(new StatusCount(20, 2, 4), new StatusCount(20, 3, 8));
        assertEquals(List.of(new WeightedStatusCount(10, 2, 2), new WeightedStatusCount(10, 3, 4),
                new WeightedStatusCount(30, 2, 2), new WeightedStatusCount(30, 3, 4)),
                coarse.spread(counts, fine, reference, false, new int[] {0, 1, 2, 2}));
        // each status its own kind: the reference's split decides where each goes
        assertEquals(List.of(new WeightedStatusCount(10, 2, 1), new WeightedStatusCount(10, 3, 6),
                new WeightedStatusCount(30, 2, 3), new WeightedStatusCount(30, 3, 2)),
                coarse.spread(counts, fine, reference));
    }
}
