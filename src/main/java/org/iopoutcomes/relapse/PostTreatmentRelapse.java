package org.iopoutcomes.relapse;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.date_sub;
import static org.apache.spark.sql.functions.datediff;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.when;

import java.time.LocalDate;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.iopoutcomes.input.LoadedInput;
import org.iopoutcomes.input.Schemas;

/**
 * Post-treatment relapse on the discharge clock (SPEC section 3, definition {@code first_use}), one row per
 * discharged episode.
 *
 * <p>Relapse: the first positive screen, use event ({@code use}, {@code overdose}, {@code fatal_overdose}) or
 * follow-up reached with {@code abstinent_past_30_days} false (dated at the assessment). Known relapse-free
 * status: a negative screen, an attended session, a follow-up reached with {@code abstinent_past_30_days}
 * true. Missing, refused and invalid screens, no-shows and follow-ups not reached say nothing about use; a
 * reached follow-up with an empty abstinence answer is read the same way (the contract only leaves it empty
 * when not reached).
 *
 * <p>Only rows strictly after the discharge day count (day 0 is the episode's last day in care: a screen that
 * day is an in-treatment screen), before the participant's next admission (those rows belong to the next
 * episode) and on or before the data cut. A follow-up naming an episode counts only for that episode.
 * The time is days from discharge to the first relapse; without one, it is censored at the last known-status
 * contact, or at day 0 when there is none.
 */
public final class PostTreatmentRelapse {
    public static final String TIME = "relapse_time_days";
    public static final String EVENT = "relapse_event";

    private PostTreatmentRelapse() {}

    public static Dataset<Row> compute(LoadedInput input) {
        return compute(input.episodes(), input.sessions(), input.table(Schemas.SCREENS),
                input.table(Schemas.USE_EVENTS), input.table(Schemas.FOLLOWUPS), input.dataCut());
    }

    /**
     * Columns: episode_id, participant_id, program_id, discharge_date, observation_end_date (the last day a
     * row can count: the day before the next admission, or the data cut), relapse_event, relapse_time_days,
     * relapse_date, relapse_source (positive_screen, use, overdose, fatal_overdose, followup_not_abstinent),
     * last_known_status_date (the relapse date for a relapse, else the last known-status contact; null when
     * none) and post_discharge_contacts (rows with known status that counted, relapse or not).
     */
    public static Dataset<Row> compute(Dataset<Row> episodes, Dataset<Row> sessions, Dataset<Row> screens,
                                       Dataset<Row> useEvents, Dataset<Row> followups, LocalDate dataCut) {
        Dataset<Row> observations = observations(sessions, screens, useEvents, followups);
        Dataset<Row> discharged = EpisodeSpans.of(episodes).where(col("discharge_date").isNotNull());

        Dataset<Row> perEpisode = discharged.select(col("episode_id"), col("participant_id"), col("admission_date"),
                        col("discharge_date"), col(EpisodeSpans.NEXT_ADMISSION))
                .join(observations, "participant_id")
                .where(col("observed_date").gt(col("discharge_date"))
                        .and(EpisodeSpans.owns(col("observed_date"), dataCut))
                        .and(col("named_episode_id").isNull().or(col("named_episode_id").equalTo(col("episode_id")))))
                .groupBy(col("episode_id"))
                .agg(
                        // Ties on the first day are broken by the source's name, so reruns agree.
                        min(when(col("relapse"), struct(col("observed_date"), col("source")))).as("first_relapse"),
                        max(when(col("relapse").unary_$bang(), col("observed_date"))).as("last_relapse_free_contact"),
                        count(lit(1)).as("post_discharge_contacts"));

        Column relapseDate = col("first_relapse.observed_date");
        Column lastKnown = coalesce(relapseDate, col("last_relapse_free_contact"));
        Column observationEnd = when(col(EpisodeSpans.NEXT_ADMISSION).isNull(), lit(dataCut))
                .otherwise(least(date_sub(col(EpisodeSpans.NEXT_ADMISSION), 1), lit(dataCut)));
        return discharged.join(perEpisode, "episode_id", "left")
                .select(col("episode_id"), col("participant_id"), col("program_id"), col("discharge_date"),
                        observationEnd.as("observation_end_date"),
                        relapseDate.isNotNull().as(EVENT),
                        datediff(coalesce(lastKnown, col("discharge_date")), col("discharge_date")).as(TIME),
                        relapseDate.as("relapse_date"),
                        col("first_relapse.source").as("relapse_source"),
                        lastKnown.as("last_known_status_date"),
                        coalesce(col("post_discharge_contacts"), lit(0L)).cast("int").as("post_discharge_contacts"));
    }

    /** Every participant-level row that says something about use: participant, date, relapse or not, source. */
    static Dataset<Row> observations(Dataset<Row> sessions, Dataset<Row> screens, Dataset<Row> useEvents,
                                     Dataset<Row> followups) {
        Column noEpisode = lit(null).cast(DataTypes.StringType).as("named_episode_id");
        Dataset<Row> screenResults = screens.where(col("result").isin("positive", "negative"))
                .select(col("participant_id"), col("collected_date").as("observed_date"),
                        col("result").equalTo("positive").as("relapse"),
                        when(col("result").equalTo("positive"), lit("positive_screen"))
                                .otherwise(lit("negative_screen")).as("source"),
                        noEpisode);
        Dataset<Row> use = useEvents.select(col("participant_id"), col("event_date").as("observed_date"),
                lit(true).as("relapse"), col("event_type").as("source"), noEpisode);
        Dataset<Row> answered = followups.where(col("reached").and(col("abstinent_past_30_days").isNotNull()))
                .select(col("participant_id"), col("assessment_date").as("observed_date"),
                        col("abstinent_past_30_days").unary_$bang().as("relapse"),
                        when(col("abstinent_past_30_days"), lit("followup_abstinent"))
                                .otherwise(lit("followup_not_abstinent")).as("source"),
                        col("episode_id").as("named_episode_id"));
        Dataset<Row> attended = sessions.where(col("status").equalTo("attended"))
                .select(col("participant_id"), col("session_date").as("observed_date"), lit(false).as("relapse"),
                        lit("attended_session").as("source"), noEpisode);
        return screenResults.unionByName(use).unionByName(answered).unionByName(attended);
    }
}
