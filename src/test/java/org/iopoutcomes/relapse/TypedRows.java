package org.iopoutcomes.relapse;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.iopoutcomes.SparkTestSession;
import org.iopoutcomes.input.ColumnSpec;
import org.iopoutcomes.input.TableSpec;

/**
 * Validated-looking input tables made from short CSV lines (no quoting; empty = null), typed as the loader
 * types them, so the Spark functions can be tested on a few rows without writing and validating files.
 */
public final class TypedRows {
    private TypedRows() {}

    public static Dataset<Row> of(TableSpec spec, String... lines) {
        List<ColumnSpec> columns = spec.columns();
        List<Row> rows = new ArrayList<>();
        for (String line : lines) {
            String[] fields = line.split(",", -1);
            if (fields.length != columns.size()) {
                throw new IllegalArgumentException(spec.name() + " line '" + line + "': " + fields.length
                        + " fields, expected " + columns.size() + " (" + spec.columnNames() + ")");
            }
            Object[] values = new Object[fields.length];
            for (int i = 0; i < fields.length; i++) {
                values[i] = fields[i].isEmpty() ? null : switch (columns.get(i).type()) {
                    case STRING, CODE -> fields[i];
                    case DATE -> java.sql.Date.valueOf(fields[i]);
                    case INT -> Integer.valueOf(fields[i]);
                    case BOOLEAN -> Boolean.valueOf(fields[i]);
                };
            }
            rows.add(RowFactory.create(values));
        }
        return SparkTestSession.get().createDataFrame(rows, spec.typedSchema());
    }
}
