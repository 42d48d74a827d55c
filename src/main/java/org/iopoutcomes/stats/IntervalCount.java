package org.iopoutcomes.stats;

/**
 * Number of subjects of one stratum whose event (first relapse) is known only to lie in (left, right]: the last
 * evidence of no event and the first evidence of it. The unit a Spark aggregate
 * ({@code groupBy(group, left, right).count()}) produces for {@link Turnbull}. Rows with the same pair add up.
 *
 * <p>A side that is NaN (SQL null, R's NA) or infinite is missing, as R's
 * {@code Surv(left, right, type = "interval2")} reads it:
 * <ul>
 *   <li>left &lt; right, both known: interval-censored in (left, right]; left = 0 is an interval (0, right],
 *       not a left-censored observation (R's reading: it differs from a missing left when an event is known
 *       to happen at time 0);</li>
 *   <li>left == right: exact event time;</li>
 *   <li>right missing: right-censored at left (no event seen up to left);</li>
 *   <li>left missing: left-censored at right (the event happened at or before right).</li>
 * </ul>
 * Both missing (R drops the row as NA) and left &gt; right (R: "Invalid interval", NA) are rejected, and so are
 * negative times: days since the start of follow-up are &gt;= 0.
 */
public record IntervalCount(double left, double right, long count) {
    public IntervalCount {
        left += 0.0; // -0.0 is 0 (R does not tell them apart; Double.compare does)
        right += 0.0;
        boolean leftKnown = Double.isFinite(left);
        boolean rightKnown = Double.isFinite(right);
        if (!leftKnown && !rightKnown) {
            throw new IllegalArgumentException("both ends of the interval are missing");
        }
        if (leftKnown && rightKnown && left > right) {
            throw new IllegalArgumentException("interval (" + left + ", " + right + "] has left > right");
        }
        if ((leftKnown && left < 0) || (rightKnown && right < 0)) {
            throw new IllegalArgumentException("negative time in (" + left + ", " + right + "]");
        }
        if (count < 0) {
            throw new IllegalArgumentException("negative count for (" + left + ", " + right + "]");
        }
    }

    /** Event seen exactly at {@code time}. */
    public static IntervalCount exact(double time, long count) {
        return new IntervalCount(time, time, count);
    }

    /** No event up to {@code lastSeenWithout}; not seen afterwards. */
    public static IntervalCount rightCensored(double lastSeenWithout, long count) {
        return new IntervalCount(lastSeenWithout, Double.NaN, count);
    }

    /** Event at or before {@code firstSeenWith}, no earlier evidence of its absence. */
    public static IntervalCount leftCensored(double firstSeenWith, long count) {
        return new IntervalCount(Double.NaN, firstSeenWith, count);
    }

    /** Event in (left, right]. */
    public static IntervalCount interval(double left, double right, long count) {
        return new IntervalCount(left, right, count);
    }

    /** The kind of observation, by R's status code of an "interval" Surv object. */
    public Kind kind() {
        if (!Double.isFinite(left)) {
            return Kind.LEFT_CENSORED;
        }
        if (!Double.isFinite(right)) {
            return Kind.RIGHT_CENSORED;
        }
        return left == right ? Kind.EXACT : Kind.INTERVAL_CENSORED;
    }

    /** R's status codes of {@code Surv(type = "interval2")}: 0 right, 1 exact, 2 left, 3 interval-censored. */
    public enum Kind {
        RIGHT_CENSORED(0), EXACT(1), LEFT_CENSORED(2), INTERVAL_CENSORED(3);

        private final int rStatus;

        Kind(int rStatus) {
            this.rStatus = rStatus;
        }

        public int rStatus() {
            return rStatus;
        }
    }
}
