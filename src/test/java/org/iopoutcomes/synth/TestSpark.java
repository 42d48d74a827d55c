package org.iopoutcomes.synth;

import org.apache.spark.sql.SparkSession;

/** One SparkSession per test JVM (local[2], no UI, 2 shuffle partitions), shared by every synth test. */
final class TestSpark {
    private static SparkSession spark;

    private TestSpark() {}

    static synchronized SparkSession get() {
        if (spark == null) {
            spark = SparkSession.builder()
                    .master("local[2]")
                    .appName("synth-tests")
                    .config("spark.ui.enabled", "false")
                    .config("spark.ui.showConsoleProgress", "false")
                    .config("spark.sql.shuffle.partitions", "2")
                    .config("spark.sql.session.timeZone", "UTC")
                    .getOrCreate();
        }
        return spark;
    }
}
