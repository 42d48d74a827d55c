package org.iopoutcomes.stats;

/**
 * R's NA ("could not compute") is kept apart from NaN ("computed, not a number") because the reference
 * files write them differently (empty vs "NaN"). NA is a NaN with a distinct payload, so it flows through
 * arithmetic like NaN and is recognised with {@link #isNa(double)}.
 */
public final class Na {
    /** A quiet NaN whose payload marks R's NA (R uses payload 1954 for the same purpose). */
    public static final double NA = Double.longBitsToDouble(0x7ff80000000007a2L);

    private Na() {}

    public static boolean isNa(double value) {
        return Double.doubleToRawLongBits(value) == Double.doubleToRawLongBits(NA);
    }
}
