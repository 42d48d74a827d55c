package org.iopoutcomes.metrics;

import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.iopoutcomes.input.TableCounts;

/**
 * The data_quality table (published, never suppressed: it counts rows, not people): per input table the rows
 * read, loaded, left after the data cut, and quarantined per reason, each with its share of the rows read.
 */
public final class DataQuality {
    private DataQuality() {}

    public static final StructType SCHEMA = new StructType()
            .add("run_date", DataTypes.DateType, false)
            .add("table_name", DataTypes.StringType, false)
            .add("source", DataTypes.StringType, true)
            .add("format", DataTypes.StringType, false)
            .add("metric", DataTypes.StringType, false)
            .add("reason", DataTypes.StringType, true)
            .add("rows", DataTypes.LongType, false)
            .add("rows_read", DataTypes.LongType, false)
            .add("share_of_rows_read", DataTypes.DoubleType, true);

    public static List<Row> rows(List<TableCounts> counts, LocalDate runDate) {
        List<Row> rows = new ArrayList<>();
        Date date = Date.valueOf(runDate);
        for (TableCounts c : counts) {
            String source = c.source().orElse(null);
            rows.add(row(date, c, source, "rows_read", null, c.rowsRead()));
            rows.add(row(date, c, source, "rows_loaded", null, c.rowsLoaded()));
            rows.add(row(date, c, source, "quarantined", null, c.rowsRejected()));
            for (Map.Entry<String, Long> reason : c.rejectedByReason().entrySet()) {
                rows.add(row(date, c, source, "quarantined", reason.getKey(), reason.getValue()));
            }
            rows.add(row(date, c, source, "after_data_cut", null, c.afterDataCut()));
            if (c.table().equals("episodes")) {
                rows.add(row(date, c, source, "discharge_after_data_cut", null, c.dischargesAfterDataCut()));
            }
        }
        return rows;
    }

    private static Row row(Date date, TableCounts c, String source, String metric, String reason, long n) {
        Double share = c.rowsRead() == 0 ? null : (double) n / c.rowsRead();
        return RowFactory.create(date, c.table(), source, c.format(), metric, reason, n, c.rowsRead(), share);
    }

    public static Dataset<Row> table(SparkSession spark, List<TableCounts> counts, LocalDate runDate) {
        return spark.createDataFrame(rows(counts, runDate), SCHEMA);
    }
}
