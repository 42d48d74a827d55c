package org.iopoutcomes.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.iopoutcomes.input.LoadedInput;
import org.iopoutcomes.input.Schemas;
import org.iopoutcomes.input.TableSpec;
import org.iopoutcomes.relapse.TypedRows;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Overdose after abstinence and follow-up calls on hand-made rows, each attributed to the episode admitted last
 * on or before its date. p1 is readmitted in program B, so the same participant's rows belong to two programs.
 * The tables are spread over several partitions so the shuffles run as in a real run (a generated row number
 * once paired rows with the wrong episodes between two evaluations of one plan).
 */
class RelapseFollowUpTest {
    private static final String REST = ",opioids,25-34,male,0,";
    private static Map<String, Row> byStratumValue;
    private static List<String> overdoseEvents;
    private static boolean planDeterministic;

    @BeforeAll
    static void compute() {
        Map<String, Dataset<Row>> tables = new LinkedHashMap<>();
        put(tables, Schemas.EPISODES,
                "e1,p1,progA,iop,2025-01-06,2025-03-01,completed" + REST,
                "e2,p1,progB,iop,2025-05-01,2025-07-01,completed" + REST,
                "e3,p2,progA,iop,2025-01-06,2025-03-01,completed" + REST);
        put(tables, Schemas.SESSIONS, "p1,e1,2025-01-06,group,180,attended");
        put(tables, Schemas.SCREENS,
                "p1,2025-03-20,negative,",
                "p1,2025-04-01,positive,opioids",   // after 12 abstinent days, before e2: e1 (A)
                "p1,2025-08-01,negative,",
                "p1,2025-08-15,positive,opioids",   // after abstinence: e2 (B), overdose on 08-20
                "p2,2025-04-01,positive,opioids",   // no negative in the 30 days before: not counted
                "p2,2025-04-10,negative,",
                "p2,2025-04-20,positive,opioids",   // a positive 19 days earlier: not after abstinence
                "p2,2025-06-01,negative,");
        put(tables, Schemas.USE_EVENTS,
                "p1,2025-08-20,overdose,opioids,clinician",          // within 30 days of the 08-15 relapse
                "p2,2025-06-10,fatal_overdose,opioids,clinician");   // the relapse itself is the overdose: e3 (A)
        put(tables, Schemas.FOLLOWUPS,
                "p1,e1,2025-04-15,true,false",   // names e1
                "p1,,2025-09-01,true,true",      // unnamed: e2, admitted last before it
                "p2,,2025-02-01,false,");        // unnamed: e3
        LoadedInput input = new LoadedInput(tables, null, List.of(), LocalDate.of(2025, 12, 31), true, List.of(),
                List.of());
        RelapseSettings settings = RelapseSettings.defaults();
        Dataset<Row> perStratum = RelapseFollowUp.perStratum(input, settings);
        planDeterministic = perStratum.queryExecution().analyzed().deterministic();  // as DeterministicPlan checks
        overdoseEvents = RelapseFollowUp.overdosesAfterAbstinence(input, settings).collectAsList().stream()
                .map(r -> r.mkString(",")).sorted().toList();
        byStratumValue = perStratum
                .where("stratum in ('overall', 'program_id')").collectAsList().stream()
                .collect(Collectors.toMap(r -> r.getAs("stratum_value"), r -> r));
    }

    private static void put(Map<String, Dataset<Row>> tables, TableSpec spec, String... lines) {
        tables.put(spec.name(), TypedRows.of(spec, lines).repartition(3));
    }

    @Test
    void relapsesAfterAbstinenceBelongToTheEpisodeAdmittedLastBeforeThem() {
        assertCounts("progA", 2, 1);
        assertCounts("progB", 1, 1);
        assertCounts("overall", 3, 2);
    }

    @Test
    void callsBelongToTheEpisodeTheyNameElseTheLastAdmittedBeforeThem() {
        assertCalls("progA", 2, 1, 0, 2);
        assertCalls("progB", 1, 1, 1, 1);
        assertCalls("overall", 3, 2, 1, 2);
    }

    @Test
    void overdoseEventsAreListedWithTheirEpisodeAndTheFirstOverdoseDate() {
        // the rows behind overdoses_after_abstinence = 2 overall: e2's relapse, and e3's relapse that was the overdose
        assertEquals(List.of("episode_id", "participant_id", "program_id", "relapse_date", "overdose_date"),
                RelapseFollowUp.OVERDOSE_EPISODE_COLUMNS);
        assertEquals(List.of("e2,p1,progB,2025-08-15,2025-08-20", "e3,p2,progA,2025-06-10,2025-06-10"),
                overdoseEvents);
    }

    @Test
    void thePlanHasNoNondeterministicExpression() {
        // e.g. monotonically_increasing_id evaluated twice and joined: the pairs can differ between evaluations
        assertTrue(planDeterministic, "RelapseFollowUp.perStratum plan is not deterministic");
    }

    private static void assertCounts(String value, long relapses, long overdoses) {
        Row row = byStratumValue.get(value);
        assertEquals(relapses, (long) row.getAs("relapses_after_abstinence"), value);
        assertEquals(overdoses, (long) row.getAs("overdoses_after_abstinence"), value);
    }

    private static void assertCalls(String value, long calls, long reached, long abstinent, long participants) {
        Row row = byStratumValue.get(value);
        assertEquals(List.of(calls, reached, abstinent, participants), List.of(
                (long) row.getAs("followup_calls"), (long) row.getAs("followup_reached"),
                (long) row.getAs("followup_abstinent"), (long) row.getAs("followup_participants")), value);
    }
}
