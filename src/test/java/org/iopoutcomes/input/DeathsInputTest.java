package org.iopoutcomes.input;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.iopoutcomes.InputFixture;
import org.iopoutcomes.SparkTestSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The optional deaths table (SPEC section 2, "deaths (optional)"): valid rows are loaded typed; each broken row is
 * quarantined with its reason (bad date, unknown cause, missing value, future date, a participant named twice, a
 * participant without an episode); rows after an explicit --as-of are left out and counted; an absent table is fine.
 */
class DeathsInputTest {
    static final LocalDate TODAY = LocalDate.of(2025, 12, 31);

    @TempDir
    Path tmp;

    /** The valid fixture with six more discharged participants (p4-p9) and a deaths table. */
    static InputFixture withDeaths(String... deaths) {
        return InputFixture.valid()
                .add("episodes",
                        "e4,p4,prog-a,iop,2025-01-13,2025-03-14,completed,opioids,25-34,male,0,true",
                        "e5,p5,prog-b,iop,2025-02-10,2025-04-11,dropped_out,alcohol,45-54,female,2,",
                        "e6,p6,prog-b,iop,2025-02-10,2025-04-11,completed,opioids,35-44,male,0,false",
                        "e7,p7,prog-a,iop,2025-01-13,2025-03-14,completed,stimulants,25-34,female,0,",
                        "e8,p8,prog-a,iop,2025-01-13,2025-03-14,completed,alcohol,55-64,male,1,",
                        "e9,p9,prog-b,iop,2025-02-10,2025-04-11,terminated,opioids,18-24,male,0,false")
                .table("deaths", InputFixture.DEATHS_HEADER, deaths);
    }

    private LoadedInput load(InputFixture fixture, LocalDate asOf) {
        Path dir = fixture.writeTo(tmp.resolve("input"));
        return InputLoader.load(SparkTestSession.get(), new InputLoader.Request(dir.toString(), asOf, TODAY, 1.0));
    }

    private static List<String> rows(LoadedInput input) {
        return input.deaths().orderBy("participant_id").collectAsList().stream()
                .map(r -> r.getString(0) + "," + r.getDate(1) + "," + r.getString(2)).toList();
    }

    @Test
    void validRowsAreLoadedAndEachBrokenRowIsQuarantinedWithItsReason() {
        try (LoadedInput input = load(withDeaths(
                "p4,2025-05-10,overdose",
                "p5, 2025-06-01 ,other",
                "p6,2025-04-20,unknown",
                "p7,2025-02-30,other",
                "p8,2026-01-15,overdose",
                "p9,2025-05-01,",
                "p1,2025-05-03,overdose",
                "p1,2025-05-03,overdose",
                "p404,2025-05-01,other",
                "p3,2025-05-05,heart"), null)) {
            assertTrue(input.hasDeaths());
            assertEquals(List.of("p4,2025-05-10,overdose", "p5,2025-06-01,other", "p6,2025-04-20,unknown"), rows(input));
            assertEquals(DataTypes.DateType, input.deaths().schema().apply("death_date").dataType());

            TableCounts counts = input.counts("deaths");
            assertEquals("csv", counts.format());
            assertEquals(10, counts.rowsRead());
            assertEquals(3, counts.rowsLoaded());
            assertEquals(new TreeMap<>(Map.of(
                    QuarantineReason.BAD_DATE, 1L,
                    QuarantineReason.FUTURE_DATE, 1L,
                    QuarantineReason.MISSING_VALUE, 1L,
                    QuarantineReason.DUPLICATE_PARTICIPANT, 2L,
                    QuarantineReason.UNKNOWN_PARTICIPANT, 1L,
                    QuarantineReason.BAD_CODE, 1L)), counts.rejectedByReason());

            Map<String, List<Row>> byReason = input.quarantine().where("table_name = 'deaths'").collectAsList().stream()
                    .collect(Collectors.groupingBy(r -> r.getAs("reason")));
            Row future = byReason.get(QuarantineReason.FUTURE_DATE).get(0);
            assertEquals("death_date", future.getAs("column_name"));
            assertEquals("death_date = '2026-01-15' is after the day the job runs (2025-12-31)", future.getAs("detail"));
            assertEquals("p8,2026-01-15,overdose", future.getAs("raw_row"));
            Row badDate = byReason.get(QuarantineReason.BAD_DATE).get(0);
            assertEquals("2025-02-30", badDate.getAs("value"));
            assertEquals("cause is empty; a value is required",
                    byReason.get(QuarantineReason.MISSING_VALUE).get(0).getAs("detail"));
            // both copies of p1 are held back: which one the registry meant cannot be told
            List<Row> copies = byReason.get(QuarantineReason.DUPLICATE_PARTICIPANT);
            assertEquals(2, copies.size());
            for (Row copy : copies) {
                assertEquals("participant_id = 'p1' appears 2 times in deaths; expected at most one row per participant",
                        copy.getAs("detail"));
                assertEquals("p1,2025-05-03,overdose", copy.getAs("raw_row"));
            }
            assertEquals("p404", byReason.get(QuarantineReason.UNKNOWN_PARTICIPANT).get(0).getAs("value"));
            assertEquals("heart", byReason.get(QuarantineReason.BAD_CODE).get(0).getAs("value"));
            // quarantined rows do not move the data cut, and these deaths are all before it
            assertEquals(LocalDate.of(2025, 6, 30), input.dataCut());
        }
    }

    @Test
    void aDeathAfterAnExplicitAsOfIsLeftOutAndCountedNotQuarantined() {
        try (LoadedInput input = load(withDeaths("p4,2025-05-10,overdose", "p5,2025-06-01,other"),
                LocalDate.of(2025, 5, 15))) {
            assertEquals(List.of("p4,2025-05-10,overdose"), rows(input));
            TableCounts counts = input.counts("deaths");
            assertEquals(1, counts.afterDataCut());
            assertEquals(0, counts.rowsRejected());
            assertEquals(1, counts.rowsLoaded());
        }
    }

    @Test
    void aDeathIsAnInputDateLikeAnyOtherForTheDefaultDataCut() {
        // SPEC section 3: the default data cut is the latest date in the input that is not in the future
        try (LoadedInput input = load(withDeaths("p4,2025-08-01,other"), null)) {
            assertEquals(LocalDate.of(2025, 8, 1), input.dataCut());
            assertEquals(List.of("p4,2025-08-01,other"), rows(input));
        }
    }

    @Test
    void anAbsentTableIsFineAndAnEmptyOneIsPresent() {
        try (LoadedInput input = load(InputFixture.valid(), null)) {
            assertFalse(input.hasDeaths());
            assertEquals(0, input.deaths().count());
            assertEquals(List.of("participant_id", "death_date", "cause"), List.of(input.deaths().columns()));
            assertEquals("absent", input.counts("deaths").format());
            assertEquals(0, input.counts("deaths").rowsRead());
            assertEquals(3, input.episodes().count());
        }
        try (LoadedInput input = load(withDeaths(), null)) {
            assertTrue(input.hasDeaths(), "a header-only deaths table says no participant is known to have died");
            assertEquals(0, input.deaths().count());
            assertEquals("csv", input.counts("deaths").format());
        }
    }
}
