package org.iopoutcomes.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;
import org.iopoutcomes.SparkTestSession;
import org.iopoutcomes.stats.AalenJohansen;
import org.iopoutcomes.stats.AalenJohansenRow;
import org.iopoutcomes.stats.BandTest;
import org.iopoutcomes.stats.BandTestResult;
import org.iopoutcomes.stats.GrayTest;
import org.iopoutcomes.stats.GrayTestResult;
import org.iopoutcomes.stats.IncidenceScale;
import org.iopoutcomes.stats.KaplanMeier;
import org.iopoutcomes.stats.StateEstimate;
import org.iopoutcomes.stats.StatusCount;
import org.iopoutcomes.stats.TimeCounts;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * relapse_summary and relapse_curve on the discharge clock are the Aalen-Johansen fit (relapse = 1, death before
 * relapse = 2) of the per-episode rows, as {@link AalenJohansen} (itself equal to R's multi-state
 * {@code survfit(Surv(time, factor(status)) ~ program)}, AalenJohansenTest) fits them from the same rows: estimate,
 * standard error and R's log CI on F for relapse, the incidence of death beside it, the verdict's p-values from
 * {@link BandTest} on the log-on-F scale. 400 seeded episodes (seed 20261207) in two programs, about one in eight
 * dying before relapse; daily estimates (suppression threshold 1).
 */
class RelapseSummaryAalenJohansenTest {
    private static final long SEED = 20261207L;
    private static final LocalDate DATA_CUT = LocalDate.of(2026, 11, 30);
    private static final RelapseSettings SETTINGS = RelapseSettings.defaults().withDefinitions(List.of());
    private static final int N = 400;
    private static final double[] TIME = new double[N];
    private static final int[] STATUS = new int[N];
    private static final String[] PROGRAM = new String[N];
    private static List<Row> summary;
    private static List<Row> curve;
    private static List<Row> internalSex;
    private static List<Row> publishedGray;

    @BeforeAll
    static void summarize() {
        Random random = new Random(SEED);
        StructType schema = HandMadeEpisodeTimes.schema(false);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            PROGRAM[i] = i % 2 == 0 ? "prog-a" : "prog-b";
            double relapseRate = PROGRAM[i].equals("prog-a") ? 1.0 / 300 : 1.0 / 600;
            int relapse = (int) (-Math.log(1 - random.nextDouble()) / relapseRate);
            int death = (int) (-Math.log(1 - random.nextDouble()) * 2500);
            int censor = random.nextInt(1200);
            TIME[i] = Math.min(relapse, Math.min(death, censor));
            STATUS[i] = TIME[i] == relapse ? 1 : TIME[i] == death ? 2 : 0;
            rows.add(RowFactory.create("e" + i, RelapseSummary.FIRST_USE, RelapseSummary.CLOCK_DISCHARGE,
                    (int) TIME[i], STATUS[i] == 1, STATUS[i], PROGRAM[i], "2024-01", "iop", "opioids", "25-34", "male",
                    Date.valueOf(DATA_CUT.minusDays(800))));
        }
        Dataset<Row> times = SparkTestSession.get().createDataFrame(rows, schema);
        Dataset<Row> noFollowUp = HandMadeEpisodeTimes.noFollowUp();
        RelapseSummary.Tables tables = RelapseSummary.compute(SparkTestSession.get(), times, noFollowUp, DATA_CUT,
                SETTINGS);
        summary = tables.internalSummary().where("stratum in ('overall', 'program_id')").collectAsList();
        curve = tables.internalCurve().where("stratum in ('overall', 'program_id')").collectAsList();
        internalSex = tables.internalSummary().where("stratum = 'sex'").collectAsList();
        // threshold 1: every day a boundary, every value shown; what the disclosure stage would publish
        publishedGray = tables.publishedGray().fill(tables.summary(), g -> true)
                .where("stratum = 'program_id'").collectAsList();
    }

    private static AalenJohansen fit(String program) {
        if (program == null) {
            return AalenJohansen.fromSubjects(TIME, STATUS);
        }
        return AalenJohansen.fromSubjects(TIME, STATUS, PROGRAM).get(program);
    }

    private static void assertClose(Double expected, Object actual, String what) {
        if (expected == null) {
            assertNull(actual, what);
        } else {
            assertEquals(expected, (double) (Double) actual, 1e-12, what);
        }
    }

    private static Double na(double x) {
        return Double.isNaN(x) ? null : x;
    }

    @Test
    void deathsArePlantedOften() {
        long deaths = java.util.Arrays.stream(STATUS).filter(s -> s == 2).count();
        long relapses = java.util.Arrays.stream(STATUS).filter(s -> s == 1).count();
        assertTrue(deaths >= 30 && relapses >= 150, deaths + " deaths, " + relapses + " relapses");
    }

    @Test
    void summaryEqualsAalenJohansenOfThePerEpisodeRows() {
        int checked = 0;
        for (Row row : summary) {
            String value = row.getAs("stratum_value");
            AalenJohansen aj = fit(value.equals("overall") ? null : value);
            int h = row.getAs("horizon_days");
            AalenJohansenRow at = aj.at(h).get(0);
            StateEstimate relapse = at.state(1);
            StateEstimate death = at.state(2);
            String where = value + " at " + h + ": " + row;
            assertEquals(aj.n(), (long) row.getAs("episodes"), where);
            assertEquals(at.nRisk(), (long) row.getAs("at_risk"), where);
            assertEquals(relapse.nEvent(), (long) row.getAs("relapses"), where);
            assertTrue((boolean) row.getAs("estimable"), where);
            assertClose(relapse.estimate(), row.getAs("cumulative_incidence"), where);
            assertClose(na(relapse.log().lower()), row.getAs("ci_lower"), where);
            assertClose(na(relapse.log().upper()), row.getAs("ci_upper"), where);
            assertClose(death.estimate(), row.getAs("death_incidence"), where);
            assertClose(na(death.log().lower()), row.getAs("death_ci_lower"), where);
            assertClose(na(death.log().upper()), row.getAs("death_ci_upper"), where);
            assertTrue(death.estimate() > 0, where);
            if (h == SETTINGS.bandHorizonDays()) {
                BandTestResult test = BandTest.test(relapse.estimate(), relapse.stdErr(), IncidenceScale.LOG_INCIDENCE,
                        SETTINGS.bandLower(), SETTINGS.bandUpper());
                assertClose(test.pBelow(), row.getAs("p_below_band"), where);
                assertClose(test.pAbove(), row.getAs("p_above_band"), where);
                assertEquals(RelapseSummary.bandVerdict(relapse.log(), SETTINGS.bandLower(), SETTINGS.bandUpper()),
                        row.getAs("verdict"), where);
            }
            checked++;
        }
        assertEquals(3 * RelapseSummary.horizons(SETTINGS).size(), checked);
    }

    /**
     * Gray's test between the two programs, of relapse and of death before relapse, equals {@link GrayTest} on the
     * per-episode rows (GrayTest itself equals R's {@code cmprsk::cuminc(ftime, fstatus, group)$Tests}, GrayTestTest):
     * the same p on both programs' verdict rows, none on the overall's nor at the other horizons, nor in a stratum
     * with one value (sex).
     */
    @Test
    void grayTestBetweenProgramsEqualsGrayTestOfThePerEpisodeRows() {
        Map<String, List<StatusCount>> byProgram = new java.util.TreeMap<>();
        for (int i = 0; i < N; i++) {
            byProgram.computeIfAbsent(PROGRAM[i], p -> new ArrayList<>()).add(new StatusCount(TIME[i], STATUS[i], 1));
        }
        List<GrayTestResult> expected = GrayTest.test(byProgram);
        assertEquals(List.of(1, 2), expected.stream().map(GrayTestResult::state).toList());
        double pRelapse = expected.get(0).pValue();
        double pDeath = expected.get(1).pValue();
        assertTrue(pRelapse < 0.001, "programs planted with relapse rates 1/300 and 1/600: " + pRelapse);
        assertTrue(pDeath > 0.01, "the same death rate in both programs: " + pDeath);
        int verdictRows = 0;
        for (Row row : summary) {
            boolean verdictRow = (int) row.getAs("horizon_days") == SETTINGS.bandHorizonDays()
                    && row.getAs("stratum").equals("program_id");
            String where = row.getAs("stratum_value") + " at " + row.getAs("horizon_days");
            if (verdictRow) {
                assertEquals(pRelapse, (double) row.getAs(RelapseSummary.GRAY_P_RELAPSE), 1e-12, where);
                assertEquals(pDeath, (double) row.getAs(RelapseSummary.GRAY_P_DEATH), 1e-12, where);
                verdictRows++;
            } else {
                assertNull(row.getAs(RelapseSummary.GRAY_P_RELAPSE), where);
                assertNull(row.getAs(RelapseSummary.GRAY_P_DEATH), where);
            }
        }
        assertEquals(2, verdictRows);
        assertEquals(RelapseSummary.horizons(SETTINGS).size(), internalSex.size());
        for (Row row : internalSex) {
            assertNull(row.getAs(RelapseSummary.GRAY_P_RELAPSE), "one value, nothing to compare: " + row);
        }
        // at a threshold of 1 the published test (filled by the disclosure stage) is the internal one
        verdictRows = 0;
        for (Row row : publishedGray) {
            if ((int) row.getAs("horizon_days") == SETTINGS.bandHorizonDays()) {
                assertEquals(pRelapse, (double) row.getAs(RelapseSummary.GRAY_P_RELAPSE), 1e-12);
                assertEquals(pDeath, (double) row.getAs(RelapseSummary.GRAY_P_DEATH), 1e-12);
                verdictRows++;
            } else {
                assertNull(row.getAs(RelapseSummary.GRAY_P_RELAPSE));
            }
        }
        assertEquals(2, verdictRows);
    }

    @Test
    void oneMinusKaplanMeierOverstatesRelapseWhenDeathsAreCensored() {
        // the naive estimate treats the dead as if they could still relapse: larger at every horizon
        List<TimeCounts> counts = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            counts.add(new TimeCounts(TIME[i], STATUS[i] == 1 ? 1 : 0, STATUS[i] == 1 ? 0 : 1));
        }
        KaplanMeier km = KaplanMeier.fit(counts);
        for (Row row : summary) {
            if (row.getAs("stratum").equals("overall") && (int) row.getAs("horizon_days") >= 90) {
                assertTrue(km.at((int) row.getAs("horizon_days")).cumIncidence()
                        > (double) row.getAs("cumulative_incidence"), row.toString());
            }
        }
    }

    @Test
    void curveEqualsAalenJohansenAtEachWeek() {
        int checked = 0;
        for (Row row : curve) {
            String value = row.getAs("stratum_value");
            AalenJohansenRow at = fit(value.equals("overall") ? null : value).at((int) row.getAs("day")).get(0);
            String where = value + " day " + row.getAs("day");
            assertEquals(at.nRisk(), (long) row.getAs("at_risk"), where);
            assertClose(at.state(1).estimate(), row.getAs("cumulative_incidence"), where);
            assertClose(na(at.state(1).log().lower()), row.getAs("ci_lower"), where);
            assertClose(na(at.state(1).log().upper()), row.getAs("ci_upper"), where);
            assertClose(at.state(2).estimate(), row.getAs("death_incidence"), where);
            assertClose(na(at.state(2).log().lower()), row.getAs("death_ci_lower"), where);
            checked++;
        }
        assertTrue(checked > 100, checked + " curve points");
    }

    @Test
    void withoutDeathsTheEstimateIsOneMinusKaplanMeier() {
        int[] noDeath = STATUS.clone();
        List<TimeCounts> counts = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            noDeath[i] = STATUS[i] == 2 ? 0 : STATUS[i];
            counts.add(new TimeCounts(TIME[i], noDeath[i] == 1 ? 1 : 0, noDeath[i] == 1 ? 0 : 1));
        }
        AalenJohansen aj = AalenJohansen.fromSubjects(TIME, noDeath);
        KaplanMeier km = KaplanMeier.fit(counts);
        for (int h : RelapseSummary.horizons(SETTINGS)) {
            assertEquals(km.at(h).cumIncidence(), aj.at(h).get(0).state(1).estimate(), 1e-12);
        }
        RelapseSummary.Group overall = new RelapseSummary.Group("overall", "overall", RelapseSummary.FIRST_USE,
                RelapseSummary.CLOCK_DISCHARGE);
        Map<Integer, RelapseSummary.CrudeCounts> known = new java.util.TreeMap<>();
        for (int h : RelapseSummary.horizons(SETTINGS)) {
            known.put(h, new RelapseSummary.CrudeCounts(N, 0, N)); // completeness 1: every horizon estimable
        }
        List<Row> rows = RelapseSummary.summaryRows(Map.of(overall, counts), Map.of(overall, known), Map.of(),
                SETTINGS);
        assertEquals(RelapseSummary.horizons(SETTINGS).size(), rows.size());
        for (Row row : rows) {
            StateEstimate relapse = aj.at((int) row.getAs("horizon_days")).get(0).state(1);
            assertEquals(relapse.estimate(), (double) row.getAs("cumulative_incidence"), 1e-12);
            assertEquals(relapse.log().upper(), (double) row.getAs("ci_upper"), 1e-12);
            assertEquals(0.0, (double) row.getAs("death_incidence"));
        }
    }
}
