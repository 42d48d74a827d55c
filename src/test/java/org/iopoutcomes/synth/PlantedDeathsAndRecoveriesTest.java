package org.iopoutcomes.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.iopoutcomes.input.InputLoader;
import org.iopoutcomes.input.LoadedInput;
import org.iopoutcomes.input.Schemas;
import org.iopoutcomes.input.TableCounts;
import org.iopoutcomes.input.TableSpec;
import org.iopoutcomes.relapse.PostTreatmentRelapse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The options of issue 14 on a small written set (400 participants, seed 14, a death hazard of 1 per year with 30%
 * overdoses, recoveries for half of the first relapses), read back through the job's own input loader: the deaths
 * table obeys the contract, nothing is dated after a death, post_discharge_truth agrees with the tables (deaths, the
 * relapse the tables record, the answers of the follow-up calls), and a recovery is over before the next contact.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PlantedDeathsAndRecoveriesTest {
    static final GeneratorSettings SETTINGS = GeneratorSettings.defaults(400, 14L).withDeaths(1.0, 0.3)
            .withRecoveries(0.5);

    @TempDir
    static Path tmp;

    Path out;
    LoadedInput input;
    SparkSession spark;

    @BeforeAll
    void generateAndLoad() {
        spark = TestSpark.get();
        out = tmp.resolve("generated");
        SyntheticDataWriter.write(spark, SETTINGS, out, SyntheticDataWriter.Format.CSV, 2, true);
        input = InputLoader.load(spark, new InputLoader.Request(out.toString(), null, LocalDate.of(2026, 12, 31), 0.0));
        for (TableSpec spec : Schemas.ALL) {
            input.table(spec).createOrReplaceTempView(VIEW + spec.name());
        }
        for (String truth : SyntheticTables.truthTables()) {
            spark.read().schema(SyntheticTables.schema(truth)).option("header", "true")
                    .csv(out.resolve(truth + ".csv").toString()).createOrReplaceTempView(VIEW + truth);
        }
        PostTreatmentRelapse.compute(input).createOrReplaceTempView(VIEW + "observed_relapse");
    }

    @AfterAll
    void release() {
        input.close();
    }

    /** This class's views carry a prefix: the default set of GeneratedData is registered under the bare names. */
    static final String VIEW = "pd_";
    private static final java.util.regex.Pattern TABLE = java.util.regex.Pattern.compile("\\b(FROM|JOIN)\\s+(episodes|sessions"
            + "|screens|use_events|followups|mutual_help|deaths|post_discharge_truth|episode_truth|observed_relapse|contacts"
            + "|calls)\\b");

    /** Runs a query on this class's views: a table named after FROM or JOIN is read under the prefix. */
    private org.apache.spark.sql.Dataset<Row> sql(String query) {
        return spark.sql(TABLE.matcher(query).replaceAll("$1 " + VIEW + "$2"));
    }

    private long count(String sql) {
        return sql(sql).first().getLong(0);
    }

    @Test
    void theDeathsTableIsWrittenAndTheLoaderAcceptsEveryRow() throws IOException {
        try (var files = Files.list(out)) {
            assertEquals(List.of("deaths.csv", "episode_truth.csv", "episodes.csv", "followups.csv", "generator.json",
                    "mutual_help.csv", "post_discharge_truth.csv", "screens.csv", "sessions.csv", "use_events.csv"),
                    files.map(p -> p.getFileName().toString()).sorted().toList());
        }
        assertEquals("participant_id,death_date,cause", Files.readAllLines(out.resolve("deaths.csv")).get(0));
        for (TableCounts c : input.counts()) {
            assertEquals(0, c.rowsRejected(), c.table() + ": " + c.reasonsText());
        }
        assertTrue(input.hasDeaths());
        assertEquals(LocalDate.of(2026, 9, 30), input.dataCut());
        // causes: overdose or other (the generator knows every cause), both present
        List<Row> causes = sql("SELECT cause, count(*) FROM deaths GROUP BY cause ORDER BY cause").collectAsList();
        assertEquals(2, causes.size(), causes.toString());
        assertEquals("other", causes.get(0).getString(0));
        assertEquals("overdose", causes.get(1).getString(0));
        assertTrue(causes.get(0).getLong(1) >= 50 && causes.get(1).getLong(1) >= 20, causes.toString());

        String json = Files.readString(out.resolve("generator.json"));
        assertTrue(json.contains("\"death_hazard_per_year\": 1,"), json);
        assertTrue(json.contains("\"death_overdose_share\": 0.3,"), json);
        assertTrue(json.contains("\"recovery_share\": 0.5,"), json);
        assertTrue(json.contains("\"true_relapse_before_death_365\": 0."), json);
        assertTrue(json.contains("\"overall_true_relapse_before_death_365\": 0."), json);
    }

    @Test
    void nothingIsDatedAfterADeath() {
        String[][] dates = {{"sessions", "session_date"}, {"screens", "collected_date"}, {"use_events", "event_date"},
            {"followups", "assessment_date"}, {"mutual_help", "meeting_date"}, {"episodes", "admission_date"},
            {"episodes", "discharge_date"}};
        for (String[] d : dates) {
            assertEquals(0, count("SELECT count(*) FROM " + d[0] + " t JOIN deaths x ON t.participant_id = x.participant_id"
                    + " WHERE t." + d[1] + " > x.death_date"), d[0] + "." + d[1] + " after a death");
        }
        // a planted death (not a fatal overdose the tables record) leaves no contact on its own day either
        for (String[] d : List.of(dates).subList(0, 5)) {
            assertEquals(0, count("SELECT count(*) FROM " + d[0] + " t JOIN deaths x ON t.participant_id = x.participant_id"
                    + " WHERE t." + d[1] + " = x.death_date AND NOT EXISTS (SELECT 1 FROM use_events u"
                    + " WHERE u.participant_id = x.participant_id AND u.event_date = x.death_date"
                    + " AND u.event_type = 'fatal_overdose')"), d[0] + "." + d[1] + " on the day of a planted death");
        }
    }

    @Test
    void everyDeathIsTheTruthsAndEveryRecordedDeathOfTheTruthIsARow() {
        long deaths = count("SELECT count(*) FROM deaths");
        assertEquals(deaths, count("SELECT count(*) FROM post_discharge_truth WHERE death_recorded"));
        assertEquals(deaths, count("SELECT count(*) FROM deaths x JOIN post_discharge_truth t"
                + " ON t.participant_id = x.participant_id AND t.death_recorded"
                + " AND date_add(t.discharge_date, t.death_day) = x.death_date AND t.death_cause = x.cause"));
        // a death not recorded lies after the data cut (the truth is latent), or after a readmission never happened
        assertEquals(0, count("SELECT count(*) FROM post_discharge_truth WHERE death_day IS NOT NULL AND NOT death_recorded"
                + " AND date_add(discharge_date, death_day) <= DATE'2026-09-30'"));
    }

    @Test
    void theFirstEventIsARelapseOrADeathAndAgreesWithTheCourse() {
        long episodes = count("SELECT count(*) FROM post_discharge_truth");
        assertEquals(count("SELECT count(*) FROM episodes WHERE discharge_date IS NOT NULL"), episodes);
        // a death first: from another cause, on the death day
        assertEquals(0, count("SELECT count(*) FROM post_discharge_truth WHERE first_event = 'death'"
                + " AND NOT (first_event_fatal AND death_cause = 'other' AND death_day = first_event_day"
                + " AND relapse_day >= first_event_day)"));
        // a fatal overdose first is a relapse on the death day
        assertEquals(0, count("SELECT count(*) FROM post_discharge_truth WHERE first_event = 'relapse' AND first_event_fatal"
                + " AND NOT (death_cause = 'overdose' AND death_day = first_event_day AND relapse_day >= first_event_day"
                + " AND recorded_relapse_day IS NULL)"));
        // otherwise the first use, before any death
        assertEquals(0, count("SELECT count(*) FROM post_discharge_truth WHERE first_event = 'relapse' AND NOT first_event_fatal"
                + " AND NOT (first_event_day = relapse_day AND (death_day IS NULL OR death_day >= relapse_day))"));
        assertEquals(0, count("SELECT count(*) FROM post_discharge_truth WHERE first_event NOT IN ('relapse', 'death')"
                + " OR p_relapse_before_death_365 NOT BETWEEN 0 AND 1"));
        Row kinds = sql("SELECT sum(CASE WHEN first_event = 'death' THEN 1 ELSE 0 END),"
                + " sum(CASE WHEN first_event = 'relapse' AND first_event_fatal THEN 1 ELSE 0 END),"
                + " sum(CASE WHEN first_event = 'relapse' AND first_event_day <= 365 THEN 1 ELSE 0 END)"
                + " FROM post_discharge_truth").first();
        assertTrue(kinds.getLong(0) >= 50 && kinds.getLong(1) >= 5 && kinds.getLong(2) >= 100, kinds.toString());
    }

    @Test
    void theTablesRecordTheRelapseTheTruthSaysAndNothingElse() {
        // the job's own post-treatment relapse (first_use on the discharge clock) against the truth
        Row r = sql("SELECT count(*),"
                + " sum(CASE WHEN t.recorded_relapse_day IS NOT NULL THEN 1 ELSE 0 END),"
                + " sum(CASE WHEN t.recorded_relapse_day IS NOT NULL AND o.relapse_event"
                + "   AND o.relapse_time_days = t.recorded_relapse_day THEN 1 ELSE 0 END),"
                + " sum(CASE WHEN t.recorded_relapse_day IS NULL AND NOT o.relapse_event THEN 1 ELSE 0 END),"
                + " sum(CASE WHEN t.first_event = 'relapse' AND NOT t.first_event_fatal AND t.first_event_seen"
                + "   AND o.relapse_time_days = t.first_event_day THEN 1 ELSE 0 END),"
                + " sum(CASE WHEN t.first_event = 'relapse' AND NOT t.first_event_fatal AND t.first_event_seen"
                + "   THEN 1 ELSE 0 END),"
                // an overdose death with no use recorded before it (a fatal overdose first, or after a use no contact
                // saw), recorded only in deaths: the job reads it as a relapse on the death day (SPEC 3)
                + " sum(CASE WHEN t.recorded_relapse_day IS NULL AND t.death_recorded AND t.death_cause = 'overdose'"
                + "   THEN 1 ELSE 0 END),"
                + " sum(CASE WHEN t.recorded_relapse_day IS NULL AND t.death_recorded AND t.death_cause = 'overdose'"
                + "   AND o.relapse_event AND o.relapse_time_days = t.death_day"
                + "   AND o.relapse_source = 'death_overdose' THEN 1 ELSE 0 END)"
                + " FROM observed_relapse o JOIN post_discharge_truth t ON o.episode_id = t.episode_id").first();
        long n = r.getLong(0);
        assertEquals(count("SELECT count(*) FROM post_discharge_truth"), n);
        assertEquals(r.getLong(1), r.getLong(2), "a recorded relapse is observed on its day");
        assertEquals(r.getLong(6), r.getLong(7), "an overdose death in deaths is observed as a relapse on its day");
        assertEquals(n - r.getLong(1) - r.getLong(6), r.getLong(3),
                "no relapse is observed where none is recorded, in the use tables or as an overdose death");
        assertEquals(r.getLong(5), r.getLong(4), "a first relapse seen is the observed one");
        assertTrue(r.getLong(5) > 30, r.toString());
    }

    @Test
    void aRecoveryIsOverBeforeTheNextContactAndNoContactSeesIt() {
        long recoveries = count("SELECT count(*) FROM post_discharge_truth WHERE recovery_end_day IS NOT NULL");
        assertTrue(recoveries >= 20, "recoveries " + recoveries);
        assertEquals(0, count("SELECT count(*) FROM post_discharge_truth WHERE recovery_end_day IS NOT NULL AND NOT ("
                + " first_event = 'relapse' AND NOT first_event_fatal AND NOT first_event_seen"
                + " AND recovery_end_day BETWEEN relapse_day AND relapse_day + 13"
                + " AND sustained_relapse_day > recovery_end_day"
                + " AND (recorded_relapse_day IS NULL OR recorded_relapse_day = sustained_relapse_day))"));
        // the contacts after discharge that tell use (a reached call covers the 30 days up to it; a screen, an
        // attended session and a use event their day), as [from, to] per participant
        sql("SELECT participant_id, date_sub(assessment_date, 29) AS c_from, assessment_date AS c_to FROM followups"
                + " WHERE reached"
                + " UNION ALL SELECT participant_id, session_date, session_date FROM sessions WHERE status = 'attended'"
                + " UNION ALL SELECT participant_id, collected_date, collected_date FROM screens"
                + "   WHERE result IN ('positive', 'negative')"
                + " UNION ALL SELECT participant_id, event_date, event_date FROM use_events")
                .createOrReplaceTempView(VIEW + "contacts");
        assertEquals(0, count("SELECT count(*) FROM post_discharge_truth t JOIN contacts c"
                + " ON c.participant_id = t.participant_id WHERE t.recovery_end_day IS NOT NULL"
                + " AND c.c_from <= date_add(t.discharge_date, t.recovery_end_day)"
                + " AND c.c_to >= date_add(t.discharge_date, t.relapse_day)"), "a contact sees a recovery");
        // and some recoveries do have a later call that reads abstinence, so the continuous-abstinence reading misses
        // the relapse (9 of 55 here: with this death hazard many recoveries lie after the last reached call)
        long missed = count("SELECT count(DISTINCT t.episode_id) FROM post_discharge_truth t JOIN followups f"
                + " ON f.participant_id = t.participant_id AND f.episode_id = t.episode_id"
                + " WHERE t.recovery_end_day IS NOT NULL AND f.reached AND f.abstinent_past_30_days"
                + " AND f.assessment_date > date_add(t.discharge_date, t.recovery_end_day)");
        assertTrue(missed >= 5, "recoveries followed by an abstinent call: " + missed + " of " + recoveries);
    }

    @Test
    void theAnswersOfTheCallsAreTheTruePastThirtyDayUse() {
        sql("SELECT f.reached, f.abstinent_past_30_days, datediff(f.assessment_date, t.discharge_date) AS h, t.*"
                + " FROM followups f JOIN post_discharge_truth t ON f.episode_id = t.episode_id")
                .createOrReplaceTempView(VIEW + "calls");
        long reached = count("SELECT count(*) FROM calls WHERE reached");
        assertTrue(reached > 300, "reached calls " + reached);
        assertEquals(reached, count("SELECT count(*) FROM calls WHERE reached AND abstinent_past_30_days = NOT"
                + " (CASE h WHEN 30 THEN use_past_30_day_30 WHEN 90 THEN use_past_30_day_90"
                + " WHEN 180 THEN use_past_30_day_180 WHEN 365 THEN use_past_30_day_365 END)"));
        // empty for those dead by the horizon, and otherwise only where a readmission ended the course
        assertEquals(0, count("SELECT count(*) FROM post_discharge_truth WHERE death_day <= 90"
                + " AND use_past_30_day_90 IS NOT NULL"));
        assertEquals(0, count("SELECT count(*) FROM post_discharge_truth t WHERE t.use_past_30_day_90 IS NULL"
                + " AND coalesce(t.death_day > 90, true) AND NOT EXISTS (SELECT 1 FROM episodes e"
                + " WHERE e.participant_id = t.participant_id AND e.admission_date > t.discharge_date)"));
        assertTrue(count("SELECT count(*) FROM post_discharge_truth WHERE use_past_30_day_365 IS NULL") > 50);
    }
}
