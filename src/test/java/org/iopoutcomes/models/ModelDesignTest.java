package org.iopoutcomes.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.iopoutcomes.SparkTestSession;
import org.iopoutcomes.stats.CoxFit;
import org.iopoutcomes.stats.CoxTies;
import org.junit.jupiter.api.Test;

class ModelDesignTest {
    private static final StructType SCHEMA = DataTypes.createStructType(List.of(
            DataTypes.createStructField("episode_id", DataTypes.LongType, false),
            DataTypes.createStructField("participant_id", DataTypes.LongType, false),
            DataTypes.createStructField("time", DataTypes.DoubleType, false),
            DataTypes.createStructField("event", DataTypes.IntegerType, false),
            DataTypes.createStructField("exposed", DataTypes.IntegerType, true),
            DataTypes.createStructField("sex", DataTypes.StringType, true),
            DataTypes.createStructField("substance", DataTypes.StringType, true),
            DataTypes.createStructField("insurance", DataTypes.StringType, true),
            DataTypes.createStructField("age", DataTypes.IntegerType, true),
            DataTypes.createStructField("prior_episodes", DataTypes.IntegerType, true),
            DataTypes.createStructField("site", DataTypes.StringType, true)));

    /**
     * 400 episodes: sex female 180 / male 220; substance alcohol 150, opioid use 150 (a tie for the most frequent),
     * stimulant 100; insurance missing in 100 (25%, i % 4 == 0); prior_episodes missing in 20 (5%: stimulant rows
     * with i % 5 == 0, 10 of them female); site constant.
     */
    static Dataset<Row> cohort() {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            String sex = i % 20 < 9 ? "female" : "male";
            String substance = i < 150 ? "alcohol" : i < 300 ? "opioid use" : "stimulant";
            String insurance = i % 4 == 0 ? null : (i % 3 == 0 ? "medicaid" : "private");
            Integer prior = i >= 300 && i % 5 == 0 ? null : i % 5 + i % 3;
            double time = 1 + (i * 37) % 90;
            int event = (i * 7) % 3 == 0 ? 1 : 0;
            rows.add(RowFactory.create((long) i, (long) (i / 2), time, event, (i * 13) % 5 < 2 ? 1 : 0, sex,
                    substance, insurance, 18 + (i * 11) % 50, prior, "A"));
        }
        return SparkTestSession.get().createDataFrame(rows, SCHEMA);
    }

    private static final List<String> COVARIATES =
            List.of("sex", "substance", "insurance", "age", "prior_episodes", "site");
    private static final List<String> KEEP = List.of("episode_id", "participant_id", "time", "event");

    @Test
    void dummiesReferenceLevelsMissingAndConstantCovariates() {
        ModelDesign design = ModelDesign.build(cohort(), "exposed", COVARIATES, KEEP, 0.2);
        // exposure first; male (220 of 400) is the reference of sex; alcohol and opioid use tie at 150 and the
        // first in sorted order, alcohol, is the reference
        assertEquals(List.of("exposed", "sex=female", "substance=opioid_use", "substance=stimulant", "age",
                "prior_episodes"), design.terms());
        assertEquals(List.of("sex", "substance", "age", "prior_episodes"), design.covariatesUsed());
        assertEquals(List.of("insurance (missing in more than 20% of rows)", "site (constant)"),
                design.covariatesLeftOut());
        assertEquals(20, design.rowsLeftOutMissing(), "rows with prior_episodes missing");
        Dataset<Row> rows = design.rows();
        assertEquals(380, rows.count());
        List<String> columns = List.of(rows.columns());
        assertEquals(List.of("episode_id", "participant_id", "time", "event", "exposed", "sex=female",
                "substance=opioid_use", "substance=stimulant", "age", "prior_episodes"), columns);
        for (String term : design.terms()) {
            assertEquals(DataTypes.DoubleType, rows.schema().apply(term).dataType(), term);
        }
        // the dummies are 0/1 and count the right rows
        Row sums = rows.agg(functions.sum(functions.col("`sex=female`")),
                functions.sum(functions.col("`substance=opioid_use`")),
                functions.sum(functions.col("`substance=stimulant`")), functions.sum(functions.col("exposed")),
                functions.max(functions.col("`sex=female`"))).first();
        assertEquals(170.0, sums.getDouble(0), "female rows: 180 minus 10 with prior_episodes missing");
        assertEquals(150.0, sums.getDouble(1), "opioid use rows");
        assertEquals(80.0, sums.getDouble(2), "stimulant rows: 100 minus 20");
        assertEquals(1.0, sums.getDouble(4));
        long exposedKept = cohort().filter("NOT (episode_id >= 300 AND episode_id % 5 = 0)")
                .filter("exposed = 1").count();
        assertEquals((double) exposedKept, sums.getDouble(3));
    }

    @Test
    void termOrderIsDeterministic() {
        ModelDesign a = ModelDesign.build(cohort(), "exposed", COVARIATES, KEEP, 0.2);
        ModelDesign b = ModelDesign.build(cohort().repartition(5).orderBy(functions.rand(3)), "exposed", COVARIATES,
                KEEP, 0.2);
        assertEquals(a.terms(), b.terms());
        assertEquals(a.covariatesLeftOut(), b.covariatesLeftOut());
        ModelDesign reordered = ModelDesign.build(cohort(), "exposed",
                List.of("age", "sex", "substance", "insurance", "prior_episodes", "site"), KEEP, 0.2);
        assertEquals(List.of("exposed", "age", "sex=female", "substance=opioid_use", "substance=stimulant",
                "prior_episodes"), reordered.terms(), "terms follow the covariates' order");
    }

    @Test
    void aShareAtTheLimitIsKeptAndItsRowsCounted() {
        // insurance is missing in exactly 25%: with a 25% limit it stays ("more than" the limit goes), and its 100
        // rows go with the 15 other rows where prior_episodes is missing (5 rows miss both)
        ModelDesign design = ModelDesign.build(cohort(), "exposed", COVARIATES, KEEP, 0.25);
        assertTrue(design.covariatesUsed().contains("insurance"), design.covariatesLeftOut().toString());
        assertEquals(115, design.rowsLeftOutMissing());
        assertTrue(design.terms().contains("insurance=medicaid"), design.terms().toString());
    }

    @Test
    void anIdNamedAsACovariateIsLeftOutWithoutCollectingItsLevels() {
        Dataset<Row> withLabel = cohort().withColumn("label",
                functions.concat(functions.lit("e"), functions.col("episode_id").cast("string")));
        ModelDesign design = ModelDesign.build(withLabel, "exposed", List.of("sex", "label"), KEEP, 0.2);
        assertEquals(List.of("label (more than 200 levels)"), design.covariatesLeftOut());
        assertEquals(List.of("exposed", "sex=female"), design.terms());
        assertEquals(0, design.rowsLeftOutMissing());
    }

    @Test
    void theDesignFeedsTheSparkCox() {
        ModelDesign design = ModelDesign.build(cohort(), "exposed", COVARIATES, KEEP, 0.2);
        CoxFit fit = SparkCox.fit(design.rows(), "time", "event", design.terms(), "participant_id", CoxTies.EFRON);
        assertEquals(380, fit.n());
        assertEquals(design.rows().filter("event = 1").count(), fit.nevent());
        assertEquals(design.terms().get(0), fit.coefficients().get(0).term());
        assertTrue(fit.robust());
        assertTrue(Double.isFinite(fit.coefficients().get(0).se()) && fit.coefficients().get(0).se() > 0);
    }

    @Test
    void anExposureOtherThanZeroOrOneIsRefused() {
        Dataset<Row> bad = cohort().withColumn("exposed",
                functions.when(functions.col("episode_id").equalTo(3L), 2).otherwise(functions.col("exposed")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ModelDesign.build(bad, "exposed", COVARIATES, KEEP, 0.2));
        assertTrue(e.getMessage().contains("1 row(s) with an exposure (exposed) other than 0 or 1"), e.getMessage());
    }
}
