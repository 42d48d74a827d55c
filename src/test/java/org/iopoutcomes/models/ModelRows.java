package org.iopoutcomes.models;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.iopoutcomes.SparkTestSession;
import org.iopoutcomes.stats.Reference;

/** Test data for the Spark-aggregated models: the same rows as driver arrays and as a Spark Dataset. */
final class ModelRows {
    final List<String> columns;
    final double[][] values; // n x columns

    ModelRows(List<String> columns, double[][] values) {
        this.columns = List.copyOf(columns);
        this.values = values;
    }

    /** Complete rows of a reference data file (rows with an empty value in one of the columns are dropped). */
    static ModelRows reference(String dataset, List<String> columns) {
        List<double[]> data = columns.stream().map(c -> Reference.column(dataset + ".csv", c)).toList();
        List<double[]> rows = new ArrayList<>();
        for (int i = 0; i < data.get(0).length; i++) {
            double[] row = new double[columns.size()];
            boolean complete = true;
            for (int j = 0; j < columns.size(); j++) {
                row[j] = data.get(j)[i];
                complete &= !Double.isNaN(row[j]);
            }
            if (complete) {
                rows.add(row);
            }
        }
        return new ModelRows(columns, rows.toArray(double[][]::new));
    }

    int n() {
        return values.length;
    }

    double[] column(String name) {
        int j = columns.indexOf(name);
        if (j < 0) {
            throw new IllegalArgumentException(name);
        }
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i][j];
        }
        return out;
    }

    int[] intColumn(String name) {
        double[] d = column(name);
        int[] out = new int[d.length];
        for (int i = 0; i < d.length; i++) {
            out[i] = (int) d[i];
        }
        return out;
    }

    Object[] objectColumn(String name) {
        double[] d = column(name);
        Object[] out = new Object[d.length];
        for (int i = 0; i < d.length; i++) {
            out[i] = (long) d[i];
        }
        return out;
    }

    double[][] matrix(List<String> names) {
        double[][] out = new double[values.length][names.size()];
        for (int j = 0; j < names.size(); j++) {
            double[] c = column(names.get(j));
            for (int i = 0; i < values.length; i++) {
                out[i][j] = c[i];
            }
        }
        return out;
    }

    /** The rows as a Dataset, every column double, over 3 partitions. */
    Dataset<Row> dataset() {
        List<StructField> fields = columns.stream()
                .map(c -> DataTypes.createStructField(c, DataTypes.DoubleType, false)).toList();
        List<Row> rows = new ArrayList<>();
        for (double[] v : values) {
            Object[] boxed = new Object[v.length];
            for (int j = 0; j < v.length; j++) {
                boxed[j] = v[j];
            }
            rows.add(RowFactory.create(boxed));
        }
        return SparkTestSession.get().createDataFrame(rows, DataTypes.createStructType(fields)).repartition(3);
    }
}
