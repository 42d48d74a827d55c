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
import org.iopoutcomes.metrics.DeterministicPlan;
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
        java.util.Set<Object> persistedBefore = persistedRddIds();
        List<Row> expected = table().collectAsList();
        Object keptRdd;
        try (KeptDataset kept = KeptDataset.of(table(), StorageLevel.MEMORY_AND_DISK(), "test table")) {
            assertEquals(expected, kept.rows().collectAsList());
            // read twice: the second read comes from the kept blocks, equal again
            assertEquals(expected, kept.rows().collectAsList());
            assertEquals(666L, kept.rows().where(col("bucket").geq(0)).count());
            assertEquals(List.of("id", "bucket"), List.of(kept.rows().columns()));
            // not Spark's Dataset cache (whose tasks carry the accumulator of SPARK-59451): neither the table nor
            // the kept rows are registered there (other tests of this JVM may have cached tables of their own)
            var cache = spark.sharedState().cacheManager();
            assertTrue(cache.lookupCachedData((org.apache.spark.sql.classic.Dataset<?>) table()).isEmpty());
            assertTrue(cache.lookupCachedData((org.apache.spark.sql.classic.Dataset<?>) kept.rows()).isEmpty());
            String plan = kept.rows().queryExecution().executedPlan().toString();
            assertTrue(!plan.contains("InMemory"), plan);
            java.util.Set<Object> added = persistedRddIds();
            added.removeAll(persistedBefore);
            assertEquals(1, added.size(), "one RDD persisted: " + added);
            keptRdd = added.iterator().next();
        }
        assertTrue(!persistedRddIds().contains(keptRdd), "unpersisted on close");
    }

    private java.util.Set<Object> persistedRddIds() {
        return new java.util.HashSet<>(scala.jdk.javaapi.CollectionConverters.asJava(
                spark.sparkContext().getPersistentRDDs()).keySet());
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
        IllegalStateException e = assertThrows(DeterministicPlan.NondeterministicPlanException.class,
                () -> KeptDataset.of(table().withColumn("r", rand()), StorageLevel.MEMORY_AND_DISK(), "noisy table"));
        assertTrue(e.getMessage().startsWith("noisy table: its Spark plan has a nondeterministic expression"),
                e.getMessage());
    }
}
