package org.iopoutcomes.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.iopoutcomes.SparkTestSession;
import org.iopoutcomes.metrics.RelapseSummary;
import org.junit.jupiter.api.Test;

/**
 * Issue 13, the safety count, on hand-made relapse_summary rows (no job run): overdoses_after_abstinence is published
 * when it reaches the threshold and hidden from 0 to threshold-1 with its share and interval, a lone hidden value
 * (0 included) takes the next smallest with it, and the overdose flag is not in the published table; the internal
 * copy (threshold 1) keeps everything.
 */
class RelapseSafetyCountTest {
    static final String FLAG = RelapseSummary.OVERDOSE_FLAG;

    /**
     * One verdict row of relapse_summary: every count of people large (100) but the two after abstinence, every
     * estimate a plain value, the overdose share and its flag computed from the counts.
     */
    static Row row(String stratum, String value, long relapsesAfterAbstinence, long overdoses) {
        Object[] v = new Object[RelapseSummary.SUMMARY_SCHEMA.size()];
        for (int i = 0; i < v.length; i++) {
            StructField f = RelapseSummary.SUMMARY_SCHEMA.fields()[i];
            if (f.dataType().equals(DataTypes.LongType)) {
                v[i] = 100L;
            } else if (f.dataType().equals(DataTypes.DoubleType)) {
                v[i] = 0.5;
            } else if (f.dataType().equals(DataTypes.BooleanType)) {
                v[i] = true;
            } else if (f.dataType().equals(DataTypes.IntegerType)) {
                v[i] = 365;
            }
        }
        set(v, "stratum", stratum);
        set(v, "stratum_value", value);
        set(v, "definition", RelapseSummary.FIRST_USE);
        set(v, "clock", "discharge");
        set(v, "verdict", RelapseSummary.WITHIN_BAND);
        // the counts inside a row add up as the table declares (eligible = known status + lost, known status =
        // relapsed + relapse-free, episodes at least the eligible): the disclosure layer refuses a table that does not
        set(v, "episodes", 200L);
        set(v, "known_status", 60L);
        set(v, "lost_before_horizon", 40L);
        set(v, "relapsed_known", 30L);
        set(v, "known_relapse_free", 30L);
        if (Arrays.asList(RelapseSummary.SUMMARY_SCHEMA.fieldNames()).contains(RelapseSummary.OFF_GRID)) {
            set(v, RelapseSummary.OFF_GRID, false);
        }
        set(v, "relapses_after_abstinence", relapsesAfterAbstinence);
        set(v, "overdoses_after_abstinence", overdoses);
        set(v, "overdose_after_abstinence_rate", overdoses / (double) relapsesAfterAbstinence);
        set(v, "overdose_after_abstinence_lower", overdoses / (double) relapsesAfterAbstinence / 2);
        set(v, "overdose_after_abstinence_upper", 0.99);
        set(v, FLAG, overdoses > 0);
        return new GenericRowWithSchema(v, RelapseSummary.SUMMARY_SCHEMA);
    }

    private static void set(Object[] v, String column, Object value) {
        v[RelapseSummary.SUMMARY_SCHEMA.fieldIndex(column)] = value;
    }

    static Dataset<Row> table(Row... rows) {
        return SparkTestSession.get().createDataFrame(Arrays.asList(rows), RelapseSummary.SUMMARY_SCHEMA);
    }

    /** The published rows (threshold 11) by stratum value. */
    static Map<String, Row> published(Row... rows) {
        Map<String, Row> out = new LinkedHashMap<>();
        for (Row r : RelapseStage.publishedSummary(table(rows), 11).collectAsList()) {
            out.put(r.getAs("stratum_value"), r);
        }
        return out;
    }

    static void assertHidden(Row r) {
        assertNull(r.getAs("overdoses_after_abstinence"), r.toString());
        assertNull(r.getAs("overdose_after_abstinence_rate"), r.toString());
        assertNull(r.getAs("overdose_after_abstinence_lower"), r.toString());
        assertNull(r.getAs("overdose_after_abstinence_upper"), r.toString());
        assertEquals(true, r.getAs("suppressed"));
    }

    static void assertShown(Row r, long overdoses) {
        assertEquals(overdoses, (long) r.<Long>getAs("overdoses_after_abstinence"), r.toString());
        assertNotNull(r.getAs("overdose_after_abstinence_rate"), r.toString());
        assertNotNull(r.getAs("overdose_after_abstinence_upper"), r.toString());
    }

    @Test
    void zeroAndFiveAreHiddenElevenIsShownAndTheFlagIsNotPublished() {
        Map<String, Row> out = published(
                row("overall", "overall", 145, 46),
                row("program_id", "a", 20, 0),
                row("program_id", "b", 25, 5),
                row("program_id", "c", 40, 11),
                row("program_id", "d", 60, 30));
        // 0 and 5 both read "fewer than 11 (may be 0)". Two hidden cells alone do not protect each other here: the
        // overall less the shown values gives their sum, 46 - 11 - 30 = 5, so each would be known to be at most 5;
        // the next smallest (c's 11) is hidden with them, and the three then sum to 16.
        assertHidden(out.get("a"));
        assertHidden(out.get("b"));
        assertHidden(out.get("c"));
        assertShown(out.get("d"), 30);
        assertShown(out.get("overall"), 46);
        assertEquals(false, out.get("d").getAs("suppressed"));
        // the relapses after abstinence (20, 25) are large: shown beside a hidden safety count
        assertEquals(20L, (long) out.get("a").<Long>getAs("relapses_after_abstinence"));
        assertEquals(25L, (long) out.get("b").<Long>getAs("relapses_after_abstinence"));
        // nothing else of the row is touched
        assertEquals(200L, (long) out.get("a").<Long>getAs("episodes"));
        assertEquals(0.5, (double) out.get("a").<Double>getAs("cumulative_incidence"));
        // no flag column at all in the published table
        assertFalse(Arrays.asList(RelapseStage.publishedSummary(table(row("overall", "overall", 20, 0)), 11)
                .columns()).contains(FLAG));
    }

    @Test
    void aLoneHiddenZeroTakesTheNextSmallestWithIt() {
        // overall 42 - (12 + 30) would give a's 0 back, and a hidden 0 told apart says "none" where a 1-10 says "some"
        Map<String, Row> out = published(
                row("overall", "overall", 100, 42),
                row("program_id", "a", 20, 0),
                row("program_id", "c", 30, 12),
                row("program_id", "d", 50, 30));
        assertHidden(out.get("a"));
        assertHidden(out.get("c"));
        assertShown(out.get("d"), 30);
        assertShown(out.get("overall"), 42);
    }

    @Test
    void aLoneFiveTakesTheNextSmallestWithIt() {
        Map<String, Row> out = published(
                row("overall", "overall", 100, 50),
                row("program_id", "b", 20, 5),
                row("program_id", "c", 30, 15),
                row("program_id", "d", 50, 30));
        assertHidden(out.get("b"));
        assertHidden(out.get("c"));
        assertShown(out.get("d"), 30);
    }

    @Test
    void aHiddenCountOfRelapsesAfterAbstinenceHidesItsOverdoses() {
        // a's 5 relapses after abstinence are small, c's 12 their complement; c's 11 overdoses are a part of those
        // 12 and would bound the hidden complement from below (and the share gives it back): hidden with them
        Map<String, Row> out = published(
                row("overall", "overall", 57, 41),
                row("program_id", "a", 5, 0),
                row("program_id", "c", 12, 11),
                row("program_id", "d", 40, 30));
        assertNull(out.get("a").getAs("relapses_after_abstinence"));
        assertHidden(out.get("a"));
        // a's 5 cannot be the overall less the others: another value's relapses after abstinence are hidden too
        // (the disclosure layer picks which: hiding c's 12 alone would leave a in 0 .. 6, since c's shown 11
        // overdoses bound c from below), and wherever they are hidden so are the overdoses they hold
        long hiddenValues = out.values().stream().filter(r -> !"overall".equals(r.getAs("stratum")))
                .filter(r -> r.getAs("relapses_after_abstinence") == null).count();
        assertTrue(hiddenValues >= 2, out.toString());
        for (Row r : out.values()) {
            if (r.getAs("relapses_after_abstinence") == null) {
                assertHidden(r);
            }
        }
        assertEquals(57L, (long) out.get("overall").<Long>getAs("relapses_after_abstinence"));
    }

    @Test
    void theInternalCopyKeepsEveryCountAndTheFlag() {
        Row[] rows = {row("overall", "overall", 145, 46), row("program_id", "a", 20, 0),
            row("program_id", "b", 25, 5), row("program_id", "c", 40, 11)};
        List<Row> internal = RelapseStage.suppressSummary(table(rows), 1).collectAsList();
        assertEquals(rows.length, internal.size());
        for (int i = 0; i < rows.length; i++) {
            Row in = rows[i];
            Row out = internal.get(i);
            // every published column as it came in (the off-grid marker is an input of the disclosure layer only)
            for (String column : out.schema().fieldNames()) {
                if (column.equals("suppressed")) {
                    assertEquals(false, out.getAs(column), out.toString());
                } else {
                    assertEquals(String.valueOf(in.<Object>getAs(column)), String.valueOf(out.<Object>getAs(column)),
                            column + " of " + out);
                }
            }
        }
        assertTrue(Arrays.asList(RelapseStage.suppressSummary(table(rows), 1).columns()).contains(FLAG));
    }
}
