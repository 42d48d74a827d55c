package org.iopoutcomes.synth;

import static org.iopoutcomes.input.Schemas.AGE_BANDS;
import static org.iopoutcomes.input.Schemas.DISCHARGE_REASONS;
import static org.iopoutcomes.input.Schemas.LEVELS_OF_CARE;
import static org.iopoutcomes.input.Schemas.MUTUAL_HELP_GROUPS;
import static org.iopoutcomes.input.Schemas.SCREEN_RESULTS;
import static org.iopoutcomes.input.Schemas.SESSION_STATUSES;
import static org.iopoutcomes.input.Schemas.SESSION_TYPES;
import static org.iopoutcomes.input.Schemas.SEXES;
import static org.iopoutcomes.input.Schemas.SUBSTANCES;
import static org.iopoutcomes.input.Schemas.USE_EVENT_SOURCES;
import static org.iopoutcomes.input.Schemas.USE_EVENT_TYPES;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.iopoutcomes.input.Schemas;
import org.iopoutcomes.input.TableSpec;

/**
 * The generated tables as Spark Datasets. Each table is built from {@code spark.range(N)}: every partition
 * re-simulates its participants ({@link ParticipantSimulator}) and emits only that table's rows, so no row is ever
 * collected to the driver and the rows of a participant do not depend on the partitioning.
 */
public final class SyntheticTables {
    private SyntheticTables() {}

    /** The generator's own record of what it planted, per episode (not an input table of the contract). */
    public static final String TRUTH = "episode_truth";
    /**
     * The true course after each discharge (not an input table): the first event (relapse or death) and its day,
     * whether the tables show it, recoveries, the death, true past-30-day use at each follow-up horizon, and whether
     * the follow-up call of that day reached the participant.
     */
    public static final String POST_DISCHARGE_TRUTH = "post_discharge_truth";
    /** Internal, never written: one row per discharged IOP episode with what generator.json sums per program. */
    static final String TRUTH_SUMS = "_truth_sums";

    static final StructType TRUTH_SUMS_SCHEMA = DataTypes.createStructType(new StructField[] {
        DataTypes.createStructField("program_id", DataTypes.StringType, false),
        DataTypes.createStructField("p_relapse_365", DataTypes.DoubleType, false),
        DataTypes.createStructField("continuing_care_14d", DataTypes.IntegerType, false),
        DataTypes.createStructField("attendance_rate", DataTypes.DoubleType, false),
        DataTypes.createStructField("relapse_recorded", DataTypes.IntegerType, false),
        DataTypes.createStructField("p_relapse_before_death_365", DataTypes.DoubleType, false),
        DataTypes.createStructField("death_recorded", DataTypes.IntegerType, false),
        DataTypes.createStructField("recovery", DataTypes.IntegerType, false)});

    /** Hidden ordering columns: participant index and the row's sequence within the participant. */
    public static final String KEY_PARTICIPANT = "_p";
    public static final String KEY_SEQUENCE = "_s";

    public static final StructType TRUTH_SCHEMA = DataTypes.createStructType(new StructField[] {
        DataTypes.createStructField("episode_id", DataTypes.StringType, false),
        DataTypes.createStructField("participant_id", DataTypes.StringType, false),
        DataTypes.createStructField("program_id", DataTypes.StringType, false),
        DataTypes.createStructField("level_of_care", DataTypes.StringType, false),
        DataTypes.createStructField("admission_date", DataTypes.DateType, false),
        DataTypes.createStructField("discharge_date", DataTypes.DateType, true),
        DataTypes.createStructField("attended_sessions", DataTypes.IntegerType, false),
        DataTypes.createStructField("no_show_sessions", DataTypes.IntegerType, false),
        DataTypes.createStructField("attendance_rate", DataTypes.DoubleType, true),
        DataTypes.createStructField("continuing_care_14d", DataTypes.BooleanType, true),
        DataTypes.createStructField("relapse_day_latent", DataTypes.IntegerType, true),
        DataTypes.createStructField("relapse_recorded", DataTypes.BooleanType, true),
        DataTypes.createStructField("last_contact_day", DataTypes.IntegerType, true),
        DataTypes.createStructField("p_relapse_365", DataTypes.DoubleType, true)});

    public static final StructType POST_DISCHARGE_TRUTH_SCHEMA = DataTypes.createStructType(new StructField[] {
        DataTypes.createStructField("episode_id", DataTypes.StringType, false),
        DataTypes.createStructField("participant_id", DataTypes.StringType, false),
        DataTypes.createStructField("program_id", DataTypes.StringType, false),
        DataTypes.createStructField("level_of_care", DataTypes.StringType, false),
        DataTypes.createStructField("discharge_date", DataTypes.DateType, false),
        DataTypes.createStructField("first_event", DataTypes.StringType, false),
        DataTypes.createStructField("first_event_day", DataTypes.IntegerType, false),
        DataTypes.createStructField("first_event_fatal", DataTypes.BooleanType, false),
        DataTypes.createStructField("first_event_seen", DataTypes.BooleanType, false),
        DataTypes.createStructField("relapse_day", DataTypes.IntegerType, false),
        DataTypes.createStructField("recovery_end_day", DataTypes.IntegerType, true),
        DataTypes.createStructField("sustained_relapse_day", DataTypes.IntegerType, false),
        DataTypes.createStructField("recorded_relapse_day", DataTypes.IntegerType, true),
        DataTypes.createStructField("death_day", DataTypes.IntegerType, true),
        DataTypes.createStructField("death_cause", DataTypes.StringType, true),
        DataTypes.createStructField("death_recorded", DataTypes.BooleanType, false),
        DataTypes.createStructField("p_relapse_before_death_365", DataTypes.DoubleType, false),
        DataTypes.createStructField("use_past_30_day_30", DataTypes.BooleanType, true),
        DataTypes.createStructField("use_past_30_day_90", DataTypes.BooleanType, true),
        DataTypes.createStructField("use_past_30_day_180", DataTypes.BooleanType, true),
        DataTypes.createStructField("use_past_30_day_365", DataTypes.BooleanType, true),
        DataTypes.createStructField("call_reached_day_30", DataTypes.BooleanType, true),
        DataTypes.createStructField("call_reached_day_90", DataTypes.BooleanType, true),
        DataTypes.createStructField("call_reached_day_180", DataTypes.BooleanType, true),
        DataTypes.createStructField("call_reached_day_365", DataTypes.BooleanType, true)});

    static {
        // The emitters below write columns in the contract's order; fail loudly if the contract changes.
        expectColumns(Schemas.EPISODES, "episode_id", "participant_id", "program_id", "level_of_care", "admission_date",
                "discharge_date", "discharge_reason", "primary_substance", "age_band", "sex", "prior_episodes", "moud");
        expectColumns(Schemas.SESSIONS, "participant_id", "episode_id", "session_date", "session_type", "minutes", "status");
        expectColumns(Schemas.SCREENS, "participant_id", "collected_date", "result", "substance");
        expectColumns(Schemas.USE_EVENTS, "participant_id", "event_date", "event_type", "substance", "source");
        expectColumns(Schemas.FOLLOWUPS, "participant_id", "episode_id", "assessment_date", "reached", "abstinent_past_30_days");
        expectColumns(Schemas.MUTUAL_HELP, "participant_id", "meeting_date", "group_type");
        expectColumns(Schemas.DEATHS, "participant_id", "death_date", "cause");
        // the last columns: use_past_30_day_H, then call_reached_day_H, for each follow-up day H in order
        String[] names = POST_DISCHARGE_TRUTH_SCHEMA.fieldNames();
        int days = ParticipantSimulator.FOLLOWUP_DAYS.length;
        for (int i = 0; i < days; i++) {
            if (!names[names.length - 2 * days + i].equals("use_past_30_day_" + ParticipantSimulator.FOLLOWUP_DAYS[i])
                    || !names[names.length - days + i].equals(
                            "call_reached_day_" + ParticipantSimulator.FOLLOWUP_DAYS[i])) {
                throw new IllegalStateException("post_discharge_truth out of date with the follow-up horizons");
            }
        }
    }

    private static void expectColumns(TableSpec spec, String... names) {
        if (!spec.columnNames().equals(List.of(names))) {
            throw new IllegalStateException("generator out of date with the contract of table " + spec.name()
                    + ": " + spec.columnNames());
        }
    }

    /**
     * The input tables the generator writes with these settings: the six tables of before issue 14, and
     * {@code deaths} when deaths are planted (without them the optional table is absent, as before).
     */
    public static List<String> inputTables(GeneratorSettings settings) {
        return Schemas.ALL.stream().filter(t -> t != Schemas.DEATHS || settings.plantsDeaths())
                .map(TableSpec::name).toList();
    }

    /** The input tables the generator writes at its default settings (no deaths table). */
    public static List<String> inputTables() {
        return Schemas.ALL.stream().filter(t -> t != Schemas.DEATHS).map(TableSpec::name).toList();
    }

    /** The truth tables written with --with-truth. */
    public static List<String> truthTables() {
        return List.of(TRUTH, POST_DISCHARGE_TRUTH);
    }

    /** The schema of a written table (dates as DateType). */
    public static StructType schema(String table) {
        if (TRUTH.equals(table)) {
            return TRUTH_SCHEMA;
        }
        if (POST_DISCHARGE_TRUTH.equals(table)) {
            return POST_DISCHARGE_TRUTH_SCHEMA;
        }
        if (TRUTH_SUMS.equals(table)) {
            return TRUTH_SUMS_SCHEMA;
        }
        return Schemas.byName(table).orElseThrow(() -> new IllegalArgumentException("unknown table " + table)).typedSchema();
    }

    /** The date column rows of the table are ordered by (within a participant). */
    public static String dateColumn(String table) {
        return TRUTH.equals(table) ? "admission_date" : POST_DISCHARGE_TRUTH.equals(table) ? "discharge_date"
                : Schemas.byName(table).orElseThrow().eventDateColumn();
    }

    /** Default partitions of spark.range: about 50,000 participants each. */
    public static int defaultPartitions(long participants) {
        return (int) Math.min(4000, Math.max(2, (participants + 49_999) / 50_000));
    }

    /**
     * One table. With {@code keys} the hidden columns {@link #KEY_PARTICIPANT} and {@link #KEY_SEQUENCE} come first,
     * to sort deterministically before a single-file write.
     */
    public static Dataset<Row> table(SparkSession spark, GeneratorSettings settings, double[] scales, String table,
            int partitions, boolean keys) {
        StructType target = schema(table);
        List<StructField> genFields = new ArrayList<>();
        genFields.add(DataTypes.createStructField(KEY_PARTICIPANT, DataTypes.LongType, false));
        genFields.add(DataTypes.createStructField(KEY_SEQUENCE, DataTypes.IntegerType, false));
        for (StructField f : target.fields()) {
            boolean date = f.dataType().equals(DataTypes.DateType);
            genFields.add(DataTypes.createStructField(f.name(), date ? DataTypes.IntegerType : f.dataType(), f.nullable()));
        }
        StructType genSchema = DataTypes.createStructType(genFields);
        Dataset<Row> raw = spark.range(0, settings.participants, 1, partitions)
                .mapPartitions(new Emitter(settings, scales, table), Encoders.row(genSchema));
        List<Column> columns = new ArrayList<>();
        if (keys) {
            columns.add(functions.col(KEY_PARTICIPANT));
            columns.add(functions.col(KEY_SEQUENCE));
        }
        for (StructField f : target.fields()) {
            Column c = functions.col(f.name());
            columns.add(f.dataType().equals(DataTypes.DateType) ? functions.date_from_unix_date(c).as(f.name()) : c);
        }
        return raw.select(columns.toArray(new Column[0]));
    }

    /** Simulates the participants of a partition and emits one table's rows. */
    static final class Emitter implements MapPartitionsFunction<Long, Row> {
        private static final long serialVersionUID = 1L;
        private final GeneratorSettings settings;
        private final double[] scales;
        private final String table;

        Emitter(GeneratorSettings settings, double[] scales, String table) {
            this.settings = settings;
            this.scales = scales;
            this.table = table;
        }

        @Override
        public Iterator<Row> call(Iterator<Long> ids) {
            ParticipantSimulator sim = new ParticipantSimulator(settings, scales);
            History h = new History();
            List<Row> buffer = new ArrayList<>();
            return new Iterator<>() {
                int next;

                @Override
                public boolean hasNext() {
                    while (next >= buffer.size()) {
                        if (!ids.hasNext()) {
                            return false;
                        }
                        buffer.clear();
                        next = 0;
                        sim.simulate(ids.next(), h);
                        emit(h, table, buffer);
                    }
                    return true;
                }

                @Override
                public Row next() {
                    if (!hasNext()) {
                        throw new NoSuchElementException();
                    }
                    return buffer.get(next++);
                }
            };
        }
    }

    private static Integer dateOrNull(int day) {
        return day < 0 ? null : day;
    }

    private static String codeOrNull(List<String> codes, int i) {
        return i < 0 ? null : codes.get(i);
    }

    /** Appends the rows of {@code table} for participant {@code h}. */
    static void emit(History h, String table, List<Row> out) {
        Long p = h.index;
        String pid = h.participantId;
        switch (table) {
            case "episodes" -> {
                for (int i = 0; i < h.episodes.size(); i++) {
                    History.Episode e = h.episodes.get(i);
                    out.add(RowFactory.create(p, i, h.episodeId(e.number), pid, GeneratorSettings.programId(e.program),
                            LEVELS_OF_CARE.get(e.level), e.admission, dateOrNull(e.discharge),
                            codeOrNull(DISCHARGE_REASONS, e.reason), SUBSTANCES.get(e.primarySubstance),
                            AGE_BANDS.get(e.ageBand), SEXES.get(e.sex),
                            e.priorEpisodes < 0 ? null : e.priorEpisodes, e.moud < 0 ? null : e.moud == 1));
                }
            }
            case "sessions" -> {
                String[] episodeIds = episodeIds(h);
                for (int i = 0; i < h.nSessions; i++) {
                    int ep = h.sEpisode[i];
                    out.add(RowFactory.create(p, i, pid, ep < 0 ? null : episodeIds[ep], h.sDate[i],
                            SESSION_TYPES.get(h.sType[i]), h.sMinutes[i] < 0 ? null : h.sMinutes[i],
                            SESSION_STATUSES.get(h.sStatus[i])));
                }
            }
            case "screens" -> {
                for (int i = 0; i < h.nScreens; i++) {
                    out.add(RowFactory.create(p, i, pid, h.xDate[i], SCREEN_RESULTS.get(h.xResult[i]),
                            codeOrNull(SUBSTANCES, h.xSubstance[i])));
                }
            }
            case "use_events" -> {
                for (int i = 0; i < h.nEvents; i++) {
                    out.add(RowFactory.create(p, i, pid, h.uDate[i], USE_EVENT_TYPES.get(h.uType[i]),
                            codeOrNull(SUBSTANCES, h.uSubstance[i]), codeOrNull(USE_EVENT_SOURCES, h.uSource[i])));
                }
            }
            case "followups" -> {
                String[] episodeIds = episodeIds(h);
                for (int i = 0; i < h.nFollowups; i++) {
                    out.add(RowFactory.create(p, i, pid, episodeIds[h.fEpisode[i]], h.fDate[i], h.fReached[i] == 1,
                            h.fAbstinent[i] < 0 ? null : h.fAbstinent[i] == 1));
                }
            }
            case "mutual_help" -> {
                for (int i = 0; i < h.nMeetings; i++) {
                    out.add(RowFactory.create(p, i, pid, h.mDate[i], MUTUAL_HELP_GROUPS.get(h.mGroup[i])));
                }
            }
            case TRUTH -> {
                for (int i = 0; i < h.episodes.size(); i++) {
                    History.Episode e = h.episodes.get(i);
                    boolean d = e.discharged();
                    out.add(RowFactory.create(p, i, h.episodeId(e.number), pid, GeneratorSettings.programId(e.program),
                            LEVELS_OF_CARE.get(e.level), e.admission, dateOrNull(e.discharge), e.attended, e.noShow,
                            d ? e.attendanceRate : null, d ? e.continuingCare : null, d ? e.relapseDay : null,
                            d ? e.relapseRecorded : null, d ? e.lastContactDay : null, d ? e.relapse365 : null));
                }
            }
            case "deaths" -> {
                if (h.deathDate >= 0) {
                    out.add(RowFactory.create(p, 0, pid, h.deathDate, h.deathOverdose ? "overdose" : "other"));
                }
            }
            case POST_DISCHARGE_TRUTH -> {
                for (int i = 0; i < h.episodes.size(); i++) {
                    History.Episode e = h.episodes.get(i);
                    if (!e.discharged()) {
                        continue;
                    }
                    Object[] row = new Object[2 + 17 + e.usePast30.length + e.callReached.length];
                    int c = 0;
                    row[c++] = p;
                    row[c++] = i;
                    row[c++] = h.episodeId(e.number);
                    row[c++] = pid;
                    row[c++] = GeneratorSettings.programId(e.program);
                    row[c++] = LEVELS_OF_CARE.get(e.level);
                    row[c++] = e.discharge;
                    row[c++] = e.firstEventDeath ? "death" : "relapse";
                    row[c++] = e.firstEventDay;
                    row[c++] = e.firstEventFatal;
                    row[c++] = e.firstEventSeen;
                    row[c++] = e.relapseDay;
                    row[c++] = e.recoveryEndDay < 0 ? null : e.recoveryEndDay;
                    row[c++] = e.sustainedRelapseDay;
                    row[c++] = e.recordedRelapseDay < 0 ? null : e.recordedRelapseDay;
                    row[c++] = e.deathDay < 0 ? null : e.deathDay;
                    row[c++] = e.deathDay < 0 ? null : e.deathOverdose ? "overdose" : "other";
                    row[c++] = e.deathRecorded;
                    row[c++] = e.relapseBeforeDeath365;
                    for (int use : e.usePast30) {
                        row[c++] = use < 0 ? null : use == 1;
                    }
                    for (int call : e.callReached) {
                        row[c++] = call < 0 ? null : call == 1;
                    }
                    out.add(RowFactory.create(row));
                }
            }
            case TRUTH_SUMS -> {
                for (int i = 0; i < h.episodes.size(); i++) {
                    History.Episode e = h.episodes.get(i);
                    if (e.discharged() && e.level == ParticipantSimulator.IOP) {
                        out.add(RowFactory.create(p, i, GeneratorSettings.programId(e.program), e.relapse365,
                                e.continuingCare ? 1 : 0, e.attendanceRate, e.relapseRecorded ? 1 : 0,
                                e.relapseBeforeDeath365, e.deathRecorded ? 1 : 0, e.recoveryEndDay >= 0 ? 1 : 0));
                    }
                }
            }
            default -> throw new IllegalArgumentException("unknown table " + table);
        }
    }

    private static String[] episodeIds(History h) {
        String[] ids = new String[h.episodes.size() + 1];
        for (History.Episode e : h.episodes) {
            ids[e.number] = h.episodeId(e.number);
        }
        return ids;
    }
}
