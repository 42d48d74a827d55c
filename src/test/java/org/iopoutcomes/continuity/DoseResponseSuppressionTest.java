package org.iopoutcomes.continuity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.iopoutcomes.SparkTestSession;
import org.junit.jupiter.api.Test;

/**
 * dose_response adds up two ways: the programs of a level add up to the overall level, and the levels of one
 * dimension add up to the program's population, which the other dimension shows. A hidden cell must not come back
 * by subtraction along either line.
 */
class DoseResponseSuppressionTest {
    private static final String ATT = DoseResponse.ATTENDANCE;
    private static final String HRS = DoseResponse.HOURS;

    /**
     * Program a: 4 episodes without an attendance rate; every hours band is large. Every count the table implies
     * (episodes less relapses: those not relapsed) is 0 or at least 11 too, so the only small count is the 4: a/Q1
     * once had 30 episodes and 20 relapses, whose 10 not relapsed the joint disclosure pass (rightly) protects as well.
     */
    private static List<Row> table() {
        List<Row> rows = new ArrayList<>();
        // program, dimension, level, order, episodes, relapses
        Object[][] cells = {
            {"a", ATT, "not recorded", 0, 4L, 2L}, {"a", ATT, "Q1", 1, 30L, 18L}, {"a", ATT, "Q2", 2, 40L, 22L},
            {"a", ATT, "Q3", 3, 50L, 24L}, {"a", ATT, "Q4", 4, 60L, 26L},
            {"a", HRS, "<9 h", 1, 84L, 42L}, {"a", HRS, "9-<12 h", 2, 50L, 25L}, {"a", HRS, ">=12 h", 3, 50L, 25L},
            {"b", ATT, "not recorded", 0, 20L, 12L}, {"b", ATT, "Q1", 1, 45L, 30L}, {"b", ATT, "Q2", 2, 45L, 25L},
            {"b", ATT, "Q3", 3, 45L, 20L}, {"b", ATT, "Q4", 4, 45L, 15L},
            {"b", HRS, "<9 h", 1, 100L, 52L}, {"b", HRS, "9-<12 h", 2, 50L, 25L}, {"b", HRS, ">=12 h", 3, 50L, 25L},
            {"c", ATT, "not recorded", 0, 25L, 12L}, {"c", ATT, "Q1", 1, 55L, 30L}, {"c", ATT, "Q2", 2, 55L, 25L},
            {"c", ATT, "Q3", 3, 55L, 20L}, {"c", ATT, "Q4", 4, 55L, 15L},
            {"c", HRS, "<9 h", 1, 125L, 52L}, {"c", HRS, "9-<12 h", 2, 60L, 25L}, {"c", HRS, ">=12 h", 3, 60L, 25L},
        };
        for (Object[] c : cells) {
            long episodes = (Long) c[4];
            long relapses = (Long) c[5];
            rows.add(RowFactory.create("program_id", c[0], c[1], c[2], c[3], 365, episodes, relapses,
                    relapses / (double) episodes, 0.1, 0.9, 0.5, episodes, relapses));
        }
        return rows;
    }

    private static Map<String, Row> publish(List<Row> rows) {
        Map<String, Row> out = new LinkedHashMap<>();
        for (Row r : DoseResponse.publish(SparkTestSession.get(), rows, 11).collectAsList()) {
            out.put(r.getString(1) + "/" + r.getString(3), r);
        }
        return out;
    }

    @Test
    void aLoneHiddenLevelGetsAComplementAmongTheLevelsOfItsDimension() {
        Map<String, Row> out = publish(table());

        // a's 4 unrecorded episodes are hidden; a's 184 episodes are shown by the hours bands, so a second
        // attendance level of a (the smallest, Q1 with 30) must be hidden too, or 184 - 180 gives the 4 back.
        assertNull(out.get("a/not recorded").getAs("episodes"));
        assertNull(out.get("a/Q1").getAs("episodes"));
        assertEquals(true, out.get("a/Q1").getAs("suppressed"));
        assertEquals(40L, (long) out.get("a/Q2").<Long>getAs("episodes"));
        // Across programs: a's hidden levels each need a complement in another program (b, the smaller).
        assertNull(out.get("b/not recorded").getAs("episodes"));
        assertNull(out.get("b/Q1").getAs("episodes"));
        assertEquals(25L, (long) out.get("c/not recorded").<Long>getAs("episodes"));
        // The hours bands of a have nothing small: they stay.
        assertEquals(84L, (long) out.get("a/<9 h").<Long>getAs("episodes"));
        assertEquals(false, out.get("a/<9 h").getAs("suppressed"));
    }

    @Test
    void noLineOfEitherAxisIsLeftWithOneHiddenCell() {
        List<Row> rows = table();
        Map<String, Row> out = publish(rows);
        Map<String, Integer> hiddenByLevelLine = new LinkedHashMap<>();
        Map<String, Integer> hiddenByProgramLine = new LinkedHashMap<>();
        for (Row r : rows) {
            String program = r.getString(1);
            String dimension = r.getString(2);
            String level = r.getString(3);
            hiddenByLevelLine.merge(program + "/" + dimension, 0, Integer::sum);
            hiddenByProgramLine.merge(dimension + "/" + level, 0, Integer::sum);
            if (out.get(program + "/" + level).getAs("episodes") == null && r.getLong(6) > 0) {
                hiddenByLevelLine.merge(program + "/" + dimension, 1, Integer::sum);
                hiddenByProgramLine.merge(dimension + "/" + level, 1, Integer::sum);
            }
        }
        hiddenByLevelLine.forEach((line, hidden) -> assertNotEquals(1, hidden, "levels of " + line));
        hiddenByProgramLine.forEach((line, hidden) -> assertNotEquals(1, hidden, "programs of " + line));
    }

    @Test
    void aSmallRelapseCountHidesItsGroupAndOneMoreLevelNotTheEpisodes() {
        List<Row> rows = new ArrayList<>();
        // Q4's 39 relapses leave 11 not relapsed (40 left 10, a second small count this test is not about)
        long[][] cells = {{50, 6}, {50, 20}, {50, 30}, {50, 39}};
        for (int i = 0; i < cells.length; i++) {
            rows.add(RowFactory.create("overall", "overall", ATT, "Q" + (i + 1), i + 1, 90, cells[i][0], cells[i][1],
                    cells[i][1] / 50.0, 0.1, 0.9, 0.01, cells[i][0], cells[i][1]));
        }
        Map<String, Row> out = publish(rows);

        assertNull(out.get("overall/Q1").getAs("relapses"));
        assertNull(out.get("overall/Q1").getAs("cumulative_incidence"));
        // the complement along the levels: Q2, the smallest shown relapse count
        assertNull(out.get("overall/Q2").getAs("relapses"));
        assertNull(out.get("overall/Q2").getAs("relapsed_known"));
        assertEquals(30L, (long) out.get("overall/Q3").<Long>getAs("relapses"));
        for (String level : List.of("Q1", "Q2", "Q3", "Q4")) {
            assertEquals(50L, (long) out.get("overall/" + level).<Long>getAs("episodes"), level);
        }
    }
}
