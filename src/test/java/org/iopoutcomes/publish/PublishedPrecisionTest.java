package org.iopoutcomes.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.iopoutcomes.SparkTestSession;
import org.iopoutcomes.continuity.ContinuityEffect;
import org.iopoutcomes.continuity.DoseResponse;
import org.iopoutcomes.metrics.DataQuality;
import org.iopoutcomes.metrics.RelapseSummary;
import org.iopoutcomes.retention.RetentionTables;
import org.junit.jupiter.api.Test;

/** Published p-values and statistics at 2 significant digits, p below 0.001 as such (issue 13), on hand-made values. */
class PublishedPrecisionTest {

    @Test
    void roundsHalfUpAtTwoSignificantDigits() {
        assertEquals(0.046, PublishedPrecision.round(0.04567));
        assertEquals(0.001, PublishedPrecision.round(0.001));
        assertEquals(1.0, PublishedPrecision.round(1.0));
        assertEquals(0.1, PublishedPrecision.round(0.0995), "a tie in the third digit goes up");
        assertEquals(0.099, PublishedPrecision.round(0.0985), "half up, where R's signif() would go to even");
        assertEquals(0.13, PublishedPrecision.round(0.125), "an exact binary tie goes up too (R: 0.12)");
        assertEquals(0.045, PublishedPrecision.round(0.0449999), "only the digits after the second decide");
        assertEquals(0.0011, PublishedPrecision.round(0.00105));
        assertEquals(1.0, PublishedPrecision.round(0.99951));
        assertEquals(0.5, PublishedPrecision.round(0.5));
        assertEquals(0.0, PublishedPrecision.round(0.0));
        // statistics: any size and sign, half away from zero
        assertEquals(120.0, PublishedPrecision.round(123.4));
        assertEquals(3.8, PublishedPrecision.round(3.8416));
        assertEquals(3.9, PublishedPrecision.round(3.85));
        assertEquals(-1.3, PublishedPrecision.round(-1.25));
        assertEquals(1.5e-7, PublishedPrecision.round(1.54321e-7));
        assertNull(PublishedPrecision.round(null));
        assertNull(PublishedPrecision.round(Double.NaN));
        assertNull(PublishedPrecision.round(Double.POSITIVE_INFINITY));
    }

    @Test
    void roundsTheTenDigitValueSoLastBitNoiseCannotTipATie() {
        // the same sum added in another order: equal at 10 digits, so equal at 2
        double a = 0.0455;
        double b = Math.nextUp(Math.nextUp(0.0455));
        double c = Math.nextDown(Math.nextDown(0.0455));
        assertEquals(0.046, PublishedPrecision.round(a));
        assertEquals(0.046, PublishedPrecision.round(b));
        assertEquals(0.046, PublishedPrecision.round(c));
        assertEquals(0.001, PublishedPrecision.pValue(Math.nextDown(0.001)).value());
        assertFalse(PublishedPrecision.pValue(Math.nextDown(0.001)).belowLimit(), "0.001 up to the last bits");
    }

    @Test
    void pValuesBelowTheLimitArePublishedAsSuch() {
        PublishedPrecision.PValue small = PublishedPrecision.pValue(0.00049);
        assertEquals(0.001, small.value(), "the limit, never the value");
        assertTrue(small.belowLimit());
        assertEquals("< 0.001", small.text());
        assertEquals(new PublishedPrecision.PValue(0.001, true), PublishedPrecision.pValue(1.5e-7));
        assertEquals(new PublishedPrecision.PValue(0.001, true), PublishedPrecision.pValue(0.0));
        assertEquals(new PublishedPrecision.PValue(0.001, true), PublishedPrecision.pValue(0.00099949),
                "below the limit though it rounds to 0.0010 at 2 digits");

        PublishedPrecision.PValue limit = PublishedPrecision.pValue(0.001);
        assertEquals(new PublishedPrecision.PValue(0.001, false), limit);
        assertEquals("0.001", limit.text());
        assertEquals("0.046", PublishedPrecision.pValue(0.04567).text());
        assertEquals("0.1", PublishedPrecision.pValue(0.0995).text());
        assertEquals("1", PublishedPrecision.pValue(1.0).text());
        assertEquals("0.0011", PublishedPrecision.pValue(0.00105).text());
        assertEquals(PublishedPrecision.PValue.NONE, PublishedPrecision.pValue(null));
        assertNull(PublishedPrecision.pValue(null).text());
        assertNull(PublishedPrecision.pValue(Double.NaN).belowLimit());
    }

    @Test
    void aPublishedValueReadBackKeepsItsFlag() {
        // the flag column decides: 0.001 with the flag set is "< 0.001", without it "0.001"
        assertEquals("< 0.001", PublishedPrecision.pValue(0.001, true).text());
        assertEquals("0.001", PublishedPrecision.pValue(0.001, false).text());
        assertEquals("0.046", PublishedPrecision.pValue(0.046, false).text());
        // a table without the flag column (null) is published on the spot
        assertEquals("< 0.001", PublishedPrecision.pValue(2e-9, null).text());
        assertEquals("0.046", PublishedPrecision.pValue(0.04567, null).text());
        assertEquals(PublishedPrecision.PValue.NONE, PublishedPrecision.pValue(null, true));
        // publishing a published value changes nothing
        for (double p : new double[] {0.001, 0.0011, 0.046, 0.1, 0.99, 1}) {
            assertEquals(p, PublishedPrecision.publishedValue(p));
        }
    }

    static final StructType SCHEMA = new StructType()
            .add("stratum", DataTypes.StringType, false)
            .add("episodes", DataTypes.LongType, true)
            .add("estimate", DataTypes.DoubleType, true)
            .add("trend_p", DataTypes.DoubleType, true)
            .add("chisq", DataTypes.DoubleType, true)
            .add("suppressed", DataTypes.BooleanType, false);

    static final PublishedPrecision.Columns COLUMNS = new PublishedPrecision.Columns(List.of("trend_p"),
            List.of("chisq"));

    @Test
    void aTableIsPublishedWithItsDeclaredColumnsRoundedAndFlaggedInPlace() {
        List<Row> rows = List.of(
                RowFactory.create("a", 120L, 0.123456789, 0.04567, 3.8416, false),
                RowFactory.create("b", 40L, 0.25, 0.00049, 12.345, false),
                RowFactory.create("c", 300L, 0.5, 0.001, 0.0, false),
                RowFactory.create("d", null, null, null, null, true));
        Dataset<Row> published = PublishedPrecision.apply(SparkTestSession.get().createDataFrame(rows, SCHEMA),
                COLUMNS);
        assertEquals(List.of("stratum", "episodes", "estimate", "trend_p", "trend_p_below_0_001", "chisq",
                "suppressed"), List.of(published.columns()));
        assertEquals(PublishedPrecision.publishedSchema(SCHEMA, COLUMNS), published.schema());
        assertEquals(DataTypes.DoubleType, published.schema().apply("trend_p").dataType(), "still a double");
        List<Row> out = published.collectAsList();
        assertEquals(List.of("a", 120L, 0.123456789, 0.046, false, 3.8, false), values(out.get(0)),
                "an estimate is not rounded here");
        assertEquals(List.of("b", 40L, 0.25, 0.001, true, 12.0, false), values(out.get(1)));
        assertEquals(List.of("c", 300L, 0.5, 0.001, false, 0.0, false), values(out.get(2)));
        assertEquals(Arrays.asList("d", null, null, null, null, null, true), values(out.get(3)),
                "a hidden p-value leaves its flag empty");

        assertThrows(IllegalArgumentException.class, () -> PublishedPrecision.apply(published, COLUMNS),
                "rounding twice would lose the flags");
        assertThrows(IllegalArgumentException.class, () -> PublishedPrecision.apply(
                SparkTestSession.get().createDataFrame(rows, SCHEMA), PublishedPrecision.Columns.pValues("fisher_p")));
        assertThrows(IllegalArgumentException.class, () -> PublishedPrecision.apply(
                SparkTestSession.get().createDataFrame(rows, SCHEMA), PublishedPrecision.Columns.pValues("episodes")));
    }

    /**
     * Every published table declares its p-values: a double column named as a p- or q-value ({@code x_p},
     * {@code p_x}, {@code q_x}) that a table does not declare would be published to full precision. A new table
     * joins this list with its declaration.
     */
    @Test
    void everyPublishedTableDeclaresEveryColumnNamedAsAPValue() {
        Map<String, Object[]> tables = Map.of(
                "retention_summary", new Object[] {RetentionTables.SUMMARY_SCHEMA, PublishedPrecision.Columns.NONE},
                "retention_curve", new Object[] {RetentionTables.CURVE_SCHEMA, PublishedPrecision.Columns.NONE},
                "relapse_summary", new Object[] {RelapseSummary.SUMMARY_SCHEMA, RelapseSummary.SUMMARY_PRECISION},
                "relapse_curve", new Object[] {RelapseSummary.CURVE_SCHEMA, PublishedPrecision.Columns.NONE},
                "continuity_effect", new Object[] {ContinuityEffect.SCHEMA, ContinuityEffect.PRECISION},
                "dose_response", new Object[] {DoseResponse.SCHEMA, DoseResponse.PRECISION},
                "point_prevalence", new Object[] {org.iopoutcomes.metrics.PointPrevalence.SCHEMA,
                    PublishedPrecision.Columns.NONE},
                "data_quality", new Object[] {DataQuality.SCHEMA, PublishedPrecision.Columns.NONE});
        tables.forEach((name, declared) -> {
            StructType schema = (StructType) declared[0];
            PublishedPrecision.Columns columns = (PublishedPrecision.Columns) declared[1];
            List<String> named = new ArrayList<>();
            for (StructField f : schema.fields()) {
                if (f.dataType().equals(DataTypes.DoubleType) && PublishedPrecision.looksLikePValue(f.name())) {
                    named.add(f.name());
                }
            }
            assertEquals(named, columns.pValues(), name);
            // and the published schema is valid for it
            PublishedPrecision.publishedSchema(schema, columns);
        });
        assertEquals(List.of("p_below_band", "p_above_band", "q_below_band", "q_above_band", "gray_p_relapse",
                "gray_p_death", "p_below_band_crude", "p_above_band_crude"), RelapseSummary.SUMMARY_PRECISION.pValues());
        assertEquals(5, ContinuityEffect.PRECISION.pValues().size());
        assertTrue(PublishedPrecision.looksLikePValue("trend_p"));
        assertTrue(PublishedPrecision.looksLikePValue("q_above_band"));
        assertTrue(PublishedPrecision.looksLikePValue("p"));
        assertFalse(PublishedPrecision.looksLikePValue("trend_p_below_0_001"));
        assertFalse(PublishedPrecision.looksLikePValue("exposed_n"));
        assertFalse(PublishedPrecision.looksLikePValue("upper"));
    }

    static List<Object> values(Row row) {
        List<Object> v = new ArrayList<>();
        for (int i = 0; i < row.size(); i++) {
            v.add(row.get(i));
        }
        return v;
    }
}
