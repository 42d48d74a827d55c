package org.iopoutcomes.report;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Locale;
import org.iopoutcomes.metrics.SignificantDigits;

/** Rounding for summary.json (10 significant digits, SPEC section 5) and the number formats of the report. */
public final class Numbers {
    private static final MathContext TEN_DIGITS = SignificantDigits.TEN;

    private Numbers() {}

    /** The value rounded to 10 significant digits; null, NaN and infinity give null. */
    public static Double round10(Double value) {
        return SignificantDigits.round10(value);
    }

    /** The JSON form of a rounded value: a plain decimal without trailing zeros. */
    public static BigDecimal json(Double value) {
        if (value == null) {
            return null;
        }
        BigDecimal d = new BigDecimal(value).round(TEN_DIGITS).stripTrailingZeros();
        return d.scale() < 0 ? d.setScale(0) : d;
    }

    /** A share as a percentage with one decimal: 0.4712 -> "47.1%". */
    public static String percent(Double share) {
        return share == null ? null : String.format(Locale.ROOT, "%.1f%%", share * 100);
    }

    /** A share as a percentage without the sign, for CI limits: 0.4712 -> "47.1". */
    public static String percentNumber(Double share) {
        return share == null ? null : String.format(Locale.ROOT, "%.1f", share * 100);
    }

    /** A band limit as a whole percentage where it is one: 0.4 -> "40%", 0.425 -> "42.5%". */
    public static String bandPercent(double share) {
        BigDecimal p = new BigDecimal(Double.toString(share)).multiply(BigDecimal.valueOf(100)).stripTrailingZeros();
        return (p.scale() < 0 ? p.setScale(0) : p).toPlainString() + "%";
    }

    /** A count of people or rows with thousands separators. */
    public static String count(Long n) {
        return n == null ? null : String.format(Locale.ROOT, "%,d", n);
    }

    /** A ratio (hazard, risk or odds ratio) with two decimals. */
    public static String ratio(Double r) {
        return r == null ? null : String.format(Locale.ROOT, "%.2f", r);
    }

    /** A number of days: whole when whole, else one decimal. */
    public static String days(Double d) {
        if (d == null) {
            return null;
        }
        return d == Math.rint(d) ? String.format(Locale.ROOT, "%.0f", d) : String.format(Locale.ROOT, "%.1f", d);
    }

    /** A p-value with three decimals, "<0.001" below that. */
    public static String pValue(Double p) {
        if (p == null) {
            return null;
        }
        return p < 0.001 ? "<0.001" : String.format(Locale.ROOT, "%.3f", p);
    }
}
