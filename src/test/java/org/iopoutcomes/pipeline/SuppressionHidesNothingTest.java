package org.iopoutcomes.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongUnaryOperator;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.iopoutcomes.SparkTestSession;
import org.iopoutcomes.continuity.ContinuityEffect;
import org.iopoutcomes.continuity.DoseResponse;
import org.iopoutcomes.metrics.PublishedSuppression;
import org.iopoutcomes.metrics.RelapseSummary;
import org.iopoutcomes.retention.RetentionSettings;
import org.iopoutcomes.retention.RetentionTables;
import org.iopoutcomes.stats.AalenJohansen;
import org.iopoutcomes.stats.AalenJohansenRow;
import org.iopoutcomes.stats.KaplanMeier;
import org.iopoutcomes.stats.Normal;
import org.iopoutcomes.stats.StatusCount;
import org.iopoutcomes.stats.SurvivalAtTime;
import org.iopoutcomes.stats.TimeCounts;
import org.junit.jupiter.api.Test;

/**
 * Issue 13 (acceptance 2, and "a threshold of 1 turns suppression off"), on hand-made aggregates, no job run: the
 * suppression of relapse_summary, retention_summary, continuity_effect and dose_response
 * <ol>
 *   <li>hides nothing in a table with no count below the threshold: every cell is the same after as before;</li>
 *   <li>at threshold 1 hides nothing in a table full of counts of 0 to 10: every cell is its unsuppressed value
 *       (which threshold 11 would hide, so the table is not trivial).</li>
 * </ol>
 * relapse_summary's published copy also drops the overdose flag (internal only). The p-values' 2 significant
 * digits ({@code PublishedPrecision}) are a separate step, not part of suppression, and not checked here.
 */
class SuppressionHidesNothingTest {
    static final String[][] STRATA = {{"overall", "overall"}, {"program_id", "a"}, {"program_id", "b"},
        {"program_id", "c"}, {"sex", "female"}, {"sex", "male"}};

    /**
     * A row of {@code schema}: the given keys, every long column {@code count(k)} for the k-th long cell made, every
     * double a distinct value, booleans true, other ints 365, other texts "t".
     */
    static Row row(StructType schema, Map<String, Object> keys, LongUnaryOperator count, long[] made) {
        Object[] v = new Object[schema.size()];
        for (int i = 0; i < v.length; i++) {
            StructField f = schema.fields()[i];
            if (keys.containsKey(f.name())) {
                v[i] = keys.get(f.name());
            } else if (f.dataType().equals(DataTypes.LongType)) {
                v[i] = count.applyAsLong(made[0]++);
            } else if (f.dataType().equals(DataTypes.DoubleType)) {
                v[i] = 0.25 + (made[0]++ % 50) / 100.0;
            } else if (f.dataType().equals(DataTypes.BooleanType)) {
                v[i] = true;
            } else if (f.dataType().equals(DataTypes.IntegerType)) {
                v[i] = 365;
            } else {
                v[i] = "t";
            }
        }
        return new GenericRowWithSchema(v, schema);
    }

    /**
     * The row with its counts made to add up as the table declares ({@link PublishedSuppression.Spec#rowRelations}):
     * an exact total is the sum of its parts, a total with a never-published rest is its parts plus a rest of 0 or at
     * least {@code minRest} (a rest of 1 to 10 is a small count the layer must protect, so a table built to hide
     * nothing must not hold one). The disclosure layer refuses a table whose counts contradict its declaration.
     */
    static Row consistent(Row row, PublishedSuppression.Spec spec, long minRest) {
        StructType schema = row.schema();
        Object[] v = new Object[schema.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = row.get(i);
        }
        java.util.function.ToLongFunction<String> get = c -> ((Number) v[schema.fieldIndex(c)]).longValue();
        for (int pass = 0; pass < 6; pass++) {
            for (PublishedSuppression.RowRelation r : spec.rowRelations()) {
                long sum = r.parts().stream().mapToLong(get).sum();
                long total = get.applyAsLong(r.total());
                if (r.impliedPart() == null) {
                    total = sum;
                } else if (total - sum != 0 && total - sum < minRest) {
                    total = sum + minRest;
                }
                v[schema.fieldIndex(r.total())] = total;
            }
        }
        return new GenericRowWithSchema(v, schema);
    }

    static Map<String, Object> keys(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    /** Counts of 11 and up (none below the threshold, the safety count included). */
    static final LongUnaryOperator LARGE = k -> 11 + (k * 7) % 40;
    /** Counts of 0 to 10: every one of them hidden at threshold 11 (0 as a safety count). */
    static final LongUnaryOperator SMALL = k -> (k * 7) % 11;

    static List<Row> relapseRows(LongUnaryOperator count) {
        long[] made = {0};
        List<Row> rows = new ArrayList<>();
        for (String[] s : STRATA) {
            long first = made[0];
            for (int horizon : new int[] {90, 365}) {
                // the episodes are one count on every horizon row of a value: the same counts on both rows
                made[0] = first;
                rows.add(consistent(row(RelapseSummary.SUMMARY_SCHEMA, keys("stratum", s[0], "stratum_value", s[1],
                        "definition", RelapseSummary.FIRST_USE, "clock", "discharge", "horizon_days", horizon,
                        "verdict", RelapseSummary.WITHIN_BAND, RelapseSummary.OFF_GRID, false), count, made),
                        RelapseStage.SUMMARY_SPEC, count == LARGE ? 11 : 0));
            }
        }
        return rows;
    }

    static List<Row> continuityRows(LongUnaryOperator count) {
        long[] made = {0};
        List<Row> rows = new ArrayList<>();
        for (String[] s : STRATA) {
            rows.add(consistent(row(ContinuityEffect.SCHEMA, keys("stratum", s[0], "stratum_value", s[1], "exposure",
                    "continuing_care_14d", "horizon_days", 365, "landmark_days", 14, "note", null), count, made),
                    ContinuityEffect.SPEC, count == LARGE ? 11 : 0));
        }
        return rows;
    }

    static List<Row> doseRows(LongUnaryOperator count) {
        long[] made = {0};
        List<Row> rows = new ArrayList<>();
        for (String[] s : STRATA) {
            for (int level = 1; level <= 3; level++) {
                rows.add(consistent(row(DoseResponse.SCHEMA, keys("stratum", s[0], "stratum_value", s[1],
                        "dimension", DoseResponse.ATTENDANCE, "level", "Q" + level, "level_order", level,
                        "horizon_days", 365), count, made), DoseResponse.SPEC, count == LARGE ? 11 : 0));
            }
        }
        return rows;
    }

    /** Every row of {@code before} is in {@code after} with every cell equal, and not marked suppressed. */
    static void assertEveryCellEqual(List<Row> before, Dataset<Row> after, List<String> keyColumns,
                                     List<String> dropped) {
        StructType schema = before.get(0).schema();
        Map<String, Row> out = new LinkedHashMap<>();
        for (Row r : after.collectAsList()) {
            out.put(key(r, keyColumns), r);
        }
        assertEquals(before.size(), out.size(), "rows");
        List<String> columns = Arrays.asList(after.columns());
        for (String d : dropped) {
            assertFalse(columns.contains(d), d + " is published");
        }
        for (Row b : before) {
            Row a = out.get(key(b, keyColumns));
            for (StructField f : schema.fields()) {
                if (dropped.contains(f.name())) {
                    continue;
                }
                assertTrue(Objects.equals(b.getAs(f.name()), a.getAs(f.name())),
                        key(b, keyColumns) + ": " + f.name() + " was " + b.getAs(f.name()) + ", is " + a.getAs(f.name()));
            }
            assertEquals(false, a.getAs("suppressed"), key(b, keyColumns));
        }
    }

    static String key(Row r, List<String> columns) {
        return columns.stream().map(c -> String.valueOf((Object) r.getAs(c))).collect(Collectors.joining("|"));
    }

    static long suppressedRows(Dataset<Row> table) {
        return table.collectAsList().stream().filter(r -> r.<Boolean>getAs("suppressed")).count();
    }

    static final List<String> RELAPSE_KEYS = List.of("stratum", "stratum_value", "definition", "clock",
            "horizon_days");
    static final List<String> CONTINUITY_KEYS = List.of("stratum", "stratum_value", "exposure", "horizon_days");
    static final List<String> DOSE_KEYS = List.of("stratum", "stratum_value", "dimension", "level", "horizon_days");

    private static Dataset<Row> relapse(List<Row> rows) {
        return SparkTestSession.get().createDataFrame(rows, RelapseSummary.SUMMARY_SCHEMA);
    }

    @Test
    void relapseSummaryWithNoCountBelowTheThresholdHidesNothing() {
        List<Row> rows = relapseRows(LARGE);
        // the off-grid marker is an input of the disclosure layer, never published
        assertEveryCellEqual(rows, RelapseStage.publishedSummary(relapse(rows), 11), RELAPSE_KEYS,
                List.of(RelapseSummary.OVERDOSE_FLAG, RelapseSummary.OFF_GRID));
        assertEveryCellEqual(rows, RelapseStage.suppressSummary(relapse(rows), 11), RELAPSE_KEYS,
                List.of(RelapseSummary.OFF_GRID));
    }

    @Test
    void relapseSummaryAtThresholdOneIsTheUnsuppressedTable() {
        List<Row> rows = relapseRows(SMALL);
        assertTrue(suppressedRows(RelapseStage.publishedSummary(relapse(rows), 11)) > 0, "nothing to hide at 11");
        assertEveryCellEqual(rows, RelapseStage.publishedSummary(relapse(rows), 1), RELAPSE_KEYS,
                List.of(RelapseSummary.OVERDOSE_FLAG, RelapseSummary.OFF_GRID));
        assertEveryCellEqual(rows, RelapseStage.suppressSummary(relapse(rows), 1), RELAPSE_KEYS,
                List.of(RelapseSummary.OFF_GRID));
    }

    @Test
    void continuityEffectWithNoCountBelowTheThresholdHidesNothingAndAtOneIsUnsuppressed() {
        SparkSession spark = SparkTestSession.get();
        List<Row> large = continuityRows(LARGE);
        assertEveryCellEqual(large, ContinuityEffect.publish(spark, large, 11), CONTINUITY_KEYS, List.of());
        List<Row> small = continuityRows(SMALL);
        assertTrue(suppressedRows(ContinuityEffect.publish(spark, small, 11)) > 0, "nothing to hide at 11");
        assertEveryCellEqual(small, ContinuityEffect.publish(spark, small, 1), CONTINUITY_KEYS, List.of());
    }

    @Test
    void doseResponseWithNoCountBelowTheThresholdHidesNothingAndAtOneIsUnsuppressed() {
        SparkSession spark = SparkTestSession.get();
        List<Row> large = doseRows(LARGE);
        assertEveryCellEqual(large, DoseResponse.publish(spark, large, 11), DOSE_KEYS, List.of());
        List<Row> small = doseRows(SMALL);
        assertTrue(suppressedRows(DoseResponse.publish(spark, small, 11)) > 0, "nothing to hide at 11");
        assertEveryCellEqual(small, DoseResponse.publish(spark, small, 1), DOSE_KEYS, List.of());
    }

    // ---- retention_summary: suppression is inside RetentionTables.publish, which computes from the totals ----

    static final StructType TOTALS = new StructType().add("stratum", DataTypes.StringType)
            .add("stratum_value", DataTypes.StringType).add("episodes", DataTypes.LongType)
            .add("discharged", DataTypes.LongType).add("completed", DataTypes.LongType)
            .add("dropouts", DataTypes.LongType).add("initiated", DataTypes.LongType)
            .add("engaged", DataTypes.LongType).add("sessions_attended", DataTypes.LongType)
            .add("sessions_no_show", DataTypes.LongType).add("intensive_weeks", DataTypes.LongType)
            .add("complete_weeks", DataTypes.LongType).add("iop_episodes", DataTypes.LongType)
            .add("iop_after_higher_level", DataTypes.LongType).add("higher_level_discharges", DataTypes.LongType)
            .add("followed_by_lower_level", DataTypes.LongType);
    static final StructType DAYS = new StructType().add("stratum", DataTypes.StringType)
            .add("stratum_value", DataTypes.StringType).add("day", DataTypes.IntegerType)
            .add("episodes", DataTypes.LongType).add("dropouts", DataTypes.LongType)
            .add("discharges", DataTypes.LongType);
    static final StructType ENDINGS = new StructType().add("stratum", DataTypes.StringType)
            .add("stratum_value", DataTypes.StringType).add("day", DataTypes.IntegerType)
            .add("episodes", DataTypes.LongType).add("dropouts", DataTypes.LongType)
            .add("completions", DataTypes.LongType).add("other_discharges", DataTypes.LongType)
            .add("censored", DataTypes.LongType);

    /**
     * Each program: {@code n} dropouts (last attended session day 40, discharged day 45) and {@code n} completions
     * (day 100, discharged day 105): 2n episodes, all discharged, initiated 2n - 1, engaged 2n - 2; n of them IOP
     * episodes, n - 1 of those after a higher level of care, the other n discharges from a higher level, n - 1 of
     * those followed by a lower level; the overall row is their sum.
     */
    record Retention(List<Row> totals, List<Row> days, List<Row> endings) {}

    static Retention retention(long... perProgram) {
        List<Row> totals = new ArrayList<>();
        List<Row> days = new ArrayList<>();
        List<Row> endings = new ArrayList<>();
        long sum = 0;
        for (int p = 0; p < perProgram.length; p++) {
            long n = perProgram[p];
            sum += n;
            add(totals, days, endings, "program_id", "p" + p, n, 1);
        }
        add(totals, days, endings, "overall", "overall", sum, perProgram.length);
        return new Retention(totals, days, endings);
    }

    private static void add(List<Row> totals, List<Row> days, List<Row> endings, String stratum, String value, long n,
                            long programs) {
        endings.add(new GenericRowWithSchema(new Object[] {stratum, value, 45, n, n, 0L, 0L, 0L}, ENDINGS));
        endings.add(new GenericRowWithSchema(new Object[] {stratum, value, 105, n, 0L, n, 0L, 0L}, ENDINGS));
        totals.add(new GenericRowWithSchema(new Object[] {stratum, value, 2 * n, 2 * n, n, n, 2 * n - programs,
            2 * n - 2 * programs, 20 * n, 4 * n, 3 * n, 5 * n, n, n - programs, n, n - programs}, TOTALS));
        days.add(new GenericRowWithSchema(new Object[] {stratum, value, 40, n, n, n}, DAYS));
        days.add(new GenericRowWithSchema(new Object[] {stratum, value, 100, n, 0L, n}, DAYS));
    }

    static RetentionTables.Published publishRetention(Retention r, int threshold) {
        return RetentionTables.publish(SparkTestSession.get(), r.totals(), r.days(), r.endings(),
                List.of("overall", "program_id"), RetentionSettings.defaults(), threshold);
    }

    @Test
    void retentionSummaryWithNoCountBelowTheThresholdHidesNothing() {
        // 12 dropouts and 12 completions per program: every count, and at risk at 30, 60, 90 days, is 11 or more
        Retention r = retention(12, 15, 20);
        List<Row> unsuppressed = publishRetention(r, 1).summary().collectAsList();
        Dataset<Row> at11 = publishRetention(r, 11).summary();
        assertEveryCellEqual(unsuppressed, at11, List.of("stratum", "stratum_value", "horizon_days"), List.of());
    }

    @Test
    void retentionSummaryAtThresholdOneIsTheUnsuppressedTable() {
        Retention r = retention(1, 3, 5);
        assertTrue(suppressedRows(publishRetention(r, 11).summary()) > 0, "nothing to hide at 11");
        RetentionTables.Published published = publishRetention(r, 1);
        List<Row> summary = published.summary().collectAsList();
        assertEquals(4 * RetentionSettings.DEFAULT_HORIZONS_DAYS.size(), summary.size());
        for (Row s : summary) {
            Row t = r.totals().stream().filter(x -> x.getAs("stratum_value").equals(s.getAs("stratum_value")))
                    .findFirst().orElseThrow();
            String where = s.getAs("stratum_value") + " at " + s.getAs("horizon_days");
            for (String count : List.of("episodes", "discharged", "completed", "dropouts", "initiated", "engaged",
                    "iop_episodes", "iop_after_higher_level", "higher_level_discharges", "followed_by_lower_level")) {
                assertEquals((Long) t.getAs(count), s.<Long>getAs(count), where + ": " + count);
            }
            assertEquals((double) t.<Long>getAs("iop_after_higher_level") / t.<Long>getAs("iop_episodes"),
                    (double) s.<Double>getAs("iop_after_higher_level_share"), where);
            assertEquals((double) t.<Long>getAs("followed_by_lower_level") / t.<Long>getAs("higher_level_discharges"),
                    (double) s.<Double>getAs("step_down_continuity_rate"), where);
            assertEquals((double) t.<Long>getAs("completed") / t.<Long>getAs("discharged"),
                    (double) s.<Double>getAs("completion_rate"), where);
            assertEquals((double) t.<Long>getAs("initiated") / t.<Long>getAs("episodes"),
                    (double) s.<Double>getAs("initiation_rate"), where);
            assertEquals((double) t.<Long>getAs("engaged") / t.<Long>getAs("episodes"),
                    (double) s.<Double>getAs("engagement_rate"), where);
            long n = t.<Long>getAs("dropouts");
            AalenJohansenRow at = AalenJohansen.fit(List.of(new StatusCount(45, 1, n), new StatusCount(105, 2, n)),
                    new int[] {1, 2, 3}, Normal.Z95).at(s.<Integer>getAs("horizon_days")).get(0);
            assertEquals(at.nRisk(), (long) s.<Long>getAs("n_at_risk"), where);
            assertEquals(at.initial().estimate(), (double) s.<Double>getAs("in_care"), where);
            assertEquals(at.state(1).estimate(), (double) s.<Double>getAs("dropout_incidence"), where);
            assertEquals(at.state(2).estimate(), (double) s.<Double>getAs("completion_incidence"), where);
            // half drop out on day 45: in care 1 at 30 days, one half at 60 and 90 (completions come on day 105)
            double inCare = s.<Integer>getAs("horizon_days") < 45 ? 1.0 : 0.5;
            assertEquals(inCare, (double) s.<Double>getAs("in_care"), 1e-15, where);
            assertEquals(1 - inCare, (double) s.<Double>getAs("dropout_incidence"), 1e-15, where);
            assertTrue(s.getAs("median_length_of_stay_days") != null, where);
            assertEquals(false, s.getAs("suppressed"), where);
        }
        // every curve runs while anyone is at risk (day 98: n at risk n), nothing hidden
        for (Row c : published.curve().collectAsList()) {
            assertEquals(false, c.getAs("suppressed"), c.toString());
            assertTrue(c.getAs("n_at_risk") != null && c.getAs("in_care") != null, c.toString());
        }
        // the grid is the weekly lattice and the summaries' horizons (one grid per stratum, the horizons points of it)
        assertEquals(19, published.curve().where("stratum_value = 'p0'").count(),
                "days 0, 7, ..., 105 and 30, 60, 90");
    }
}
