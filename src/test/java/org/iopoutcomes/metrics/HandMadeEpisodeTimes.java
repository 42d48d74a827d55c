package org.iopoutcomes.metrics;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.iopoutcomes.SparkTestSession;

/**
 * The per-episode times {@link RelapseSummary#compute} reads ({@link RelapseSummary#episodeTimes}'s columns), for
 * tests that build them by hand: one schema, so a column added to the times is added once.
 */
public final class HandMadeEpisodeTimes {
    private HandMadeEpisodeTimes() {}

    /**
     * episode_id, definition, clock, time_days, event, status, [interval start,] program_id and the other built-in
     * strata, origin_date.
     *
     * @param withIntervalStart with the discharge clock's interval-censored left end (Turnbull's input)
     */
    public static StructType schema(boolean withIntervalStart) {
        StructType schema = new StructType()
                .add("episode_id", DataTypes.StringType).add("definition", DataTypes.StringType)
                .add("clock", DataTypes.StringType).add("time_days", DataTypes.IntegerType)
                .add("event", DataTypes.BooleanType).add("status", DataTypes.IntegerType);
        if (withIntervalStart) {
            schema = schema.add(RelapseSummary.INTERVAL_START, DataTypes.IntegerType);
        }
        return schema.add("program_id", DataTypes.StringType).add("admission_month", DataTypes.StringType)
                .add("level_of_care", DataTypes.StringType).add("primary_substance", DataTypes.StringType)
                .add("age_band", DataTypes.StringType).add("sex", DataTypes.StringType)
                .add("origin_date", DataTypes.DateType);
    }

    /** No follow-up calls: the follow-up counts per stratum value {@link RelapseSummary#compute} takes, empty. */
    public static Dataset<Row> noFollowUp() {
        return SparkTestSession.get().createDataFrame(List.of(), new StructType()
                .add("stratum", DataTypes.StringType).add("stratum_value", DataTypes.StringType));
    }
}
