package org.iopoutcomes.input;

import static org.iopoutcomes.input.ColumnSpec.optional;
import static org.iopoutcomes.input.ColumnSpec.optionalCode;
import static org.iopoutcomes.input.ColumnSpec.required;
import static org.iopoutcomes.input.ColumnSpec.requiredCode;

import java.util.List;
import java.util.Optional;

/** The input tables of SPEC section 2, as constants. */
public final class Schemas {
    private Schemas() {}

    public static final List<String> LEVELS_OF_CARE = List.of("iop", "op", "php", "residential", "detox", "other");
    /** TEDS-D REASON 1-7. */
    public static final List<String> DISCHARGE_REASONS =
            List.of("completed", "dropped_out", "terminated", "transferred", "incarcerated", "died", "other");
    public static final List<String> SUBSTANCES =
            List.of("alcohol", "opioids", "stimulants", "cannabis", "sedatives", "other", "unknown");
    public static final List<String> AGE_BANDS =
            List.of("12-17", "18-24", "25-34", "35-44", "45-54", "55-64", "65+", "unknown");
    public static final List<String> SEXES = List.of("female", "male", "other", "unknown");
    public static final List<String> SESSION_TYPES = List.of("group", "individual", "family", "couples",
            "psychoeducation", "relapse_prevention", "medication", "other");
    public static final List<String> SESSION_STATUSES = List.of("attended", "no_show", "excused", "cancelled");
    public static final List<String> SCREEN_RESULTS = List.of("negative", "positive", "missing", "refused", "invalid");
    public static final List<String> USE_EVENT_TYPES = List.of("use", "overdose", "fatal_overdose");
    public static final List<String> USE_EVENT_SOURCES = List.of("self_report", "clinician", "collateral", "follow_up");
    public static final List<String> MUTUAL_HELP_GROUPS = List.of("aa", "na", "smart", "faith_based", "other");
    /** Causes of death of the deaths table: a fatal overdose is a relapse, any other death a competing event. */
    public static final List<String> DEATH_CAUSES = List.of("overdose", "other", "unknown");

    public static final TableSpec EPISODES = new TableSpec("episodes", true, List.of(
            required("episode_id", ColumnType.STRING),
            required("participant_id", ColumnType.STRING),
            required("program_id", ColumnType.STRING),
            requiredCode("level_of_care", LEVELS_OF_CARE),
            required("admission_date", ColumnType.DATE),
            optional("discharge_date", ColumnType.DATE),
            optionalCode("discharge_reason", DISCHARGE_REASONS),
            requiredCode("primary_substance", SUBSTANCES),
            requiredCode("age_band", AGE_BANDS),
            requiredCode("sex", SEXES),
            optional("prior_episodes", ColumnType.INT),
            optional("moud", ColumnType.BOOLEAN)),
            "admission_date");

    public static final TableSpec SESSIONS = new TableSpec("sessions", true, List.of(
            required("participant_id", ColumnType.STRING),
            optional("episode_id", ColumnType.STRING),
            required("session_date", ColumnType.DATE),
            requiredCode("session_type", SESSION_TYPES),
            optional("minutes", ColumnType.INT),
            requiredCode("status", SESSION_STATUSES)),
            "session_date");

    public static final TableSpec SCREENS = new TableSpec("screens", false, List.of(
            required("participant_id", ColumnType.STRING),
            required("collected_date", ColumnType.DATE),
            requiredCode("result", SCREEN_RESULTS),
            optionalCode("substance", SUBSTANCES)),
            "collected_date");

    public static final TableSpec USE_EVENTS = new TableSpec("use_events", false, List.of(
            required("participant_id", ColumnType.STRING),
            required("event_date", ColumnType.DATE),
            requiredCode("event_type", USE_EVENT_TYPES),
            optionalCode("substance", SUBSTANCES),
            optionalCode("source", USE_EVENT_SOURCES)),
            "event_date");

    public static final TableSpec FOLLOWUPS = new TableSpec("followups", false, List.of(
            required("participant_id", ColumnType.STRING),
            optional("episode_id", ColumnType.STRING),
            required("assessment_date", ColumnType.DATE),
            required("reached", ColumnType.BOOLEAN),
            optional("abstinent_past_30_days", ColumnType.BOOLEAN)),
            "assessment_date");

    public static final TableSpec MUTUAL_HELP = new TableSpec("mutual_help", false, List.of(
            required("participant_id", ColumnType.STRING),
            required("meeting_date", ColumnType.DATE),
            requiredCode("group_type", MUTUAL_HELP_GROUPS)),
            "meeting_date");

    /**
     * Death-registry linkage (e.g. the National Death Index): at most one row per participant. Optional: without it
     * no death after discharge is known (a discharge reason {@code died} still is one). How far it is complete is a
     * run setting ({@code --deaths-complete-through}), not a column.
     */
    public static final TableSpec DEATHS = new TableSpec("deaths", false, List.of(
            required("participant_id", ColumnType.STRING),
            required("death_date", ColumnType.DATE),
            requiredCode("cause", DEATH_CAUSES)),
            "death_date");

    /** Every input table, in the order the job reads them (episodes first: the others refer to it). */
    public static final List<TableSpec> ALL =
            List.of(EPISODES, SESSIONS, SCREENS, USE_EVENTS, FOLLOWUPS, MUTUAL_HELP, DEATHS);

    public static Optional<TableSpec> byName(String name) {
        return ALL.stream().filter(t -> t.name().equals(name)).findFirst();
    }

    /** Minutes of a session whose minutes field is empty (SPEC: empty = 60). */
    public static final int DEFAULT_SESSION_MINUTES = 60;
}
