package org.iopoutcomes.spark;

import org.apache.spark.sql.SparkSession;

/** The one place that builds a SparkSession for the command line. */
public final class SparkSessions {
    private SparkSessions() {}

    /**
     * A session for one command. An existing session (spark-submit's, or a test's) is reused and left
     * running; a session made here is stopped on close.
     */
    public record Handle(SparkSession spark, boolean owned) implements AutoCloseable {
        @Override
        public void close() {
            if (owned) {
                spark.stop();
            }
        }
    }

    public static Handle open(String master, String appName) {
        boolean existed = SparkSession.getActiveSession().isDefined() || SparkSession.getDefaultSession().isDefined();
        return new Handle(getOrCreate(master, appName), !existed);
    }

    /**
     * An existing session is reused; otherwise an embedded one on {@code master} (default {@code local[*]},
     * unless spark-submit set spark.master).
     */
    public static SparkSession getOrCreate(String master, String appName) {
        return getOrCreate(master, appName, java.util.Map.of());
    }

    /** As {@link #getOrCreate(String, String)}, with extra Spark settings (tests use fewer partitions). */
    public static SparkSession getOrCreate(String master, String appName, java.util.Map<String, String> extra) {
        SparkSession.Builder builder = SparkSession.builder().appName(appName)
                .config("spark.ui.enabled", "false")
                .config("spark.ui.showConsoleProgress", "false")
                .config("spark.sql.session.timeZone", "UTC")
                .config("spark.sql.adaptive.enabled", "true")
                // Local outputs without Hadoop's .crc side files, which only confuse the people reading them.
                .config("spark.hadoop.fs.file.impl", "org.apache.hadoop.fs.RawLocalFileSystem")
                .config("spark.hadoop.fs.file.impl.disable.cache", "true")
                // Parquet dates written in the proleptic Gregorian calendar, never rebased.
                .config("spark.sql.parquet.datetimeRebaseModeInWrite", "CORRECTED")
                .config("spark.sql.parquet.int96RebaseModeInWrite", "CORRECTED");
        String effectiveMaster = master != null && !master.isBlank() ? master
                : System.getProperty("spark.master", "local[*]");
        // local and local[N] run in this JVM; local-cluster[...] (tests) starts executor JVMs like a real cluster.
        boolean oneJvm = effectiveMaster.equals("local") || effectiveMaster.startsWith("local[");
        if (oneJvm && System.getProperty("spark.sql.shuffle.partitions") == null) {
            // Spark's default of 200 shuffle partitions is for clusters; on one machine a few per core keep
            // small runs fast and still split a 60-million-row table into manageable pieces.
            builder.config("spark.sql.shuffle.partitions",
                    String.valueOf(4 * Runtime.getRuntime().availableProcessors()));
            // In one JVM a broadcast is a shared hash table, not network traffic: joining 60 million sessions
            // to a million participants that way avoids shuffling the sessions at all.
            builder.config("spark.sql.adaptive.autoBroadcastJoinThreshold", "256MB");
            // Smaller input splits: a few large Parquet files otherwise become one task per core, and one slow
            // task holds up the stage.
            builder.config("spark.sql.files.maxPartitionBytes", "32MB");
        }
        extra.forEach(builder::config);
        builder.master(effectiveMaster);
        return builder.getOrCreate();
    }
}
