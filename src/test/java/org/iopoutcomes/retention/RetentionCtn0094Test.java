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
import org.iopoutcomes.stats.KaplanMeier;
import org.iopoutcomes.stats.MedianSurvival;
import org.iopoutcomes.stats.SurvivalAtTime;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On the CTN-0094 trials the published overall and per-program retention equals Kaplan-Meier fitted by the
 * stats package directly from the per-episode rows of episode_outcomes (the Spark path aggregates counts per
 * day first; both must give the same figures). The figures are the worked example in docs/retention.md.
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
                .select("program_id", "retention_time_days", "dropout", "discharged").collectAsList();
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
            KaplanMeier retention = fit(group.getValue(), "dropout", grid);
            KaplanMeier lengthOfStay = fit(group.getValue(), "discharged");
            MedianSurvival median = lengthOfStay.median(ConfType.LOG);
            for (int horizon : RetentionSettings.DEFAULT_HORIZONS_DAYS) {
                Row row = summary.where("stratum = '" + stratum + "' and stratum_value = '" + group.getKey()
                        + "' and horizon_days = " + horizon).first();
                SurvivalAtTime at = retention.at(horizon);
                String what = group.getKey() + " at " + horizon;
                if (!grid.contains(horizon)) {
                    // off the stratum's grid an estimate would split an interval of the curves: not shown
                    assertEquals(true, row.getAs("suppressed"), what);
                    assertNull(row.getAs("retention"), what);
                    assertNull(row.getAs("n_at_risk"), what);
                    worked.add(String.format("| %s | %d | %d | not shown (off the grid %s) |", group.getKey(),
                            retention.n(), horizon, grid));
                    continue;
                }
                assertEquals(false, row.getAs("suppressed"), what);
                assertEquals(retention.n(), (long) row.getAs("episodes"), what);
                assertEquals(at.nRisk(), (long) row.getAs("n_at_risk"), what);
                assertClose(at.surv(), row.getAs("retention"), what);
                assertClose(at.log().lower(), row.getAs("retention_lower"), what);
                assertClose(at.log().upper(), row.getAs("retention_upper"), what);
                assertClose(median.median(), row.getAs("median_length_of_stay_days"), what);
                assertClose(median.ci().lower(), row.getAs("median_length_of_stay_lower"), what);
                assertClose(median.ci().upper(), row.getAs("median_length_of_stay_upper"), what);
                worked.add(String.format("| %s | %d | %d | %.4f (%.4f-%.4f) | %.1f (%.1f-%.1f) |", group.getKey(),
                        retention.n(), horizon, at.surv(), at.log().lower(), at.log().upper(), median.median(),
                        median.ci().lower(), median.ci().upper()));
            }
        }
        // the curve is the same fit read at the published days: weekly days and the horizons
        KaplanMeier overall = fit(null, "dropout", publishedDays("overall"));
        List<Row> points = curve.where("stratum = 'overall'").orderBy("day").collectAsList();
        assertTrue(points.size() > 20, "overall curve points: " + points.size());
        for (Row point : points) {
            int day = point.getAs("day");
            assertTrue(day % 7 == 0 || RetentionSettings.DEFAULT_HORIZONS_DAYS.contains(day), "day " + day);
            assertEquals(overall.at(day).nRisk(), (long) point.getAs("n_at_risk"));
            if (point.getAs("retention") != null) {
                assertClose(overall.at(day).surv(), point.getAs("retention"), "curve day " + day);
            }
        }
        worked.forEach(line -> System.out.println("CTN0094-RETENTION " + line));
    }
}
