package org.iopoutcomes.metrics;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.date_add;
import static org.apache.spark.sql.functions.datediff;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.iopoutcomes.input.LoadedInput;
import org.iopoutcomes.input.Schemas;
import org.iopoutcomes.stats.BinomialOneSample;
import org.iopoutcomes.stats.Interval;

/**
 * Point-prevalence abstinence at each follow-up horizon (SPEC section 3, Relapse, revised 2026-12; issue 14): the
 * outcome most programs and funders report, beside the time to first detected relapse, which assumes continuous
 * abstinence between contacts (a call covers 30 days, a screen a few; a use that ends before the next contact is
 * never seen).
 *
 * <p>For each discharged episode and horizon H (days after discharge, the relapse horizons): eligible when its
 * follow-up window has closed by the data cut (discharge + H + window &lt;= data cut); reached when a follow-up call
 * in the window (days H - window .. H + window after discharge) reached the person with an answer; abstinent when the
 * answered call nearest H (the earlier on a tie) says abstinent in the past 30 days. Calls belong to the episode they
 * name, else to the participant's latest admission on or before the call (as {@link RelapseFollowUp}). Per stratum
 * and horizon: the share abstinent among those reached (what a survey of responders reports) and the worst case,
 * abstinent among all eligible (the unreached counted as using), each with its Wilson 95% CI.
 */
public final class PointPrevalence {
    public static final String TABLE = "point_prevalence";
    /** Days either side of the horizon a follow-up call counts for it, by default (`--followup-window-days`). */
    public static final int DEFAULT_WINDOW_DAYS = RelapseSettings.DEFAULT_FOLLOWUP_WINDOW_DAYS;

    public static final StructType SCHEMA = new StructType()
            .add("stratum", DataTypes.StringType, false)
            .add("stratum_value", DataTypes.StringType, false)
            .add("horizon_days", DataTypes.IntegerType, false)
            .add("eligible", DataTypes.LongType, true)
            .add("reached", DataTypes.LongType, true)
            .add("abstinent", DataTypes.LongType, true)
            .add("abstinence_among_reached", DataTypes.DoubleType, true)
            .add("abstinence_among_reached_lower", DataTypes.DoubleType, true)
            .add("abstinence_among_reached_upper", DataTypes.DoubleType, true)
            .add("abstinence_worst_case", DataTypes.DoubleType, true)
            .add("abstinence_worst_case_lower", DataTypes.DoubleType, true)
            .add("abstinence_worst_case_upper", DataTypes.DoubleType, true);

    /**
     * What point_prevalence declares to the disclosure layer: the stratum values add up to the overall row; within a
     * row the eligible are the reached and the not reached, the reached the abstinent and the others; each share with
     * the counts it is computed from.
     */
    public static final PublishedSuppression.Spec DISCLOSURE_SPEC = new PublishedSuppression.Spec(TABLE,
            List.of("stratum", "stratum_value", "horizon_days"),
            List.of(new PublishedSuppression.Axis(List.of("stratum_value"), List.of("stratum"))),
            List.of(new PublishedSuppression.ColumnGroup(List.of("eligible"), List.of("abstinence_worst_case",
                            "abstinence_worst_case_lower", "abstinence_worst_case_upper")),
                    new PublishedSuppression.ColumnGroup(List.of("reached"), List.of("abstinence_among_reached",
                            "abstinence_among_reached_lower", "abstinence_among_reached_upper")),
                    new PublishedSuppression.ColumnGroup(List.of("abstinent"), List.of())),
            List.of(),
            List.of(PublishedSuppression.RowRelation.withRest("eligible", "not_reached", "reached"),
                    PublishedSuppression.RowRelation.withRest("reached", "not_abstinent", "abstinent")),
            List.of());

    private PointPrevalence() {}

    /**
     * Per (episode, horizon): episode_id, horizon_days, eligible, reached, abstinent; only discharged episodes, every
     * horizon.
     */
    public static Dataset<Row> perEpisode(LoadedInput input, List<Integer> horizons, int windowDays) {
        return perEpisode(input.episodes(), input.table(Schemas.FOLLOWUPS), input.dataCut(), horizons, windowDays);
    }

    static Dataset<Row> perEpisode(Dataset<Row> episodes, Dataset<Row> followups, LocalDate dataCut,
                                   List<Integer> horizons, int windowDays) {
        Dataset<Row> discharged = episodes.where(col("discharge_date").isNotNull())
                .select(col("episode_id"), col("participant_id"), col("admission_date"), col("discharge_date"));
        Dataset<Row> named = followups.where(col("episode_id").isNotNull()).drop("participant_id")
                .join(discharged.select("episode_id", "discharge_date"), "episode_id");
        Dataset<Row> unnamed = RelapseFollowUp.attribute(followups.where(col("episode_id").isNull())
                        .drop("episode_id"), discharged.select("episode_id", "participant_id", "admission_date"),
                        "assessment_date")
                .join(discharged.select("episode_id", "discharge_date"), "episode_id");
        Column horizonList = array(horizons.stream().map(h -> lit(h)).toArray(Column[]::new));
        // one row per answered call and horizon whose window holds it
        Dataset<Row> answered = named.select("episode_id", "discharge_date", "assessment_date", "reached",
                        "abstinent_past_30_days")
                .unionByName(unnamed.select("episode_id", "discharge_date", "assessment_date", "reached",
                        "abstinent_past_30_days"))
                .where(col("reached").and(col("abstinent_past_30_days").isNotNull()))
                .withColumn("days", datediff(col("assessment_date"), col("discharge_date")))
                .withColumn("horizon_days", explode(horizonList))
                .where(abs(col("days").minus(col("horizon_days"))).leq(windowDays));
        // the call nearest the horizon, the earlier on a tie
        Dataset<Row> nearest = answered
                .groupBy(col("episode_id"), col("horizon_days"))
                .agg(min(struct(abs(col("days").minus(col("horizon_days"))).as("distance"), col("days"),
                        col("abstinent_past_30_days").as("abstinent"))).as("call"))
                .select(col("episode_id"), col("horizon_days"), lit(true).as("reached"),
                        col("call.abstinent").as("abstinent"));
        return discharged.select(col("episode_id"), col("discharge_date"), explode(horizonList).as("horizon_days"))
                .withColumn("eligible", date_add(col("discharge_date"), col("horizon_days").plus(windowDays))
                        .leq(lit(dataCut)))
                .join(nearest, new String[] {"episode_id", "horizon_days"}, "left")
                .select(col("episode_id"), col("horizon_days"), col("eligible"),
                        col("eligible").and(col("reached").isNotNull()).as("reached"),
                        col("eligible").and(col("abstinent").eqNullSafe(true)).as("abstinent"));
    }

    /** Per (stratum, stratum_value, horizon_days): eligible, reached, abstinent. */
    public static Dataset<Row> counts(LoadedInput input, RelapseSettings settings, int windowDays) {
        Dataset<Row> byEpisode = perEpisode(input, RelapseSummary.horizons(settings), windowDays)
                .join(RelapseSummary.episodeStrata(input.episodes(), settings), "episode_id");
        return RelapseSummary.explodeStrata(byEpisode, settings, List.of("horizon_days", "eligible", "reached",
                        "abstinent"))
                .groupBy("stratum", "stratum_value", "horizon_days")
                .agg(sum(when(col("eligible"), 1L).otherwise(0L)).as("eligible"),
                        sum(when(col("reached"), 1L).otherwise(0L)).as("reached"),
                        sum(when(col("abstinent"), 1L).otherwise(0L)).as("abstinent"));
    }

    /** The table from the collected counts, in the strata's order, with the shares and their Wilson CIs. */
    public static Dataset<Row> table(SparkSession spark, List<Row> counts, RelapseSettings settings) {
        List<String> order = new ArrayList<>(List.of(RelapseSummary.OVERALL));
        order.addAll(RelapseSummary.strata(settings));
        List<Row> sorted = new ArrayList<>(counts);
        sorted.sort(Comparator.<Row>comparingInt(r -> order.indexOf(r.<String>getAs("stratum")))
                .thenComparing(r -> r.<String>getAs("stratum_value"))
                .thenComparingInt(r -> r.<Integer>getAs("horizon_days")));
        List<Row> rows = new ArrayList<>();
        for (Row r : sorted) {
            long eligible = r.getAs("eligible");
            long reached = r.getAs("reached");
            long abstinent = r.getAs("abstinent");
            List<Object> values = new ArrayList<>();
            values.add(r.<String>getAs("stratum"));
            values.add(r.<String>getAs("stratum_value"));
            values.add(r.<Integer>getAs("horizon_days"));
            values.addAll(List.of(eligible, reached, abstinent));
            values.addAll(share(abstinent, reached));
            values.addAll(share(abstinent, eligible));
            rows.add(RowFactory.create(values.toArray()));
        }
        return spark.createDataFrame(rows, SCHEMA);
    }

    private static List<Object> share(long x, long n) {
        if (n == 0) {
            return java.util.Arrays.asList(null, null, null);
        }
        Interval ci = BinomialOneSample.test(x, n, 0.5).wilson();
        return java.util.Arrays.asList((double) x / n, ci.lower(), ci.upper());
    }
}
