package org.iopoutcomes.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.iopoutcomes.input.InputLoader;
import org.iopoutcomes.input.LoadedInput;
import org.iopoutcomes.input.TableCounts;
import org.iopoutcomes.metrics.PointPrevalence;
import org.iopoutcomes.metrics.RelapseSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14, acceptance 3: on data with planted recoveries (first relapses that are over before the next contact), the
 * job's point_prevalence table equals its definition applied to the generator's truth.
 *
 * <p>The set: 2,000 participants, seed 1403, recoveries for 60% of the first relapses after discharge, no deaths
 * planted, written as CSV with the truth and read back through the job's input loader; the table is
 * {@link PointPrevalence#counts} and {@link PointPrevalence#table} at the job's default relapse settings (horizons 30,
 * 90, 180, 365 days, window 14 days). The expected figures are computed here, in plain Java, from
 * {@code post_discharge_truth} alone: the true use days of each course ({@code relapse_day} .. {@code
 * recovery_end_day}, and from {@code sustained_relapse_day} on) and the true contacts ({@code call_reached_day_H}: the
 * follow-up call of day H reached the participant). Per horizon H: eligible when discharge + H + 14 is on or before
 * the generator's data cut; reached when a call that reached the participant lies within 14 days of H; abstinent when
 * the participant, by the truth, used on none of the 30 days up to the reached call nearest H (the earlier on a tie).
 * Counts must be equal, the two shares equal to 1e-12. (Overall, by the truth: at 30/90/180/365 days 2150/2113/1892/1422
 * eligible, 1838/1543/1146/691 reached, 1667/1294/888/480 abstinent; abstinence among the reached 0.9070, 0.8386,
 * 0.7749, 0.6946; worst case 0.7753, 0.6124, 0.4693, 0.3376.)
 *
 * <p>The check can fail: at every horizon some of those reached used after discharge, recovered, and were abstinent
 * in the 30 days before the call (counted here); reading their call as "using" (continuous use from the first use on,
 * which is what the time to first relapse assumes once it sees use) would change the counts by that many.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PlantedRecoveriesPointPrevalenceTest {
    static final long SEED = 1403L;
    static final int PARTICIPANTS = 2000;
    static final double RECOVERY_SHARE = 0.6;
    static final GeneratorSettings SETTINGS = GeneratorSettings.defaults(PARTICIPANTS, SEED)
            .withRecoveries(RECOVERY_SHARE);
    static final int WINDOW = PointPrevalence.DEFAULT_WINDOW_DAYS;

    @TempDir
    static Path tmp;

    LoadedInput input;
    /** The job's point_prevalence rows, keyed "stratum/value/horizon". */
    final Map<String, Row> job = new LinkedHashMap<>();
    List<Row> truth;

    @BeforeAll
    void generateLoadAndCompute() {
        SparkSession spark = TestSpark.get();
        Path out = tmp.resolve("generated");
        SyntheticDataWriter.write(spark, SETTINGS, out, SyntheticDataWriter.Format.CSV, 2, true);
        input = InputLoader.load(spark, new InputLoader.Request(out.toString(), SETTINGS.dataCut,
                LocalDate.of(2026, 12, 31), 0.0));
        RelapseSettings relapse = RelapseSettings.defaults();
        for (Row r : PointPrevalence.table(spark, PointPrevalence.counts(input, relapse, WINDOW).collectAsList(),
                relapse).collectAsList()) {
            job.put(key(r.getAs("stratum"), r.getAs("stratum_value"), r.<Integer>getAs("horizon_days")), r);
        }
        truth = spark.read().schema(SyntheticTables.schema(SyntheticTables.POST_DISCHARGE_TRUTH))
                .option("header", "true").csv(out.resolve(SyntheticTables.POST_DISCHARGE_TRUTH + ".csv").toString())
                .collectAsList();
    }

    @AfterAll
    void release() {
        if (input != null) {
            input.close();
        }
    }

    private static String key(String stratum, String value, int horizon) {
        return stratum + "/" + value + "/" + horizon;
    }

    /** Counts per horizon from the truth: eligible, reached, abstinent, and those reached who recovered before the window. */
    static final class Tally {
        long eligible;
        long reached;
        long abstinent;
        long recoveredBeforeCall;
    }

    /** Whether the truth has the participant using on some day of [from, to] (days after discharge). */
    static boolean used(Row t, int from, int to) {
        int first = t.getAs("relapse_day");
        Integer recoveryEnd = t.getAs("recovery_end_day");
        int sustained = t.getAs("sustained_relapse_day");
        boolean firstEpisode = first <= to && (recoveryEnd == null || recoveryEnd >= from);
        return firstEpisode || sustained <= to;
    }

    /** The definition applied to the truth, per stratum value ("overall" and each program) and horizon. */
    Map<String, Tally> expected(List<Integer> horizons) {
        Map<String, Tally> tallies = new TreeMap<>();
        int[] callDays = ParticipantSimulator.FOLLOWUP_DAYS;
        LocalDate cut = SETTINGS.dataCut;
        for (Row t : truth) {
            LocalDate discharge = ((java.sql.Date) t.getAs("discharge_date")).toLocalDate();
            for (int h : horizons) {
                boolean eligible = !discharge.plusDays(h + WINDOW).isAfter(cut);
                // the reached call nearest the horizon within the window, the earlier on a tie
                int call = -1;
                for (int c : callDays) {
                    Boolean reached = t.getAs("call_reached_day_" + c);
                    if (Boolean.TRUE.equals(reached) && Math.abs(c - h) <= WINDOW
                            && (call < 0 || Math.abs(c - h) < Math.abs(call - h))) {
                        call = c;
                    }
                }
                boolean reached = eligible && call >= 0;
                boolean abstinent = reached && !used(t, call - 29, call);
                boolean recovered = abstinent && used(t, 1, call - 30);
                for (String k : List.of(key("overall", "overall", h),
                        key("program_id", t.getAs("program_id"), h))) {
                    Tally x = tallies.computeIfAbsent(k, z -> new Tally());
                    x.eligible += eligible ? 1 : 0;
                    x.reached += reached ? 1 : 0;
                    x.abstinent += abstinent ? 1 : 0;
                    x.recoveredBeforeCall += recovered ? 1 : 0;
                }
            }
        }
        return tallies;
    }

    @Test
    void theInputIsLoadedWholeAndHasRecoveriesAtTheGeneratorsDataCut() {
        for (TableCounts c : input.counts()) {
            assertEquals(0, c.rowsRejected(), c.table() + ": " + c.reasonsText());
        }
        assertEquals(SETTINGS.dataCut, input.dataCut());
        long recoveries = truth.stream().filter(t -> t.getAs("recovery_end_day") != null).count();
        assertTrue(recoveries >= 300, "recoveries planted: " + recoveries);
        // the truth's own past-30-day use agrees with its use days wherever the call of that day exists
        for (Row t : truth) {
            for (int c : ParticipantSimulator.FOLLOWUP_DAYS) {
                Boolean use = t.getAs("use_past_30_day_" + c);
                if (use != null && t.getAs("call_reached_day_" + c) != null) {
                    assertEquals(used(t, c - 29, c), use, t + " day " + c);
                }
            }
        }
    }

    @Test
    void everyOverallAndProgramRowEqualsTheDefinitionAppliedToTheTruth() {
        List<Integer> horizons = List.of(30, 90, 180, 365);
        Map<String, Tally> expected = expected(horizons);
        List<String> checked = new ArrayList<>();
        for (Map.Entry<String, Tally> entry : expected.entrySet()) {
            Row r = job.get(entry.getKey());
            assertNotNull(r, entry.getKey() + " missing from point_prevalence: " + job.keySet());
            Tally x = entry.getValue();
            String k = entry.getKey();
            assertEquals(x.eligible, (long) r.getAs("eligible"), k + " eligible");
            assertEquals(x.reached, (long) r.getAs("reached"), k + " reached");
            assertEquals(x.abstinent, (long) r.getAs("abstinent"), k + " abstinent");
            assertTrue(x.eligible > 0 && x.reached > 0, k + ": nothing to compare");
            assertEquals((double) x.abstinent / x.reached, (double) r.getAs("abstinence_among_reached"), 1e-12,
                    k + " abstinence among reached");
            assertEquals((double) x.abstinent / x.eligible, (double) r.getAs("abstinence_worst_case"), 1e-12,
                    k + " worst case");
            checked.add(k);
        }
        // the overall rows of the job are exactly these four horizons, and the program rows three programs' worth
        assertEquals(horizons, job.values().stream().filter(r -> "overall".equals(r.getAs("stratum")))
                .map(r -> r.<Integer>getAs("horizon_days")).toList());
        assertEquals(4 * (1 + SETTINGS.programs), checked.size(), checked.toString());

        // the check has teeth: at every horizon some of those reached had used after discharge and recovered before
        // the call's 30 days; were they counted as using (the continuous-abstinence reading), abstinent would differ
        StringBuilder report = new StringBuilder("point prevalence vs truth (seed " + SEED + ", " + PARTICIPANTS
                + " participants, recovery share " + RECOVERY_SHARE + "):");
        for (int h : horizons) {
            Tally x = expected.get(key("overall", "overall", h));
            // (the 30-day call's window covers every day since discharge: nobody can have recovered before it)
            assertTrue(h == 30 ? x.recoveredBeforeCall == 0 : x.recoveredBeforeCall >= 10, "horizon " + h + ": only " + x.recoveredBeforeCall
                    + " reached and abstinent after a recovery");
            report.append(String.format(java.util.Locale.ROOT,
                    "%n  H=%d eligible %d reached %d abstinent %d (of them after a recovery %d) among reached %.4f"
                            + " worst case %.4f", h, x.eligible, x.reached, x.abstinent, x.recoveredBeforeCall,
                    (double) x.abstinent / x.reached, (double) x.abstinent / x.eligible));
        }
        System.out.println(report);
    }
}
