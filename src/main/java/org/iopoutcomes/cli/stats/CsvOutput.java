package org.iopoutcomes.cli.stats;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.iopoutcomes.stats.Na;

/**
 * Writes a result CSV like the R reference: NA as an empty field, NaN / Infinity / -Infinity as words, whole-number
 * doubles without a decimal point, other doubles with Double.toString (shortest text that reads back the same double).
 */
public final class CsvOutput {
    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();

    public CsvOutput(List<String> header) {
        this.header = List.copyOf(header);
    }

    public CsvOutput row(Object... values) {
        if (values.length != header.size()) {
            throw new IllegalArgumentException(values.length + " values for " + header.size() + " columns");
        }
        List<String> row = new ArrayList<>(values.length);
        for (Object value : values) {
            row.add(format(value));
        }
        rows.add(row);
        return this;
    }

    public int size() {
        return rows.size();
    }

    public static String format(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof Double d) {
            return formatDouble(d);
        }
        if (value instanceof Float f) {
            return formatDouble(f.doubleValue());
        }
        if (value instanceof Boolean b) {
            return b ? "1" : "0";
        }
        return quote(value.toString());
    }

    static String formatDouble(double value) {
        if (Na.isNa(value)) {
            return "";
        }
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "Infinity" : "-Infinity";
        }
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        return Double.toString(value);
    }

    private static String quote(String text) {
        if (text.contains(",") || text.contains("\"") || text.contains("\n") || text.contains("\r")) {
            return "\"" + text.replace("\"", "\"\"") + "\"";
        }
        return text;
    }

    public void write(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            try (Writer writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                writer.write(String.join(",", header.stream().map(CsvOutput::quote).toList()));
                writer.write('\n');
                for (List<String> row : rows) {
                    writer.write(String.join(",", row));
                    writer.write('\n');
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
