package org.iopoutcomes.cli.stats;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.iopoutcomes.input.InputRejectedException;

/** A whole RFC 4180 CSV file with a header row, held as strings (the stats inputs are small flat tables). */
public final class FlatCsv {
    private final String source;
    private final List<String> header;
    private final Map<String, Integer> columnIndex;
    private final List<List<String>> rows;

    private FlatCsv(String source, List<String> header, List<List<String>> rows) {
        this.source = source;
        this.header = List.copyOf(header);
        this.rows = rows;
        this.columnIndex = new HashMap<>();
        for (int i = 0; i < header.size(); i++) {
            columnIndex.putIfAbsent(header.get(i), i);
        }
    }

    public static FlatCsv read(Path file) {
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return parse(file.toString(), reader);
        } catch (IOException e) {
            throw new InputRejectedException(file + ": cannot be read (" + e.getMessage() + ")", e);
        }
    }

    static FlatCsv parse(String source, Reader reader) throws IOException {
        List<List<String>> records = new ArrayList<>();
        List<String> record = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean fieldStarted = false;
        int c = reader.read();
        if (c == 0xFEFF) {
            c = reader.read(); // byte-order mark
        }
        for (; c != -1; c = reader.read()) {
            char ch = (char) c;
            if (quoted) {
                if (ch == '"') {
                    reader.mark(1);
                    int next = reader.read();
                    if (next == '"') {
                        field.append('"');
                    } else {
                        quoted = false;
                        if (next != -1) {
                            reader.reset();
                        }
                    }
                } else {
                    field.append(ch);
                }
            } else if (ch == '"' && field.length() == 0) {
                quoted = true;
                fieldStarted = true;
            } else if (ch == ',') {
                record.add(field.toString());
                field.setLength(0);
                fieldStarted = true;
            } else if (ch == '\n' || ch == '\r') {
                if (ch == '\r') {
                    reader.mark(1);
                    if (reader.read() != '\n') {
                        reader.reset();
                    }
                }
                if (fieldStarted || field.length() > 0 || !record.isEmpty()) {
                    record.add(field.toString());
                    records.add(record);
                }
                record = new ArrayList<>();
                field.setLength(0);
                fieldStarted = false;
            } else {
                field.append(ch);
                fieldStarted = true;
            }
        }
        if (quoted) {
            throw new InputRejectedException(source + ": unterminated quoted field at the end of the file");
        }
        if (fieldStarted || field.length() > 0 || !record.isEmpty()) {
            record.add(field.toString());
            records.add(record);
        }
        if (records.isEmpty()) {
            throw new InputRejectedException(source + ": empty file, expected a header row");
        }
        List<String> header = records.remove(0);
        for (int i = 0; i < records.size(); i++) {
            if (records.get(i).size() != header.size()) {
                throw new InputRejectedException(source + ": row " + (i + 1) + " has " + records.get(i).size()
                        + " fields, the header has " + header.size());
            }
        }
        return new FlatCsv(source, header, records);
    }

    public String source() {
        return source;
    }

    public List<String> header() {
        return header;
    }

    public int size() {
        return rows.size();
    }

    public boolean hasColumn(String name) {
        return columnIndex.containsKey(name);
    }

    /** Index of a column, or -1. */
    public int indexOf(String name) {
        return columnIndex.getOrDefault(name, -1);
    }

    /** Raw value, trimmed; row is 0-based among data rows. */
    public String value(int row, int column) {
        return rows.get(row).get(column).trim();
    }

    public String value(int row, String column) {
        int index = indexOf(column);
        if (index < 0) {
            throw new IllegalArgumentException(source + " has no column " + column);
        }
        return value(row, index);
    }
}
