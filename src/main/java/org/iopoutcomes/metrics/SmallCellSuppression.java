package org.iopoutcomes.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Small-cell suppression of SPEC section 5 for published aggregates: a count of people from 1 to threshold-1 is
 * hidden (primary suppression), and where a group of cells that adds up to a published total (the values of
 * one stratum) has exactly one hidden cell, the next smallest cell is hidden too (complementary suppression),
 * so the hidden count cannot be derived as total minus the shown cells. Zero is not a small count, except for a
 * safety count ({@link #hide(List, Function, Function, Predicate, boolean)} with {@code includingZero}): there a
 * hidden cell must say only "fewer than the threshold, may be 0", so 0 is hidden like 1 .. threshold-1 and a lone
 * hidden 0 takes a complement like any other hidden cell. A threshold of 1 hides nothing, zero included.
 * Works on the small driver-side rows a summary table is built from; any table can use it.
 */
public final class SmallCellSuppression {
    private final int threshold;

    public SmallCellSuppression(int threshold) {
        if (threshold < 1) {
            throw new IllegalArgumentException("suppression threshold must be 1 or more, got " + threshold);
        }
        this.threshold = threshold;
    }

    public int threshold() {
        return threshold;
    }

    /** A count of people that may not be published: 1 .. threshold-1. */
    public boolean isSmall(long count) {
        return count >= 1 && count < threshold;
    }

    /**
     * A safety count that may not be published: 0 .. threshold-1 (nothing when the threshold is 1), so a hidden one
     * reads "fewer than the threshold, may be 0" and does not tell that there were any.
     */
    public boolean isBelowThreshold(long count) {
        return threshold > 1 && count < threshold;
    }

    /**
     * Which rows have their cell hidden. Rows are grouped by {@code group} (rows of one group add up to a
     * published total); {@code count} is the cell (null = the row has no such cell); {@code alreadyHidden} marks
     * cells hidden for another reason, which protect a small cell as a complement would.
     */
    public <T> boolean[] hide(List<T> rows, Function<T, ?> group, Function<T, Long> count,
                              Predicate<T> alreadyHidden) {
        return hide(rows, group, count, alreadyHidden, false);
    }

    /**
     * As {@link #hide(List, Function, Function, Predicate)}; with {@code includingZero} the cells are a safety count:
     * 0 is hidden too ({@link #isBelowThreshold}), and every hidden cell, 0 included, needs protecting, so where a
     * group has exactly one hidden cell, whatever its value, the next smallest is hidden with it (else total minus
     * the shown cells would give it, 0 included, and a hidden 0 told apart from a hidden 1-10 says there were some).
     */
    public <T> boolean[] hide(List<T> rows, Function<T, ?> group, Function<T, Long> count,
                              Predicate<T> alreadyHidden, boolean includingZero) {
        boolean[] hidden = new boolean[rows.size()];
        Map<Object, List<Integer>> groups = new LinkedHashMap<>();
        for (int i = 0; i < rows.size(); i++) {
            T row = rows.get(i);
            Long n = count.apply(row);
            if (n == null) {
                continue;
            }
            hidden[i] = (includingZero ? isBelowThreshold(n) : isSmall(n)) || alreadyHidden.test(row);
            groups.computeIfAbsent(group.apply(row), g -> new ArrayList<>()).add(i);
        }
        for (List<Integer> cells : groups.values()) {
            int hiddenToProtect = 0;
            for (int i : cells) {
                if (hidden[i] && (includingZero || count.apply(rows.get(i)) > 0)) {
                    hiddenToProtect++;
                }
            }
            if (hiddenToProtect != 1) {
                // none hidden, or two or more: their sum is known but no single one of them
                continue;
            }
            int complement = smallestShown(rows, count, hidden, cells, true);
            if (complement < 0) {
                complement = smallestShown(rows, count, hidden, cells, false);
            }
            if (complement >= 0) {
                hidden[complement] = true;
            }
        }
        return hidden;
    }

    /** The shown cell with the smallest count (ties: the first), preferring positive counts; -1 when none. */
    private static <T> int smallestShown(List<T> rows, Function<T, Long> count, boolean[] hidden,
                                         List<Integer> cells, boolean positiveOnly) {
        int best = -1;
        for (int i : cells) {
            long n = count.apply(rows.get(i));
            if (hidden[i] || (positiveOnly && n == 0)) {
                continue;
            }
            if (best < 0 || n < count.apply(rows.get(best))) {
                best = i;
            }
        }
        return best;
    }
}
