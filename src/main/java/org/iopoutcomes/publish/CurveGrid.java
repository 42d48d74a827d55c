package org.iopoutcomes.publish;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.NavigableSet;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.iopoutcomes.stats.StatusCount;
import org.iopoutcomes.stats.TimeCounts;
import org.iopoutcomes.stats.WeightedStatusCount;

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

        /**
         * The share of the censored pooled to {@code time} that is at risk for the events pooled there, for the
         * life-table estimate of pooled counts ({@link org.iopoutcomes.stats.AalenJohansen#fitWeighted(
         * java.util.Collection, int[], double, java.util.function.DoubleUnaryOperator)}). An interval (a, b] of L
         * days pools days a+1 to b; a censoring on the day of an event is at risk for it (R's convention), so with
         * censorings and events spread evenly over the interval's days a censored one is at risk for (L+1)/(2L) of
         * the events on average: 1 for a single day (nothing pooled, as with a threshold of 1), towards the
         * actuarial 1/2 for a long interval. Depends on the grid only, never on the counts. Times that are not
         * boundaries (after the last one) are not pooled: 1.
         */
        public double censoredAtRisk(double time) {
            return censoredAtRisk(time, 1);
        }

        /**
         * As {@link #censoredAtRisk(double)} for a curve whose times can only be the last day of each period of
         * {@code periodDays} days (7 on the admission clock, whose times are the last days of lattice weeks, 7k - 1):
         * L counts those days in the interval, not all days, so an interval holding one week pools nothing.
         */
        public double censoredAtRisk(double time, int periodDays) {
            int day = (int) time;
            int index = day == time ? Collections.binarySearch(boundaries, day) : -1;
            if (index < 0) {
                return 1.0;
            }
            int previous = index == 0 ? -1 : boundaries.get(index - 1);
            int times = Math.floorDiv(day + 1, periodDays) - Math.floorDiv(previous + 1, periodDays);
            return times <= 1 ? 1.0 : (times + 1) / (2.0 * times);
        }

        /**
         * As {@link #censoredAtRisk(double)} of {@code finest} (the grid the counts are spread over: the overall's,
         * or this one), except at this grid's last boundary, where every censored is at risk for the events (1). The
         * last interval of a grid may hold 1 to threshold-1 censored ({@link CurveGrid#buildStates}: the episodes
         * still open at the data cut), shown only inside the number at risk published at its end; with a share
         * below 1 the estimate there would depend on them and give them back (sample-data, overall retention: in
         * care and dropouts at day 90, with the 279 at risk, gave the 2 episodes still open with a time in days 50 to
         * 90). Used with {@link #spread(List, Grid, List, boolean, int[])} keeping those censored at the interval's
         * end.
         */
        public java.util.function.DoubleUnaryOperator censoredAtRiskSparingTheLast(Grid finest) {
            int last = boundaries.isEmpty() ? Integer.MIN_VALUE : boundaries.get(boundaries.size() - 1);
            return t -> t == last ? 1.0 : finest.censoredAtRisk(t);
        }

        /**
         * As {@link #spread(List, Grid, List)}; {@code lastCensoredAtEnd}: the censored of this grid's last interval
         * are not spread but stay at its end (with {@link #censoredAtRiskSparingTheLast}, nothing estimated depends
         * on how many they are). Each status is shared by the reference's count of its kind
         * ({@code kindOf[status]}; null: each status its own kind): statuses of one kind are spread alike, so the
         * estimates depend on the reference's counts only as far as the grid keeps them safe (retention's
         * completions and other discharges are one kind of its grid: spread apart, a value's published in care
         * would depend on the overall's split, which may be 1 to threshold-1 in an interval).
         */
        public List<WeightedStatusCount> spread(List<StatusCount> counts, Grid reference,
                                                List<StatusCount> referenceCounts, boolean lastCensoredAtEnd,
                                                int[] kindOf) {
            if (!lastCensoredAtEnd || boundaries.isEmpty()) {
                return spreadByKind(counts, reference, referenceCounts, kindOf);
            }
            int last = boundaries.get(boundaries.size() - 1);
            List<StatusCount> spreadable = new ArrayList<>();
            List<WeightedStatusCount> atEnd = new ArrayList<>();
            for (StatusCount c : coarsenStates(counts)) {
                if (c.status() == 0 && c.time() == last) {
                    atEnd.add(WeightedStatusCount.of(c));
                } else {
                    spreadable.add(c);
                }
            }
            List<WeightedStatusCount> out = new ArrayList<>(spreadByKind(spreadable, reference, referenceCounts,
                    kindOf));
            out.addAll(atEnd);
            out.sort(java.util.Comparator.comparingDouble(WeightedStatusCount::time)
                    .thenComparingInt(WeightedStatusCount::status));
            return out;
        }

        /**
         * This grid's pooled counts spread over a finer reference grid, for the estimate: each interval's count of
         * each status (censored, each kind of event) is shared among the reference's boundaries inside the interval
         * in proportion to the reference's pooled count of the same status there (all of it at the interval's end
         * when the reference has none). The reference is the overall curve of the same definition and clock, whose
         * grid holds every boundary of this one: its timing inside a long interval stands for this curve's.
         *
         * <p>Why: counts moved to the end of a long interval count everyone censored inside it as at risk for all
         * of its events, which biases the estimate towards no event (sample-data, a program's relapse by 365 days
         * 32.5% where the daily estimate is 45.3%, its grid 0, 30, 357, 364, 365), and the actuarial life table
         * (half of the censored at risk) assumes censorings spread evenly, where follow-up ends on call days (40.4%
         * there). Spread by the overall's timing it is 45.0%. Nothing inside an interval is split out by this
         * curve's own counts: the shares come from the reference's pooled counts, each 0 or at least the threshold
         * and published in the overall curve. Counts never leave their interval, so the numbers at risk and events
         * at this grid's boundaries are unchanged, and a grid of one-day intervals (a threshold of 1) spreads
         * nothing. Counts after the last boundary stay where they are.
         *
         * @param counts          this curve's counts per (day, status), daily or pooled to this grid
         * @param reference       the reference's grid (null: nothing to spread by; the pooled counts as they are)
         * @param referenceCounts the reference's counts per (day, status), daily or pooled to its grid
         */
        public List<WeightedStatusCount> spread(List<StatusCount> counts, Grid reference,
                                                List<StatusCount> referenceCounts) {
            return spreadByKind(counts, reference, referenceCounts, null);
        }

        private List<WeightedStatusCount> spreadByKind(List<StatusCount> counts, Grid reference,
                                                       List<StatusCount> referenceCounts, int[] kindOf) {
            java.util.function.IntUnaryOperator kind = kindOf == null ? status -> status : status -> kindOf[status];
            List<StatusCount> pooled = coarsenStates(counts);
            List<WeightedStatusCount> out = new ArrayList<>(pooled.size());
            if (reference == null) {
                pooled.forEach(c -> out.add(WeightedStatusCount.of(c)));
                return out;
            }
            // the reference's pooled counts per (boundary, status)
            TreeMap<Integer, TreeMap<Integer, Long>> byBoundary = new TreeMap<>();
            for (StatusCount c : reference.coarsenStates(referenceCounts)) {
                if (c.time() == Math.rint(c.time())) {
                    byBoundary.computeIfAbsent((int) c.time(), t -> new TreeMap<>())
                            .merge(kind.applyAsInt(c.status()), c.count(), Long::sum);
                }
            }
            NavigableSet<Integer> mine = new TreeSet<>(boundaries);
            Set<Integer> theirs = Set.copyOf(reference.boundaries());
            for (StatusCount c : pooled) {
                int day = (int) c.time();
                if (day != c.time() || !mine.contains(day)) {
                    out.add(WeightedStatusCount.of(c)); // after the last boundary: daily
                    continue;
                }
                Integer previous = mine.lower(day);
                long total = 0;
                List<Integer> inside = new ArrayList<>();
                for (var e : byBoundary.subMap(previous == null ? Integer.MIN_VALUE : previous, false, day, true)
                        .entrySet()) {
                    long n = e.getValue().getOrDefault(kind.applyAsInt(c.status()), 0L);
                    if (n > 0 && theirs.contains(e.getKey())) {
                        inside.add(e.getKey());
                        total += n;
                    }
                }
                if (total == 0) {
                    out.add(WeightedStatusCount.of(c));
                    continue;
                }
                for (int at : inside) {
                    long n = byBoundary.get(at).get(kind.applyAsInt(c.status()));
                    out.add(new WeightedStatusCount(at, c.status(), (double) c.count() * n / total));
                }
            }
            out.sort(java.util.Comparator.comparingDouble(WeightedStatusCount::time)
                    .thenComparingInt(WeightedStatusCount::status));
            return out;
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

        /** As {@link #coarsen} for counts per (day, status). */
        public List<StatusCount> coarsenStates(List<StatusCount> counts) {
            NavigableSet<Integer> grid = new TreeSet<>(boundaries);
            TreeMap<Double, TreeMap<Integer, Long>> pooled = new TreeMap<>();
            for (StatusCount c : counts) {
                Integer to = grid.ceiling((int) Math.ceil(c.time()));
                double time = to == null ? c.time() : to;
                pooled.computeIfAbsent(time, t -> new TreeMap<>()).merge(c.status(), c.count(), Long::sum);
            }
            List<StatusCount> out = new ArrayList<>();
            pooled.forEach((time, byStatus) -> byStatus.forEach((status, n) -> out.add(new StatusCount(time, status,
                    n))));
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

    /**
     * Cumulative counts of one curve, by day: for each kind of exit (events and censorings; or, for competing risks,
     * the censored and each state entered) the number with time <= day, and the total.
     */
    private static final class Cumulative {
        final TreeMap<Integer, long[]> byDay = new TreeMap<>();
        final long total;
        final int kinds;
        /** The kind of the censored (exits that are no transition). */
        final int censoredKind;

        private Cumulative(TreeMap<Integer, long[]> perDay, int kinds, int censoredKind) {
            this.kinds = kinds;
            this.censoredKind = censoredKind;
            long n = 0;
            long[] running = new long[kinds];
            for (var e : perDay.entrySet()) {
                for (int k = 0; k < kinds; k++) {
                    running[k] += e.getValue()[k];
                    n += e.getValue()[k];
                }
                byDay.put(e.getKey(), running.clone());
            }
            total = n;
        }

        /** Kinds: events, censored. */
        static Cumulative ofTimeCounts(List<TimeCounts> counts) {
            TreeMap<Integer, long[]> perDay = new TreeMap<>();
            for (TimeCounts c : counts) {
                long[] sum = perDay.computeIfAbsent((int) Math.ceil(c.time()), d -> new long[2]);
                sum[0] += c.nEvent();
                sum[1] += c.nCensor();
            }
            return new Cumulative(perDay, 2, 1);
        }

        /** Kinds: {@code kindOf[status]} (0 .. kinds - 1) of each status code. */
        static Cumulative ofStatusCounts(List<StatusCount> counts, int[] kindOf) {
            int kinds = java.util.Arrays.stream(kindOf).max().orElse(0) + 1;
            TreeMap<Integer, long[]> perDay = new TreeMap<>();
            for (StatusCount c : counts) {
                perDay.computeIfAbsent((int) Math.ceil(c.time()), d -> new long[kinds])[kindOf[c.status()]]
                        += c.count();
            }
            return new Cumulative(perDay, kinds, kindOf[0]);
        }

        /** Exits of each kind with time <= day (day -1: none). */
        long[] upTo(int day) {
            var entry = byDay.floorEntry(day);
            return entry == null ? new long[kinds] : entry.getValue();
        }

        /** Number with time >= day: the number at risk at that day. */
        long atRisk(int day) {
            long left = 0;
            for (long c : upTo(day - 1)) {
                left += c;
            }
            return total - left;
        }
    }

    /** None, or at least the threshold: a count that may be shown or derived. */
    private boolean safe(long count) {
        return count == 0 || count >= threshold;
    }

    /** Every curve's transitions of each kind in (from, to] are none or at least the threshold. */
    private boolean safeInterval(List<Cumulative> curves, int from, int to) {
        return safeInterval(curves, from, to, false);
    }

    /**
     * As {@link #safeInterval(List, int, int)}; with {@code last}, the censored are not checked: in the last interval
     * of a curve they stay in the number at risk published at its end, and no later point shows them leave.
     */
    private boolean safeInterval(List<Cumulative> curves, int from, int to, boolean last) {
        for (Cumulative c : curves) {
            long[] a = c.upTo(from);
            long[] b = c.upTo(to);
            for (int k = 0; k < c.kinds; k++) {
                if (last && k == c.censoredKind) {
                    continue;
                }
                if (!safe(b[k] - a[k])) {
                    return false;
                }
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
        return chain(curves.stream().filter(c -> !c.isEmpty()).map(Cumulative::ofTimeCounts).toList(), candidates,
                preferred, headline, false);
    }

    /**
     * As {@link #build(List, SortedSet, Set, Integer)} for competing-risks curves: every interval holds none or at
     * least the threshold of each kind of exit (an Aalen-Johansen curve with its number at risk gives each published
     * state's exits of a step back, as a Kaplan-Meier curve gives its events).
     *
     * <p>Censored exits (episodes still open at the data cut) need not be safe in the last interval: they count in
     * the number at risk published at its end and no later point shows them leave (the others' steps give the censored
     * of an interval as the fall in the number at risk less the transitions). A stratum with a few open episodes
     * keeps its curve up to them (on the sample data, 2 open episodes at days 71-77 would otherwise hide everything
     * after day 70, the 90-day figure included).
     *
     * @param curves counts per (day, status), status 0 = censored and 1, 2, ... = the states entered
     * @param kindOf the kind of exit of each status code (kinds 0, 1, ...): states whose curves are published apart
     *               are kinds of their own; states published only together (their sum derivable, not each one) may
     *               share a kind. The censored are a kind of their own.
     */
    public Grid buildStates(List<List<StatusCount>> curves, int[] kindOf, SortedSet<Integer> candidates,
                            Set<Integer> preferred, Integer headline) {
        return buildStates(curves, kindOf, candidates, preferred, headline, true);
    }

    /**
     * As {@link #buildStates(List, int[], SortedSet, Set, Integer)}; {@code lastCensoredFree} false checks the
     * censored in the last interval too, as {@link #build(List, SortedSet, Set, Integer)} does for a Kaplan-Meier
     * curve (with one state and kinds {0, 1}, or a second state that never occurs, the grid is then that one).
     */
    public Grid buildStates(List<List<StatusCount>> curves, int[] kindOf, SortedSet<Integer> candidates,
                            Set<Integer> preferred, Integer headline, boolean lastCensoredFree) {
        return chain(curves.stream().filter(c -> !c.isEmpty()).map(c -> Cumulative.ofStatusCounts(c, kindOf))
                .toList(), candidates, preferred, headline, lastCensoredFree);
    }

    /**
     * The published days of {@code grid} up to which every interval, in every curve, holds none or at least the
     * threshold of each kind of {@code kindOf}: a finer split of the states than the grid was built for may be
     * published at those days (and only there: past the first interval that fails, the split state's steps, or a
     * weighted sum of them, would give a small count back).
     *
     * @return the last such day, or null when not even the first published day qualifies
     */
    public Integer safeThrough(List<List<StatusCount>> curves, int[] kindOf, Grid grid) {
        List<Cumulative> cumulative = curves.stream().filter(c -> !c.isEmpty())
                .map(c -> Cumulative.ofStatusCounts(c, kindOf)).toList();
        Integer through = null;
        int from = -1;
        List<Integer> days = grid.published();
        for (int day : days) {
            if (!safeInterval(cumulative, from, day, day == days.get(days.size() - 1))) {
                break;
            }
            through = day;
            from = day;
        }
        return through;
    }

    private Grid chain(List<Cumulative> cumulative, SortedSet<Integer> candidates, Set<Integer> preferred,
                       Integer headline, boolean lastCensoredFree) {
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
        // best[j]: the score of the best chain ending at days[j] whose every interval is safe, from[j] its previous
        // day's index (-1: the start); last[j], lastFrom[j]: the same where the chain ends at days[j] and its last
        // interval may hold a few censored (lastCensoredFree)
        int k = days.size();
        long[] best = new long[k];
        int[] from = new int[k];
        long[] last = new long[k];
        int[] lastFrom = new int[k];
        for (int j = 0; j < k; j++) {
            long weight = days.get(j).equals(headline) ? 1_000_000_000_000L
                    : preferred.contains(days.get(j)) ? 1_000_000L : 1L;
            best[j] = Long.MIN_VALUE;
            last[j] = Long.MIN_VALUE;
            if (safeInterval(cumulative, -1, days.get(j))) {
                best[j] = weight;
                from[j] = -1;
            }
            if (lastCensoredFree && safeInterval(cumulative, -1, days.get(j), true)) {
                last[j] = weight;
                lastFrom[j] = -1;
            }
            for (int i = 0; i < j; i++) {
                if (best[i] == Long.MIN_VALUE) {
                    continue;
                }
                if (best[i] + weight > best[j] && safeInterval(cumulative, days.get(i), days.get(j))) {
                    best[j] = best[i] + weight;
                    from[j] = i;
                }
                if (lastCensoredFree && best[i] + weight > last[j]
                        && safeInterval(cumulative, days.get(i), days.get(j), true)) {
                    last[j] = best[i] + weight;
                    lastFrom[j] = i;
                }
            }
        }
        int end = -1;
        boolean endsLoose = false;
        for (int j = 0; j < k; j++) {
            if (best[j] != Long.MIN_VALUE && (end < 0 || best[j] > (endsLoose ? last[end] : best[end]))) {
                end = j;
                endsLoose = false;
            }
            if (last[j] != Long.MIN_VALUE && (end < 0 || last[j] > (endsLoose ? last[end] : best[end]))) {
                end = j;
                endsLoose = true;
            }
        }
        List<Integer> published = new ArrayList<>();
        if (end >= 0) {
            published.add(days.get(end));
            for (int j = endsLoose ? lastFrom[end] : from[end]; j >= 0; j = from[j]) {
                published.add(0, days.get(j));
            }
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
