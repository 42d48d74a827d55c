package org.iopoutcomes.models;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.iopoutcomes.stats.LogisticFit;
import org.iopoutcomes.stats.LogisticRegression;

/**
 * Logistic regression on a Spark Dataset by the IRLS loop of {@link LogisticRegression} (as R's glm.fit): per
 * iteration X'WX, X'Wz and the deviance are summed in Spark ({@link SparkLogisticSums}); only those p x p numbers
 * reach the driver. Equal to {@code LogisticRegression.fit} on the same rows.
 */
public final class SparkLogistic {
    private SparkLogistic() {}

    /** @param terms the covariate columns (numeric); an intercept "(Intercept)" is added first */
    public static LogisticFit fit(Dataset<Row> rows, String outcomeColumn, List<String> terms) {
        try (SparkLogisticSums sums = SparkLogisticSums.prepare(rows, outcomeColumn, terms)) {
            return LogisticRegression.fit(sums, terms);
        }
    }
}
