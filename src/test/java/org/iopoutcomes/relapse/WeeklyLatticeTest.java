package org.iopoutcomes.relapse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.iopoutcomes.input.Schemas;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The lattice built in Spark from hand-made screens and use events, each week worked out by hand. */
class WeeklyLatticeTest {
    private static final LocalDate DATA_CUT = LocalDate.of(2025, 6, 30);
    private static Map<String, Row> byEpisode;

    @BeforeAll
    static void build() {
        Dataset<Row> episodes = TypedRows.of(Schemas.EPISODES,
                // p1: an early dropout, then a second episode from 2025-03-03.
                "a1,p1,prog,iop,2025-01-06,2025-02-02,dropped_out,opioids,25-34,male,0,",
                "a2,p1,prog,iop,2025-03-03,,,opioids,25-34,male,1,",
                // p2: no screen and no use event.
                "b1,p2,prog,iop,2025-01-06,2025-03-28,completed,alcohol,35-44,female,0,",
                // p3: a screen on the data cut and one after it.
                "c1,p3,prog,iop,2025-06-01,,,alcohol,18-24,female,0,",
                // p4: two episodes admitted the same day; the greater episode_id owns the rows.
                "d1,p4,prog,iop,2025-01-06,2025-01-07,transferred,alcohol,18-24,female,0,",
                "d2,p4,prog,op,2025-01-06,,,alcohol,18-24,female,0,");
        Dataset<Row> screens = TypedRows.of(Schemas.SCREENS,
                "p1,2025-01-01,positive,opioids", // before the first admission: no episode owns it
                "p1,2025-01-06,negative,",        // a1 day 0: week 1
                "p1,2025-01-12,positive,opioids", // day 6: still week 1, so week 1 is '*'
                "p1,2025-01-13,missing,",         // day 7: week 2
                "p1,2025-01-14,refused,",         // week 2 holds only missing/refused: 'o'
                "p1,2025-01-27,invalid,",         // day 21: week 4, with a use event the next day: '+'
                "p1,2025-02-03,negative,",        // day 28: week 5, with an overdose on day 30: '*'
                "p1,2025-02-17,missing,",         // day 42, after the discharge: week 7 still counts
                "p1,2025-03-01,negative,",        // day 54, the last day before a2: week 8
                "p1,2025-03-03,positive,opioids", // a2's admission day: a2 week 1
                "p3,2025-06-30,negative,",        // c1 day 29: week 5
                "p3,2025-07-01,positive,alcohol", // after the data cut
                "p4,2025-01-08,negative,");
        Dataset<Row> useEvents = TypedRows.of(Schemas.USE_EVENTS,
                "p1,2025-01-28,use,opioids,self_report",
                "p1,2025-02-05,overdose,opioids,clinician",
                "p1,2025-03-17,fatal_overdose,opioids,collateral"); // a2 day 14: week 3
        byEpisode = WeeklyLattice.build(episodes, screens, useEvents, DATA_CUT).collectAsList().stream()
                .collect(Collectors.toMap(r -> r.getAs("episode_id"), r -> r));
    }

    private static String lattice(String episode) {
        return byEpisode.get(episode).getAs(WeeklyLattice.LATTICE);
    }

    @Test
    void eachWeekTakesItsSymbolFromItsScreensAndUseEvents() {
        // * (neg + pos), o (missing, refused), _ (nothing), + (invalid + use), * (neg + overdose), _, o, -
        assertEquals("*o_+*_o-", lattice("a1"));
        assertEquals(8, (int) byEpisode.get("a1").getAs(WeeklyLattice.LATTICE_WEEKS));
    }

    @Test
    void rowsFromTheNextAdmissionOnBelongToTheNextEpisode() {
        assertEquals("+_+", lattice("a2"));
    }

    @Test
    void anEpisodeWithoutScreensOrUseEventsHasTheEmptyLattice() {
        assertEquals("", lattice("b1"));
        assertEquals(0, (int) byEpisode.get("b1").getAs(WeeklyLattice.LATTICE_WEEKS));
    }

    @Test
    void theLatticeStopsAtTheDataCut() {
        assertEquals("____-", lattice("c1"));
    }

    @Test
    void sameDayAdmissionsGiveTheRowsToTheGreaterEpisodeId() {
        assertEquals("", lattice("d1"));
        assertEquals("-", lattice("d2"));
        assertEquals(6, byEpisode.size(), "one row per episode");
    }

    @Test
    void theDefinitionsRunInSparkOnTheLattices() {
        List<RelapseDefinition> definitions = List.of(RelapseDefinitions.CTN0094_RELAPSE,
                RelapseDefinitions.LEE2016, RelapseDefinitions.KRUPITSKY2004);
        Dataset<Row> lattices = org.iopoutcomes.SparkTestSession.get().createDataFrame(
                byEpisode.values().stream().map(r -> org.apache.spark.sql.RowFactory.create(
                        r.getAs("episode_id"), r.getAs(WeeklyLattice.LATTICE))).toList(),
                new org.apache.spark.sql.types.StructType().add("episode_id", "string").add("lattice", "string"));
        Map<String, Row> outcomes = LatticeOutcomes.apply(lattices, definitions).collectAsList().stream()
                .collect(Collectors.toMap(r -> r.getAs("episode_id"), r -> r));
        Row a1 = outcomes.get("a1");
        // "*o_+*_o-" recoded "++_++_+-": never 4 positive weeks in a row; 5 windows, censored at week 5.
        assertEquals(5, (int) a1.getAs("ctn0094_relapse_time_weeks"));
        assertEquals(false, a1.getAs("ctn0094_relapse_event"));
        // Two positives in weeks 1-4: time 1 + (4 - 2).
        assertEquals(3, (int) a1.getAs("lee2016_time_weeks"));
        assertEquals(true, a1.getAs("lee2016_event"));
        assertEquals(false, a1.getAs("krupitsky2004_event"));
        // The empty lattice: NA for the window definitions, no run for the flag.
        Row b1 = outcomes.get("b1");
        assertNull(b1.getAs("ctn0094_relapse_time_weeks"));
        assertNull(b1.getAs("ctn0094_relapse_event"));
        assertEquals(false, b1.getAs("krupitsky2004_event"));
        assertEquals(List.of("episode_id", "lattice", "ctn0094_relapse_time_weeks", "ctn0094_relapse_event",
                        "lee2016_time_weeks", "lee2016_event", "krupitsky2004_event"),
                List.of(LatticeOutcomes.apply(lattices, definitions).columns()), "a flag definition has no time");
    }
}
