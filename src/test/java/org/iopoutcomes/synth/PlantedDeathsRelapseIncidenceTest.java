package org.iopoutcomes.synth;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.iopoutcomes.input.InputLoader;
import org.iopoutcomes.input.LoadedInput;
import org.iopoutcomes.input.Schemas;
import org.iopoutcomes.relapse.PostTreatmentRelapse;
import org.iopoutcomes.stats.AalenJohansen;
import org.iopoutcomes.stats.KaplanMeier;
import org.iopoutcomes.stats.Normal;
import org.iopoutcomes.stats.StateEstimate;
import org.iopoutcomes.stats.StatusCount;
import org.iopoutcomes.stats.SurvivalAtTime;
import org.iopoutcomes.stats.TimeCounts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Acceptance 2 of issue 14, through the job's own path: a written set with a large planted death hazard
 * ({@code generate --participants 3000 --death-hazard-per-year 1 --death-overdose-share 0.1 --with-truth}, the default
 * seed 20260930), read by the job's loader, post-treatment relapse by {@link PostTreatmentRelapse}. Over the
 * discharged IOP episodes, at 365 days after discharge, against the truth P(relapse by 365 days, before death) = the
 * mean of {@code p_relapse_before_death_365} over the same episodes in {@code post_discharge_truth} (0.401):
 * <ul>
 *   <li>the estimate the job published before issue 14 (no deaths input, so a death is a loss to follow-up at the
 *       last contact; 1 - Kaplan-Meier) lies at least 4 standard errors above the truth;</li>
 *   <li>the Aalen-Johansen cumulative incidence of relapse with death a competing event, what relapse_summary now
 *       publishes from these counts (RelapseSummaryAalenJohansenTest), lies <b>below</b> the truth and its CI misses
 *       it: a relapse is recorded only when a reached contact follows it, a death on its day, so a death between a
 *       relapse and the next contact is counted as a death before relapse. With a death hazard of 1 a year that
 *       hides about a quarter of the relapses. This test pins that gap (acceptance 2 does not hold for
 *       Aalen-Johansen on such data); an illness-death estimator with the relapse interval-censored is what can close
 *       it (docs/generator.md).</li>
 * </ul>
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PlantedDeathsRelapseIncidenceTest {
    static final GeneratorSettings SETTINGS = GeneratorSettings.defaults(3000, GeneratorSettings.DEFAULT_SEED)
            .withDeaths(1.0, 0.1);
    static final int HORIZON = 365;

    @TempDir
    static Path tmp;

    LoadedInput input;
    /** Discharged IOP episodes, counts per (relapse_time_days, relapse_status), deaths read from the registry. */
    List<StatusCount> counts = new ArrayList<>();
    /** The same without the deaths input, as the job read them before issue 14 (a death: lost to follow-up). */
    List<StatusCount> countsWithoutDeaths = new ArrayList<>();
    double truth;
    long truthEpisodes;

    @BeforeAll
    void generateAndEstimate() {
        SparkSession spark = TestSpark.get();
        Path out = tmp.resolve("generated");
        SyntheticDataWriter.write(spark, SETTINGS, out, SyntheticDataWriter.Format.CSV, 2, true);
        input = InputLoader.load(spark, new InputLoader.Request(out.toString(), null, LocalDate.of(2026, 12, 31), 0.0));
        var iop = input.episodes().where(col("level_of_care").equalTo("iop")).select("episode_id");
        collectCounts(PostTreatmentRelapse.compute(input).join(iop, "episode_id"), counts);
        collectCounts(PostTreatmentRelapse.compute(input.episodes(), input.sessions(),
                input.table(Schemas.SCREENS), input.table(Schemas.USE_EVENTS), input.table(Schemas.FOLLOWUPS),
                input.dataCut()).join(iop, "episode_id"),
                countsWithoutDeaths);
        Row t = spark.read().schema(SyntheticTables.schema(SyntheticTables.POST_DISCHARGE_TRUTH))
                .option("header", "true").csv(out.resolve(SyntheticTables.POST_DISCHARGE_TRUTH + ".csv").toString())
                .where(col("level_of_care").equalTo("iop"))
                .selectExpr("avg(p_relapse_before_death_365)", "count(*)").first();
        truth = t.getDouble(0);
        truthEpisodes = t.getLong(1);
    }

    private static void collectCounts(org.apache.spark.sql.Dataset<Row> relapse, List<StatusCount> into) {
        for (Row r : relapse.where(col(PostTreatmentRelapse.TIME).isNotNull())
                .groupBy(col(PostTreatmentRelapse.TIME), col(PostTreatmentRelapse.STATUS)).agg(count(lit(1)).as("n"))
                .collectAsList()) {
            into.add(new StatusCount(((Number) r.get(0)).doubleValue(), r.getInt(1), r.getLong(2)));
        }
    }

    @AfterAll
    void release() {
        input.close();
    }

    private long episodes() {
        return counts.stream().mapToLong(StatusCount::count).sum();
    }

    @Test
    void everyDischargedIopEpisodeIsEstimatedAndManyDieBeforeRelapse() {
        assertEquals(truthEpisodes, episodes(), "the truth and the estimate are over the same episodes");
        long deaths = counts.stream().filter(c -> c.status() == PostTreatmentRelapse.STATUS_DEATH)
                .mapToLong(StatusCount::count).sum();
        assertTrue(deaths > episodes() / 10, deaths + " deaths before relapse of " + episodes());
    }

    @Test
    void theEstimateBeforeIssue14IsFourStandardErrorsAboveTheTruth() {
        // without the deaths input a death is seen only as the end of contact: censored at the last contact
        TreeMap<Double, long[]> byDay = new TreeMap<>();
        for (StatusCount c : countsWithoutDeaths) {
            byDay.computeIfAbsent(c.time(), d -> new long[2])[c.status() == PostTreatmentRelapse.STATUS_RELAPSE ? 0 : 1]
                    += c.count();
        }
        List<TimeCounts> km = new ArrayList<>();
        byDay.forEach((day, n) -> km.add(new TimeCounts(day, n[0], n[1])));
        SurvivalAtTime at = KaplanMeier.fit(km).at(HORIZON);
        double z = (at.cumIncidence() - truth) / at.seSurv();
        assertTrue(z >= 4, "1 - KM " + at.cumIncidence() + " (SE " + at.seSurv() + ") vs truth " + truth + ": " + z
                + " SE");
        assertTrue(at.cumIncidenceLog().lower() > truth, "its CI misses the truth");
    }

    @Test
    void theAalenJohansenIncidenceOfDetectedRelapsesLiesBelowTheTruth() {
        AalenJohansen aj = AalenJohansen.fit(counts, new int[] {PostTreatmentRelapse.STATUS_RELAPSE,
                PostTreatmentRelapse.STATUS_DEATH}, Normal.Z95);
        StateEstimate relapse = aj.at(HORIZON).get(0).state(PostTreatmentRelapse.STATUS_RELAPSE);
        String what = "Aalen-Johansen " + relapse.estimate() + " (" + relapse.log().lower() + "-"
                + relapse.log().upper() + ") vs truth " + truth;
        assertTrue(relapse.log().upper() < truth, what);
        // measured 2026-12-07: 0.2847 (0.2674-0.3032) against 0.4012
        assertEquals(0.2847, relapse.estimate(), 5e-5, what);
    }
}
