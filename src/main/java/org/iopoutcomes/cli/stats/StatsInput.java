package org.iopoutcomes.cli.stats;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.iopoutcomes.cli.BadSettingsException;
import org.iopoutcomes.input.InputRejectedException;

/**
 * The flat CSV of a stats analysis, restricted to the rows with a value in every used column. Rows with an empty
 * used value are left out and counted; a non-numeric value, an event/outcome that is not 0/1 or a competing-risks
 * status that is not a whole number &gt;= 0 rejects the input,
 * naming the file, column, value and row (data rows count from 1, the header is line 1).
 */
public final class StatsInput {
    private final FlatCsv csv;
    private final String fileName;
    private final int[] keptRows;
    private final int excludedMissing;
    private final List<String> usedColumns;

    private StatsInput(FlatCsv csv, String fileName, int[] keptRows, int excludedMissing, List<String> usedColumns) {
        this.csv = csv;
        this.fileName = fileName;
        this.keptRows = keptRows;
        this.excludedMissing = excludedMissing;
        this.usedColumns = usedColumns;
    }

    /**
     * @param columns option name -> column name, for every column the analysis uses (options appear in messages)
     */
    public static StatsInput open(Path file, List<String[]> columns) {
        if (!Files.isRegularFile(file)) {
            throw BadSettingsException.of("--input", file, "no such file");
        }
        FlatCsv csv = FlatCsv.read(file);
        Set<String> used = new LinkedHashSet<>();
        for (String[] optionAndColumn : columns) {
            if (!csv.hasColumn(optionAndColumn[1])) {
                throw BadSettingsException.of(optionAndColumn[0], optionAndColumn[1],
                        "no such column in " + file + " (columns: " + String.join(", ", csv.header()) + ")");
            }
            used.add(optionAndColumn[1]);
        }
        List<Integer> kept = new ArrayList<>();
        int excluded = 0;
        for (int r = 0; r < csv.size(); r++) {
            boolean complete = true;
            for (String column : used) {
                if (csv.value(r, column).isEmpty()) {
                    complete = false;
                    break;
                }
            }
            if (complete) {
                kept.add(r);
            } else {
                excluded++;
            }
        }
        String name = file.getFileName().toString();
        return new StatsInput(csv, name, kept.stream().mapToInt(Integer::intValue).toArray(), excluded,
                List.copyOf(used));
    }

    /** The data set label written in the outputs: the file name without .csv. */
    public String dataset() {
        return fileName.endsWith(".csv") ? fileName.substring(0, fileName.length() - 4) : fileName;
    }

    public int size() {
        return keptRows.length;
    }

    public int excludedMissing() {
        return excludedMissing;
    }

    public List<String> usedColumns() {
        return usedColumns;
    }

    public double[] numeric(String column) {
        double[] values = new double[keptRows.length];
        for (int k = 0; k < keptRows.length; k++) {
            String text = csv.value(keptRows[k], column);
            try {
                values[k] = Double.parseDouble(text);
            } catch (NumberFormatException e) {
                throw reject(column, keptRows[k], text, "is not a number");
            }
            if (!Double.isFinite(values[k])) {
                throw reject(column, keptRows[k], text, "is not a finite number");
            }
        }
        return values;
    }

    /** A 0/1 column (event or outcome). */
    public int[] binary(String column) {
        int[] values = new int[keptRows.length];
        for (int k = 0; k < keptRows.length; k++) {
            String text = csv.value(keptRows[k], column);
            double value;
            try {
                value = Double.parseDouble(text);
            } catch (NumberFormatException e) {
                throw reject(column, keptRows[k], text, "is not 0 or 1");
            }
            if (value != 0 && value != 1) {
                throw reject(column, keptRows[k], text, "is not 0 or 1");
            }
            values[k] = (int) value;
        }
        return values;
    }

    /** A numeric column whose values must be 0 or more (competing-risks times: R's curves start at 0). */
    public double[] nonNegative(String column) {
        double[] values = numeric(column);
        for (int k = 0; k < keptRows.length; k++) {
            if (values[k] < 0) {
                throw reject(column, keptRows[k], csv.value(keptRows[k], column), "is negative (times must be >= 0)");
            }
        }
        return values;
    }

    /**
     * A competing-risks status column: a whole number &gt;= 0, 0 = censored, any other value = the state entered
     * (as R's factor(status) with 0 its first level; "2.0" reads as 2).
     */
    public int[] status(String column) {
        int[] values = new int[keptRows.length];
        for (int k = 0; k < keptRows.length; k++) {
            String text = csv.value(keptRows[k], column);
            double value;
            try {
                value = Double.parseDouble(text);
            } catch (NumberFormatException e) {
                value = Double.NaN;
            }
            if (!(value >= 0 && value <= Integer.MAX_VALUE && value == Math.rint(value))) {
                throw reject(column, keptRows[k], text,
                        "is not a whole number >= 0 (0 = censored, 1, 2, ... = the competing states)");
            }
            values[k] = (int) value;
        }
        return values;
    }

    public String[] text(String column) {
        String[] values = new String[keptRows.length];
        for (int k = 0; k < keptRows.length; k++) {
            values[k] = csv.value(keptRows[k], column);
        }
        return values;
    }

    private InputRejectedException reject(String column, int row, String value, String problem) {
        return new InputRejectedException(csv.source() + ": column '" + column + "', data row " + (row + 1)
                + " (line " + (row + 2) + "): value '" + value + "' " + problem);
    }
}
