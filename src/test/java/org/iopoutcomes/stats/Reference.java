package org.iopoutcomes.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.iopoutcomes.cli.stats.FlatCsv;

/** The R reference files copied into test resources, and the comparison rule of the acceptance bar. */
public final class Reference {
    public static final double RELATIVE = 1e-6;
    public static final double ABSOLUTE_NEAR_ZERO = 1e-12;

    private Reference() {}

    public static Path path(String name) {
        try {
            var url = Reference.class.getResource("/reference/stats/" + name);
            if (url == null) {
                throw new IllegalStateException("missing test resource reference/stats/" + name);
            }
            return Paths.get(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Rows of a reference CSV as column -> raw text, in file order. */
    public static List<Map<String, String>> rows(String name) {
        FlatCsv csv = FlatCsv.read(path(name));
        List<Map<String, String>> rows = new ArrayList<>();
        for (int r = 0; r < csv.size(); r++) {
            Map<String, String> row = new LinkedHashMap<>();
            for (int c = 0; c < csv.header().size(); c++) {
                row.put(csv.header().get(c), csv.value(r, c));
            }
            rows.add(row);
        }
        return rows;
    }

    /** A data column as doubles (empty = NaN). */
    public static double[] column(String dataFile, String column) {
        FlatCsv csv = FlatCsv.read(path("data/" + dataFile));
        double[] values = new double[csv.size()];
        for (int r = 0; r < csv.size(); r++) {
            String text = csv.value(r, column);
            values[r] = text.isEmpty() ? Double.NaN : Double.parseDouble(text);
        }
        return values;
    }

    public static String[] textColumn(String dataFile, String column) {
        FlatCsv csv = FlatCsv.read(path("data/" + dataFile));
        String[] values = new String[csv.size()];
        for (int r = 0; r < csv.size(); r++) {
            values[r] = csv.value(r, column);
        }
        return values;
    }

    /**
     * Asserts a value equals R's: empty = NA, NaN/Infinity as words, otherwise within 1e-6 relative or 1e-12
     * absolute.
     */
    public static void assertMatches(String what, String expectedText, double actual) {
        if (expectedText.isEmpty()) {
            assertTrue(Na.isNa(actual), what + ": R gives NA, got " + actual);
            return;
        }
        double expected = Double.parseDouble(expectedText);
        if (Double.isNaN(expected)) {
            assertTrue(Double.isNaN(actual) && !Na.isNa(actual), what + ": R gives NaN, got " + describe(actual));
            return;
        }
        if (Double.isInfinite(expected)) {
            assertEquals(expected, actual, what);
            return;
        }
        double tolerance = Math.max(RELATIVE * Math.abs(expected), ABSOLUTE_NEAR_ZERO);
        if (!(Math.abs(actual - expected) <= tolerance)) {
            fail(what + ": expected " + expectedText + " got " + describe(actual) + " (relative difference "
                    + Math.abs(actual - expected) / Math.abs(expected) + ")");
        }
    }

    public static void assertMatches(Map<String, String> row, String column, double actual) {
        if (!row.containsKey(column)) {
            fail("reference has no column " + column);
        }
        assertMatches(column, row.get(column), actual);
    }

    private static String describe(double value) {
        return Na.isNa(value) ? "NA" : Double.toString(value);
    }
}
