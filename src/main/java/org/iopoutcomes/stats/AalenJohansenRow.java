package org.iopoutcomes.stats;

import java.util.List;

/**
 * One row of an Aalen-Johansen fit: a distinct observed time of the curve, or a requested time of
 * {@link AalenJohansen#at(double...)}.
 *
 * @param nCensor censored at this time (for a requested time: censored since the previous requested time,
 *                as summary.survfit counts them)
 * @param states  index 0 = the initial state ("(s0)", in care / event-free), index k = the k-th competing
 *                state of {@link AalenJohansen#states()}
 */
public record AalenJohansenRow(double time, long nCensor, List<StateEstimate> states) {
    public AalenJohansenRow {
        states = List.copyOf(states);
    }

    /** Subjects under observation at this time (the initial state's n.risk). */
    public long nRisk() {
        return states.get(0).nRisk();
    }

    /** Probability of still being in the initial state. */
    public StateEstimate initial() {
        return states.get(0);
    }

    /** The k-th competing state, k = 1..K (index into {@link AalenJohansen#states()} plus one). */
    public StateEstimate state(int k) {
        return states.get(k);
    }
}
