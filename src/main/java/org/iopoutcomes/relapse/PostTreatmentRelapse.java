package org.iopoutcomes.relapse;

import static org.apache.spark.sql.functions.array_max;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.date_sub;
import static org.apache.spark.sql.functions.datediff;
import static org.apache.spark.sql.functions.filter;
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
 *
 * <p>Deaths (SPEC section 3, revised 2026-12): a death is taken from the optional {@code deaths} table (dated from
 * the discharge day through the episode's observation end, and only through the date the registry is complete
 * through: a registry is partial after it, so later deaths are not counted) or from a discharge reason {@code died}
 * (a death on the discharge date, day 0). A death with cause {@code overdose} is a relapse dated at the death when
 * no earlier relapse was seen (source {@code death_overdose}); any other death (cause {@code other} or
 * {@code unknown}, or a {@code died} discharge) is a competing event when no relapse comes first
 * ({@code relapse_status} 2). A relapse on the day of a death comes first; rows after a death are ignored.
 * {@link #EVENT} and {@link #TIME} keep their meaning for consumers that know no competing event: a death before
 * relapse is censoring at the death day.
 */
public final class PostTreatmentRelapse {
    public static final String TIME = "relapse_time_days";
    public static final String EVENT = "relapse_event";
    /** 0 censored, 1 relapse (a fatal overdose included), 2 death before relapse (the competing event). */
    public static final String STATUS = "relapse_status";
    /**
     * Days from discharge to the last relapse-free contact before the relapse (0 when there was none): the first use
     * lies in (this, relapse_time_days], what an interval-censored (Turnbull) estimate reads. Null without a relapse.
     */
    public static final String INTERVAL_START = "relapse_interval_start_days";
    public static final int STATUS_CENSORED = 0;
    public static final int STATUS_RELAPSE = 1;
    public static final int STATUS_DEATH = 2;
    /** Source of a relapse that is a death from the deaths table with cause overdose. */
    public static final String DEATH_OVERDOSE = "death_overdose";

    private PostTreatmentRelapse() {}

    /** As {@link #compute(LoadedInput, LocalDate)} with the deaths table complete through the data cut. */
    public static Dataset<Row> compute(LoadedInput input) {
        return compute(input, input.dataCut());
    }

    /** @param deathsCompleteThrough deaths after this date are not counted (null: the data cut) */
    public static Dataset<Row> compute(LoadedInput input, LocalDate deathsCompleteThrough) {
        return compute(input.episodes(), input.sessions(), input.table(Schemas.SCREENS),
                input.table(Schemas.USE_EVENTS), input.table(Schemas.FOLLOWUPS),
                input.hasDeaths() ? input.deaths() : null, input.dataCut(), deathsCompleteThrough);
    }

    /** Without a deaths table: only a discharge reason {@code died} is a death. */
    public static Dataset<Row> compute(Dataset<Row> episodes, Dataset<Row> sessions, Dataset<Row> screens,
                                       Dataset<Row> useEvents, Dataset<Row> followups, LocalDate dataCut) {
        return compute(episodes, sessions, screens, useEvents, followups, null, dataCut, dataCut);
    }

    /**
     * Columns: episode_id, participant_id, program_id, discharge_date, observation_end_date (the last day a
     * row can count: the day before the next admission, or the data cut), relapse_event, relapse_time_days,
     * relapse_date, relapse_source (positive_screen, use, overdose, fatal_overdose, followup_not_abstinent),
     * last_known_status_date (the relapse date for a relapse, else the last known-status contact; null when
     * none; for a death before relapse, the death date), post_discharge_contacts (rows with known status that
     * counted, relapse or not), relapse_status ({@link #STATUS}: 0 censored, 1 relapse, 2 death before relapse),
     * death_date and death_cause (overdose, other, unknown; unknown for a {@code died} discharge without a
     * registry row that day), empty without a counted death, and {@link #INTERVAL_START}.
     *
     * @param deaths                the deaths table (participant_id, death_date, cause), or null when absent
     * @param deathsCompleteThrough deaths after this date are not counted (null: the data cut)
     */
    public static Dataset<Row> compute(Dataset<Row> episodes, Dataset<Row> sessions, Dataset<Row> screens,
                                       Dataset<Row> useEvents, Dataset<Row> followups, Dataset<Row> deaths,
                                       LocalDate dataCut, LocalDate deathsCompleteThrough) {
        LocalDate through = deathsCompleteThrough == null || deathsCompleteThrough.isAfter(dataCut) ? dataCut
                : deathsCompleteThrough;
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
                        // the relapse-free days, for the last one before the relapse (the interval-censored view)
                        collect_list(when(col("relapse").unary_$bang(), col("observed_date"))).as("relapse_free_days"),
                        count(lit(1)).as("post_discharge_contacts"));

        Column observationEnd = when(col(EpisodeSpans.NEXT_ADMISSION).isNull(), lit(dataCut))
                .otherwise(least(date_sub(col(EpisodeSpans.NEXT_ADMISSION), 1), lit(dataCut)));
        Dataset<Row> registry = deaths == null
                ? discharged.sparkSession().emptyDataFrame()
                        .select(lit(null).cast(DataTypes.StringType).as("participant_id"),
                                lit(null).cast(DataTypes.DateType).as("registry_death_date"),
                                lit(null).cast(DataTypes.StringType).as("registry_cause"))
                : deaths.where(col("death_date").leq(lit(through)))
                        .select(col("participant_id"), col("death_date").as("registry_death_date"),
                                col("cause").as("registry_cause"));
        Dataset<Row> reasons = episodes.select(col("episode_id"), col("discharge_reason"));

        // a registry death counts for the episode whose time after discharge holds it (day 0 included)
        Column registryCounts = col("registry_death_date").geq(col("discharge_date"))
                .and(col("registry_death_date").leq(col("observation_end_date")));
        Column died = coalesce(col("discharge_reason").equalTo("died"), lit(false));
        Column deathDate = when(died, col("discharge_date")).when(registryCounts, col("registry_death_date"));
        Column deathCause = when(registryCounts.and(col("registry_death_date").equalTo(deathDate)),
                col("registry_cause")).when(died, lit("unknown"));
        Column contactRelapse = col("first_relapse.observed_date");
        // a relapse seen on or before the death's day comes first; anything after a death is ignored
        Column seenRelapse = when(col("death_date").isNull().or(contactRelapse.leq(col("death_date"))),
                contactRelapse);
        Column overdoseDeath = coalesce(col("death_cause").equalTo("overdose"), lit(false));
        Column relapseDate = coalesce(seenRelapse, when(overdoseDeath, col("death_date")));
        Column relapseSource = when(seenRelapse.isNotNull(), col("first_relapse.source"))
                .when(overdoseDeath, lit(DEATH_OVERDOSE));
        Column status = when(col("relapse_date").isNotNull(), lit(STATUS_RELAPSE))
                .when(col("death_date").isNotNull(), lit(STATUS_DEATH)).otherwise(lit(STATUS_CENSORED));
        Column lastKnown = coalesce(col("relapse_date"), col("death_date"), col("last_relapse_free_contact"));
        // The first use lies after the last relapse-free contact before the relapse (or after discharge, day 0)
        Column lastFreeBeforeRelapse = array_max(filter(coalesce(col("relapse_free_days"),
                org.apache.spark.sql.functions.array()), d -> d.lt(col("relapse_date"))));
        Column intervalStart = when(col("relapse_date").isNotNull(),
                datediff(coalesce(lastFreeBeforeRelapse, col("discharge_date")), col("discharge_date")));
        return discharged.join(perEpisode, "episode_id", "left")
                .join(reasons, "episode_id", "left")
                .join(registry, "participant_id", "left")
                .withColumn("observation_end_date", observationEnd)
                .withColumn("death_date", deathDate)
                .withColumn("death_cause", deathCause)
                .withColumn("relapse_date", relapseDate)
                .withColumn("relapse_source", relapseSource)
                .select(col("episode_id"), col("participant_id"), col("program_id"), col("discharge_date"),
                        col("observation_end_date"),
                        col("relapse_date").isNotNull().as(EVENT),
                        datediff(coalesce(lastKnown, col("discharge_date")), col("discharge_date")).as(TIME),
                        col("relapse_date"),
                        col("relapse_source"),
                        lastKnown.as("last_known_status_date"),
                        coalesce(col("post_discharge_contacts"), lit(0L)).cast("int").as("post_discharge_contacts"),
                        status.as(STATUS),
                        col("death_date"),
                        col("death_cause"),
                        intervalStart.as(INTERVAL_START));
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
