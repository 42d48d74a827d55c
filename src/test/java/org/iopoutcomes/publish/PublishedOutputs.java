package org.iopoutcomes.publish;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What an outsider can read of one run: the published folder {@code published/run_date=D/} only (its CSV tables,
 * {@code manifest.json}, {@code summary.json} and {@code report.html}), never the restricted tree. Plain Java, no
 * Spark: an attacker needs nothing but the files.
 */
public final class PublishedOutputs {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path folder;
    private final Map<String, Table> tables;
    private final JsonNode manifest;
    private final JsonNode summary;
    private final String report;

    private PublishedOutputs(Path folder, Map<String, Table> tables, JsonNode manifest, JsonNode summary,
                             String report) {
        this.folder = folder;
        this.tables = tables;
        this.manifest = manifest;
        this.summary = summary;
        this.report = report;
    }

    /** Reads a published run folder ({@code .../published/run_date=D}). */
    public static PublishedOutputs read(Path folder) {
        if (folder.toString().contains("restricted")) {
            throw new IllegalArgumentException("the attacker reads the published tree only: " + folder);
        }
        Map<String, Table> tables = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path csv : files.filter(p -> p.getFileName().toString().endsWith(".csv")).sorted().toList()) {
                String name = csv.getFileName().toString().replaceFirst("\\.csv$", "");
                tables.put(name, Table.parse(name, Files.readString(csv, StandardCharsets.UTF_8)));
            }
            Path manifest = folder.resolve("manifest.json");
            Path summary = folder.resolve("summary.json");
            Path report = folder.resolve("report.html");
            return new PublishedOutputs(folder, tables,
                    Files.exists(manifest) ? JSON.readTree(manifest.toFile()) : JSON.createObjectNode(),
                    Files.exists(summary) ? JSON.readTree(summary.toFile()) : JSON.createObjectNode(),
                    Files.exists(report) ? Files.readString(report, StandardCharsets.UTF_8) : "");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path folder() {
        return folder;
    }

    /** A table by name; an empty table when the run did not publish it. */
    public Table table(String name) {
        return tables.getOrDefault(name, new Table(name, List.of(), List.of()));
    }

    public Map<String, Table> tables() {
        return Collections.unmodifiableMap(tables);
    }

    public JsonNode manifest() {
        return manifest;
    }

    public JsonNode summary() {
        return summary;
    }

    public String report() {
        return report;
    }

    /** The settings of the run as manifest.json publishes them (threshold, horizons, levels of care, ...). */
    public JsonNode settings() {
        return manifest.path("settings");
    }

    /** The suppression threshold the run used (published in manifest.json and summary.json), default 11. */
    public int threshold() {
        JsonNode t = settings().path("suppression_threshold");
        if (t.isMissingNode() || t.isNull()) {
            t = summary.path("suppression_threshold");
        }
        return t.isMissingNode() || t.isNull() ? 11 : t.asInt();
    }

    /** One published CSV: header and rows, each cell as text ("" = empty, i.e. hidden or not applicable). */
    public record Table(String name, List<String> header, List<Row> rows) {
        static Table parse(String name, String text) {
            List<List<String>> records = Csv.parse(text);
            if (records.isEmpty()) {
                return new Table(name, List.of(), List.of());
            }
            List<String> header = records.get(0);
            Map<String, Integer> index = new LinkedHashMap<>();
            for (int i = 0; i < header.size(); i++) {
                index.put(header.get(i), i);
            }
            List<Row> rows = new ArrayList<>();
            for (int r = 1; r < records.size(); r++) {
                rows.add(new Row(name, r - 1, index, records.get(r)));
            }
            return new Table(name, List.copyOf(header), List.copyOf(rows));
        }

        public boolean has(String column) {
            return header.contains(column);
        }
    }

    /** One row of a published table. */
    public static final class Row {
        private final String table;
        private final int number;
        private final Map<String, Integer> index;
        private final List<String> values;

        Row(String table, int number, Map<String, Integer> index, List<String> values) {
            this.table = table;
            this.number = number;
            this.index = index;
            this.values = values;
        }

        public String table() {
            return table;
        }

        /** Position in the file (0 = first data row). */
        public int number() {
            return number;
        }

        public boolean has(String column) {
            return index.containsKey(column);
        }

        /** The cell as text; "" when empty or when the table has no such column. */
        public String text(String column) {
            Integer i = index.get(column);
            return i == null || i >= values.size() ? "" : values.get(i);
        }

        public boolean isEmpty(String column) {
            return text(column).isEmpty();
        }

        /** A count cell: null when empty or not a number (a label such as "fewer than 11" hides it too). */
        public Long count(String column) {
            Double d = number(column);
            return d == null ? null : Math.round(d);
        }

        /** A number cell: null when empty or not a number. */
        public Double number(String column) {
            String t = text(column).trim();
            if (t.isEmpty()) {
                return null;
            }
            try {
                return Double.valueOf(t);
            } catch (NumberFormatException e) {
                return null;
            }
        }

        public int integer(String column) {
            return Integer.parseInt(text(column));
        }

        public Boolean flag(String column) {
            String t = text(column);
            return t.isEmpty() ? null : Boolean.valueOf(t);
        }

        /** The values of the named columns joined with '|': a readable row key. */
        public String key(List<String> columns) {
            StringBuilder b = new StringBuilder();
            for (String c : columns) {
                if (b.length() > 0) {
                    b.append('|');
                }
                b.append(text(c));
            }
            return b.toString();
        }

        @Override
        public String toString() {
            return table + "#" + number + values;
        }
    }

    /** RFC 4180 CSV as Spark writes it (quote '"', escape '\' or a doubled quote). */
    static final class Csv {
        private Csv() {}

        static List<List<String>> parse(String text) {
            List<List<String>> records = new ArrayList<>();
            List<String> record = new ArrayList<>();
            StringBuilder cell = new StringBuilder();
            boolean quoted = false;
            boolean any = false;
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (quoted) {
                    if (c == '\\' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                        cell.append('"');
                        i++;
                    } else if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                        cell.append('"');
                        i++;
                    } else if (c == '"') {
                        quoted = false;
                    } else {
                        cell.append(c);
                    }
                    continue;
                }
                if (c == '"') {
                    quoted = true;
                    any = true;
                } else if (c == ',') {
                    record.add(cell.toString());
                    cell.setLength(0);
                    any = true;
                } else if (c == '\n' || c == '\r') {
                    if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                        i++;
                    }
                    if (any || cell.length() > 0) {
                        record.add(cell.toString());
                        records.add(record);
                    }
                    record = new ArrayList<>();
                    cell.setLength(0);
                    any = false;
                } else {
                    cell.append(c);
                    any = true;
                }
            }
            if (any || cell.length() > 0) {
                record.add(cell.toString());
                records.add(record);
            }
            return records;
        }
    }
}
