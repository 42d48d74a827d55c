package org.iopoutcomes.synth;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** A small generated data set, built once per test JVM and registered as temp views named after the tables. */
final class GeneratedData {
    static final int PARTICIPANTS = 2000;
    static final GeneratorSettings SETTINGS = GeneratorSettings.defaults(PARTICIPANTS, GeneratorSettings.DEFAULT_SEED);
    private static Calibration calibration;

    private GeneratedData() {}

    static synchronized SparkSession views() {
        SparkSession spark = TestSpark.get();
        if (calibration == null) {
            calibration = Calibration.calibrate(SETTINGS);
            for (String table : SyntheticTables.inputTables(SETTINGS)) {
                register(spark, table);
            }
            register(spark, SyntheticTables.TRUTH);
        }
        return spark;
    }

    static Calibration calibration() {
        views();
        return calibration;
    }

    private static void register(SparkSession spark, String table) {
        Dataset<Row> ds = SyntheticTables.table(spark, SETTINGS, calibration.scales, table, 3, false).cache();
        ds.count();
        ds.createOrReplaceTempView(table);
    }
}
