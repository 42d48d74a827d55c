package org.iopoutcomes.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.rand;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.iopoutcomes.SparkTestSession;
import org.junit.jupiter.api.Test;

/** A kept table: the same rows, kept as an RDD (not in Spark's Dataset cache), its statistics kept. */
class KeptDatasetTest {
    private final SparkSession spark = SparkTestSession.get();

    private Dataset<Row> table() {
        return spark.range(0, 1000).toDF("id")
                .withColumn("bucket", col("id").mod(7))
                .where(col("id").mod(3).notEqual(0))
                .orderBy(col("bucket"), col("id"));
    }

    @Test
    void keepsTheRowsInOrderOutsideTheDatasetCacheAndFreesThemOnClose() {
        int persistedBefore = spark.sparkContext().getPersistentRDDs().size();
        List<Row> expected = table().collectAsList();
        try (KeptDataset kept = KeptDataset.of(table(), StorageLevel.MEMORY_AND_DISK(), "test table")) {
            assertEquals(expected, kept.rows().collectAsList());
            // read twice: the second read comes from the kept blocks, equal again
            assertEquals(expected, kept.rows().collectAsList());
            assertEquals(666L, kept.rows().where(col("bucket").geq(0)).count());
            assertEquals(List.of("id", "bucket"), List.of(kept.rows().columns()));
            // not Spark's Dataset cache (whose tasks carry the accumulator of SPARK-59451): nothing registered there
            assertTrue(spark.sharedState().cacheManager().isEmpty(), "the Dataset cache is empty");
            assertEquals(persistedBefore + 1, spark.sparkContext().getPersistentRDDs().size());
        }
        assertEquals(persistedBefore, spark.sparkContext().getPersistentRDDs().size());
    }

    @Test
    void theKeptTableHasTheStatisticsOfItsPlanSoTheOptimizerStillBroadcastsIt() {
        Dataset<Row> small = spark.range(0, 50).toDF("k");
        try (KeptDataset kept = KeptDataset.of(small, StorageLevel.MEMORY_AND_DISK(), "small table")) {
            assertEquals(small.queryExecution().optimizedPlan().stats().sizeInBytes(),
                    kept.rows().queryExecution().optimizedPlan().stats().sizeInBytes());
            Dataset<Row> joined = spark.range(0, 100_000).toDF("k").join(kept.rows(), "k");
            String plan = joined.queryExecution().sparkPlan().toString();
            assertTrue(plan.contains("BroadcastHashJoin"), plan);
            assertEquals(50L, joined.count());
        }
    }

    @Test
    void aNondeterministicPlanIsRefusedByName() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> KeptDataset.of(table().withColumn("r", rand()), StorageLevel.MEMORY_AND_DISK(), "noisy table"));
        assertTrue(e.getMessage().startsWith("noisy table: its Spark plan has a nondeterministic expression"),
                e.getMessage());
    }
}
