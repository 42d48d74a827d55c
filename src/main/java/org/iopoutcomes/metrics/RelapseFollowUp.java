package org.iopoutcomes.metrics;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count_distinct;
import static org.apache.spark.sql.functions.date_sub;
import static org.apache.spark.sql.functions.date_add;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.iopoutcomes.input.LoadedInput;
import org.iopoutcomes.input.Schemas;

/**
 * Two per-stratum aggregates shown beside the band verdict in relapse_summary (SPEC section 3):
 *
 * <ul>
 *   <li><b>Overdose after abstinence</b>: a relapse after abstinence is a positive screen or use event
 *   (use, overdose, fatal_overdose) on a day r with none in days r-30 .. r-1 and at least one negative screen or
 *   follow-up answered abstinent in those days; it is followed by an overdose when an overdose or fatal overdose
 *   is dated r .. r+30 (an overdose that is itself the relapse counts: the most dangerous case). Counted per
 *   relapse day and attributed to the participant's episode admitted last on or before r.</li>
 *   <li><b>Follow-up calls</b> ({@code followups}): calls made, reached, and answered abstinent, so the response
 *   rate and the abstinence among those reached sit beside the worst case (not reached = not abstinent). A call
 *   belongs to the episode it names, else to the episode admitted last on or before it.</li>
 * </ul>
 */
public final class RelapseFollowUp {
    static final int ABSTINENCE_DAYS = 30;
    static final int OVERDOSE_WINDOW_DAYS = 30;

    /** The columns of {@link #overdosesAfterAbstinence}, in order. */
    public static final List<String> OVERDOSE_EPISODE_COLUMNS = List.of("episode_id", "participant_id", "program_id",
            "relapse_date", "overdose_date");

    private RelapseFollowUp() {}

    /**
     * Per stratum and value: relapses_after_abstinence, overdoses_after_abstinence (those relapses followed by an
     * overdose within 30 days), followup_calls, followup_reached, followup_abstinent, followup_participants.
     */
    public static Dataset<Row> perStratum(LoadedInput input, RelapseSettings settings) {
        Dataset<Row> episodes = episodes(input, settings);
        Dataset<Row> relapses = attribute(relapsesAfterAbstinence(input), episodes, "relapse_date");
        Dataset<Row> overdose = RelapseSummary.explodeStrata(relapses, settings, List.of("followed_by_overdose"))
                .groupBy("stratum", "stratum_value")
                .agg(sum(lit(1L)).as("relapses_after_abstinence"),
                        sum(when(col("followed_by_overdose"), 1L).otherwise(0L)).as("overdoses_after_abstinence"));

        Dataset<Row> followups = input.table(Schemas.FOLLOWUPS);
        Dataset<Row> named = followups.where(col("episode_id").isNotNull()).drop("participant_id")
                .join(episodes, "episode_id");
        Dataset<Row> unnamed = attribute(followups.where(col("episode_id").isNull()).drop("episode_id")
                .withColumnRenamed("assessment_date", "call_date"), episodes, "call_date")
                .withColumnRenamed("call_date", "assessment_date");
        Dataset<Row> calls = RelapseSummary.explodeStrata(named.unionByName(unnamed, true), settings,
                        List.of("participant_id", "reached", "abstinent_past_30_days"))
                .groupBy("stratum", "stratum_value")
                .agg(sum(lit(1L)).as("followup_calls"),
                        sum(when(col("reached"), 1L).otherwise(0L)).as("followup_reached"),
                        sum(when(col("reached").and(col("abstinent_past_30_days")), 1L).otherwise(0L))
                                .as("followup_abstinent"),
                        count_distinct(col("participant_id")).as("followup_participants"));
        return overdose.join(calls, new String[] {"stratum", "stratum_value"}, "full_outer");
    }

    /**
     * Row level, for clinical follow-up on the internal page (restricted tree only): each relapse after abstinence
     * followed by an overdose, the rows counted in {@code overdoses_after_abstinence} of the overall stratum, with
     * the same episode attribution. Columns {@link #OVERDOSE_EPISODE_COLUMNS}: episode_id, participant_id,
     * program_id, relapse_date and overdose_date (the first overdose or fatal overdose dated relapse_date ..
     * relapse_date + 30; the relapse day itself when the relapse was the overdose). Unordered, and as long as the
     * safety events are many: a caller collects a bounded part of it.
     */
    public static Dataset<Row> overdosesAfterAbstinence(LoadedInput input, RelapseSettings settings) {
        return attribute(relapsesAfterAbstinence(input), episodes(input, settings), "relapse_date")
                .where(col("followed_by_overdose"))
                .select(OVERDOSE_EPISODE_COLUMNS.stream().map(c -> col(c)).toArray(Column[]::new));
    }

    /** Episodes with their strata (program_id among them) and participant, to attribute participant-level rows. */
    private static Dataset<Row> episodes(LoadedInput input, RelapseSettings settings) {
        return RelapseSummary.episodeStrata(input.episodes(), settings)
                .join(input.episodes().select("episode_id", "participant_id"), "episode_id");
    }

    /**
     * participant_id, relapse_date, followed_by_overdose, overdose_date (the first overdose in relapse_date ..
     * relapse_date + 30, else null): one row per participant and relapse day after abstinence.
     */
    static Dataset<Row> relapsesAfterAbstinence(LoadedInput input) {
        Dataset<Row> screens = input.table(Schemas.SCREENS);
        Dataset<Row> useEvents = input.table(Schemas.USE_EVENTS);
        Dataset<Row> positive = screens.where(col("result").equalTo("positive"))
                .select(col("participant_id"), col("collected_date").as("day"), lit(false).as("overdose"))
                .unionByName(useEvents.select(col("participant_id"), col("event_date").as("day"),
                        col("event_type").isin("overdose", "fatal_overdose").as("overdose")))
                .groupBy("participant_id", "day").agg(max("overdose").as("overdose"));
        Dataset<Row> abstinent = screens.where(col("result").equalTo("negative"))
                .select(col("participant_id"), col("collected_date").as("day"))
                .unionByName(input.table(Schemas.FOLLOWUPS)
                        .where(col("reached").and(col("abstinent_past_30_days")))
                        .select(col("participant_id"), col("assessment_date").as("day")))
                .distinct();

        Dataset<Row> candidates = positive.select(col("participant_id"), col("day").as("relapse_date"));
        Dataset<Row> earlierPositive = candidates.as("r").join(positive.as("p"),
                        col("r.participant_id").equalTo(col("p.participant_id"))
                                .and(col("p.day").geq(date_sub(col("r.relapse_date"), ABSTINENCE_DAYS)))
                                .and(col("p.day").lt(col("r.relapse_date"))))
                .select(col("r.participant_id").as("participant_id"), col("r.relapse_date").as("relapse_date"))
                .distinct();
        Dataset<Row> withEvidence = candidates.as("r").join(abstinent.as("a"),
                        col("r.participant_id").equalTo(col("a.participant_id"))
                                .and(col("a.day").geq(date_sub(col("r.relapse_date"), ABSTINENCE_DAYS)))
                                .and(col("a.day").lt(col("r.relapse_date"))))
                .select(col("r.participant_id").as("participant_id"), col("r.relapse_date").as("relapse_date"))
                .distinct();
        Dataset<Row> afterAbstinence = withEvidence.join(earlierPositive, new String[] {"participant_id", "relapse_date"},
                "left_anti");

        Dataset<Row> overdoses = positive.where(col("overdose"));
        Dataset<Row> followed = afterAbstinence.as("r").join(overdoses.as("o"),
                        col("r.participant_id").equalTo(col("o.participant_id"))
                                .and(col("o.day").geq(col("r.relapse_date")))
                                .and(col("o.day").leq(date_add(col("r.relapse_date"), OVERDOSE_WINDOW_DAYS))))
                .groupBy(col("r.participant_id").as("participant_id"), col("r.relapse_date").as("relapse_date"))
                .agg(min(col("o.day")).as("overdose_date"));
        return afterAbstinence.join(followed, new String[] {"participant_id", "relapse_date"}, "left")
                .withColumn("followed_by_overdose", col("overdose_date").isNotNull());
    }

    /**
     * Joins participant-level rows to the episode admitted last on or before {@code dateColumn}, with its strata.
     * The owner depends only on (participant, date), so it is found per distinct pair and joined back on it: a
     * generated row number would not do, as two evaluations of a shuffled plan need not number rows alike.
     */
    static Dataset<Row> attribute(Dataset<Row> rows, Dataset<Row> episodes, String dateColumn) {
        Dataset<Row> keys = rows.select(col("participant_id"), col(dateColumn)).distinct();
        Column owned = col("e.participant_id").equalTo(col("x.participant_id"))
                .and(col("e.admission_date").leq(col("x." + dateColumn)));
        // the latest admission (then the greater episode_id, as EpisodeSpans) owns the row
        Dataset<Row> owner = keys.as("x").join(episodes.as("e"), owned)
                .groupBy(col("x.participant_id").as("participant_id"), col("x." + dateColumn).as(dateColumn))
                .agg(max(struct(col("e.admission_date"), col("e.episode_id"))).as("_owner"))
                .select(col("participant_id"), col(dateColumn), col("_owner.episode_id").as("episode_id"));
        return rows.join(owner, new String[] {"participant_id", dateColumn})
                .join(episodes.drop("participant_id"), "episode_id");
    }
}
