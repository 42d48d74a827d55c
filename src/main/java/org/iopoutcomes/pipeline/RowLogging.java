package org.iopoutcomes.pipeline;

/**
 * Whether logs and error messages may quote input rows (SPEC section 5: never, unless asked with
 * {@code --log-rows}). The job's own messages name files, columns, counts and reasons, never values; Spark's
 * exception messages can quote a value (a failed cast, a malformed record), so without {@code --log-rows} they
 * are replaced by the exception's class.
 */
public final class RowLogging {
    private static volatile boolean enabled;

    private RowLogging() {}

    public static boolean enabled() {
        return enabled;
    }

    /** With rows allowed, Spark's task-failure lines (quiet by default, see log4j2.properties) are logged again. */
    public static void enable(boolean on) {
        enabled = on;
        try {
            org.apache.logging.log4j.core.config.Configurator.setLevel("org.apache.spark.scheduler.TaskSetManager",
                    on ? org.apache.logging.log4j.Level.WARN : org.apache.logging.log4j.Level.ERROR);
            org.apache.logging.log4j.core.config.Configurator.setLevel("org.apache.spark.executor.Executor",
                    on ? org.apache.logging.log4j.Level.ERROR : org.apache.logging.log4j.Level.OFF);
        } catch (LinkageError e) {
            // log4j-core absent (another logging backend): only the job's own messages are governed here
        }
    }

    /** The message to print or record for a failure, without row contents unless {@code --log-rows}. */
    public static String safeMessage(Throwable e) {
        if (enabled || !quotesEngineMessage(e)) {
            return e.getMessage() == null ? e.getClass().getName() : e.getMessage();
        }
        Throwable engine = e;
        while (engine != null && !isEngine(engine)) {
            engine = engine.getCause();
        }
        String name = (engine == null ? e : engine).getClass().getName();
        return name + " (the message can quote input rows, so it is not shown; rerun with --log-rows to see it)";
    }

    /** True when the message may come from Spark or Scala code: their exceptions, or ours wrapping theirs. */
    public static boolean quotesEngineMessage(Throwable e) {
        if (e.getClass().getName().startsWith("org.iopoutcomes.")) {
            return false; // our messages name files, columns and counts
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (isEngine(t)) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    private static boolean isEngine(Throwable t) {
        String name = t.getClass().getName();
        return name.startsWith("org.apache.spark.") || name.startsWith("scala.") || name.startsWith("org.apache.parquet.");
    }
}
