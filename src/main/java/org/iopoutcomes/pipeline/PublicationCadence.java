package org.iopoutcomes.pipeline;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * How often the published tree may change (issue 13). Two nights' published outputs differenced give one day's
 * admissions and relapses, counts of 1 to 10 people that small-cell suppression hides in each run on its own;
 * so by default the published tree changes once a month and is carried over unchanged in between. The
 * restricted tree is written every night whatever the cadence.
 */
public enum PublicationCadence {
    /** The first run of each calendar month (of the data cut) publishes; a rerun of that data cut republishes it. */
    MONTHLY,
    /** Every run publishes (the behaviour before the cadence existed). */
    NIGHTLY;

    public static final PublicationCadence DEFAULT = MONTHLY;

    /** The option's value: {@code monthly} or {@code nightly}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The cadence named by an option value, if any. */
    public static Optional<PublicationCadence> parse(String value) {
        return Arrays.stream(values()).filter(c -> c.label().equals(value)).findFirst();
    }

    /** The option values, for messages and help: {@code monthly, nightly}. */
    public static String labels() {
        return String.join(", ", Arrays.stream(values()).map(PublicationCadence::label).toList());
    }
}
