package org.iopoutcomes.publish;

import static org.apache.spark.sql.functions.col;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.iopoutcomes.metrics.SignificantDigits;

/**
 * The precision of published p-values and test statistics (SPEC section 5, issue 13): 2 significant digits, and a
 * p-value below 0.001 published as such, never as its value. A p-value printed to 10 digits beside the shown
 * counts of a table can be inverted for the hidden ones (issue 13, attack 2); at 2 digits it names a range.
 *
 * <p>The rule, in one place: the value is first rounded to 10 significant digits, as every published number is
 * (so that sums added in a different order in another run round the same), then half up at 2 significant digits:
 * 0.04567 gives 0.046, 0.0995 gives 0.1, 0.0985 gives 0.099, 0.125 gives 0.13, 1 stays 1, -1.25 gives -1.3 (half
 * away from zero). R's {@code signif()} rounds the scaled binary value half to even, so at an exact tie it can give
 * one unit less in the second digit (signif(0.125, 2) is 0.12); nothing else differs.
 *
 * <p>A p-value (or q-value) below 0.001 after the 10-digit rounding is published as the limit 0.001 in its own
 * double column, with the boolean column {@code <column>_below_0_001} beside it true; elsewhere that column is
 * false, and it is empty where the p-value is (hidden or not computed). The double column keeps its type, so
 * readers of the Parquet and CSV files do not break, and a reader who overlooks the flag reads the upper limit,
 * never a smaller p than the data give. The page prints such a value as "p &lt; 0.001".
 *
 * <p>Each published table declares its p-value and statistic columns next to its schema ({@link Columns}), and the
 * stage applies {@link #apply} to the published copy just before writing it; the restricted tree's internal copies
 * keep full precision. Estimates with their CIs (proportions, ratios) are not rounded here.
 */
public final class PublishedPrecision {
    /** Significant digits of a published p-value or statistic. */
    public static final int DIGITS = 2;
    /** The smallest p-value published as a value; below it, "p &lt; 0.001". */
    public static final double LIMIT = 0.001;
    /** The suffix of the flag column beside each p-value column. */
    public static final String BELOW_SUFFIX = "_below_0_001";

    private static final MathContext TWO = new MathContext(DIGITS, RoundingMode.HALF_UP);
    private static final BigDecimal LIMIT_DECIMAL = new BigDecimal("0.001");
    /** What a p- or q-value column is called: {@code x_p}, {@code x_q}, {@code p_x}, {@code q_x}, {@code p}. */
    private static final Pattern P_OR_Q_NAME = Pattern.compile("(^|.*_)[pq](_.*|$)");

    private PublishedPrecision() {}

    /**
     * The p-value and test-statistic columns of one published table (both double columns): what is rounded.
     *
     * @param pValues    p- and q-values: 2 significant digits, below 0.001 as such (with the flag column)
     * @param statistics test statistics (a chi-square, a z): 2 significant digits
     */
    public record Columns(List<String> pValues, List<String> statistics) {
        public static final Columns NONE = new Columns(List.of(), List.of());

        public Columns {
            pValues = List.copyOf(pValues);
            statistics = List.copyOf(statistics);
        }

        public static Columns pValues(String... names) {
            return new Columns(List.of(names), List.of());
        }
    }

    /**
     * A p-value as published.
     *
     * @param value      the 2-digit value, the limit 0.001 when below it; null where there is no p-value
     * @param belowLimit true when the p-value is below 0.001 (the value is then the limit); null with a null value
     */
    public record PValue(Double value, Boolean belowLimit) {
        public static final PValue NONE = new PValue(null, null);

        /** As a reader should see it: "&lt; 0.001", or the value with at most 2 significant digits; null: none. */
        public String text() {
            if (value == null) {
                return null;
            }
            if (Boolean.TRUE.equals(belowLimit)) {
                return "< " + plain(LIMIT);
            }
            return plain(value);
        }
    }

    /** A value at 2 significant digits (after the 10-digit rounding), half up; null, NaN and infinity give null. */
    public static Double round(Double value) {
        Double ten = SignificantDigits.round10(value);
        if (ten == null) {
            return null;
        }
        if (ten == 0) {
            return 0.0;
        }
        return new BigDecimal(Double.toString(ten)).round(TWO).doubleValue();
    }

    /** True when the p-value, at 10 significant digits, is below 0.001; null where there is none. */
    public static Boolean belowLimit(Double p) {
        Double ten = SignificantDigits.round10(p);
        return ten == null ? null : new BigDecimal(Double.toString(ten)).compareTo(LIMIT_DECIMAL) < 0;
    }

    /** The published form of a p-value: the limit when below it, else its 2-digit value. */
    public static Double publishedValue(Double p) {
        Boolean below = belowLimit(p);
        return below == null ? null : below ? LIMIT : round(p);
    }

    /** A p-value as published. */
    public static PValue pValue(Double p) {
        Boolean below = belowLimit(p);
        return below == null ? PValue.NONE : new PValue(publishedValue(p), below);
    }

    /**
     * A p-value read back from a published table: {@code below} is the flag column (null when the table has
     * none). A set flag stands for "below the limit" whatever the value; otherwise the value is published as by
     * {@link #pValue(Double)}, which leaves a published value as it is.
     */
    public static PValue pValue(Double p, Boolean below) {
        if (p == null) {
            return PValue.NONE;
        }
        return Boolean.TRUE.equals(below) ? new PValue(LIMIT, true) : pValue(p);
    }

    /** A number without exponent or trailing zeros: 0.001, 0.046, 0.1, 1, 120. */
    public static String plain(double value) {
        BigDecimal d = new BigDecimal(Double.toString(value)).stripTrailingZeros();
        return (d.scale() < 0 ? d.setScale(0) : d).toPlainString();
    }

    /** The name of the flag column beside a p-value column. */
    public static String belowColumn(String pValueColumn) {
        return pValueColumn + BELOW_SUFFIX;
    }

    /** True when a column is named as a p- or q-value ({@code trend_p}, {@code q_below_band}, ...). */
    public static boolean looksLikePValue(String column) {
        return P_OR_Q_NAME.matcher(column).matches() && !column.endsWith(BELOW_SUFFIX);
    }

    /** The schema of a table as published: each p-value column followed by its flag column. */
    public static StructType publishedSchema(StructType schema, Columns columns) {
        check(schema, columns);
        List<StructField> fields = new ArrayList<>();
        for (StructField field : schema.fields()) {
            fields.add(field);
            if (columns.pValues().contains(field.name())) {
                fields.add(DataTypes.createStructField(belowColumn(field.name()), DataTypes.BooleanType, true));
            }
        }
        return DataTypes.createStructType(fields);
    }

    /**
     * The table as published: the declared p-values and statistics rounded, each p-value column followed by its
     * flag column; every other column as it was, in its place. A declared column the table does not have, or that
     * is not a double column, is a programming error.
     */
    public static Dataset<Row> apply(Dataset<Row> table, Columns columns) {
        check(table.schema(), columns);
        UserDefinedFunction round = functions.udf((UDF1<Double, Double>) PublishedPrecision::round,
                DataTypes.DoubleType);
        UserDefinedFunction value = functions.udf((UDF1<Double, Double>) PublishedPrecision::publishedValue,
                DataTypes.DoubleType);
        UserDefinedFunction below = functions.udf((UDF1<Double, Boolean>) PublishedPrecision::belowLimit,
                DataTypes.BooleanType);
        List<Column> out = new ArrayList<>();
        for (StructField field : table.schema().fields()) {
            String name = field.name();
            Column c = col(quote(name));
            if (columns.pValues().contains(name)) {
                out.add(value.apply(c).as(name));
                out.add(below.apply(c).as(belowColumn(name)));
            } else if (columns.statistics().contains(name)) {
                out.add(round.apply(c).as(name));
            } else {
                out.add(c);
            }
        }
        return table.select(out.toArray(Column[]::new));
    }

    private static void check(StructType schema, Columns columns) {
        List<String> names = List.of(schema.fieldNames());
        for (List<String> declared : List.of(columns.pValues(), columns.statistics())) {
            for (String column : declared) {
                if (!names.contains(column)) {
                    throw new IllegalArgumentException("declared column " + column + " is not in " + names);
                }
                if (!schema.apply(column).dataType().equals(DataTypes.DoubleType)) {
                    throw new IllegalArgumentException("declared column " + column + " is not a double column");
                }
                if (names.contains(belowColumn(column))) {
                    throw new IllegalArgumentException("the table already has " + belowColumn(column)
                            + ": rounded twice?");
                }
            }
        }
    }

    private static String quote(String name) {
        return "`" + name.replace("`", "``") + "`";
    }
}
