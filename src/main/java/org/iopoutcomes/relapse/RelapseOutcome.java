package org.iopoutcomes.relapse;

import java.io.Serializable;

/**
 * A definition's answer for one lattice: the time in weeks on the admission clock and whether the event
 * happened. Both are null where CTNote gives NA (a window definition on a lattice shorter than its window);
 * a flag definition has no time, only the event.
 */
public record RelapseOutcome(Integer timeWeeks, Boolean event) implements Serializable {
    private static final RelapseOutcome NOT_AVAILABLE = new RelapseOutcome(null, null);

    public static RelapseOutcome notAvailable() {
        return NOT_AVAILABLE;
    }

    public static RelapseOutcome timed(int timeWeeks, boolean event) {
        return new RelapseOutcome(timeWeeks, event);
    }

    public static RelapseOutcome flag(boolean event) {
        return new RelapseOutcome(null, event);
    }

    public boolean available() {
        return event != null;
    }
}
