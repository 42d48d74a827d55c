package org.iopoutcomes.metrics;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Two runs on one input must publish identical tables (SPEC section 5). A Spark plan with a nondeterministic
 * expression (a generated row number joined back to its own source, a random number) can pair rows differently
 * in each evaluation; such a plan is refused where a table is written or an aggregate is collected. It is a
 * programming error, found by any test that runs the stage.
 */
public final class DeterministicPlan {
    private DeterministicPlan() {}

    public static <T> Dataset<T> require(Dataset<T> table, String what) {
        if (!table.queryExecution().analyzed().deterministic()) {
            throw new NondeterministicPlanException(what + ": its Spark plan has a nondeterministic expression,"
                    + " so two runs on the same input could give different rows");
        }
        return table;
    }

    /** Its own type so that code catching Spark's failures of reading input can let it through unrelabelled. */
    public static final class NondeterministicPlanException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        NondeterministicPlanException(String message) {
            super(message);
        }
    }
}
