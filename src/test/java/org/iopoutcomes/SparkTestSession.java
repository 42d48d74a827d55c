package org.iopoutcomes;

import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.iopoutcomes.spark.SparkSessions;

/** One SparkSession for every test in the JVM (starting one costs about 7 s). */
public final class SparkTestSession {
    private static SparkSession spark;

    private SparkTestSession() {}

    public static synchronized SparkSession get() {
        if (spark == null) {
            spark = SparkSessions.getOrCreate("local[2]", "iop-outcomes tests", Map.of(
                    "spark.sql.shuffle.partitions", "2",
                    "spark.default.parallelism", "2",
                    "spark.driver.host", "127.0.0.1"));
        }
        return spark;
    }
}
