package org.iopoutcomes.pipeline;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.iopoutcomes.metrics.DeterministicPlan;
import org.iopoutcomes.spark.KeptDataset;

/** Writes output tables (Parquet, and CSV beside it where people open them in a spreadsheet) and small files. */
public final class OutputFiles {
    private final Configuration conf;

    public OutputFiles(Configuration conf) {
        this.conf = conf;
    }

    public void parquet(Dataset<Row> table, Path dir, String name) {
        DeterministicPlan.require(table, "table " + name);
        table.write().mode(SaveMode.ErrorIfExists).parquet(new Path(dir, name).toString());
    }

    /** One CSV file {@code name.csv} with a header row; for tables small enough for one writer. */
    public void csv(Dataset<Row> table, Path dir, String name) {
        Path parts = new Path(dir, "_csv_" + name);
        table.coalesce(1).write().mode(SaveMode.ErrorIfExists)
                .option("header", "true")
                .option("dateFormat", "yyyy-MM-dd")
                .option("emptyValue", "")
                .csv(parts.toString());
        try {
            FileSystem fs = parts.getFileSystem(conf);
            FileStatus[] written = fs.globStatus(new Path(parts, "part-*"));
            if (written == null || written.length != 1) {
                throw new IllegalStateException("expected one CSV part file in " + parts);
            }
            Path target = new Path(dir, name + ".csv");
            if (!fs.rename(written[0].getPath(), target)) {
                throw new IOException("cannot move " + written[0].getPath() + " to " + target);
            }
            fs.delete(parts, true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Both formats from one computation of the table: it is kept until the CSV is written. */
    public void parquetAndCsv(Dataset<Row> table, Path dir, String name) {
        try (KeptDataset kept = KeptDataset.of(table, org.apache.spark.storage.StorageLevel.MEMORY_AND_DISK(), name)) {
            parquet(kept.rows(), dir, name);
            csv(kept.rows(), dir, name);
        }
    }

    public void text(Path file, String content) {
        try {
            FileSystem fs = file.getFileSystem(conf);
            try (OutputStream out = fs.create(file, false)) {
                out.write(content.getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
