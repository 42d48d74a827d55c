package org.iopoutcomes.spark;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.execution.LogicalRDD;
import org.apache.spark.storage.StorageLevel;
import org.iopoutcomes.metrics.DeterministicPlan;

/**
 * A Dataset computed once and kept on the executors for the stages that read it more than once: what
 * {@code Dataset.persist} is for, without {@code Dataset.persist}.
 *
 * <p>Why: in Spark 4.2.0 every {@code Dataset.persist} ships a {@code PartitionKeyedAccumulator} (the cache's
 * partition statistics) with its tasks, and the executor's heartbeat thread can read it while a task is still
 * deserializing it. The heartbeat then dies of a NullPointerException in {@code isZero}, the driver removes the
 * executor 120 s later ("no recent heartbeats") and recomputes its shuffle outputs and cached blocks on a new one
 * (SPARK-59451, fixed upstream by registering accumulators after deserialization; not in 4.2.0). LocalClusterIT saw
 * it on two of four runs: the job succeeded, a third executor JVM was launched. On a cluster every night would
 * risk it, once per persisted table.
 *
 * <p>How: the physical plan's rows ({@code UnsafeRow}s, copied because the plan reuses them) are persisted as an
 * RDD, and a Dataset is made over them the way {@code Dataset.localCheckpoint} makes one ({@link LogicalRDD}
 * with the original plan's statistics, so a kept table of a million episodes is still broadcast where the
 * optimizer would broadcast it). Unlike a local checkpoint the lineage stays: a lost block is recomputed, not a
 * failed job. Close it to unpersist. Remove this class when Spark carries the fix.
 */
public final class KeptDataset implements AutoCloseable {
    private final RDD<InternalRow> rows;
    private final Dataset<Row> dataset;

    private KeptDataset(RDD<InternalRow> rows, Dataset<Row> dataset) {
        this.rows = rows;
        this.dataset = dataset;
    }

    /**
     * Keeps {@code table} at {@code level} (lazily, like persist: the first action computes it).
     *
     * @param what names the table in the error when its plan is nondeterministic: a kept table hides its plan
     *             from the {@link DeterministicPlan} checks downstream, so it is checked here
     */
    public static KeptDataset of(Dataset<Row> table, StorageLevel level, String what) {
        DeterministicPlan.require(table, what);
        org.apache.spark.sql.classic.Dataset<Row> classic = (org.apache.spark.sql.classic.Dataset<Row>) table;
        JavaRDD<InternalRow> planRows = classic.queryExecution().executedPlan().execute().toJavaRDD();
        RDD<InternalRow> kept = planRows.map(InternalRow::copy).rdd().persist(level);
        LogicalRDD relation = org.apache.spark.sql.execution.LogicalRDD$.MODULE$.fromDataset(kept, classic, false);
        return new KeptDataset(kept, org.apache.spark.sql.classic.Dataset.ofRows(classic.sparkSession(), relation));
    }

    /** The kept rows, as a Dataset with the original schema. */
    public Dataset<Row> rows() {
        return dataset;
    }

    @Override
    public void close() {
        rows.unpersist(false);
    }
}
