package org.iopoutcomes.input;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_csv;
import static org.apache.spark.sql.functions.to_json;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Reads an input table with an explicit all-string schema (no inference), so that every value reaches
 * validation as written. Refuses, before any row is read, a file without the contract's columns, a column
 * named like a direct identifier, and a file that cannot be parsed at all.
 */
public final class TableReader {
    /** The row as text: the CSV line's fields, or the Parquet row as JSON. */
    public static final String RAW_TEXT = "_raw_text";
    /** True when a CSV line did not split into the header's columns. */
    public static final String MALFORMED = "_malformed";
    private static final String CORRUPT = "_corrupt_record";

    private TableReader() {}

    public static RawTable read(SparkSession spark, TableSource source) {
        String file = source.path().toString();
        List<String> columns;
        Dataset<Row> rows;
        try {
            if (source.format() == InputFormat.CSV) {
                columns = csvHeader(spark, file);
                checkColumns(source, columns);
                rows = readCsv(spark, file, columns);
            } else {
                Dataset<Row> parquet = spark.read().parquet(file);
                columns = Arrays.asList(parquet.columns());
                checkColumns(source, columns);
                rows = parquetAsStrings(parquet);
            }
        } catch (InputRejectedException e) {
            throw e;
        } catch (Exception e) { // Spark throws its checked SparkException undeclared
            throw new InputRejectedException(file + ": cannot be read as " + source.format().label() + " ("
                    + firstLine(e) + "); expected " + expectation(source), e);
        }
        return new RawTable(source, columns, rows);
    }

    static String expectation(TableSource source) {
        return source.format() == InputFormat.CSV
                ? "UTF-8 CSV (RFC 4180) with a header row"
                : "a Parquet file or a directory of Parquet files";
    }

    static String firstLine(Throwable e) {
        String message = String.valueOf(e.getMessage());
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    /** The header line, read as written: Spark would rename a repeated column instead of refusing it. */
    private static List<String> csvHeader(SparkSession spark, String file) {
        org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(file);
        String line;
        try (java.io.BufferedReader reader = new java.io.BufferedReader(new java.io.InputStreamReader(
                path.getFileSystem(spark.sparkContext().hadoopConfiguration()).open(path),
                java.nio.charset.StandardCharsets.UTF_8))) {
            line = reader.readLine();
        } catch (java.io.IOException e) {
            throw new InputRejectedException(file + ": cannot be read (" + e.getMessage() + ")", e);
        }
        if (line == null || line.replace("\uFEFF", "").isBlank()) {
            throw new InputRejectedException(file + ": the file is empty or has no header row; expected a header "
                    + "row naming the columns (" + String.join(",", columnsOfFile(file)) + ")");
        }
        return splitHeader(line.replace("\uFEFF", ""));
    }

    /** Splits a CSV header line on commas outside double quotes (RFC 4180 quoting). */
    static List<String> splitHeader(String line) {
        List<String> columns = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') {
                if (quoted && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    current.append('"');
                    i++;
                } else {
                    quoted = !quoted;
                }
            } else if (c == ',' && !quoted) {
                columns.add(current.toString().trim());
                current.setLength(0);
            } else if (c != '\r') {
                current.append(c);
            }
        }
        columns.add(current.toString().trim());
        return columns;
    }

    private static List<String> columnsOfFile(String file) {
        String name = new org.apache.hadoop.fs.Path(file).getName().replaceFirst("\\.csv$", "");
        return Schemas.byName(name).map(TableSpec::columnNames).orElse(List.of());
    }

    static void checkColumns(TableSource source, List<String> columns) {
        String file = source.path().toString();
        IdentifierGuard.check(file, columns);
        Set<String> seen = new HashSet<>();
        for (String column : columns) {
            if (!seen.add(column)) {
                throw new InputRejectedException(file + ": column '" + column + "' appears twice in the header; "
                        + "expected each column once");
            }
            if (column.isEmpty() || column.startsWith("_")) {
                throw new InputRejectedException(file + ": column '" + column + "' has an empty name or starts "
                        + "with '_'; expected named columns");
            }
        }
        for (String required : source.spec().columnNames()) {
            if (!columns.contains(required)) {
                throw new InputRejectedException(file + ": column '" + required + "' is missing; expected the "
                        + source.spec().name() + " columns " + source.spec().columnNames());
            }
        }
    }

    private static Dataset<Row> readCsv(SparkSession spark, String file, List<String> columns) {
        List<StructField> fields = new ArrayList<>();
        for (String column : columns) {
            fields.add(DataTypes.createStructField(column, DataTypes.StringType, true));
        }
        fields.add(DataTypes.createStructField(CORRUPT, DataTypes.StringType, true));
        StructType schema = DataTypes.createStructType(fields);
        Dataset<Row> rows = spark.read()
                .schema(schema)
                .options(Map.of(
                        "header", "true",
                        "enforceSchema", "true",
                        "encoding", "UTF-8",
                        "mode", "PERMISSIVE",
                        "columnNameOfCorruptRecord", CORRUPT,
                        // Whitespace around a value is an error for nobody: trim it here, once.
                        "ignoreLeadingWhiteSpace", "true",
                        "ignoreTrailingWhiteSpace", "true"))
                .csv(file);
        Column[] values = columns.stream().map(c -> col(quote(c))).toArray(Column[]::new);
        Column rawText = org.apache.spark.sql.functions.coalesce(col(CORRUPT), to_csv(struct(values)));
        List<Column> out = new ArrayList<>(Arrays.asList(values));
        out.add(rawText.as(RAW_TEXT));
        out.add(col(CORRUPT).isNotNull().as(MALFORMED));
        return rows.select(out.toArray(Column[]::new));
    }

    private static Dataset<Row> parquetAsStrings(Dataset<Row> parquet) {
        List<Column> out = new ArrayList<>();
        for (String column : parquet.columns()) {
            out.add(col(quote(column)).cast(DataTypes.StringType).as(column));
        }
        out.add(to_json(struct(Arrays.stream(parquet.columns()).map(c -> col(quote(c))).toArray(Column[]::new)))
                .as(RAW_TEXT));
        out.add(lit(false).as(MALFORMED));
        return parquet.select(out.toArray(Column[]::new));
    }

    /** Backticks, so a column name with a dot or a space is taken literally. */
    public static String quote(String column) {
        return "`" + column.replace("`", "``") + "`";
    }
}
