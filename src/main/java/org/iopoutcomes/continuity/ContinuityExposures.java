package org.iopoutcomes.continuity;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count_distinct;
import static org.apache.spark.sql.functions.datediff;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.when;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;

/**
 * The continuity-of-care exposures of each discharged episode (SPEC section 3), as Spark columns.
 *
 * <p>A <b>contact after discharge</b> is an attended session of the participant that is not one of the
 * discharged episode's own sessions (its episode_id is empty, or names another episode such as a step-down
 * outpatient episode), or a mutual-help meeting; day d is d days after the discharge date.
 * <ul>
 *   <li>{@code continuing_care_14d}: a contact on days 1 .. window (14).</li>
 *   <li>{@code continuous_90d}: a contact in each block of days 1 .. block, block+1 .. 2 block, ... up to days
 *       (30-day blocks of days 1-90).</li>
 *   <li>{@code completed}: discharge reason completed (the column episode_outcomes already has).</li>
 *   <li>{@code in_program_continuity}: among episodes with at least 28 days in care, the longest gap between
 *       attended days is at most 7 days (an episode with fewer than two attended days has no continuity);
 *       empty for shorter episodes, which are not compared.</li>
 * </ul>
 * Every exposure is empty for an episode still in care. The landmark status of an exposure says whether the
 * episode enters that exposure's landmark cohort ({@link #landmarkStatus}).
 */
public final class ContinuityExposures {
    public static final String COHORT = "cohort";
    public static final String RELAPSED_BEFORE = "relapsed_before_landmark";
    public static final String CENSORED_BEFORE = "censored_before_landmark";
    /** Suffix of the landmark status column of an exposure, e.g. continuing_care_14d_landmark. */
    public static final String LANDMARK_SUFFIX = "_landmark";

    private ContinuityExposures() {}

    /**
     * The episode table with continuing_care_14d, continuous_90d and in_program_continuity added.
     *
     * @param episodeOutcomes episode_outcomes (episode_id, participant_id, discharge_date, discharged,
     *                        days_in_care, longest_gap_days)
     * @param sessions the validated sessions
     * @param mutualHelp the validated mutual_help meetings (empty when the table was not given)
     */
    public static Dataset<Row> withExposures(Dataset<Row> episodeOutcomes, Dataset<Row> sessions,
                                             Dataset<Row> mutualHelp, ContinuitySettings settings) {
        Column noEpisode = lit(null).cast(DataTypes.StringType).as("contact_episode_id");
        Dataset<Row> contacts = sessions.where(col("status").equalTo("attended"))
                .select(col("participant_id"), col("episode_id").as("contact_episode_id"),
                        col("session_date").as("contact_date"));
        if (mutualHelp != null) {
            contacts = contacts.unionByName(mutualHelp.select(col("participant_id"), noEpisode,
                    col("meeting_date").as("contact_date")));
        }
        int reach = Math.max(settings.careWindowDays(), settings.continuousDays());
        Dataset<Row> discharged = episodeOutcomes.where(col("discharge_date").isNotNull())
                .select(col("episode_id"), col("participant_id").as("_participant"),
                        col("discharge_date").as("_discharge"));
        Column day = datediff(col("contact_date"), col("_discharge"));
        Dataset<Row> perEpisode = discharged
                .join(contacts, discharged.col("_participant").equalTo(contacts.col("participant_id")))
                .where(col("contact_episode_id").isNull().or(col("contact_episode_id").notEqual(col("episode_id"))))
                .withColumn("_day", day)
                .where(col("_day").between(1, reach))
                .groupBy(col("episode_id"))
                .agg(max(col("_day").leq(settings.careWindowDays())).as("_care"),
                        count_distinct(when(col("_day").leq(settings.continuousDays()),
                                floor(col("_day").minus(1).divide(settings.continuousBlockDays()))))
                                .as("_blocks"));
        int blocks = (settings.continuousDays() + settings.continuousBlockDays() - 1) / settings.continuousBlockDays();
        Column isDischarged = col("discharge_date").isNotNull();
        Column programContinuity = coalesce(col("longest_gap_days").leq(settings.programMaxGapDays()), lit(false));
        return episodeOutcomes.join(perEpisode, "episode_id", "left")
                .withColumn(ContinuitySettings.CONTINUING_CARE,
                        when(isDischarged, coalesce(col("_care"), lit(false))))
                .withColumn(ContinuitySettings.CONTINUOUS,
                        when(isDischarged, coalesce(col("_blocks"), lit(0L)).geq(blocks)))
                .withColumn(ContinuitySettings.IN_PROGRAM,
                        when(isDischarged.and(col("days_in_care").geq(settings.programMinDays())), programContinuity))
                .drop("_care", "_blocks");
    }

    /**
     * The landmark status of an episode for a landmark L, from its discharge-clock relapse time and event:
     * {@code relapsed_before_landmark} (a relapse on day L or earlier), {@code censored_before_landmark} (no
     * relapse, last known status before day L: not known to be relapse-free at L), else {@code cohort}; empty
     * when the exposure or the relapse time is empty.
     */
    public static Column landmarkStatus(Column exposure, Column time, Column event, int landmarkDays) {
        return when(exposure.isNull().or(time.isNull()).or(event.isNull()), lit(null).cast(DataTypes.StringType))
                .when(event.and(time.leq(landmarkDays)), lit(RELAPSED_BEFORE))
                .when(event.unary_$bang().and(time.lt(landmarkDays)), lit(CENSORED_BEFORE))
                .otherwise(lit(COHORT));
    }

    /** Adds {@code <exposure>_landmark} for every exposure of the settings. */
    public static Dataset<Row> withLandmarkStatus(Dataset<Row> withExposures, String timeColumn, String eventColumn,
                                                  ContinuitySettings settings) {
        Dataset<Row> out = withExposures;
        for (String exposure : ContinuitySettings.ALL_EXPOSURES) {
            out = out.withColumn(exposure + LANDMARK_SUFFIX, landmarkStatus(col(exposure), col(timeColumn),
                    col(eventColumn), settings.landmarkDays(exposure)));
        }
        return out;
    }
}
