package org.iopoutcomes.spark;

import org.apache.spark.sql.SparkSession;

/** The one place that builds a SparkSession for the command line. */
public final class SparkSessions {
    private SparkSessions() {}

    /**
     * An existing session (spark-submit made one) is reused; otherwise an embedded one on {@code master}
     * (default {@code local[*]}).
     */
    public static SparkSession getOrCreate(String master, String appName) {
        SparkSession.Builder builder = SparkSession.builder().appName(appName)
                .config("spark.ui.enabled", "false")
                .config("spark.ui.showConsoleProgress", "false")
                .config("spark.sql.session.timeZone", "UTC")
                .config("spark.sql.adaptive.enabled", "true")
                // Parquet dates and timestamps written as the proleptic Gregorian calendar, never rebased.
                .config("spark.sql.parquet.datetimeRebaseModeInWrite", "CORRECTED")
                .config("spark.sql.parquet.int96RebaseModeInWrite", "CORRECTED");
        if (master != null && !master.isBlank()) {
            builder.master(master);
        } else if (System.getProperty("spark.master") == null) {
            builder.master("local[*]");
        }
        return builder.getOrCreate();
    }
}
