package org.iopoutcomes.input;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.iopoutcomes.InputFixture;
import org.iopoutcomes.SparkTestSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every quarantine reason, each from one broken row added to a valid fixture: the row lands in quarantine
 * with the exact reason code, column, value and message, and with its raw text.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QuarantineReasonsTest {
    static final LocalDate TODAY = LocalDate.of(2025, 12, 31);

    @TempDir
    static Path tmp;

    LoadedInput loaded;
    Map<String, Row> quarantineByRaw;

    /** table, the raw row as it reaches quarantine, reason, column, value, detail. */
    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("episodes", "e10,p10,prog-a,iop,2025-01-06", QuarantineReason.MALFORMED_ROW, null, null,
                        "the line does not split into the header's 12 columns"),
                Arguments.of("episodes", "e11,p11,,iop,2025-01-06,,,alcohol,25-34,female,0,",
                        QuarantineReason.MISSING_VALUE, "program_id", null, "program_id is empty; a value is required"),
                Arguments.of("episodes", "e12,p12,prog-a,iop,2025-02-30,,,alcohol,25-34,female,0,",
                        QuarantineReason.BAD_DATE, "admission_date", "2025-02-30",
                        "admission_date = '2025-02-30' is not a date; expected YYYY-MM-DD"),
                Arguments.of("episodes", "e13,p13,prog-a,IOP,2025-01-06,,,alcohol,25-34,female,0,",
                        QuarantineReason.BAD_CODE, "level_of_care", "IOP",
                        "level_of_care = 'IOP' is not a known code; expected one of iop, op, php, residential, detox, other"),
                Arguments.of("episodes", "e14,p14,prog-a,iop,2025-01-06,,,alcohol,25-34,female,two,",
                        QuarantineReason.BAD_INTEGER, "prior_episodes", "two",
                        "prior_episodes = 'two' is not a whole number"),
                Arguments.of("episodes", "e15,p15,prog-a,iop,2025-01-06,,,opioids,25-34,female,0,maybe",
                        QuarantineReason.BAD_BOOLEAN, "moud", "maybe",
                        "moud = 'maybe' is not a boolean; expected true or false"),
                Arguments.of("episodes", "e16,p16,prog-a,iop,2026-01-15,,,alcohol,25-34,female,0,",
                        QuarantineReason.FUTURE_DATE, "admission_date", "2026-01-15",
                        "admission_date = '2026-01-15' is after the day the job runs (2025-12-31)"),
                Arguments.of("episodes", "e17,p17,prog-a,iop,2025-01-06,,,alcohol,25-34,female,-1,",
                        QuarantineReason.PRIOR_EPISODES_NEGATIVE, "prior_episodes", "-1",
                        "prior_episodes = '-1' is negative; expected 0 or more"),
                Arguments.of("episodes", "e18,p18,prog-a,iop,2025-03-01,2025-02-01,completed,alcohol,25-34,female,0,",
                        QuarantineReason.DISCHARGE_BEFORE_ADMISSION, "discharge_date", "2025-02-01",
                        "discharge_date = '2025-02-01' is before admission_date = '2025-03-01'"),
                Arguments.of("episodes", "e19,p19,prog-a,iop,2025-01-06,2025-02-01,,alcohol,25-34,female,0,",
                        QuarantineReason.DISCHARGE_REASON_MISSING, "discharge_reason", null,
                        "discharge_reason is empty; it is required when discharge_date is given"),
                Arguments.of("episodes", "e20,p20,prog-a,iop,2025-01-06,,completed,alcohol,25-34,female,0,",
                        QuarantineReason.DISCHARGE_REASON_WITHOUT_DISCHARGE, "discharge_reason", "completed",
                        "discharge_reason = 'completed' is given but discharge_date is empty (still in care)"),
                Arguments.of("episodes", "e21,p21,prog-a,iop,2025-01-06,,,alcohol,25-34,female,0,",
                        QuarantineReason.DUPLICATE_EPISODE_ID, "episode_id", "e21",
                        "episode_id = 'e21' appears 2 times; expected unique"),
                Arguments.of("sessions", "p1,e1,2025-01-20,group,0,attended",
                        QuarantineReason.MINUTES_NOT_POSITIVE, "minutes", "0",
                        "minutes = '0' is not positive; expected more than 0 (empty means 60)"),
                Arguments.of("sessions", "p999,,2025-01-20,group,60,attended",
                        QuarantineReason.UNKNOWN_PARTICIPANT, "participant_id", "p999",
                        "participant_id = 'p999' has no episode; expected a participant of episodes"),
                Arguments.of("sessions", "p1,e999,2025-01-21,group,60,attended",
                        QuarantineReason.UNKNOWN_EPISODE, "episode_id", "e999",
                        "episode_id = 'e999' is not in episodes; expected an episode_id of episodes or empty"),
                Arguments.of("sessions", "p1,e2,2025-01-22,group,60,attended",
                        QuarantineReason.EPISODE_PARTICIPANT_MISMATCH, "episode_id", "e2",
                        "episode_id = 'e2' belongs to another participant than participant_id = 'p1'"),
                Arguments.of("screens", "p998,2025-01-06,negative,",
                        QuarantineReason.UNKNOWN_PARTICIPANT, "participant_id", "p998",
                        "participant_id = 'p998' has no episode; expected a participant of episodes"),
                Arguments.of("screens", "p1,2025-01-13,pos,alcohol",
                        QuarantineReason.BAD_CODE, "result", "pos",
                        "result = 'pos' is not a known code; expected one of negative, positive, missing, refused, invalid"),
                Arguments.of("use_events", "p1,2025-06-01,relapse,alcohol,self_report",
                        QuarantineReason.BAD_CODE, "event_type", "relapse",
                        "event_type = 'relapse' is not a known code; expected one of use, overdose, fatal_overdose"),
                Arguments.of("followups", "p1,e1,2025-07-04,false,true",
                        QuarantineReason.ABSTINENCE_WITHOUT_CONTACT, "abstinent_past_30_days", "true",
                        "abstinent_past_30_days = 'true' is given but reached is false; expected empty when not reached"),
                Arguments.of("followups", "p1,e1,2025-08-04,yes,",
                        QuarantineReason.BAD_BOOLEAN, "reached", "yes",
                        "reached = 'yes' is not a boolean; expected true or false"),
                Arguments.of("mutual_help", "p1,2025-04-11,",
                        QuarantineReason.MISSING_VALUE, "group_type", null, "group_type is empty; a value is required"),
                Arguments.of("deaths", "p3,2025-05-02,suicide",
                        QuarantineReason.BAD_CODE, "cause", "suicide",
                        "cause = 'suicide' is not a known code; expected one of overdose, other, unknown"),
                Arguments.of("deaths", "p997,2025-05-02,other",
                        QuarantineReason.UNKNOWN_PARTICIPANT, "participant_id", "p997",
                        "participant_id = 'p997' has no episode; expected a participant of episodes"),
                Arguments.of("deaths", "p2,2025-04-01,overdose",
                        QuarantineReason.DUPLICATE_PARTICIPANT, "participant_id", "p2",
                        "participant_id = 'p2' appears 2 times in deaths; expected at most one row per participant"));
    }

    @BeforeAll
    void load() {
        InputFixture fixture = InputFixture.valid().table("deaths", InputFixture.DEATHS_HEADER);
        cases().forEach(c -> fixture.add((String) c.get()[0], (String) c.get()[1]));
        // The second copy of e21 (the first is among the cases).
        fixture.add("episodes", "e21,p21,prog-b,iop,2025-02-06,,,alcohol,25-34,female,0,");
        // The second death row of p2 (the first is among the cases).
        fixture.add("deaths", "p2,2025-03-30,other");
        Path dir = fixture.writeTo(tmp.resolve("input"));
        loaded = InputLoader.load(SparkTestSession.get(),
                new InputLoader.Request(dir.toString(), null, TODAY, 1.0));
        quarantineByRaw = loaded.quarantine().collectAsList().stream()
                .collect(Collectors.toMap(r -> r.getAs("table_name") + "|" + r.getAs("raw_row"), r -> r, (a, b) -> a));
    }

    @AfterAll
    void release() {
        loaded.close();
    }

    @ParameterizedTest(name = "{0}: {2}")
    @MethodSource("cases")
    void brokenRowIsQuarantinedWithItsReasonAndRawText(String table, String raw, String reason, String column,
                                                        String value, String detail) {
        Row row = quarantineByRaw.get(table + "|" + raw);
        assertTrue(row != null, "no quarantine row for " + table + ": " + raw + " in " + quarantineByRaw.keySet());
        assertEquals(reason, row.getAs("reason"));
        assertEquals(column, row.getAs("column_name"));
        assertEquals(value, row.getAs("value"));
        assertEquals(detail, row.getAs("detail"));
        assertTrue(((String) row.getAs("source_file")).endsWith(table + ".csv"));
        assertEquals(loaded.dataCut(), ((java.sql.Date) row.getAs("run_date")).toLocalDate());
    }

    @Test
    void everyReasonCodeIsCovered() throws IllegalAccessException {
        List<String> covered = cases().map(c -> (String) c.get()[2]).distinct().sorted().toList();
        List<String> declared = new java.util.ArrayList<>();
        for (java.lang.reflect.Field field : QuarantineReason.class.getFields()) {
            declared.add((String) field.get(null));
        }
        declared.sort(String::compareTo);
        assertEquals(declared, covered);
    }

    @Test
    void countsMatchTheQuarantineAndValidRowsAreKept() {
        // 12 broken episode rows, plus the second copy of the duplicated id.
        TableCounts episodes = loaded.counts("episodes");
        assertEquals(3 + 12 + 1, episodes.rowsRead());
        assertEquals(13, episodes.rowsRejected());
        assertEquals(3, episodes.rowsLoaded());
        assertEquals(2L, episodes.rejectedByReason().get(QuarantineReason.DUPLICATE_EPISODE_ID));
        assertEquals(3, loaded.episodes().count());
        TableCounts sessions = loaded.counts("sessions");
        assertEquals(12 + 4, sessions.rowsRead());
        assertEquals(4, sessions.rowsRejected());
        assertEquals(12, loaded.sessions().count());
        // every deaths row broke a rule: both copies of p2 are held back
        TableCounts deaths = loaded.counts("deaths");
        assertEquals(4, deaths.rowsRead());
        assertEquals(4, deaths.rowsRejected());
        assertEquals(2L, deaths.rejectedByReason().get(QuarantineReason.DUPLICATE_PARTICIPANT));
        assertEquals(0, loaded.deaths().count());
        assertEquals(loaded.counts().stream().mapToLong(TableCounts::rowsRejected).sum(), loaded.quarantine().count());
        // The data cut is the latest valid date; quarantined rows (2025-07-04, 2025-08-04, 2026-01-15) do not move it.
        assertEquals(LocalDate.of(2025, 6, 30), loaded.dataCut());
    }
}
