package org.iopoutcomes.relapse;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
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
import org.junit.jupiter.api.Test;

/**
 * Acceptance of the Spark side on the real CTN-0094 input tables: the lattice built from screens.csv equals
 * CTNote's usePatternUDS for every episode, and the definitions applied in Spark to those lattices give
 * CTNote's times and events. Comparisons run in Spark; only counts and a few examples reach the driver.
 */
class Ctn0094LatticeTest {

    @Test
    void latticeFromTheInputTablesAndItsOutcomesEqualCtnote() throws URISyntaxException {
        String dir = Path.of(getClass().getResource("/real/ctn0094").toURI()).toString();
        try (LoadedInput input = InputLoader.load(SparkTestSession.get(),
                new InputLoader.Request(dir, null, LocalDate.of(2026, 11, 28), 0.05))) {
            Dataset<Row> expected = SparkTestSession.get().read().option("header", "true")
                    .csv(dir + "/expected_relapse.csv");
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
