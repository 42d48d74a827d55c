package org.iopoutcomes.relapse;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.udf;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The definitions applied in Spark to each episode's lattice (admission clock): for a window definition the
 * columns {@code <name>_time_weeks} (int) and {@code <name>_event} (boolean), both null where the lattice is
 * shorter than the window (CTNote's NA); for a flag definition only {@code <name>_event}.
 */
public final class LatticeOutcomes {
    private static final StructType OUTCOME = new StructType()
            .add("time_weeks", DataTypes.IntegerType, true)
            .add("event", DataTypes.BooleanType, true);

    private LatticeOutcomes() {}

    public static String timeColumn(RelapseDefinition definition) {
        return definition.name() + "_time_weeks";
    }

    public static String eventColumn(RelapseDefinition definition) {
        return definition.name() + "_event";
    }

    /** The lattices (a column {@code lattice}) with the outcome columns of each definition added. */
    public static Dataset<Row> apply(Dataset<Row> lattices, List<RelapseDefinition> definitions) {
        Dataset<Row> out = lattices;
        for (RelapseDefinition definition : definitions) {
            String outcome = "_" + definition.name() + "_outcome";
            out = out.withColumn(outcome, evaluator(definition).apply(col(WeeklyLattice.LATTICE)));
            if (!definition.flagOnly()) {
                out = out.withColumn(timeColumn(definition), col(outcome + ".time_weeks"));
            }
            out = out.withColumn(eventColumn(definition), col(outcome + ".event")).drop(outcome);
        }
        return out;
    }

    private static UserDefinedFunction evaluator(RelapseDefinition definition) {
        UDF1<String, Row> evaluate = lattice -> {
            RelapseOutcome outcome = definition.evaluate(lattice);
            return RowFactory.create(outcome.timeWeeks(), outcome.event());
        };
        // Deterministic, so Spark may evaluate it once per row and reorder it freely.
        return udf(evaluate, OUTCOME).withName("relapse_" + definition.name());
    }
}
