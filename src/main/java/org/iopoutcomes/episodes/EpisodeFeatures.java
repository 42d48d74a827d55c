package org.iopoutcomes.episodes;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.count_distinct;
import static org.apache.spark.sql.functions.date_format;
import static org.apache.spark.sql.functions.datediff;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.lag;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.time.LocalDate;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.iopoutcomes.input.Schemas;
import org.iopoutcomes.retention.RetentionSettings;

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
        return ownSessionsWithDay(episodes, sessions, dataCut).drop("day", "_days_in_care");
    }

    /**
     * Own sessions with {@code day} (days since admission) and {@code _days_in_care} of their episode: one join
     * of sessions to episodes that every per-episode measure shares.
     */
    private static Dataset<Row> ownSessionsWithDay(Dataset<Row> episodes, Dataset<Row> sessions, LocalDate dataCut) {
        Dataset<Row> spans = episodes.select(col("episode_id").as("_episode_id"), col("admission_date").as("_admission"),
                inCareEnd(dataCut).as("_end"));
        Dataset<Row> linked = sessions.where(col("episode_id").isNotNull()).select(
                col("episode_id"), col("session_date"), col("session_type"), col("status"),
                coalesce(col("minutes"), lit(Schemas.DEFAULT_SESSION_MINUTES)).as("minutes"));
        return linked.join(spans, linked.col("episode_id").equalTo(spans.col("_episode_id")))
                .where(col("session_date").geq(col("_admission")).and(col("session_date").leq(col("_end"))))
                .withColumn("day", datediff(col("session_date"), col("_admission")))
                .withColumn("_days_in_care", datediff(col("_end"), col("_admission")))
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

    /** One row per episode with the SPEC default retention settings. */
    public static Dataset<Row> episodeOutcomes(Dataset<Row> episodes, Dataset<Row> sessions, LocalDate dataCut) {
        return episodeOutcomes(episodes, sessions, dataCut, RetentionSettings.defaults());
    }

    /** One row per episode: its fields, then the measures of its own sessions (docs/episode_outcomes.md). */
    public static Dataset<Row> episodeOutcomes(Dataset<Row> episodes, Dataset<Row> sessions, LocalDate dataCut,
                                               RetentionSettings settings) {
        Column attended = col("status").equalTo(ATTENDED);
        Column therapyMinutes = when(attended.and(col("session_type").notEqual("medication")), col("minutes"))
                .otherwise(0);
        // one join of sessions to their episodes, shared by every per-episode measure
        Dataset<Row> own = ownSessionsWithDay(episodes, sessions, dataCut);
        Dataset<Row> perEpisode = own.groupBy(col("episode_id")).agg(
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
                .join(after, "episode_id", "left")
                .join(attendedDayMeasures(own, settings), "episode_id", "left")
                .join(intensiveWeeks(own, settings), "episode_id", "left");
        Column[] columns = java.util.Arrays.stream(out.columns()).map(EpisodeFeatures::zeroWhenNoSessions)
                .toArray(Column[]::new);
        Column discharged = col("discharge_date").isNotNull();
        Column attendedOrNoShow = col("sessions_attended").plus(col("sessions_no_show"));
        Column completeWeeks = floor(col("days_in_care").plus(1).divide(7)).cast("int");
        return out.select(columns)
                .withColumn("length_of_stay_days", coalesce(
                        datediff(col("last_attended_date"), col("admission_date")), lit(0)))
                .withColumn("discharged", discharged)
                .withColumn("completed", discharged.and(col("discharge_reason").equalTo("completed")))
                // SPEC: dropout = a discharge for one of the dropout reasons; other discharges and active
                // episodes are censored (at their length of stay, or at the data cut).
                .withColumn("dropout", discharged.and(col("discharge_reason").isin(settings.dropoutReasons().toArray())))
                .withColumn("retention_time_days",
                        when(discharged, col("length_of_stay_days")).otherwise(col("days_in_care")))
                .withColumn("attendance_rate", when(attendedOrNoShow.gt(0),
                        col("sessions_attended").cast("double").divide(attendedOrNoShow)))
                // Week k covers days 7k .. 7k+6; it is complete when day 7k+6 is on or before the in-care end.
                .withColumn("complete_weeks", completeWeeks)
                .withColumn("intensive_weeks", coalesce(col("intensive_weeks"), lit(0L)).cast("int"))
                .withColumn("intensity_share", when(completeWeeks.gt(0),
                        col("intensive_weeks").cast("double").divide(completeWeeks)))
                .withColumn("initiated", coalesce(col("days_to_first_attended").lt(settings.initiationDays()),
                        lit(false)))
                .withColumn("engaged", col("initiated").and(coalesce(
                        col("attended_days_in_engagement_window").geq(settings.engagementDays()), lit(false))))
                .drop("attended_days_in_engagement_window")
                .orderBy("episode_id");
    }

    /**
     * From the distinct attended days of each episode: days to the first, the longest gap between consecutive
     * days, and how many further days fall in the engagement window after the first (the initiation day when
     * it lies in the initiation window).
     */
    static Dataset<Row> attendedDayMeasures(Dataset<Row> ownSessionsWithDay, RetentionSettings settings) {
        Dataset<Row> days = ownSessionsWithDay
                .where(col("status").equalTo(ATTENDED))
                .select(col("episode_id"), col("day")).distinct();
        WindowSpec byDay = Window.partitionBy("episode_id").orderBy("day");
        WindowSpec whole = Window.partitionBy("episode_id");
        Dataset<Row> withGap = days
                .withColumn("_gap", col("day").minus(lag(col("day"), 1).over(byDay)))
                .withColumn("_first", min(col("day")).over(whole));
        Column inEngagementWindow = col("day").gt(col("_first"))
                .and(col("day").leq(col("_first").plus(settings.engagementWindowDays())));
        return withGap.groupBy(col("episode_id")).agg(
                min(col("day")).as("days_to_first_attended"),
                max(col("_gap")).as("longest_gap_days"),
                sum(when(inEngagementWindow, 1).otherwise(0)).as("attended_days_in_engagement_window"));
    }

    /** Number of complete 7-day weeks from admission with >= the intensity hours on >= the intensity days. */
    static Dataset<Row> intensiveWeeks(Dataset<Row> ownSessionsWithDay, RetentionSettings settings) {
        Dataset<Row> therapy = ownSessionsWithDay
                .where(col("status").equalTo(ATTENDED).and(col("session_type").notEqual("medication")))
                .withColumn("week", floor(col("day").divide(7)))
                // only complete weeks count: the week's last day (7k+6) lies in care
                .where(col("week").multiply(7).plus(6).leq(col("_days_in_care")));
        return therapy.groupBy(col("episode_id"), col("week")).agg(
                        sum(col("minutes")).as("_minutes"), count_distinct(col("session_date")).as("_days"))
                .where(col("_minutes").geq(settings.intensityMinutes())
                        .and(col("_days").geq(settings.intensityDays())))
                .groupBy(col("episode_id")).agg(count(lit(1)).as("intensive_weeks"));
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
