package org.iopoutcomes.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.iopoutcomes.stats.KaplanMeier;
import org.iopoutcomes.stats.Normal;
import org.iopoutcomes.stats.StatusCount;
import org.iopoutcomes.stats.SurvivalAtTime;
import org.junit.jupiter.api.Test;

/**
 * The attacker's inversion of grid curves ({@link GridSteps}) against main's own life table (no Spark, runs by
 * default): random daily counts pooled to a grid, the overall's estimate from {@code KaplanMeier.fitWeighted} and
 * {@code CurveGrid.Grid.censoredAtRisk}, a value's from its counts spread by the overall's
 * ({@code CurveGrid.Grid.spread}); every true pooled count must lie in the attacker's candidate range (a relation
 * the audit relies on must hold), and with the exits shown the overall's steps come back exactly.
 */
class GridStepsTest {
    private static final int CENSORED = 0;
    private static final int EVENT = 1;

    private static List<StatusCount> daily(Random random, int days, int perDay) {
        List<StatusCount> out = new ArrayList<>();
        for (int d = 1; d <= days; d++) {
            out.add(new StatusCount(d, EVENT, random.nextInt(perDay + 1)));
            out.add(new StatusCount(d, CENSORED, random.nextInt(perDay + 1)));
        }
        out.add(new StatusCount(days + 30, CENSORED, 40));
        return out;
    }

    private static long[] pooled(List<StatusCount> counts, int from, int to) {
        long[] dc = new long[2];
        for (StatusCount c : counts) {
            if (c.time() > from && c.time() <= to) {
                dc[c.status() == EVENT ? 0 : 1] += c.count();
            }
        }
        return dc;
    }

    private static long atRisk(List<StatusCount> counts, int after) {
        return counts.stream().filter(c -> c.time() > after).mapToLong(StatusCount::count).sum();
    }

    private static GridSteps.Point point(KaplanMeier km, int day, long n) {
        SurvivalAtTime at = km.at(day);
        return new GridSteps.Point(day, n, new Double[] {1 - at.surv()}, at.surv());
    }

    @Test
    void theOverallsLifeTableStepsComeBackAndAValuesSpreadStepsLieInTheirRanges() {
        Random random = new Random(13);
        List<Integer> overallDays = List.of(0, 7, 14, 30, 49, 90);
        List<Integer> valueDays = List.of(0, 30, 90);
        org.iopoutcomes.publish.CurveGrid.Grid overallGrid = new CurveGrid.Grid(overallDays, overallDays);
        CurveGrid.Grid valueGrid = new CurveGrid.Grid(valueDays, valueDays);
        List<StatusCount> value = daily(random, 90, 2);
        List<StatusCount> overall = new ArrayList<>(value);
        overall.addAll(daily(random, 90, 3));
        KaplanMeier overallFit = KaplanMeier.fitWeighted(overallGrid.spread(overall, null, null), Normal.Z95,
                overallGrid::censoredAtRisk);
        KaplanMeier valueFit = KaplanMeier.fitWeighted(valueGrid.spread(value, overallGrid, overall), Normal.Z95,
                overallGrid::censoredAtRisk);
        // the overall: every step exact where the next point is shown, in range at the last one
        long[][] fine = new long[overallDays.size()][];
        for (int i = 1; i < overallDays.size(); i++) {
            int a = overallDays.get(i - 1);
            int b = overallDays.get(i);
            long n = atRisk(overall, a);
            Long exits = i + 1 < overallDays.size() ? n - atRisk(overall, b) : null;
            GridSteps.Inversion inv = GridSteps.invert(n, exits, point(overallFit, a, atRisk(overall, a - 1)),
                    point(overallFit, b, n), GridSteps.Spread.single(1, b - a));
            assertNotNull(inv);
            long[] truth = pooled(overall, a, b);
            fine[i] = truth;
            assertTrue(inv.low()[0] <= truth[0] && truth[0] <= inv.high()[0], "events of " + a + "->" + b);
            assertTrue(inv.censoredLow() <= truth[1] && truth[1] <= inv.censoredHigh(), "censored of " + a + "->" + b);
            if (exits != null) {
                assertEquals(truth[0], inv.low()[0], "events of " + a + "->" + b);
                assertEquals(truth[0], inv.high()[0], "events of " + a + "->" + b);
            }
        }
        // the value: its steps spread by the overall's pooled counts of the fine intervals inside
        for (int i = 1; i < valueDays.size(); i++) {
            int a = valueDays.get(i - 1);
            int b = valueDays.get(i);
            List<Integer> inside = overallDays.subList(overallDays.indexOf(a) + 1, overallDays.indexOf(b) + 1);
            long[][] counts = new long[inside.size()][];
            for (int j = 0; j < inside.size(); j++) {
                counts[j] = fine[overallDays.indexOf(inside.get(j))];
            }
            long n = atRisk(value, a);
            Long exits = i + 1 < valueDays.size() ? n - atRisk(value, b) : null;
            GridSteps.Inversion inv = GridSteps.invert(n, exits, point(valueFit, a, atRisk(value, a - 1)),
                    point(valueFit, b, n), GridSteps.spread(1, inside, a, counts));
            assertNotNull(inv);
            long[] truth = pooled(value, a, b);
            assertTrue(inv.candidates() > 0, "a candidate for " + a + "->" + b);
            assertTrue(inv.low()[0] <= truth[0] && truth[0] <= inv.high()[0], "value events of " + a + "->" + b);
            assertTrue(inv.censoredLow() <= truth[1] && truth[1] <= inv.censoredHigh(),
                    "value censored of " + a + "->" + b);
        }
    }
}
