package org.iopoutcomes.stats;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Harrell's concordance of a risk score with right-censored times, as survival's concordance() for a coxph fit
 * (reverse = TRUE: a higher score should go with an earlier event). A pair is comparable when the earlier time is an
 * event, or both times are equal and only one is an event (the censored one outlived it); pairs of events at the
 * same time are not. Ties in the score count 1/2. The SE is survival's infinitesimal-jackknife SE. O(n log n).
 */
public final class Concordance {
    public record Result(double concordance, double standardError, double concordant, double discordant,
                         double tiedScore) {}

    private Concordance() {}

    public static Result of(double[] time, int[] event, double[] score) {
        int n = time.length;
        double[] distinct = Arrays.stream(score).sorted().distinct().toArray();
        int[] rank = new int[n];
        for (int i = 0; i < n; i++) {
            rank[i] = Arrays.binarySearch(distinct, score[i]);
        }
        // per-subject counts of concordant, discordant and score-tied comparable pairs it belongs to
        double[] concordant = new double[n];
        double[] discordant = new double[n];
        double[] tied = new double[n];
        double totalConcordant = 0;
        double totalDiscordant = 0;
        double totalTied = 0;
        Integer[] descending = IntStream.range(0, n).boxed()
                .sorted(Comparator.comparingDouble((Integer i) -> time[i]).reversed()).toArray(Integer[]::new);
        // role 1: i is the earlier event; partners are later subjects and subjects censored at the same time
        Fenwick later = new Fenwick(distinct.length);
        for (int start = 0; start < n; ) {
            int end = groupEnd(descending, time, start);
            for (int k = start; k < end; k++) {
                if (event[descending[k]] == 0) {
                    later.add(rank[descending[k]]);
                }
            }
            for (int k = start; k < end; k++) {
                int i = descending[k];
                if (event[i] == 1) {
                    double lower = later.countBelow(rank[i]);
                    double equal = later.countAt(rank[i]);
                    double higher = later.total() - lower - equal;
                    concordant[i] += lower;
                    discordant[i] += higher;
                    tied[i] += equal;
                    totalConcordant += lower;
                    totalDiscordant += higher;
                    totalTied += equal;
                }
            }
            for (int k = start; k < end; k++) {
                if (event[descending[k]] == 1) {
                    later.add(rank[descending[k]]);
                }
            }
            start = end;
        }
        // role 2: j is the later member; partners are earlier events, and same-time events when j is censored
        Integer[] ascending = descending.clone();
        java.util.Collections.reverse(Arrays.asList(ascending));
        Fenwick earlierEvents = new Fenwick(distinct.length);
        for (int start = 0; start < n; ) {
            int end = groupEnd(ascending, time, start);
            for (int k = start; k < end; k++) {
                int j = ascending[k];
                if (event[j] == 1) {
                    countAgainst(earlierEvents, j, rank, concordant, discordant, tied);
                }
            }
            for (int k = start; k < end; k++) {
                if (event[ascending[k]] == 1) {
                    earlierEvents.add(rank[ascending[k]]);
                }
            }
            for (int k = start; k < end; k++) {
                int j = ascending[k];
                if (event[j] == 0) {
                    countAgainst(earlierEvents, j, rank, concordant, discordant, tied);
                }
            }
            start = end;
        }
        double pairs = totalConcordant + totalDiscordant + totalTied;
        double somers = (totalConcordant - totalDiscordant) / pairs;
        double variance = 0.0;
        for (int i = 0; i < n; i++) {
            double dfbeta = (concordant[i] - discordant[i]) / pairs
                    - somers / pairs * (concordant[i] + discordant[i] + tied[i]);
            variance += dfbeta * dfbeta;
        }
        return new Result((somers + 1) / 2, Math.sqrt(variance / 4), totalConcordant, totalDiscordant, totalTied);
    }

    private static void countAgainst(Fenwick earlierEvents, int j, int[] rank, double[] concordant,
                                     double[] discordant, double[] tied) {
        double lower = earlierEvents.countBelow(rank[j]);
        double equal = earlierEvents.countAt(rank[j]);
        double higher = earlierEvents.total() - lower - equal;
        // the earlier event having the higher score is concordant
        concordant[j] += higher;
        discordant[j] += lower;
        tied[j] += equal;
    }

    private static int groupEnd(Integer[] order, double[] time, int start) {
        int end = start;
        while (end < order.length && time[order[end]] == time[order[start]]) {
            end++;
        }
        return end;
    }

    /** Counts of inserted ranks, with prefix sums in O(log n). */
    private static final class Fenwick {
        private final long[] tree;
        private final long[] atRank;
        private long total;

        Fenwick(int size) {
            tree = new long[size + 1];
            atRank = new long[size];
        }

        void add(int rank) {
            atRank[rank]++;
            total++;
            for (int i = rank + 1; i < tree.length; i += i & -i) {
                tree[i]++;
            }
        }

        /** Number inserted with rank < the given rank. */
        long countBelow(int rank) {
            long sum = 0;
            for (int i = rank; i > 0; i -= i & -i) {
                sum += tree[i];
            }
            return sum;
        }

        long countAt(int rank) {
            return atRank[rank];
        }

        long total() {
            return total;
        }
    }
}
