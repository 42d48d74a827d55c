package org.iopoutcomes.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;
import org.iopoutcomes.SparkTestSession;
import org.iopoutcomes.metrics.HandMadeEpisodeTimes;
import org.iopoutcomes.metrics.PublishedSuppression;
import org.iopoutcomes.metrics.RelapseSettings;
import org.iopoutcomes.metrics.RelapseSummary;
import org.iopoutcomes.publish.Disclosure;
import org.iopoutcomes.stats.GrayTest;
import org.iopoutcomes.stats.GrayTestResult;
import org.iopoutcomes.stats.StatusCount;
import org.junit.jupiter.api.Test;

/**
 * The published Gray's tests of relapse_summary (issue 14) under disclosure control (issue 13), on hand-made counts
 * at the default threshold of 11: after the suppression, each stratum's test compares only the values whose curves
 * are published whole, from the counts those curves are computed from (pooled to the stratum's grid, nothing after
 * its last day), and is empty when fewer than two values are shown; the internal copy compares every value from the
 * daily counts. The suppression is the disclosure stage's, on relapse_summary alone ({@link DisclosureStage#protect}
 * runs the same calls over every table).
 */
class PublishedGrayTestTest {
    private static final LocalDate DATA_CUT = LocalDate.of(2026, 11, 30);
    private static final RelapseSettings SETTINGS = RelapseSettings.defaults().withDefinitions(List.of());
    private static final int THRESHOLD = 11;
    private static final List<String> KEY = List.of("stratum", "stratum_value", "definition", "clock");

    /** One block of episodes of a program: n episodes ending on one day with one status (0, 1 relapse, 2 death). */
    private record Block(String program, int n, int day, int status) {}

    /** What one run gives: the published and internal summaries and the published relapse curve. */
    private record Run(List<Row> published, List<Row> internal, List<Row> curve, RelapseSummary.PublishedGray gray,
                       Map<String, List<StatusCount>> daily) {
        Row verdictRow(List<Row> rows, String program) {
            return rows.stream().filter(r -> r.getAs("stratum").equals("program_id")
                    && r.getAs("stratum_value").equals(program)
                    && (int) r.getAs("horizon_days") == SETTINGS.bandHorizonDays()).findFirst().orElseThrow();
        }

        Set<Integer> curveDays(String program) {
            Set<Integer> days = new TreeSet<>();
            curve.stream().filter(r -> r.getAs("stratum").equals("program_id")
                    && r.getAs("stratum_value").equals(program)).forEach(r -> days.add(r.getAs("day")));
            return days;
        }
    }

    private static Run run(List<Block> blocks) {
        StructType schema = HandMadeEpisodeTimes.schema(false);
        List<Row> rows = new ArrayList<>();
        Map<String, List<StatusCount>> daily = new LinkedHashMap<>();
        int id = 0;
        for (Block b : blocks) {
            daily.computeIfAbsent(b.program(), p -> new ArrayList<>()).add(new StatusCount(b.day(), b.status(), b.n()));
            for (int i = 0; i < b.n(); i++) {
                rows.add(RowFactory.create("e" + id++, RelapseSummary.FIRST_USE, RelapseSummary.CLOCK_DISCHARGE,
                        b.day(), b.status() == 1, b.status(), b.program(), "2024-01", "iop", "opioids", "25-34",
                        "female", Date.valueOf(DATA_CUT.minusDays(800))));
            }
        }
        Dataset<Row> times = SparkTestSession.get().createDataFrame(rows, schema);
        Dataset<Row> noFollowUp = HandMadeEpisodeTimes.noFollowUp();
        RelapseSummary.Tables tables = RelapseSummary.compute(SparkTestSession.get(), times, noFollowUp, DATA_CUT,
                SETTINGS, THRESHOLD);

        // the disclosure stage's calls, on relapse_summary alone
        Disclosure d = new Disclosure().linearProgrammes(false);
        PublishedSuppression.Registered relapse = PublishedSuppression.register(d, tables.summary(),
                RelapseStage.SUMMARY_SPEC);
        boolean[] hidden = d.protect(THRESHOLD, relapse::close).hidden();
        Dataset<Row> finished = relapse.finish(hidden.clone())
                .drop(RelapseStage.INTERNAL_ONLY_COLUMNS.toArray(String[]::new));
        Map<String, Integer> cuts = DisclosureStage.curveCuts(relapse, hidden, KEY, RelapseSummary.OFF_GRID,
                List.of("at_risk", "relapses"));
        Dataset<Row> curve = DisclosureStage.cut(RelapseStage.publishedCurve(tables.curve(), finished, THRESHOLD),
                cuts, KEY);
        Dataset<Row> published = DisclosureStage.grayTests(finished, tables.publishedGray(), cuts);
        return new Run(published.collectAsList(), tables.internalSummary().collectAsList(), curve.collectAsList(),
                tables.publishedGray(), daily);
    }

    private static RelapseSummary.Group group(String program) {
        return new RelapseSummary.Group("program_id", program, RelapseSummary.FIRST_USE,
                RelapseSummary.CLOCK_DISCHARGE);
    }

    /**
     * Three programs of 60 with every count of a step 0 or at least 11, and two of 5 and 6 (pooled, not shown), so
     * the internal test compares five values and the published one those whose curves stay whole.
     */
    private static final List<Block> FIVE_PROGRAMS = List.of(
            new Block("prog-a", 15, 20, 1), new Block("prog-a", 12, 100, 2), new Block("prog-a", 15, 200, 1),
            new Block("prog-a", 18, 500, 0),
            new Block("prog-b", 12, 20, 1), new Block("prog-b", 11, 300, 1), new Block("prog-b", 37, 500, 0),
            new Block("prog-c", 20, 45, 1), new Block("prog-c", 11, 150, 2), new Block("prog-c", 11, 250, 1),
            new Block("prog-c", 18, 500, 0),
            // still followed at the last day: the pooled values' counts add up to 0 or 11, so the overall less the
            // shown programs narrows neither below the threshold (no complement is needed among the shown ones)
            new Block("prog-d", 5, 500, 0), new Block("prog-e", 6, 500, 0));

    @Test
    void thePublishedTestComparesOnlyTheShownValuesFromThePublishedCurvesCounts() {
        Run run = run(FIVE_PROGRAMS);
        List<String> shown = List.of("prog-a", "prog-c");
        for (String p : shown) {
            Row row = run.verdictRow(run.published(), p);
            assertNotNull(row.getAs("episodes"), p + " is shown: " + row);
            assertNotNull(row.getAs("at_risk"), p + " is shown: " + row);
            assertTrue(run.curveDays(p).contains(SETTINGS.bandHorizonDays()), p + "'s curve is whole");
        }
        // prog-d and prog-e are hidden (pooled); prog-b's episodes are shown, but the joint pass hides its number
        // at risk and relapses at every horizon as complements (the overall less prog-a and prog-c would give back
        // the pooled pair's), so its curve is cut after day 28 and a test with it would rest on hidden counts
        Row b = run.verdictRow(run.published(), "prog-b");
        assertNotNull(b.getAs("episodes"));
        assertNull(b.getAs("at_risk"));
        assertEquals(28, run.curveDays("prog-b").stream().mapToInt(Integer::intValue).max().orElseThrow());
        for (String p : List.of("prog-b", "prog-d", "prog-e")) {
            if (!p.equals("prog-b")) {
                assertNull(run.verdictRow(run.published(), p).getAs("episodes"), p + " is hidden");
                assertTrue(run.curveDays(p).isEmpty(), p + " has no curve");
            }
            assertNull(run.verdictRow(run.published(), p).getAs(RelapseSummary.GRAY_P_RELAPSE), p);
            assertNull(run.verdictRow(run.published(), p).getAs(RelapseSummary.GRAY_P_DEATH), p);
        }

        // the counts the published test is computed from: on the days the published curves show, nothing later
        Map<String, List<StatusCount>> pooled = new LinkedHashMap<>();
        for (String p : shown) {
            List<StatusCount> counts = run.gray().counts().get(group(p));
            Set<Integer> days = run.curveDays(p);
            int last = days.stream().mapToInt(Integer::intValue).max().orElseThrow();
            for (StatusCount c : counts) {
                assertTrue(days.contains((int) c.time()), p + ": " + c + " off the published days " + days);
            }
            assertTrue(counts.stream().anyMatch(c -> c.time() == last && c.status() == 0),
                    p + ": followed to the last published day, " + last + ", and censored there");
            assertEquals(60, counts.stream().mapToLong(StatusCount::count).sum(), p);
            pooled.put(p, counts);
        }
        assertTrue(run.gray().counts().keySet().stream().noneMatch(g -> g.stratumValue().equals("prog-d")
                || g.stratumValue().equals("prog-e")), "no published counts of a value without a curve");
        List<GrayTestResult> expected = GrayTest.test(pooled);
        assertEquals(List.of(1, 2), expected.stream().map(GrayTestResult::state).toList());
        for (String p : shown) {
            Row row = run.verdictRow(run.published(), p);
            assertEquals(expected.get(0).pValue(), (double) row.getAs(RelapseSummary.GRAY_P_RELAPSE), 1e-12, p);
            assertEquals(expected.get(1).pValue(), (double) row.getAs(RelapseSummary.GRAY_P_DEATH), 1e-12, p);
        }
        // nowhere else: not at the other horizons, not on the overall's rows, not in a stratum of one value
        long filled = run.published().stream().filter(r -> r.getAs(RelapseSummary.GRAY_P_RELAPSE) != null).count();
        assertEquals(shown.size(), filled);

        // the internal copy: every value, daily counts
        List<GrayTestResult> internal = GrayTest.test(run.daily());
        for (String p : List.of("prog-a", "prog-b", "prog-c", "prog-d", "prog-e")) {
            Row row = run.verdictRow(run.internal(), p);
            assertEquals(internal.get(0).pValue(), (double) row.getAs(RelapseSummary.GRAY_P_RELAPSE), 1e-12, p);
            assertEquals(internal.get(1).pValue(), (double) row.getAs(RelapseSummary.GRAY_P_DEATH), 1e-12, p);
        }
        assertNotEquals(internal.get(0).pValue(), expected.get(0).pValue(), "five values against two");
    }

    @Test
    void thePublishedTestIsEmptyWhenFewerThanTwoValuesAreShown() {
        // prog-c (5 episodes) is pooled with the smallest other program, so only one program keeps a curve
        Run run = run(List.of(
                new Block("prog-a", 15, 20, 1), new Block("prog-a", 12, 100, 2), new Block("prog-a", 15, 200, 1),
                new Block("prog-a", 18, 500, 0),
                new Block("prog-b", 12, 20, 1), new Block("prog-b", 11, 300, 1), new Block("prog-b", 38, 500, 0),
                new Block("prog-c", 5, 500, 0)));
        long withCurve = List.of("prog-a", "prog-b", "prog-c").stream().filter(p -> !run.curveDays(p).isEmpty())
                .count();
        assertEquals(1, withCurve, "one program shown");
        for (Row row : run.published()) {
            assertNull(row.getAs(RelapseSummary.GRAY_P_RELAPSE), row.toString());
            assertNull(row.getAs(RelapseSummary.GRAY_P_DEATH), row.toString());
        }
        // inside the program the test is there, over the three programs
        List<GrayTestResult> internal = GrayTest.test(run.daily());
        for (String p : List.of("prog-a", "prog-b", "prog-c")) {
            assertEquals(internal.get(0).pValue(),
                    (double) run.verdictRow(run.internal(), p).getAs(RelapseSummary.GRAY_P_RELAPSE), 1e-12, p);
        }
    }

    @Test
    void aValueWhoseCurveIsCutIsLeftOut() {
        // the rule on a hand-made verdict: only values without a cut are compared, and two are needed
        Map<RelapseSummary.Group, List<StatusCount>> counts = new LinkedHashMap<>();
        for (String p : List.of("prog-a", "prog-b", "prog-c")) {
            counts.put(group(p), List.of(new StatusCount(30, 1, p.equals("prog-a") ? 20 : 11),
                    new StatusCount(90, 2, 11), new StatusCount(90, 0, 30)));
        }
        RelapseSummary.PublishedGray gray = new RelapseSummary.PublishedGray(counts, 365);
        StructType schema = RelapseSummary.SUMMARY_SCHEMA;
        List<Row> rows = new ArrayList<>();
        for (String p : List.of("prog-a", "prog-b", "prog-c")) {
            Object[] v = new Object[schema.size()];
            v[schema.fieldIndex("stratum")] = "program_id";
            v[schema.fieldIndex("stratum_value")] = p;
            v[schema.fieldIndex("definition")] = RelapseSummary.FIRST_USE;
            v[schema.fieldIndex("clock")] = RelapseSummary.CLOCK_DISCHARGE;
            v[schema.fieldIndex("horizon_days")] = 365;
            rows.add(RowFactory.create(v));
        }
        Dataset<Row> summary = SparkTestSession.get().createDataFrame(rows, schema);
        String cutKey = String.join("\u0001", "program_id", "prog-c", RelapseSummary.FIRST_USE,
                RelapseSummary.CLOCK_DISCHARGE) + "\u0001";
        List<Row> two = DisclosureStage.grayTests(summary, gray, Map.of(cutKey, 90)).collectAsList();
        double p = GrayTest.test(Map.of("prog-a", counts.get(group("prog-a")), "prog-b",
                counts.get(group("prog-b")))).get(0).pValue();
        assertEquals(p, (double) two.get(0).getAs(RelapseSummary.GRAY_P_RELAPSE), 1e-12);
        assertEquals(p, (double) two.get(1).getAs(RelapseSummary.GRAY_P_RELAPSE), 1e-12);
        assertNull(two.get(2).getAs(RelapseSummary.GRAY_P_RELAPSE), "prog-c's curve is cut: left out");

        String cutB = cutKey.replace("prog-c", "prog-b");
        for (Row row : DisclosureStage.grayTests(summary, gray, Map.of(cutKey, 90, cutB, 0)).collectAsList()) {
            assertNull(row.getAs(RelapseSummary.GRAY_P_RELAPSE), "one value left: " + row);
            assertNull(row.getAs(RelapseSummary.GRAY_P_DEATH), "one value left: " + row);
        }
    }
}
