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
        } catch (RuntimeException e) {
            throw new InputRejectedException(file + ": cannot be read as " + source.format().label() + " ("
                    + firstLine(e) + "); expected " + expectation(source), e);
        }
        return new RawTable(source, columns, rows);
    }

    private static String expectation(TableSource source) {
        return source.format() == InputFormat.CSV
                ? "UTF-8 CSV (RFC 4180) with a header row"
                : "a Parquet file or a directory of Parquet files";
    }

    private static String firstLine(Throwable e) {
        String message = String.valueOf(e.getMessage());
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    private static List<String> csvHeader(SparkSession spark, String file) {
        // Reading the header alone: Spark parses the first line only when the schema is not inferred.
        String[] header = spark.read().option("header", "true").option("inferSchema", "false")
                .option("encoding", "UTF-8").csv(file).columns();
        List<String> columns = new ArrayList<>();
        for (String column : header) {
            columns.add(column.replace("\uFEFF", "").trim());
        }
        if (columns.isEmpty() || (columns.size() == 1 && columns.get(0).isEmpty())) {
            throw new InputRejectedException(file + ": the file is empty or has no header row; expected a header "
                    + "row naming the columns (" + String.join(",", columnsOfFile(file)) + ")");
        }
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
