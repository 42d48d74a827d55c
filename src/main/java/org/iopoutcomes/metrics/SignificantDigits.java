package org.iopoutcomes.metrics;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Published numbers rounded to 10 significant digits (SPEC section 5): sums added across Spark partitions in
 * task-finishing order can differ in their last bits between two runs on the same input.
 */
public final class SignificantDigits {
    public static final MathContext TEN = new MathContext(10, RoundingMode.HALF_EVEN);

    private SignificantDigits() {}

    /** The value rounded to 10 significant digits (exact decimal rounding of the double); null, NaN, infinity: null. */
    public static Double round10(Double value) {
        if (value == null || !Double.isFinite(value)) {
            return null;
        }
        return new BigDecimal(value).round(TEN).doubleValue();
    }
}
