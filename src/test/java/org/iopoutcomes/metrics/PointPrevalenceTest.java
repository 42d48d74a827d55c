package org.iopoutcomes.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.iopoutcomes.SparkTestSession;
import org.iopoutcomes.input.Schemas;
import org.iopoutcomes.relapse.TypedRows;
import org.junit.jupiter.api.Test;

/** Point-prevalence abstinence at the follow-up horizons on hand-made rows, every flag counted by hand. */
class PointPrevalenceTest {
    private static final LocalDate DATA_CUT = LocalDate.of(2025, 12, 31);
    private static final String REST = ",opioids,25-34,male,0,";

    @Test
    void eachEpisodeIsEligibleReachedAndAbstinentByTheCallNearestTheHorizon() {
        Dataset<Row> episodes = TypedRows.of(Schemas.EPISODES,
                "e1,p1,prog,iop,2024-11-01,2025-01-01,completed" + REST,
                "e2,p2,prog,iop,2025-09-01,2025-11-01,dropped_out" + REST,
                "e3,p3,prog,iop,2025-10-01,," + REST, // still in care: not followed up
                "e4,p4,prog,iop,2024-11-01,2025-01-01,completed" + REST);
        Dataset<Row> followups = TypedRows.of(Schemas.FOLLOWUPS,
                "p1,e1,2025-01-30,true,true",   // day 29: nearest to 30, abstinent
                "p1,e1,2025-02-05,true,false",  // day 35: further from 30
                "p1,,2025-04-11,true,false",    // day 100, names no episode: e1's (latest admission), 90: using
                "p1,e1,2025-07-20,true,true",   // day 200: 20 days from 180, outside the 14-day window
                "p2,e2,2025-12-01,false,",      // day 30: not reached
                "p4,e4,2025-01-26,true,false",  // day 25 and ...
                "p4,e4,2025-02-05,true,true");  // ... day 35: a tie at 5 days, the earlier call counts
        Map<String, Row> rows = PointPrevalence.perEpisode(episodes, followups, DATA_CUT, List.of(30, 90, 180, 365),
                        14).collectAsList().stream()
                .collect(Collectors.toMap(r -> r.getAs("episode_id") + "@" + r.getAs("horizon_days"), r -> r));
        assertEquals(12, rows.size(), "three discharged episodes, four horizons: " + rows.keySet());
        // {eligible, reached, abstinent}
        Map<String, boolean[]> expected = Map.ofEntries(
                Map.entry("e1@30", new boolean[] {true, true, true}),
                Map.entry("e1@90", new boolean[] {true, true, false}),
                Map.entry("e1@180", new boolean[] {true, false, false}),
                // 2025-01-01 + 365 + 14 is after the data cut
                Map.entry("e1@365", new boolean[] {false, false, false}),
                Map.entry("e2@30", new boolean[] {true, false, false}),
                Map.entry("e2@90", new boolean[] {false, false, false}),
                Map.entry("e2@180", new boolean[] {false, false, false}),
                Map.entry("e2@365", new boolean[] {false, false, false}),
                Map.entry("e4@30", new boolean[] {true, true, false}),
                Map.entry("e4@90", new boolean[] {true, false, false}),
                Map.entry("e4@180", new boolean[] {true, false, false}),
                Map.entry("e4@365", new boolean[] {false, false, false}));
        expected.forEach((key, flags) -> {
            Row r = rows.get(key);
            assertEquals(flags[0], r.getAs("eligible"), key + " eligible");
            assertEquals(flags[1], r.getAs("reached"), key + " reached");
            assertEquals(flags[2], r.getAs("abstinent"), key + " abstinent");
        });
    }

    @Test
    void theSharesAreAmongTheReachedAndAmongAllEligibleWithWilsonIntervals() {
        StructType counts = new StructType().add("stratum", DataTypes.StringType)
                .add("stratum_value", DataTypes.StringType).add("horizon_days", DataTypes.IntegerType)
                .add("eligible", DataTypes.LongType).add("reached", DataTypes.LongType)
                .add("abstinent", DataTypes.LongType);
        List<Row> in = List.of(
                new org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema(
                        new Object[] {"overall", "overall", 30, 3L, 2L, 1L}, counts),
                new org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema(
                        new Object[] {"overall", "overall", 365, 0L, 0L, 0L}, counts));
        List<Row> table = PointPrevalence.table(SparkTestSession.get(), in, RelapseSettings.defaults())
                .collectAsList();
        Row r = table.get(0);
        assertEquals(30, (int) r.getAs("horizon_days"));
        assertEquals(0.5, (double) r.getAs("abstinence_among_reached"), 1e-15);
        // R: prop.test(1, 2, correct = FALSE)$conf.int
        assertEquals(0.0945312057342307, (double) r.getAs("abstinence_among_reached_lower"), 1e-12);
        assertEquals(0.9054687942657692, (double) r.getAs("abstinence_among_reached_upper"), 1e-12);
        assertEquals(1.0 / 3, (double) r.getAs("abstinence_worst_case"), 1e-15);
        // R: prop.test(1, 3, correct = FALSE)$conf.int
        assertEquals(0.0614919447203963, (double) r.getAs("abstinence_worst_case_lower"), 1e-12);
        assertEquals(0.7923403991979523, (double) r.getAs("abstinence_worst_case_upper"), 1e-12);
        Row none = table.get(1);
        assertNull(none.getAs("abstinence_among_reached"), "nobody reached: no share");
        assertNull(none.getAs("abstinence_worst_case"));
        assertEquals(List.of(RowFactory.create(0L, 0L, 0L).toString()),
                List.of(RowFactory.create(none.getAs("eligible"), none.getAs("reached"), none.getAs("abstinent"))
                        .toString()));
    }
}
