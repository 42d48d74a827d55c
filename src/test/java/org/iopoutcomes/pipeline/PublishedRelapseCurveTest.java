package org.iopoutcomes.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.iopoutcomes.SparkTestSession;
import org.iopoutcomes.metrics.RelapseSummary;
import org.junit.jupiter.api.Test;

/**
 * --min-at-risk is apart from the suppression threshold: a curve computed down to 5 at risk (min at risk 5) is
 * published only while at least the threshold are at risk (its number at risk is a count of people), and the
 * internal copy (threshold 1) keeps every point. Hand-made rows, no job run.
 */
class PublishedRelapseCurveTest {
    static Dataset<Row> curve() {
        List<Row> rows = new ArrayList<>();
        long[] atRisk = {30, 20, 12, 8, 5};
        for (int week = 0; week < atRisk.length; week++) {
            rows.add(RowFactory.create("overall", "overall", RelapseSummary.FIRST_USE, "discharge", week * 7, week,
                    atRisk[week], (long) week, week / 10.0, week / 20.0, week / 5.0, 0.0, null, null));
        }
        return SparkTestSession.get().createDataFrame(rows, RelapseSummary.CURVE_SCHEMA);
    }

    static Dataset<Row> summary() {
        StructType schema = new StructType().add("stratum", DataTypes.StringType).add("stratum_value",
                DataTypes.StringType).add("definition", DataTypes.StringType).add("clock", DataTypes.StringType)
                .add("episodes", DataTypes.LongType);
        return SparkTestSession.get().createDataFrame(List.of(RowFactory.create("overall", "overall",
                RelapseSummary.FIRST_USE, "discharge", 30L)), schema);
    }

    static List<Long> atRisk(Dataset<Row> published) {
        return published.collectAsList().stream().map(r -> r.<Long>getAs("at_risk")).toList();
    }

    @Test
    void thePublishedCurveStopsBelowTheThresholdTheInternalOneAtTheMinimumAtRisk() {
        assertEquals(List.of(30L, 20L, 12L), atRisk(RelapseStage.publishedCurve(curve(), summary(), 11)));
        assertEquals(List.of(30L, 20L, 12L, 8L, 5L), atRisk(RelapseStage.publishedCurve(curve(), summary(), 1)));
    }
}
