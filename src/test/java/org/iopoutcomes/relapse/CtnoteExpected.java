package org.iopoutcomes.relapse;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * CTNote's outcomes for the CTN-0094 patterns (src/test/resources/real/ctn0094/expected_relapse.csv), and which
 * of its columns each built-in definition must reproduce.
 */
final class CtnoteExpected {
    static final String RESOURCE = "/real/ctn0094/expected_relapse.csv";
    static final int PARTICIPANTS = 3560;

    /** Built-in definition -> {time column, event column}; a flag definition has no time column. */
    static final Map<String, String[]> COLUMNS = new LinkedHashMap<>();

    static {
        COLUMNS.put("ctn0094_relapse", new String[] {"RsT_ctnNinetyFour_2023", "RsE_ctnNinetyFour_2023"});
        COLUMNS.put("ctn0094_dropout", new String[] {"DrT_ctnNinetyFour_2023", "DrE_ctnNinetyFour_2023"});
        COLUMNS.put("lee2016", new String[] {"RsT_lee_2016", "RsE_lee_2016"});
        COLUMNS.put("lee2018", new String[] {"RsT_ctnFiftyOne_2018", "RsE_ctnFiftyOne_2018"});
        COLUMNS.put("schottenfeld2008", new String[] {"RsT_schottenfeld_2008", "RsE_schottenfeld_2008"});
        COLUMNS.put("johnson1992", new String[] {null, "Rs_johnson_1992"});
        COLUMNS.put("krupitsky2004", new String[] {null, "Rs_krupitsky_2004"});
    }

    /** One row of the file: the episode, its pattern and CTNote's value (text) per column. */
    record Row(String episodeId, String pattern, Map<String, String> values) {
        /** CTNote's answer for a definition, in the engine's terms (NA = nulls). */
        RelapseOutcome expected(String definition) {
            String[] columns = COLUMNS.get(definition);
            Integer time = columns[0] == null ? null : integerOrNull(values.get(columns[0]));
            Boolean event = booleanOrNull(values.get(columns[1]));
            return new RelapseOutcome(time, event);
        }
    }

    private CtnoteExpected() {}

    static List<Row> rows() {
        InputStream in = CtnoteExpected.class.getResourceAsStream(RESOURCE);
        if (in == null) {
            throw new IllegalStateException(RESOURCE + " is not on the test classpath");
        }
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            List<String> header = Arrays.asList(reader.readLine().split(","));
            List<Row> rows = new ArrayList<>();
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                // No field holds a comma or a quote: ids, patterns of + - * o _, numbers, TRUE/FALSE/NA.
                String[] fields = line.split(",", -1);
                if (fields.length != header.size()) {
                    throw new IllegalStateException(RESOURCE + ": line '" + line + "' has " + fields.length
                            + " fields, the header " + header.size());
                }
                Map<String, String> values = new LinkedHashMap<>();
                for (int i = 0; i < fields.length; i++) {
                    values.put(header.get(i), fields[i]);
                }
                rows.add(new Row(fields[0], values.get("usePatternUDS"), values));
            }
            return rows;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Integer integerOrNull(String text) {
        return text.equals("NA") || text.isEmpty() ? null : Integer.valueOf(text);
    }

    private static Boolean booleanOrNull(String text) {
        return switch (text) {
            case "1", "TRUE" -> true;
            case "0", "FALSE" -> false;
            case "NA", "" -> null;
            default -> throw new IllegalStateException("not an event value: '" + text + "'");
        };
    }
}
