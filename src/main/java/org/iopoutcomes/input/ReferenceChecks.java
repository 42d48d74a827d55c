package org.iopoutcomes.input;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.array_contains;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.when;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

/**
 * Rules that need other rows: unique episode ids, and rows that must belong to a known participant or
 * episode. They apply only to rows that pass {@link RowChecks}, so each rejected row has one first reason.
 */
public final class ReferenceChecks {
    private static final String KNOWN_PARTICIPANT = "_known_participant";
    private static final String KNOWN_EPISODE = "_known_episode";
    private static final String EPISODE_OWNERS = "_episode_owners";

    private ReferenceChecks() {}

    /** Participants named by any episode row (valid or not): a row of theirs is not an orphan. */
    public static Dataset<Row> knownParticipants(Dataset<Row> checkedEpisodes) {
        return checkedEpisodes.where(col("participant_id").isNotNull())
                .select(col("participant_id").as(KNOWN_PARTICIPANT)).distinct();
    }

    /** Each episode id named by an episode row, with the participants it was given to. */
    public static Dataset<Row> knownEpisodes(Dataset<Row> checkedEpisodes) {
        return checkedEpisodes.where(col("episode_id").isNotNull().and(col("participant_id").isNotNull()))
                .groupBy(col("episode_id").as(KNOWN_EPISODE))
                .agg(collect_set("participant_id").as(EPISODE_OWNERS));
    }

    private static Column appendWhenClean(Column problem) {
        Column existing = col(RowChecks.PROBLEMS);
        return when(size(existing).gt(0), existing)
                .when(problem.isNotNull(), array(problem))
                .otherwise(existing);
    }

    /** Every row of a duplicated episode_id is held back: which copy is right cannot be told. */
    public static Dataset<Row> flagDuplicateEpisodes(Dataset<Row> checkedEpisodes) {
        Column copies = count(lit(1)).over(Window.partitionBy(col("episode_id")));
        Column problem = when(col("episode_id").isNotNull().and(copies.gt(1)),
                RowChecks.problem(QuarantineReason.DUPLICATE_EPISODE_ID, "episode_id", col("episode_id"),
                        concat(lit("episode_id = '"), col("episode_id"), lit("' appears "),
                                copies.cast("string"), lit(" times; expected unique"))));
        return checkedEpisodes.withColumn(RowChecks.PROBLEMS, appendWhenClean(problem));
    }

    /**
     * The deaths table holds at most one row per participant: every row of a participant named more than once is
     * held back (as for a duplicated episode_id, which copy is right cannot be told). Rows already broken count
     * as copies too.
     */
    public static Dataset<Row> flagDuplicateParticipants(Dataset<Row> checked, TableSpec spec) {
        Column copies = count(lit(1)).over(Window.partitionBy(col("participant_id")));
        Column problem = when(col("participant_id").isNotNull().and(copies.gt(1)),
                RowChecks.problem(QuarantineReason.DUPLICATE_PARTICIPANT, "participant_id", col("participant_id"),
                        concat(lit("participant_id = '"), col("participant_id"), lit("' appears "),
                                copies.cast("string"), lit(" times in " + spec.name()
                                        + "; expected at most one row per participant"))));
        return checked.withColumn(RowChecks.PROBLEMS, appendWhenClean(problem));
    }

    /** Flags rows of unknown participants and, where the table has episode_id, of unknown or foreign episodes. */
    public static Dataset<Row> flagUnknownReferences(Dataset<Row> checked, TableSpec spec,
                                                      Dataset<Row> participants, Dataset<Row> episodes) {
        Dataset<Row> joined = checked.join(participants,
                checked.col("participant_id").equalTo(participants.col(KNOWN_PARTICIPANT)), "left");
        Column unknownParticipant = when(col("participant_id").isNotNull().and(col(KNOWN_PARTICIPANT).isNull()),
                RowChecks.problem(QuarantineReason.UNKNOWN_PARTICIPANT, "participant_id", col("participant_id"),
                        concat(lit("participant_id = '"), col("participant_id"),
                                lit("' has no episode; expected a participant of episodes"))));
        joined = joined.withColumn(RowChecks.PROBLEMS, appendWhenClean(unknownParticipant)).drop(KNOWN_PARTICIPANT);
        if (spec.column("episode_id").isEmpty()) {
            return joined;
        }
        joined = joined.join(episodes, joined.col("episode_id").equalTo(episodes.col(KNOWN_EPISODE)), "left");
        Column episodeProblem = when(col("episode_id").isNotNull().and(col(KNOWN_EPISODE).isNull()),
                RowChecks.problem(QuarantineReason.UNKNOWN_EPISODE, "episode_id", col("episode_id"),
                        concat(lit("episode_id = '"), col("episode_id"),
                                lit("' is not in episodes; expected an episode_id of episodes or empty"))))
                .when(col(KNOWN_EPISODE).isNotNull()
                                .and(array_contains(col(EPISODE_OWNERS), col("participant_id")).unary_$bang()),
                        RowChecks.problem(QuarantineReason.EPISODE_PARTICIPANT_MISMATCH, "episode_id",
                                col("episode_id"), concat(lit("episode_id = '"), col("episode_id"),
                                        lit("' belongs to another participant than participant_id = '"),
                                        col("participant_id"), lit("'"))));
        return joined.withColumn(RowChecks.PROBLEMS, appendWhenClean(episodeProblem))
                .drop(KNOWN_EPISODE, EPISODE_OWNERS);
    }
}
