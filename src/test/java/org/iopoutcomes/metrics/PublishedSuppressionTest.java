package org.iopoutcomes.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.iopoutcomes.SparkTestSession;
import org.junit.jupiter.api.Test;

/** Column-group suppression of a long summary table, checked cell by cell. */
class PublishedSuppressionTest {
    static final StructType SCHEMA = new StructType()
            .add("stratum", DataTypes.StringType, false)
            .add("stratum_value", DataTypes.StringType, false)
            .add("episodes", DataTypes.LongType, false)
            .add("relapses", DataTypes.LongType, false)
            .add("rate", DataTypes.DoubleType, true);

    static final List<PublishedSuppression.ColumnGroup> GROUPS = List.of(
            new PublishedSuppression.ColumnGroup(List.of("episodes"), List.of()),
            new PublishedSuppression.ColumnGroup(List.of("relapses"), List.of("rate")));

    private Map<String, Row> suppress(List<Row> rows) {
        return PublishedSuppression.apply(SparkTestSession.get().createDataFrame(rows, SCHEMA),
                        List.of("stratum", "stratum_value"), "stratum_value", GROUPS, new SmallCellSuppression(11))
                .collectAsList().stream().collect(Collectors.toMap(r -> r.getString(1), r -> r));
    }

    @Test
    void smallStratumIsHiddenWithItsComplementAndTheRestStays() {
        Map<String, Row> out = suppress(List.of(
                RowFactory.create("overall", "overall", 85L, 40L, 40 / 85.0),
                RowFactory.create("program_id", "a", 5L, 2L, 0.4),
                RowFactory.create("program_id", "b", 20L, 12L, 0.6),
                RowFactory.create("program_id", "c", 60L, 26L, 26 / 60.0)));
        // a (5 episodes) is hidden whole; b, the next smallest program, is hidden too, so 85 - 60 gives a + b only.
        assertNull(out.get("a").get(2));
        assertNull(out.get("a").get(4));
        assertEquals(true, out.get("a").getAs("suppressed"));
        assertNull(out.get("b").get(2));
        assertNull(out.get("b").get(3));
        assertEquals(true, out.get("b").getAs("suppressed"));
        assertEquals(60L, (long) out.get("c").getAs("episodes"));
        assertEquals(26L, (long) out.get("c").getAs("relapses"));
        assertEquals(false, out.get("c").getAs("suppressed"));
        // overall is its own group: nothing to hide there.
        assertEquals(85L, (long) out.get("overall").getAs("episodes"));
        assertEquals(false, out.get("overall").getAs("suppressed"));
    }

    @Test
    void smallDerivedCountHidesOnlyItsGroup() {
        Map<String, Row> out = suppress(List.of(
                RowFactory.create("program_id", "a", 50L, 4L, 0.08),
                RowFactory.create("program_id", "b", 40L, 30L, 0.75),
                RowFactory.create("program_id", "c", 60L, 20L, 20 / 60.0)));
        // a's 4 relapses and its rate are hidden, its 50 episodes stay; c's 20 relapses are the complement.
        assertEquals(50L, (long) out.get("a").getAs("episodes"));
        assertNull(out.get("a").get(3));
        assertNull(out.get("a").get(4));
        assertNull(out.get("c").get(3));
        assertEquals(60L, (long) out.get("c").getAs("episodes"));
        assertEquals(30L, (long) out.get("b").getAs("relapses"));
        assertEquals(false, out.get("b").getAs("suppressed"));
    }
}
