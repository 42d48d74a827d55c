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
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
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
        return ownSessionsWithDay(episodes, sessions, dataCut, RetentionSettings.defaults())
                .drop("day", "_days_in_care", "_intensity_minutes");
    }

    /**
     * Own sessions with {@code day} (days since admission), {@code _days_in_care} of their episode and the
     * {@code _intensity_minutes} a week of the episode needs (by its age band): one join of sessions to episodes
     * that every per-episode measure shares.
     */
    private static Dataset<Row> ownSessionsWithDay(Dataset<Row> episodes, Dataset<Row> sessions, LocalDate dataCut,
                                                   RetentionSettings settings) {
        Dataset<Row> spans = episodes.select(col("episode_id").as("_episode_id"), col("admission_date").as("_admission"),
                inCareEnd(dataCut).as("_end"), intensityMinutes(settings).as("_intensity_minutes"));
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
        Dataset<Row> own = ownSessionsWithDay(episodes, sessions, dataCut, settings);
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
                .join(intensiveWeeks(own, settings), "episode_id", "left")
                .join(steppedDownFrom(episodes, settings), "episode_id", "left")
                .join(followedByLowerLevel(episodes, settings), "episode_id", "left");
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
                // SPEC revised 2026-12: engagement counts from the first attended session, wherever it falls;
                // initiation (from admission) is no longer a condition of it
                .withColumn("engaged", coalesce(
                        col("attended_days_in_engagement_window").geq(settings.engagementDays()), lit(false)))
                .drop("attended_days_in_engagement_window")
                // Washington Circle continuity after a higher level of care: known once the whole window after
                // the discharge lies on or before the data cut; a discharge by death has no continuity to measure
                .withColumn("followed_by_lower_level", when(col("level_of_care").isin(HIGHER_LEVELS.toArray())
                        .and(discharged)
                        .and(col("discharge_reason").notEqual("died"))
                        .and(datediff(lit(dataCut), col("discharge_date")).geq(settings.stepDownDays())),
                        col("days_to_lower_level_admission").isNotNull()))
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

    /**
     * Levels of care from the most to the least intensive: withdrawal management (detox), residential, partial
     * hospitalization, IOP, outpatient. `other` has no place in the order and is never a step down.
     */
    public static final List<String> LEVEL_ORDER = List.of("detox", "residential", "php", "iop", "op");
    /** The levels whose discharge a step down follows (SPEC section 3, revised 2026-12). */
    public static final List<String> HIGHER_LEVELS = List.of("detox", "residential", "php");

    /** Rank of a level of care: 5 for detox down to 1 for op; null for other. */
    static Column levelRank(Column level) {
        Column rank = null;
        for (int i = 0; i < LEVEL_ORDER.size(); i++) {
            Column is = level.equalTo(LEVEL_ORDER.get(i));
            int value = LEVEL_ORDER.size() - i;
            rank = rank == null ? when(is, value) : rank.when(is, value);
        }
        return rank;
    }

    /**
     * Every pair of a discharge from a higher level of care (detox, residential, PHP) and an admission of the same
     * participant to a lower level on the day of that discharge or up to the step-down days after it: the higher
     * episode ({@code _h_*}), the lower one ({@code _l_*}) and the days between ({@code _days}).
     */
    static Dataset<Row> stepDownPairs(Dataset<Row> episodes, RetentionSettings settings) {
        Dataset<Row> higher = episodes
                .where(col("level_of_care").isin(HIGHER_LEVELS.toArray()).and(col("discharge_date").isNotNull()))
                .select(col("participant_id").as("_h_participant"), col("episode_id").as("_h_episode"),
                        col("level_of_care").as("_h_level"), levelRank(col("level_of_care")).as("_h_rank"),
                        col("discharge_date").as("_h_discharge"));
        Dataset<Row> lower = episodes.where(levelRank(col("level_of_care")).isNotNull())
                .select(col("participant_id").as("_l_participant"), col("episode_id").as("_l_episode"),
                        levelRank(col("level_of_care")).as("_l_rank"), col("admission_date").as("_l_admission"));
        return higher.join(lower, col("_h_participant").equalTo(col("_l_participant"))
                        .and(col("_l_rank").lt(col("_h_rank"))))
                .withColumn("_days", datediff(col("_l_admission"), col("_h_discharge")))
                .where(col("_days").geq(0).and(col("_days").leq(settings.stepDownDays())));
    }

    /**
     * Per episode that is a step down: the level it stepped down from ({@code stepped_down_from}) and the days from
     * that discharge to its admission ({@code days_from_higher_level_discharge}). With several such discharges, the
     * latest one counts (fewest days; on the same day, the higher level).
     */
    static Dataset<Row> steppedDownFrom(Dataset<Row> episodes, RetentionSettings settings) {
        WindowSpec nearest = Window.partitionBy("_l_episode")
                .orderBy(col("_days").asc(), col("_h_rank").desc(), col("_h_episode").asc());
        return stepDownPairs(episodes, settings)
                .withColumn("_n", row_number().over(nearest))
                .where(col("_n").equalTo(1))
                .select(col("_l_episode").as("episode_id"), col("_h_level").as("stepped_down_from"),
                        col("_days").as("days_from_higher_level_discharge"));
    }

    /** Per higher-level episode followed by a lower-level admission: the fewest days from its discharge to one. */
    static Dataset<Row> followedByLowerLevel(Dataset<Row> episodes, RetentionSettings settings) {
        return stepDownPairs(episodes, settings).groupBy(col("_h_episode").as("episode_id"))
                .agg(min(col("_days")).as("days_to_lower_level_admission"));
    }

    /** Therapy minutes a week of the episode needs: its age band's threshold, else the default (adult) one. */
    static Column intensityMinutes(RetentionSettings settings) {
        Column minutes = null;
        for (Map.Entry<String, Double> band : settings.intensityHoursByAgeBand().entrySet()) {
            Column is = col("age_band").equalTo(band.getKey());
            minutes = minutes == null ? when(is, band.getValue() * 60.0) : minutes.when(is, band.getValue() * 60.0);
        }
        return minutes == null ? lit(settings.intensityMinutes()) : minutes.otherwise(settings.intensityMinutes());
    }

    /**
     * Number of complete 7-day weeks from admission with >= the intensity hours of the episode's age band on >= the
     * intensity days.
     */
    static Dataset<Row> intensiveWeeks(Dataset<Row> ownSessionsWithDay, RetentionSettings settings) {
        Dataset<Row> therapy = ownSessionsWithDay
                .where(col("status").equalTo(ATTENDED).and(col("session_type").notEqual("medication")))
                .withColumn("week", floor(col("day").divide(7)))
                // only complete weeks count: the week's last day (7k+6) lies in care
                .where(col("week").multiply(7).plus(6).leq(col("_days_in_care")));
        return therapy.groupBy(col("episode_id"), col("week")).agg(
                        sum(col("minutes")).as("_minutes"), count_distinct(col("session_date")).as("_days"),
                        max(col("_intensity_minutes")).as("_needed"))
                .where(col("_minutes").geq(col("_needed"))
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
