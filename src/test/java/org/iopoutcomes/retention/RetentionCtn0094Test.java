package org.iopoutcomes.retention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.iopoutcomes.SparkTestSession;
import org.iopoutcomes.pipeline.OutcomesJob;
import org.iopoutcomes.pipeline.RunResult;
import org.iopoutcomes.pipeline.RunSettings;
import org.iopoutcomes.stats.ConfType;
import org.iopoutcomes.stats.AalenJohansen;
import org.iopoutcomes.stats.AalenJohansenRow;
import org.iopoutcomes.stats.KaplanMeier;
import org.iopoutcomes.stats.Normal;
import org.iopoutcomes.stats.StateEstimate;
import org.iopoutcomes.stats.StatusCount;
import org.iopoutcomes.stats.MedianSurvival;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On the CTN-0094 trials the published overall and per-program retention (Aalen-Johansen: still in treatment, and
 * the cumulative incidence of dropout, completion and other discharges) equals the stats package's fit from the
 * per-episode rows of episode_outcomes, and the median length of stay its Kaplan-Meier fit (the Spark path
 * aggregates counts per day first; both must give the same figures). AalenJohansen itself equals R's multi-state
 * survfit (AalenJohansenTest). The figures are the worked example in docs/retention.md.
 */
class RetentionCtn0094Test {
    static final double TOLERANCE = 1e-12;

    @TempDir
    static Path tmp;

    static Dataset<Row> summary;
    static Dataset<Row> curve;
    static List<Row> episodes;

    @BeforeAll
    static void runOnce() throws Exception {
        Path input = Path.of(RetentionCtn0094Test.class.getResource("/real/ctn0094").toURI());
        Path out = tmp.resolve("out");
        RunResult result = OutcomesJob.run(RunSettings.defaults(input.toString(), out.toString(),
                LocalDate.of(2026, 1, 1)), SparkTestSession.get());
        Path published = out.resolve("published/run_date=" + result.runDate());
        Path restricted = out.resolve("restricted/run_date=" + result.runDate());
        summary = SparkTestSession.get().read().parquet(published.resolve("retention_summary").toString()).cache();
        curve = SparkTestSession.get().read().parquet(published.resolve("retention_curve").toString()).cache();
        // the test, not the job, reads every episode: the reference fit needs per-subject rows
        episodes = SparkTestSession.get().read().parquet(restricted.resolve("episode_outcomes").toString())
                .select("program_id", "retention_time_days", "days_in_care", "dropout", "completed", "discharged")
                .collectAsList();
    }

    private static KaplanMeier fit(String program, String event) {
        return fit(program, event, new TreeSet<>());
    }

    /**
     * The fit on each episode's time rounded up to the next day of {@code grid} (times past its last day as they
     * are): R's survfit on the times so rounded, what the published numbers pool to (issue 13).
     */
    private static KaplanMeier fit(String program, String event, TreeSet<Integer> grid) {
        List<Row> rows = episodes.stream()
                .filter(r -> program == null || program.equals(r.getAs("program_id"))).toList();
        double[] time = new double[rows.size()];
        int[] status = new int[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            int day = rows.get(i).getAs("retention_time_days");
            Integer rounded = grid.ceiling(day);
            time[i] = rounded == null ? day : rounded;
            status[i] = (boolean) rows.get(i).getAs(event) ? 1 : 0;
        }
        return KaplanMeier.fromSubjects(time, status);
    }

    /**
     * Aalen-Johansen on the days from admission to discharge (or the data cut) rounded up to the next day of
     * {@code grid}: 1 dropout, 2 completed, 3 another discharge, 0 still open.
     */
    private static AalenJohansen retention(String program, TreeSet<Integer> grid) {
        List<Row> rows = episodes.stream()
                .filter(r -> program == null || program.equals(r.getAs("program_id"))).toList();
        List<StatusCount> counts = new ArrayList<>();
        for (Row r : rows) {
            int day = r.getAs("days_in_care");
            Integer rounded = grid.ceiling(day);
            int status = !(boolean) r.getAs("discharged") ? 0 : (boolean) r.getAs("dropout") ? 1
                    : (boolean) r.getAs("completed") ? 2 : 3;
            counts.add(new StatusCount(rounded == null ? day : rounded, status, 1));
        }
        return AalenJohansen.fit(counts, new int[] {1, 2, 3}, Normal.Z95);
    }

    private static void assertState(StateEstimate expected, Row row, String column, String what) {
        assertClose(expected.estimate(), row.getAs(column), what + " " + column);
        if (expected.stdErr() == 0) {
            // before the first transition the published interval is the estimate itself (R prints 0, 0)
            assertClose(expected.estimate(), row.getAs(column + "_lower"), what + " " + column);
            assertClose(expected.estimate(), row.getAs(column + "_upper"), what + " " + column);
            return;
        }
        // R's NA (a log interval where the estimate is 0) is an empty cell
        for (Object[] limit : new Object[][] {{expected.log().lower(), "_lower"}, {expected.log().upper(), "_upper"}}) {
            if (Double.isNaN((double) limit[0])) {
                assertNull(row.getAs(column + limit[1]), what + " " + column + limit[1]);
            } else {
                assertClose((double) limit[0], row.getAs(column + limit[1]), what + " " + column + limit[1]);
            }
        }
    }

    /** The published days of a stratum: the days of its curve rows. */
    private static TreeSet<Integer> publishedDays(String stratum) {
        TreeSet<Integer> days = new TreeSet<>();
        curve.where("stratum = '" + stratum + "'").select("day").collectAsList().forEach(r -> days.add(r.getInt(0)));
        return days;
    }

    private static void assertClose(double expected, Object actual, String what) {
        assertNotNull(actual, what);
        assertEquals(expected, (double) actual, TOLERANCE * Math.max(1.0, Math.abs(expected)), what);
    }

    @Test
    void overallAndPerProgramRetentionEqualTheStatsPackageFitFromEpisodes() {
        Map<String, String> groups = new LinkedHashMap<>();
        groups.put("overall", null);
        for (String program : List.of("ctn-27", "ctn-30", "ctn-51")) {
            groups.put(program, program);
        }
        List<String> worked = new ArrayList<>();
        for (var group : groups.entrySet()) {
            String stratum = group.getValue() == null ? "overall" : "program_id";
            TreeSet<Integer> grid = publishedDays(stratum);
            AalenJohansen retention = retention(group.getValue(), grid);
            KaplanMeier lengthOfStay = fit(group.getValue(), "discharged");
            MedianSurvival median = lengthOfStay.median(ConfType.LOG);
            for (int horizon : RetentionSettings.DEFAULT_HORIZONS_DAYS) {
                Row row = summary.where("stratum = '" + stratum + "' and stratum_value = '" + group.getKey()
                        + "' and horizon_days = " + horizon).first();
                AalenJohansenRow at = retention.at(horizon).get(0);
                String what = group.getKey() + " at " + horizon;
                if (!grid.contains(horizon)) {
                    // off the stratum's grid an estimate would split an interval of the curves: not shown
                    assertEquals(true, row.getAs("suppressed"), what);
                    assertNull(row.getAs("in_care"), what);
                    assertNull(row.getAs("dropout_incidence"), what);
                    assertNull(row.getAs("n_at_risk"), what);
                    worked.add(String.format("| %s | %d | %d | not shown (off the grid %s) |", group.getKey(),
                            retention.n(), horizon, grid));
                    continue;
                }
                assertEquals(false, row.getAs("suppressed"), what);
                assertEquals(retention.n(), (long) row.getAs("episodes"), what);
                assertEquals(at.nRisk(), (long) row.getAs("n_at_risk"), what);
                assertState(at.initial(), row, "in_care", what);
                assertState(at.state(1), row, "dropout_incidence", what);
                assertState(at.state(2), row, "completion_incidence", what);
                assertState(at.state(3), row, "other_discharge_incidence", what);
                double total = at.initial().estimate() + at.state(1).estimate() + at.state(2).estimate()
                        + at.state(3).estimate();
                assertEquals(1.0, total, 1e-12, what + ": in care and the ways out add up to 1");
                assertClose(median.median(), row.getAs("median_length_of_stay_days"), what);
                assertClose(median.ci().lower(), row.getAs("median_length_of_stay_lower"), what);
                assertClose(median.ci().upper(), row.getAs("median_length_of_stay_upper"), what);
                worked.add(String.format("| %s | %d | %d | %.4f (%.4f-%.4f) | %.4f | %.4f | %.4f | %.1f (%.1f-%.1f) |",
                        group.getKey(), retention.n(), horizon, at.initial().estimate(),
                        at.initial().log().lower(), at.initial().log().upper(), at.state(1).estimate(),
                        at.state(2).estimate(), at.state(3).estimate(), median.median(), median.ci().lower(),
                        median.ci().upper()));
            }
        }
        // the curve is the same fit read at the published days: weekly days and the horizons
        AalenJohansen overall = retention(null, publishedDays("overall"));
        List<Row> points = curve.where("stratum = 'overall'").orderBy("day").collectAsList();
        assertTrue(points.size() > 20, "overall curve points: " + points.size());
        for (Row point : points) {
            int day = point.getAs("day");
            assertTrue(day % 7 == 0 || RetentionSettings.DEFAULT_HORIZONS_DAYS.contains(day), "day " + day);
            AalenJohansenRow at = overall.at(day).get(0);
            assertEquals(at.nRisk(), (long) point.getAs("n_at_risk"));
            assertNotNull(point.getAs("in_care"), "curve day " + day);
            assertState(at.initial(), point, "in_care", "curve day " + day);
            assertState(at.state(1), point, "dropout_incidence", "curve day " + day);
            assertState(at.state(2), point, "completion_incidence", "curve day " + day);
        }
        worked.forEach(line -> System.out.println("CTN0094-RETENTION " + line));
    }
}
