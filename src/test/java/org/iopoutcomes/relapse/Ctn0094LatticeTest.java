package org.iopoutcomes.relapse;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.regexp_extract;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.iopoutcomes.SparkTestSession;
import org.iopoutcomes.input.InputLoader;
import org.iopoutcomes.input.LoadedInput;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Acceptance of the Spark side on the real CTN-0094 input tables: the lattice built from screens.csv equals
 * CTNote's usePatternUDS for every episode, and the definitions applied in Spark to those lattices give
 * CTNote's times and events; and the discharge clock on the same tables. Comparisons run in Spark; only
 * counts and a few examples reach the driver.
 */
class Ctn0094LatticeTest {
    private static LoadedInput input;
    private static Dataset<Row> expected;

    @BeforeAll
    static void load() throws URISyntaxException {
        String dir = Path.of(Ctn0094LatticeTest.class.getResource("/real/ctn0094").toURI()).toString();
        input = InputLoader.load(SparkTestSession.get(),
                new InputLoader.Request(dir, null, LocalDate.of(2026, 11, 28), 0.05));
        expected = SparkTestSession.get().read().option("header", "true").csv(dir + "/expected_relapse.csv");
    }

    @AfterAll
    static void close() {
        input.close();
    }

    @Test
    void latticeFromTheInputTablesAndItsOutcomesEqualCtnote() {
        Dataset<Row> compared = LatticeOutcomes.apply(WeeklyLattice.build(input), RelapseDefinitions.BUILT_IN)
                .join(expected, "episode_id").cache();
        try {
            assertEquals(CtnoteExpected.PARTICIPANTS, compared.count(), "episodes compared");

            Column latticeDiffers = not(col(WeeklyLattice.LATTICE).eqNullSafe(col("usePatternUDS")));
            assertEquals(List.of(), examples(compared, latticeDiffers, "usePatternUDS"),
                    "episodes whose lattice differs from usePatternUDS (first 20)");

            List<Column> mismatchCounts = new ArrayList<>();
            for (RelapseDefinition definition : RelapseDefinitions.BUILT_IN) {
                mismatchCounts.add(sum(when(differs(definition), 1).otherwise(0)).as(definition.name()));
            }
            Row counts = compared.agg(mismatchCounts.get(0),
                    mismatchCounts.subList(1, mismatchCounts.size()).toArray(Column[]::new)).first();
            for (RelapseDefinition definition : RelapseDefinitions.BUILT_IN) {
                assertEquals(0L, (long) counts.getAs(definition.name()), definition.name()
                        + " differs from CTNote on: " + examples(compared, differs(definition),
                        CtnoteExpected.COLUMNS.get(definition.name())[1]));
            }
        } finally {
            compared.unpersist();
        }
    }

    /**
     * CTN-0094 has no follow-up after discharge (the conversion discharges at the last attended week; later
     * weeks are missing screens and no-shows), so the discharge clock finds no relapse and censors at day 0,
     * except where the last attended week is '*': its negative screen is the day after the discharge, a
     * known-status contact at day 1 (the positive on the discharge day itself does not count).
     */
    @Test
    void theDischargeClockSeesNoFollowUpAfterDischarge() {
        Dataset<Row> discharge = PostTreatmentRelapse.compute(input).join(expected, "episode_id")
                .withColumn("ends_with_both", regexp_extract(col("usePatternUDS"), "([^o])o*$", 1).equalTo("*"));
        Row counts = discharge.agg(count(lit(1)).as("episodes"),
                sum(when(col(PostTreatmentRelapse.EVENT), 1).otherwise(0)).as("relapses"),
                sum(when(col("ends_with_both"), 1).otherwise(0)).as("ending_in_both"),
                sum(when(col(PostTreatmentRelapse.TIME).equalTo(when(col("ends_with_both"), 1).otherwise(0)), 0)
                        .otherwise(1)).as("unexpected_times")).first();
        assertEquals(CtnoteExpected.PARTICIPANTS, (long) counts.getAs("episodes"), "every episode is discharged");
        assertEquals(0L, (long) counts.getAs("relapses"));
        assertEquals(81L, (long) counts.getAs("ending_in_both"));
        assertEquals(0L, (long) counts.getAs("unexpected_times"));
    }

    /** The engine's time and event, against CTNote's columns read as text (1/0, TRUE/FALSE, NA). */
    private static Column differs(RelapseDefinition definition) {
        String[] columns = CtnoteExpected.COLUMNS.get(definition.name());
        Column eventDiffers = not(col(LatticeOutcomes.eventColumn(definition)).eqNullSafe(ctnoteEvent(columns[1])));
        if (definition.flagOnly()) {
            return eventDiffers;
        }
        Column expectedTime = when(col(columns[0]).equalTo("NA"), lit(null)).otherwise(col(columns[0])).cast("int");
        return eventDiffers.or(not(col(LatticeOutcomes.timeColumn(definition)).eqNullSafe(expectedTime)));
    }

    private static Column ctnoteEvent(String column) {
        return when(col(column).isin("1", "TRUE"), lit(true)).when(col(column).isin("0", "FALSE"), lit(false));
    }

    private static List<String> examples(Dataset<Row> compared, Column differs, String expectedColumn) {
        return compared.where(differs).limit(20).collectAsList().stream()
                .map(r -> r.getAs("episode_id") + " lattice=" + r.getAs(WeeklyLattice.LATTICE) + " pattern="
                        + r.getAs("usePatternUDS") + " " + expectedColumn + "=" + r.getAs(expectedColumn))
                .toList();
    }
}
