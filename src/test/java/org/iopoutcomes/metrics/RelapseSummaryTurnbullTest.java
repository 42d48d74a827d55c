package org.iopoutcomes.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;
import org.iopoutcomes.SparkTestSession;
import org.iopoutcomes.publish.CurveGrid;
import org.iopoutcomes.stats.IntervalCount;
import org.iopoutcomes.stats.Turnbull;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * relapse_summary's interval-censored sensitivity (discharge clock): 1 - S(H) of Turnbull's estimate (itself equal to
 * R's {@code survfit(Surv(left, right, type = "interval2") ~ 1)}, TurnbullTest) over each episode's interval: a
 * relapse in (last relapse-free contact before it, relapse day], a censored episode or a death before relapse
 * right-censored at its time. 300 seeded episodes (seed 20261208) in two programs; the internal table from the
 * daily intervals, the published one from intervals widened onto the publication grid.
 */
class RelapseSummaryTurnbullTest {
    private static final long SEED = 20261208L;
    private static final LocalDate DATA_CUT = LocalDate.of(2026, 11, 30);
    private static final RelapseSettings SETTINGS = RelapseSettings.defaults().withDefinitions(List.of());
    private static final int N = 300;
    private static final List<IntervalCount> ALL = new ArrayList<>();
    private static final List<IntervalCount> PROG_A = new ArrayList<>();
    private static List<Row> internal;
    private static List<Row> published;

    @BeforeAll
    static void summarize() {
        Random random = new Random(SEED);
        StructType schema = HandMadeEpisodeTimes.schema(true);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            String program = i % 2 == 0 ? "prog-a" : "prog-b";
            int relapse = (int) (-Math.log(1 - random.nextDouble()) * 400);
            int censor = random.nextInt(900);
            boolean dies = random.nextDouble() < 0.1;
            int death = dies ? random.nextInt(900) : Integer.MAX_VALUE;
            int time = Math.min(relapse, Math.min(censor, death));
            int status = time == relapse ? 1 : time == death ? 2 : 0;
            // the last relapse-free contact before a relapse: up to 60 days before it, not before discharge
            Integer start = status == 1 ? Math.max(0, relapse - 1 - random.nextInt(60)) : null;
            IntervalCount interval = status == 1 ? IntervalCount.interval(start, time, 1)
                    : IntervalCount.rightCensored(time, 1);
            ALL.add(interval);
            if (program.equals("prog-a")) {
                PROG_A.add(interval);
            }
            rows.add(RowFactory.create("e" + i, RelapseSummary.FIRST_USE, RelapseSummary.CLOCK_DISCHARGE, time,
                    status == 1, status, start, program, "2024-01", "iop", "opioids", "25-34", "male",
                    Date.valueOf(DATA_CUT.minusDays(1000))));
        }
        Dataset<Row> times = SparkTestSession.get().createDataFrame(rows, schema);
        Dataset<Row> noFollowUp = HandMadeEpisodeTimes.noFollowUp();
        RelapseSummary.Tables tables = RelapseSummary.compute(SparkTestSession.get(), times, noFollowUp, DATA_CUT,
                SETTINGS, 11);
        internal = tables.internalSummary().where("stratum in ('overall', 'program_id')").collectAsList();
        published = tables.summary().where("stratum in ('overall', 'program_id')").collectAsList();
    }

    @Test
    void theInternalEstimateIsTurnbullOfTheDailyIntervals() {
        Turnbull overall = Turnbull.fit(ALL);
        Turnbull progA = Turnbull.fit(PROG_A);
        int checked = 0;
        for (Row row : internal) {
            String value = row.getAs("stratum_value");
            if (value.equals("prog-b")) {
                continue;
            }
            int h = row.getAs("horizon_days");
            Turnbull fit = value.equals("overall") ? overall : progA;
            double expected = 1 - fit.at(h).get(0).surv();
            Double actual = row.getAs("interval_censored_incidence");
            assertNotNull(actual, row.toString());
            assertEquals(expected, actual, 1e-12, row.toString());
            checked++;
        }
        assertEquals(2 * RelapseSummary.horizons(SETTINGS).size(), checked);
    }

    @Test
    void theIntervalReadingPutsRelapsesEarlierThanTheDayTheyAreSeen() {
        // the first use lies before the day it is seen: the interval-censored incidence is at least the
        // cumulative incidence that dates each relapse on the day of its evidence (no deaths' difference at 30)
        for (Row row : internal) {
            if (row.getAs("stratum_value").equals("overall") && (int) row.getAs("horizon_days") <= 180) {
                assertTrue((double) row.getAs("interval_censored_incidence")
                        >= (double) row.getAs("cumulative_incidence") - 1e-9, row.toString());
            }
        }
    }

    @Test
    void thePublishedEstimateIsTurnbullOfTheIntervalsWidenedOntoTheGrid() {
        int checked = 0;
        for (Row row : published) {
            if (!row.getAs("stratum_value").equals("overall")) {
                continue;
            }
            Double actual = row.getAs("interval_censored_incidence");
            assertNotNull(actual, row.toString());
            // not the daily value (the grid pools days), yet within a few points of it
            Row daily = internal.stream().filter(r -> r.getAs("stratum_value").equals("overall")
                    && r.getAs("horizon_days").equals(row.getAs("horizon_days"))).findFirst().orElseThrow();
            assertEquals((double) daily.getAs("interval_censored_incidence"), actual, 0.05, row.toString());
            checked++;
        }
        assertEquals(RelapseSummary.horizons(SETTINGS).size(), checked);
    }

    @Test
    void wideningOntoAGridNeverNarrowsAnInterval() {
        CurveGrid.Grid grid = new CurveGrid.Grid(List.of(0, 30, 90), List.of(30, 90, 180));
        List<IntervalCount> widened = RelapseSummary.coarsenIntervals(List.of(
                IntervalCount.interval(40, 50, 2), IntervalCount.interval(10, 95, 1), IntervalCount.interval(95, 100, 1),
                IntervalCount.rightCensored(45, 3), IntervalCount.exact(0, 1), IntervalCount.interval(200, 210, 1),
                IntervalCount.interval(31, 60, 1)), grid);
        assertEquals(List.of(
                IntervalCount.interval(0, 180, 1),     // (10, 95] -> (0, 180]
                IntervalCount.exact(30, 1),            // exact at 0 -> the first boundary, as an event is moved
                IntervalCount.interval(30, 90, 3),     // (40, 50] x2 and (31, 60] -> (30, 90]
                IntervalCount.interval(90, 180, 1),    // (95, 100] -> (90, 180]
                IntervalCount.rightCensored(90, 3),    // censored at 45 -> the first boundary at or after it
                IntervalCount.interval(200, 210, 1)),  // past the last boundary: as it is
                widened);
    }

    @Test
    void handMadeTimesWithoutIntervalStartsLeaveTheColumnEmpty() {
        assertNull(RelapseSummary.intervalCensoredIncidence(null, List.of(30)).get(30));
        assertTrue(RelapseSummary.intervalCensoredIncidence(List.of(), List.of(30)).isEmpty());
    }
}
