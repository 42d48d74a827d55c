package org.iopoutcomes.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.iopoutcomes.input.ColumnSpec;
import org.iopoutcomes.input.ColumnType;
import org.iopoutcomes.input.Schemas;
import org.iopoutcomes.input.TableSpec;
import org.junit.jupiter.api.Test;

/** The generated tables obey the input contract of SPEC section 2. */
class ContractTest {
    private static long count(SparkSession spark, String sql) {
        return spark.sql(sql).first().getLong(0);
    }

    /** The input tables generated at default settings: every table of the contract but the optional deaths. */
    private static List<TableSpec> generated() {
        List<TableSpec> specs = SyntheticTables.inputTables(GeneratedData.SETTINGS).stream()
                .map(t -> Schemas.byName(t).orElseThrow()).toList();
        assertEquals(Schemas.ALL.stream().filter(t -> t != Schemas.DEATHS).toList(), specs);
        return specs;
    }

    @Test
    void everyTableHasTheContractColumnsAndTypes() {
        SparkSession spark = GeneratedData.views();
        for (TableSpec spec : generated()) {
            StructField[] fields = spark.table(spec.name()).schema().fields();
            assertEquals(spec.columnNames().size(), fields.length, spec.name());
            for (int i = 0; i < fields.length; i++) {
                ColumnSpec c = spec.columns().get(i);
                assertEquals(c.name(), fields[i].name(), spec.name());
                assertEquals(c.type().sparkType(), fields[i].dataType(), spec.name() + "." + c.name());
            }
            assertTrue(spark.table(spec.name()).count() > 0, "no rows in " + spec.name());
        }
    }

    @Test
    void codesAreInTheContractListsAndRequiredValuesPresent() {
        SparkSession spark = GeneratedData.views();
        for (TableSpec spec : generated()) {
            for (ColumnSpec c : spec.columns()) {
                if (c.required()) {
                    assertEquals(0, count(spark, "SELECT count(*) FROM " + spec.name() + " WHERE " + c.name() + " IS NULL"),
                            spec.name() + "." + c.name() + " has empty required values");
                }
                if (c.type() == ColumnType.CODE) {
                    List<Row> values = spark.sql("SELECT DISTINCT " + c.name() + " FROM " + spec.name()
                            + " WHERE " + c.name() + " IS NOT NULL").collectAsList();
                    for (Row r : values) {
                        assertTrue(c.codes().contains(r.getString(0)),
                                spec.name() + "." + c.name() + " has code '" + r.getString(0) + "'");
                    }
                }
            }
        }
        assertEquals(0, count(spark, "SELECT count(*) FROM sessions WHERE minutes IS NOT NULL AND minutes <= 0"));
        assertEquals(0, count(spark, "SELECT count(*) FROM episodes WHERE prior_episodes < 0"));
        // abstinence is empty exactly when the call did not reach the participant
        assertEquals(0, count(spark, "SELECT count(*) FROM followups WHERE reached <> (abstinent_past_30_days IS NOT NULL)"));
        // moud only for opioid participants
        assertEquals(0, count(spark, "SELECT count(*) FROM episodes WHERE moud IS NOT NULL AND primary_substance <> 'opioids'"));
        // empty minutes only where the session lasted the default 60
        assertTrue(count(spark, "SELECT count(*) FROM sessions WHERE minutes IS NULL") > 0);
        assertEquals(DataTypes.DateType, spark.table("sessions").schema().apply("session_date").dataType());
    }

    @Test
    void episodesAreConsistent() {
        SparkSession spark = GeneratedData.views();
        assertEquals(0, count(spark, "SELECT count(*) - count(DISTINCT episode_id) FROM episodes"));
        assertEquals(0, count(spark, "SELECT count(*) FROM episodes WHERE discharge_date < admission_date"));
        assertEquals(0, count(spark, "SELECT count(*) FROM episodes WHERE (discharge_date IS NULL) <> (discharge_reason IS NULL)"));
        assertTrue(count(spark, "SELECT count(*) FROM episodes WHERE discharge_date IS NULL") > 0, "some episodes are active at the cut");
        assertTrue(count(spark, "SELECT count(*) FROM (SELECT participant_id FROM episodes GROUP BY participant_id HAVING count(*) > 1)") > 0,
                "some participants are readmitted");
        // episodes of one participant do not overlap
        assertEquals(0, count(spark, "SELECT count(*) FROM episodes a JOIN episodes b ON a.participant_id = b.participant_id"
                + " AND a.episode_id < b.episode_id WHERE a.discharge_date IS NULL OR b.admission_date <= a.discharge_date"));
    }

    @Test
    void noDateAfterTheDataCut() {
        SparkSession spark = GeneratedData.views();
        String cut = "DATE'" + GeneratedData.SETTINGS.dataCut + "'";
        String[][] dates = {{"episodes", "admission_date"}, {"episodes", "discharge_date"}, {"sessions", "session_date"},
            {"screens", "collected_date"}, {"use_events", "event_date"}, {"followups", "assessment_date"},
            {"mutual_help", "meeting_date"}};
        for (String[] d : dates) {
            assertEquals(0, count(spark, "SELECT count(*) FROM " + d[0] + " WHERE " + d[1] + " > " + cut), d[0] + "." + d[1]);
        }
    }

    @Test
    void everyRowBelongsToAParticipantWithAnEpisode() {
        SparkSession spark = GeneratedData.views();
        for (String table : List.of("sessions", "screens", "use_events", "followups", "mutual_help")) {
            assertEquals(0, count(spark, "SELECT count(*) FROM " + table + " t LEFT ANTI JOIN episodes e"
                    + " ON t.participant_id = e.participant_id"), table);
        }
        for (String table : List.of("sessions", "followups")) {
            assertEquals(0, count(spark, "SELECT count(*) FROM " + table + " t LEFT ANTI JOIN episodes e"
                    + " ON t.episode_id = e.episode_id AND t.participant_id = e.participant_id WHERE t.episode_id IS NOT NULL"), table);
        }
        // an episode's own sessions lie between its admission and discharge (or the cut)
        assertEquals(0, count(spark, "SELECT count(*) FROM sessions s JOIN episodes e ON s.episode_id = e.episode_id"
                + " WHERE s.session_date < e.admission_date OR s.session_date > coalesce(e.discharge_date, DATE'"
                + GeneratedData.SETTINGS.dataCut + "')"));
        // follow-ups come after the discharge of their episode
        assertEquals(0, count(spark, "SELECT count(*) FROM followups f JOIN episodes e ON f.episode_id = e.episode_id"
                + " WHERE e.discharge_date IS NULL OR f.assessment_date <= e.discharge_date"));
    }
}
