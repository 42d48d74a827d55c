package org.iopoutcomes.synth;

import org.apache.spark.sql.SparkSession;
import org.iopoutcomes.SparkTestSession;

/** The synth tests' name for the one SparkSession every test in the JVM shares. */
final class TestSpark {
    private TestSpark() {}

    static SparkSession get() {
        return SparkTestSession.get();
    }
}
