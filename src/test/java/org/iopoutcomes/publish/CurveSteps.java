package org.iopoutcomes.publish;

import java.util.ArrayList;
import java.util.List;

/**
 * The events inside one step of a published Kaplan-Meier curve, from the number at risk and the estimate at its
 * two ends: with S(b)/S(a) = r, the events e of the step satisfy n(b) (1 - r) <= e <= -n(a) ln r, and e = n(a) (1 - r)
 * exactly when all of them fall on one time (the admission clock's weekly times 7k-1 are one per step). The
 * estimate n(a) (1 - r) rounded is what issue 13 calls "by rounding". (The number at risk at a counts the times
 * in [a, ...), the estimate the events in (a, b]: where times can fall on grid days the exits n(a) - n(b) are not the
 * step's events plus censorings.)
 */
final class CurveSteps {
    private static final double EPS = 1e-7;

    private CurveSteps() {}

    /** A published grid point: its day, number at risk and S (null when empty). */
    record Point(int day, Long atRisk, Double surv) {}

    /**
     * One step (from, to]: the estimate n(from) (1 - r) and what the attacker is sure of.
     *
     * @param exact the limits meet: the events are known
     */
    record Step(int from, int to, Long atRiskFrom, Long atRiskTo, double estimate, long low, long high, boolean exact) {
        long rounded() {
            return Math.round(estimate);
        }
    }

    /**
     * Steps between consecutive points where the number at risk at the start and S at both ends are published.
     *
     * @param oneTimePerStep every event time falls alone in its step (admission clock): the estimate is exact
     */
    static List<Step> steps(List<Point> points, boolean oneTimePerStep) {
        List<Step> steps = new ArrayList<>();
        for (int i = 1; i < points.size(); i++) {
            Point a = points.get(i - 1);
            Point b = points.get(i);
            Step s = step(a, b, oneTimePerStep);
            if (s != null) {
                steps.add(s);
            }
        }
        return steps;
    }

    static Step step(Point a, Point b, boolean oneTimePerStep) {
        if (a.atRisk() == null || a.surv() == null || b.surv() == null || !(a.surv() > 0)) {
            return null;
        }
        long na = a.atRisk();
        Long nb = b.atRisk();
        double r = b.surv() / a.surv();
        double estimate = na * (1 - r);
        if (r >= 1 - 1e-12) {
            return new Step(a.day(), b.day(), na, nb, 0, 0, 0, true);
        }
        if (oneTimePerStep) {
            long rounded = Math.round(estimate);
            if (Math.abs(estimate - rounded) < EPS * Math.max(1, na)) {
                return new Step(a.day(), b.day(), na, nb, estimate, rounded, rounded, true);
            }
        }
        long low = nb == null ? 1 : Math.max(1, (long) Math.ceil(nb * (1 - r) - EPS * Math.max(1, nb)));
        long high = r > 0 ? (long) Math.floor(-na * Math.log(r) + EPS * Math.max(1, na)) : na;
        // events of (a, b] may exceed the exits n(a) - n(b), which count [a, b): only n(a) limits them
        high = Math.min(high, na);
        low = Math.min(low, high);
        return new Step(a.day(), b.day(), na, nb, estimate, low, high, low == high);
    }

    /** Events at day 0 (the estimate at 0 counts them): n(0) (1 - S(0)), exact, one time. */
    static Long eventsAtZero(Point p) {
        if (p.day() != 0 || p.atRisk() == null || p.surv() == null) {
            return null;
        }
        return Math.round(p.atRisk() * (1 - p.surv()));
    }
}
