package org.iopoutcomes.publish;

/**
 * One count of people an attacker got back from published outputs.
 *
 * @param table the table the count belongs to (for a step of a curve: the curve)
 * @param rowKey the row: its key columns joined with '|'
 * @param attack how it was recovered
 * @param what what the count is, e.g. "relapses in days (7, 14]" or "episodes - discharged"
 * @param count the recovered count (an estimate when not {@code exact})
 * @param low the smallest value the attacker cannot rule out
 * @param high the largest value the attacker cannot rule out ({@link Long#MAX_VALUE}: no upper limit)
 * @param exact the attacker is certain of the count: low = count = high
 * @param hiddenCell the count is a cell the table hides (empty), or is computed from one
 * @param small the count is from 1 to threshold-1: a count the publication must not show nor let be derived
 */
public record Recovered(String table, String rowKey, Attack attack, String what, long count, long low, long high,
                        boolean exact, boolean hiddenCell, boolean small) {

    public static Recovered exact(String table, String rowKey, Attack attack, String what, long count,
                                  boolean hiddenCell, int threshold) {
        return new Recovered(table, rowKey, attack, what, count, count, count, true, hiddenCell,
                count >= 1 && count < threshold);
    }

    /** An estimate (e.g. by rounding) within limits the attacker is sure of. */
    public static Recovered estimate(String table, String rowKey, Attack attack, String what, long estimate,
                                     long low, long high, boolean hiddenCell, int threshold) {
        boolean exact = low == high;
        return new Recovered(table, rowKey, attack, what, estimate, low, high, exact, hiddenCell,
                estimate >= 1 && estimate < threshold);
    }

    @Override
    public String toString() {
        String range = exact ? "" : " (estimate; sure of " + low + ".." + (high == Long.MAX_VALUE ? "" : high) + ")";
        return attack.title() + ": " + table + " [" + rowKey + "] " + what + " = " + count + range
                + (hiddenCell ? " (hidden cell)" : "") + (small ? " SMALL" : "");
    }
}
