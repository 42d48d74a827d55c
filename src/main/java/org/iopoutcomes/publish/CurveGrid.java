package org.iopoutcomes.publish;

import java.util.ArrayList;
import java.util.List;
import java.util.NavigableSet;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.iopoutcomes.stats.TimeCounts;

/**
 * The time grid on which the curves of one stratum are published (SPEC section 5, issue 13): curves that cannot be
 * differenced.
 *
 * <p>A curve published at every day of a weekly lattice gives back its steps: with the number at risk and the
 * estimate at two points, the events between them are n(previous) x (1 - S/S(previous)), and the number at risk
 * falls by the events plus the censored. So every interval between two published points holds, in every curve of
 * the stratum, either none or at least the threshold of each kind of transition (events, and other exits from the
 * risk set), and every published number at risk is 0 or at least the threshold. The curves of one stratum share
 * the grid, and the values not published (their episode count hidden) count as one more curve: otherwise the
 * overall number at risk minus the published values' would split an interval of the missing ones. A stratum other
 * than overall is published only at days where the overall curve is, or the overall's own interval would be split
 * by the sum of the values'.
 *
 * <p>The estimate at a published day comes from counts pooled per interval: each day's events and censorings
 * are moved to the published day at or after it ({@link Grid#coarsen}), so nothing inside an interval can be split
 * out: it is R's survfit on the times so rounded up, and its number at risk at a published day is the number
 * entering the interval that ends there (time after the previous published day). With a threshold of 1 nothing is
 * suppressed and every day is a boundary: the estimate is the daily Kaplan-Meier one.
 */
public final class CurveGrid {
    private final int threshold;

    public CurveGrid(int threshold) {
        if (threshold < 1) {
            throw new IllegalArgumentException("suppression threshold must be 1 or more, got " + threshold);
        }
        this.threshold = threshold;
    }

    /**
     * The grid of one stratum.
     *
     * @param published  days at which the stratum's curves (and the summaries' horizons) may be shown, ascending
     * @param boundaries every boundary the counts are pooled to, ascending: the published days, and with a
     *                   threshold of 1 every day before the last of them
     */
    public record Grid(List<Integer> published, List<Integer> boundaries) {
        public Grid {
            published = List.copyOf(published);
            boundaries = List.copyOf(boundaries);
        }

        public boolean isPublished(int day) {
            return published.contains(day);
        }

        /** The grid of a value pooled into "not shown": the same boundaries, no day of its own published. */
        public Grid notShown() {
            return new Grid(List.of(), boundaries);
        }

        /**
         * The counts with each day moved to the first boundary at or after it; days after the last boundary stay
         * as they are (they only ever count in the number at risk at the published days).
         */
        public List<TimeCounts> coarsen(List<TimeCounts> counts) {
            NavigableSet<Integer> grid = new TreeSet<>(boundaries);
            TreeMap<Double, long[]> pooled = new TreeMap<>();
            for (TimeCounts c : counts) {
                Integer to = grid.ceiling((int) Math.ceil(c.time()));
                double time = to == null ? c.time() : to;
                long[] sum = pooled.computeIfAbsent(time, t -> new long[2]);
                sum[0] += c.nEvent();
                sum[1] += c.nCensor();
            }
            List<TimeCounts> out = new ArrayList<>(pooled.size());
            pooled.forEach((time, sum) -> out.add(new TimeCounts(time, sum[0], sum[1])));
            return out;
        }
    }

    /**
     * Which values of a stratum get no curve of their own (pooled into "not shown"): those with 1 to threshold-1
     * people, then, smallest first, more values until the pooled ones are none, or at least two with at least
     * threshold-1 people between them. The pooled total is what the overall curve less the shown ones gives; one
     * value alone, or a small pool, would give each pooled value's count back.
     */
    public static boolean[] notShown(long[] people, int threshold) {
        boolean[] hidden = new boolean[people.length];
        if (threshold <= 1) {
            return hidden;
        }
        long pooled = 0;
        int count = 0;
        for (int i = 0; i < people.length; i++) {
            if (people[i] >= 1 && people[i] < threshold) {
                hidden[i] = true;
                pooled += people[i];
                count++;
            }
        }
        while (count > 0 && (count == 1 || pooled < threshold - 1)) {
            int smallest = -1;
            for (int i = 0; i < people.length; i++) {
                if (!hidden[i] && people[i] > 0 && (smallest < 0 || people[i] < people[smallest])) {
                    smallest = i;
                }
            }
            if (smallest < 0) {
                break; // nothing left to pool: the disclosure audit decides what else to hide
            }
            hidden[smallest] = true;
            pooled += people[smallest];
            count++;
        }
        return hidden;
    }

    /** Cumulative counts of one curve, by day: events and other exits with time <= day, and the total. */
    private static final class Cumulative {
        final TreeMap<Integer, long[]> byDay = new TreeMap<>();
        final long total;

        Cumulative(List<TimeCounts> counts) {
            TreeMap<Integer, long[]> perDay = new TreeMap<>();
            long n = 0;
            for (TimeCounts c : counts) {
                long[] sum = perDay.computeIfAbsent((int) Math.ceil(c.time()), d -> new long[2]);
                sum[0] += c.nEvent();
                sum[1] += c.nCensor();
                n += c.nEvent() + c.nCensor();
            }
            long events = 0;
            long censored = 0;
            for (var e : perDay.entrySet()) {
                events += e.getValue()[0];
                censored += e.getValue()[1];
                byDay.put(e.getKey(), new long[] {events, censored});
            }
            total = n;
        }

        /** {events, other exits} with time <= day (day -1: none). */
        long[] upTo(int day) {
            var entry = byDay.floorEntry(day);
            return entry == null ? new long[2] : entry.getValue();
        }

        /** Number with time >= day: the number at risk at that day. */
        long atRisk(int day) {
            long[] before = upTo(day - 1);
            return total - before[0] - before[1];
        }
    }

    /** None, or at least the threshold: a count that may be shown or derived. */
    private boolean safe(long count) {
        return count == 0 || count >= threshold;
    }

    /** Every curve's transitions of each kind in (from, to] are none or at least the threshold. */
    private boolean safeInterval(List<Cumulative> curves, int from, int to) {
        for (Cumulative c : curves) {
            long[] a = c.upTo(from);
            long[] b = c.upTo(to);
            if (!safe(b[0] - a[0]) || !safe(b[1] - a[1])) {
                return false;
            }
        }
        return true;
    }

    /** As {@link #build(List, SortedSet, Set)} with no preferred day. */
    public Grid build(List<List<TimeCounts>> curves, SortedSet<Integer> candidates) {
        return build(curves, candidates, Set.of());
    }

    /**
     * The grid of one stratum: of the candidate days, the chain that holds the most preferred days (the summaries'
     * horizons), then the most days, such that every interval between two of them is safe in every curve; it ends
     * before the first candidate at which a curve has 1 .. threshold-1 at risk (the others' numbers with the
     * overall would give it). Ties go to the chain whose days come first.
     *
     * @param curves     the day counts of every curve the stratum's published numbers are built on: each
     *                   published value, and the values not published pooled into one (empty when none)
     * @param candidates days that may be published, e.g. the weekly lattice and the summaries' horizons; for a
     *                   stratum other than overall, only the overall's published days
     * @param preferred  candidates worth more than any number of others (the horizons)
     */
    public Grid build(List<List<TimeCounts>> curves, SortedSet<Integer> candidates, Set<Integer> preferred) {
        return build(curves, candidates, preferred, null);
    }

    /**
     * As {@link #build(List, SortedSet, Set)}, with the headline horizon worth more than every other day together:
     * a chain through it wins over one with as many horizons and more weekly days (on the sample data the overall
     * retention grid 30, 60, 70, 77, 84 left the 90-day retention, the page's first number, hidden; 30, 90 keeps it).
     *
     * @param headline the horizon the page leads with (null: none)
     */
    public Grid build(List<List<TimeCounts>> curves, SortedSet<Integer> candidates, Set<Integer> preferred,
                      Integer headline) {
        List<Cumulative> cumulative = curves.stream().filter(c -> !c.isEmpty()).map(Cumulative::new).toList();
        List<Integer> days = new ArrayList<>();
        for (int day : candidates) {
            boolean atRiskShown = true;
            for (Cumulative c : cumulative) {
                atRiskShown &= safe(c.atRisk(day));
            }
            if (!atRiskShown) {
                break;
            }
            days.add(day);
        }
        // best[j]: the score of the best chain ending at days[j]; from[j] its previous day's index (-1: the start)
        int k = days.size();
        long[] best = new long[k];
        int[] from = new int[k];
        for (int j = 0; j < k; j++) {
            long weight = days.get(j).equals(headline) ? 1_000_000_000_000L
                    : preferred.contains(days.get(j)) ? 1_000_000L : 1L;
            best[j] = Long.MIN_VALUE;
            if (safeInterval(cumulative, -1, days.get(j))) {
                best[j] = weight;
                from[j] = -1;
            }
            for (int i = 0; i < j; i++) {
                if (best[i] != Long.MIN_VALUE && best[i] + weight > best[j]
                        && safeInterval(cumulative, days.get(i), days.get(j))) {
                    best[j] = best[i] + weight;
                    from[j] = i;
                }
            }
        }
        int end = -1;
        for (int j = 0; j < k; j++) {
            if (best[j] != Long.MIN_VALUE && (end < 0 || best[j] > best[end])) {
                end = j;
            }
        }
        List<Integer> published = new ArrayList<>();
        for (int j = end; j >= 0; j = from[j]) {
            published.add(0, days.get(j));
        }
        List<Integer> boundaries = new ArrayList<>(published);
        if (threshold == 1 && !published.isEmpty()) {
            // Nothing is suppressed: every day is a boundary, so the estimate is the daily one.
            TreeSet<Integer> every = new TreeSet<>(published);
            for (Cumulative c : cumulative) {
                every.addAll(c.byDay.headMap(published.get(published.size() - 1)).keySet());
            }
            boundaries = new ArrayList<>(every);
        }
        return new Grid(published, boundaries);
    }
}
