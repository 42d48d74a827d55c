package org.iopoutcomes.episodes;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.count_distinct;
import static org.apache.spark.sql.functions.date_format;
import static org.apache.spark.sql.functions.datediff;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.time.LocalDate;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.iopoutcomes.input.Schemas;

/**
 * Per-episode measures from the episode's own sessions (SPEC section 3, Retention): sessions whose
 * episode_id names the episode and whose date lies from admission to discharge, or to the data cut for an
 * episode still in care. Sessions after discharge are valid contacts but do not count here.
 */
public final class EpisodeFeatures {
    private EpisodeFeatures() {}

    private static final String ATTENDED = "attended";

    /** The end of the episode's own time in care: its discharge, or the data cut while still in care. */
    public static Column inCareEnd(LocalDate dataCut) {
        return coalesce(col("discharge_date"), lit(dataCut));
    }

    /** Sessions of each episode inside its time in care, with minutes defaulted (empty = 60). */
    public static Dataset<Row> ownSessions(Dataset<Row> episodes, Dataset<Row> sessions, LocalDate dataCut) {
        Dataset<Row> spans = episodes.select(col("episode_id").as("_episode_id"), col("admission_date").as("_admission"),
                inCareEnd(dataCut).as("_end"));
        Dataset<Row> linked = sessions.where(col("episode_id").isNotNull()).select(
                col("episode_id"), col("session_date"), col("session_type"), col("status"),
                coalesce(col("minutes"), lit(Schemas.DEFAULT_SESSION_MINUTES)).as("minutes"));
        return linked.join(spans, linked.col("episode_id").equalTo(spans.col("_episode_id")))
                .where(col("session_date").geq(col("_admission")).and(col("session_date").leq(col("_end"))))
                .drop("_episode_id", "_admission", "_end");
    }

    /** Sessions of each episode dated after its discharge: contacts after the episode, kept apart. */
    public static Dataset<Row> sessionsAfterDischarge(Dataset<Row> episodes, Dataset<Row> sessions) {
        Dataset<Row> spans = episodes.where(col("discharge_date").isNotNull())
                .select(col("episode_id").as("_episode_id"), col("discharge_date").as("_discharge"));
        return sessions.join(spans, sessions.col("episode_id").equalTo(spans.col("_episode_id")))
                .where(col("session_date").gt(col("_discharge")))
                .groupBy(col("episode_id"))
                .agg(count(lit(1)).as("sessions_after_discharge"));
    }

    /** One row per episode: its fields, then the measures of its own sessions. */
    public static Dataset<Row> episodeOutcomes(Dataset<Row> episodes, Dataset<Row> sessions, LocalDate dataCut) {
        Column attended = col("status").equalTo(ATTENDED);
        Column therapyMinutes = when(attended.and(col("session_type").notEqual("medication")), col("minutes"))
                .otherwise(0);
        Dataset<Row> perEpisode = ownSessions(episodes, sessions, dataCut).groupBy(col("episode_id")).agg(
                count(lit(1)).as("sessions_scheduled"),
                sum(when(attended, 1).otherwise(0)).as("sessions_attended"),
                sum(when(col("status").equalTo("no_show"), 1).otherwise(0)).as("sessions_no_show"),
                sum(when(col("status").equalTo("excused"), 1).otherwise(0)).as("sessions_excused"),
                sum(when(col("status").equalTo("cancelled"), 1).otherwise(0)).as("sessions_cancelled"),
                count_distinct(when(attended, col("session_date"))).as("attended_days"),
                sum(therapyMinutes).divide(60.0).as("therapy_hours"),
                max(when(attended, col("session_date"))).as("last_attended_date"));
        Dataset<Row> after = sessionsAfterDischarge(episodes, sessions);

        Dataset<Row> out = episodes
                .withColumn("admission_month", date_format(col("admission_date"), "yyyy-MM"))
                .withColumn("active_at_data_cut", col("discharge_date").isNull())
                .withColumn("in_care_end_date", inCareEnd(dataCut))
                .withColumn("days_in_care", datediff(inCareEnd(dataCut), col("admission_date")))
                .join(perEpisode, "episode_id", "left")
                .join(after, "episode_id", "left");
        Column[] columns = java.util.Arrays.stream(out.columns()).map(EpisodeFeatures::zeroWhenNoSessions)
                .toArray(Column[]::new);
        return out.select(columns)
                .withColumn("length_of_stay_days", coalesce(
                        datediff(col("last_attended_date"), col("admission_date")), lit(0)))
                .orderBy("episode_id");
    }

    private static Column zeroWhenNoSessions(String column) {
        return switch (column) {
            case "sessions_scheduled", "sessions_attended", "sessions_no_show", "sessions_excused",
                    "sessions_cancelled", "attended_days", "sessions_after_discharge" ->
                    coalesce(col(column), lit(0L)).cast("int").as(column);
            case "therapy_hours" -> coalesce(col(column), lit(0.0)).as(column);
            default -> col(org.iopoutcomes.input.TableReader.quote(column));
        };
    }
}
