package org.iopoutcomes.stats;

import java.util.Locale;

/** Approximation of the partial likelihood for tied event times. */
public enum CoxTies {
    /** Efron's approximation: R coxph's default. */
    EFRON,
    BRESLOW;

    public static CoxTies parse(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "efron" -> EFRON;
            case "breslow" -> BRESLOW;
            default -> throw new IllegalArgumentException("unknown ties method '" + text + "': expected efron or breslow");
        };
    }
}
