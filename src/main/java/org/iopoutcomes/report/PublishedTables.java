package org.iopoutcomes.report;

import static org.apache.spark.sql.functions.col;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The published tables the report is drawn from, read back from the (staging) published folder after they were
 * written, so the report shows exactly what was published, suppression included. Only the overall and
 * program_id strata are read; each is an aggregate bounded by programs times the horizons or the weekly grid.
 * The internal page reads the same tables, unsuppressed, from the restricted tree's internal folder.
 *
 * @param continuityEffect empty when the run wrote no continuity_effect table
 * @param doseResponse     empty when the run wrote no dose_response table
 */
public record PublishedTables(Table retentionSummary, Table retentionCurve, Table relapseSummary, Table relapseCurve,
                              Table dataQuality, Optional<Table> continuityEffect, Optional<Table> doseResponse,
                              Optional<Table> pointPrevalence) {

    /** Tables of a run without point_prevalence (written since 2026-12). */
    public PublishedTables(Table retentionSummary, Table retentionCurve, Table relapseSummary, Table relapseCurve,
                           Table dataQuality, Optional<Table> continuityEffect, Optional<Table> doseResponse) {
        this(retentionSummary, retentionCurve, relapseSummary, relapseCurve, dataQuality, continuityEffect,
                doseResponse, Optional.empty());
    }

    static final List<String> REPORT_STRATA = List.of("overall", "program_id");

    public static PublishedTables read(SparkSession spark, Path dir) {
        return new PublishedTables(
                required(spark, dir, "retention_summary", List.of("stratum", "stratum_value", "horizon_days")),
                required(spark, dir, "retention_curve", List.of("stratum", "stratum_value", "day")),
                required(spark, dir, "relapse_summary",
                        List.of("stratum", "stratum_value", "clock", "definition", "horizon_days")),
                required(spark, dir, "relapse_curve", List.of("stratum", "stratum_value", "clock", "definition", "day")),
                readAll(spark, dir, "data_quality", List.of("table_name", "metric", "reason")),
                optional(spark, dir, "continuity_effect", List.of("stratum", "stratum_value", "exposure",
                        "horizon_days")),
                optional(spark, dir, "dose_response", List.of("stratum", "stratum_value", "dimension", "horizon_days",
                        "level_order")),
                optional(spark, dir, "point_prevalence", List.of("stratum", "stratum_value", "horizon_days")));
    }

    private static Table required(SparkSession spark, Path dir, String name, List<String> order) {
        return optional(spark, dir, name, order)
                .orElseThrow(() -> new IllegalStateException("published table " + name + " missing in " + dir));
    }

    private static Optional<Table> optional(SparkSession spark, Path dir, String name, List<String> order) {
        if (!exists(spark, new Path(dir, name))) {
            return Optional.empty();
        }
        Dataset<Row> table = spark.read().parquet(new Path(dir, name).toString())
                .where(col("stratum").isin(REPORT_STRATA.toArray()));
        return Optional.of(collect(name, table, order));
    }

    private static Table readAll(SparkSession spark, Path dir, String name, List<String> order) {
        if (!exists(spark, new Path(dir, name))) {
            throw new IllegalStateException("published table " + name + " missing in " + dir);
        }
        return collect(name, spark.read().parquet(new Path(dir, name).toString()), order);
    }

    private static boolean exists(SparkSession spark, Path path) {
        try {
            FileSystem fs = path.getFileSystem(spark.sparkContext().hadoopConfiguration());
            return fs.exists(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Collects an aggregate table into plain values, ordered by the given columns (nulls first). */
    static Table collect(String name, Dataset<Row> table, List<String> order) {
        List<String> columns = List.of(table.columns());
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Row row : table.collectAsList()) {
            Map<String, Object> values = new LinkedHashMap<>();
            for (int i = 0; i < columns.size(); i++) {
                values.put(columns.get(i), plain(row.get(i)));
            }
            rows.add(values);
        }
        Comparator<Map<String, Object>> comparator = (a, b) -> 0;
        for (String column : order) {
            if (columns.contains(column)) {
                comparator = comparator.thenComparing(r -> (Comparable) r.get(column),
                        Comparator.nullsFirst(Comparator.<Comparable>naturalOrder()));
            }
        }
        rows.sort(comparator);
        return new Table(name, columns, rows);
    }

    /** Spark values as plain Java ones: whole numbers as Long, other numbers as Double, dates and lists as text. */
    static Object plain(Object value) {
        if (value == null || value instanceof String || value instanceof Boolean || value instanceof Long
                || value instanceof Double) {
            return value;
        }
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof Number n) {
            return n.doubleValue();
        }
        if (value instanceof scala.collection.Iterable<?> seq) {
            List<String> items = new ArrayList<>();
            for (Object item : scala.jdk.javaapi.CollectionConverters.asJava(seq)) {
                items.add(String.valueOf(plain(item)));
            }
            return String.join(", ", items);
        }
        return value.toString();
    }
}
