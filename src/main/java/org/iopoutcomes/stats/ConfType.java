package org.iopoutcomes.stats;

/** Pointwise confidence interval type for a survival curve, as R survfit's conf.type. */
public enum ConfType {
    /** exp(log S +- z se), upper limit capped at 1: R's default. */
    LOG("log"),
    /** S^exp(+-z se/|log S|); undefined (NA) where S is 0 or 1. */
    LOG_LOG("log-log"),
    /** S +- z se(S), clipped to [0, 1]. */
    PLAIN("plain");

    private final String rName;

    ConfType(String rName) {
        this.rName = rName;
    }

    public String rName() {
        return rName;
    }

    public static ConfType fromRName(String name) {
        for (ConfType type : values()) {
            if (type.rName.equals(name)) {
                return type;
            }
        }
        throw new IllegalArgumentException("unknown conf.type '" + name + "': expected log, log-log or plain");
    }
}
