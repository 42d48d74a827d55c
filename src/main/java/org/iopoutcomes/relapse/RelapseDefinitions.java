package org.iopoutcomes.relapse;

import static org.iopoutcomes.relapse.WeekState.BOTH;
import static org.iopoutcomes.relapse.WeekState.MISSING;
import static org.iopoutcomes.relapse.WeekState.POSITIVE;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The built-in definitions, with the rules CTNote applies to the CTN-0094 data, and the parser of the compact
 * text form for user definitions (docs/relapse.md).
 *
 * <p>Text form: {@code name:key=value,key=value,...}. Keys: {@code window} and {@code threshold} (a window
 * definition), or {@code pattern} (a flag definition: a run of + - * o); {@code start} (first week, default 1);
 * {@code o} and {@code *} (what those weeks become: one of + - * o; default unchanged); {@code count} (the week
 * state a window counts, default +); {@code offset} (where in the window the event time falls, default
 * window - threshold). A built-in name alone stands for the built-in definition.
 */
public final class RelapseDefinitions {
    private RelapseDefinitions() {}

    /** CTNote ctnNinetyFour_2023: 4 consecutive positive weeks; o and * count as positive. */
    public static final RelapseDefinition CTN0094_RELAPSE =
            RelapseDefinition.window("ctn0094_relapse", 4, 4, 1, POSITIVE, POSITIVE, POSITIVE);
    /** CTNote ctnNinetyFour_2023 dropout: 4 consecutive missing weeks; nothing recoded. */
    public static final RelapseDefinition CTN0094_DROPOUT =
            RelapseDefinition.window("ctn0094_dropout", 4, 4, 1, MISSING, MISSING, BOTH);
    /** Lee et al. 2016: 2 or more positive weeks in a 4-week window; o and * as positive. */
    public static final RelapseDefinition LEE2016 =
            RelapseDefinition.window("lee2016", 4, 2, 1, POSITIVE, POSITIVE, POSITIVE);
    /** Lee et al. 2018 (CTN-0051): 4 of 4 positive weeks from week 3; o and * as positive. */
    public static final RelapseDefinition LEE2018 =
            RelapseDefinition.window("lee2018", 4, 4, 3, POSITIVE, POSITIVE, POSITIVE);
    /** Schottenfeld et al. 2008: 3 consecutive positive weeks; o and * as positive. */
    public static final RelapseDefinition SCHOTTENFELD2008 =
            RelapseDefinition.window("schottenfeld2008", 3, 3, 1, POSITIVE, POSITIVE, POSITIVE);
    /** Johnson et al. 1992: two consecutive positive weeks anywhere from week 4; o and * as positive. */
    public static final RelapseDefinition JOHNSON1992 =
            RelapseDefinition.subpattern("johnson1992", "++", 4, POSITIVE, POSITIVE);
    /** Krupitsky et al. 2004: three consecutive positive weeks anywhere; o and * as positive. */
    public static final RelapseDefinition KRUPITSKY2004 =
            RelapseDefinition.subpattern("krupitsky2004", "+++", 1, POSITIVE, POSITIVE);

    public static final List<RelapseDefinition> BUILT_IN = List.of(CTN0094_RELAPSE, CTN0094_DROPOUT, LEE2016, LEE2018,
            SCHOTTENFELD2008, JOHNSON1992, KRUPITSKY2004);

    private static final Set<String> KEYS = Set.of("window", "threshold", "pattern", "start", "o", "*", "count",
            "offset");

    public static Optional<RelapseDefinition> builtIn(String name) {
        return BUILT_IN.stream().filter(d -> d.name().equals(name)).findFirst();
    }

    /** One definition: a built-in name, or {@code name:key=value,...}. */
    public static RelapseDefinition parse(String text) {
        String trimmed = text == null ? "" : text.strip();
        int colon = trimmed.indexOf(':');
        if (colon < 0) {
            return builtIn(trimmed).orElseThrow(() -> new IllegalArgumentException("relapse definition '" + trimmed
                    + "': not a built-in name (" + String.join(", ", BUILT_IN.stream().map(RelapseDefinition::name)
                    .toList()) + ") and not of the form name:window=W,threshold=K,... or name:pattern=P,..."));
        }
        String name = trimmed.substring(0, colon).strip();
        if (builtIn(name).isPresent()) {
            throw new IllegalArgumentException("relapse definition '" + trimmed + "': '" + name
                    + "' is a built-in name; give your definition another name");
        }
        Map<String, String> settings = settings(trimmed, trimmed.substring(colon + 1));
        String where = "relapse definition '" + trimmed + "': ";
        int start = intSetting(settings, "start", 1, where);
        WeekState missingAs = stateSetting(settings, "o", MISSING, where);
        WeekState bothAs = stateSetting(settings, "*", BOTH, where);
        try {
            if (settings.containsKey("pattern")) {
                for (String windowKey : List.of("window", "threshold", "count", "offset")) {
                    if (settings.containsKey(windowKey)) {
                        throw new IllegalArgumentException(where + "'" + windowKey
                                + "' belongs to a window definition, not to a pattern definition");
                    }
                }
                return RelapseDefinition.subpattern(name, settings.get("pattern"), start, missingAs, bothAs);
            }
            if (!settings.containsKey("window") || !settings.containsKey("threshold")) {
                throw new IllegalArgumentException(where + "give window=W and threshold=K, or pattern=P");
            }
            int window = intSetting(settings, "window", 0, where);
            int threshold = intSetting(settings, "threshold", 0, where);
            RelapseDefinition definition = RelapseDefinition.window(name, window, threshold, start,
                    stateSetting(settings, "count", POSITIVE, where), missingAs, bothAs);
            return settings.containsKey("offset")
                    ? definition.withEventOffset(intSetting(settings, "offset", 0, where)) : definition;
        } catch (IllegalArgumentException e) {
            throw e.getMessage().startsWith(where) ? e : new IllegalArgumentException(where + e.getMessage(), e);
        }
    }

    /** Several definitions separated by ';' (a comma already separates the settings of one), names unique. */
    public static List<RelapseDefinition> parseAll(String text) {
        List<RelapseDefinition> definitions = new ArrayList<>();
        for (String part : text.split(";")) {
            if (part.isBlank()) {
                continue;
            }
            RelapseDefinition definition = parse(part);
            if (definitions.stream().anyMatch(d -> d.name().equals(definition.name()))) {
                throw new IllegalArgumentException("relapse definition '" + definition.name() + "' is given twice");
            }
            definitions.add(definition);
        }
        return List.copyOf(definitions);
    }

    private static Map<String, String> settings(String whole, String body) {
        Map<String, String> settings = new LinkedHashMap<>();
        for (String pair : body.split(",")) {
            int equals = pair.indexOf('=');
            String key = equals < 0 ? pair.strip() : pair.substring(0, equals).strip();
            if (equals < 0 || !KEYS.contains(key)) {
                throw new IllegalArgumentException("relapse definition '" + whole + "': '" + pair.strip()
                        + "' is not a setting; expected key=value with a key among window, threshold, pattern,"
                        + " start, o, *, count, offset");
            }
            if (settings.put(key, pair.substring(equals + 1).strip()) != null) {
                throw new IllegalArgumentException("relapse definition '" + whole + "': '" + key + "' given twice");
            }
        }
        return settings;
    }

    private static int intSetting(Map<String, String> settings, String key, int fallback, String where) {
        String value = settings.get(key);
        if (value == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(where + key + "='" + value + "' is not a whole number", e);
        }
    }

    private static WeekState stateSetting(Map<String, String> settings, String key, WeekState fallback, String where) {
        String value = settings.get(key);
        if (value == null) {
            return fallback;
        }
        if (value.length() != 1 || "+-*o".indexOf(value.charAt(0)) < 0) {
            throw new IllegalArgumentException(where + key + "='" + value + "': expected one of + - * o");
        }
        return WeekState.fromSymbol(value.charAt(0));
    }
}
