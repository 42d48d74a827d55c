package org.iopoutcomes.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.spark.SparkException;
import org.iopoutcomes.input.InputRejectedException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** No row contents in logs or error lines unless --log-rows. */
class RowLoggingTest {
    @AfterEach
    void off() {
        RowLogging.enable(false);
    }

    @Test
    void sparkMessagesAreReplacedByTheirClassUnlessRowsAreAllowed() {
        SparkException spark = new SparkException("[CAST_INVALID_INPUT] The value 'p17,e3,2025-01-02' cannot be cast");
        IllegalStateException wrapped = new IllegalStateException(spark);
        RowLogging.enable(false);
        assertEquals("org.apache.spark.SparkException (the message can quote input rows, so it is not shown; "
                + "rerun with --log-rows to see it)", RowLogging.safeMessage(spark));
        assertFalse(RowLogging.safeMessage(wrapped).contains("p17"), RowLogging.safeMessage(wrapped));
        assertTrue(RowLogging.quotesEngineMessage(wrapped));

        // The job's own messages name files, columns and counts: shown as they are.
        InputRejectedException ours = new InputRejectedException("in/sessions.csv: 12 of 100 rows broke a rule");
        assertEquals("in/sessions.csv: 12 of 100 rows broke a rule", RowLogging.safeMessage(ours));
        assertEquals("cannot write out/x", RowLogging.safeMessage(new java.io.UncheckedIOException("cannot write out/x",
                new java.io.IOException("disk full"))));

        RowLogging.enable(true);
        assertTrue(RowLogging.safeMessage(spark).contains("p17,e3,2025-01-02"));
        assertTrue(RowLogging.safeMessage(wrapped).contains("p17,e3,2025-01-02"));
    }
}
