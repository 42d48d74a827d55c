package org.iopoutcomes.models;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.iopoutcomes.stats.CoxFit;
import org.iopoutcomes.stats.CoxRegression;
import org.iopoutcomes.stats.CoxTies;

/**
 * Cox proportional hazards on a Spark Dataset with the Newton-Raphson loop of {@link CoxRegression}: per step the
 * sums per distinct time are computed in Spark ({@link SparkCoxSums}), so what reaches the driver grows with the
 * number of distinct times, not with the rows. Equal to {@code CoxRegression.fit(CoxSubjects...)} on the same rows
 * (concordance excepted: it needs per-subject risk scores and is NA here).
 */
public final class SparkCox {
    private SparkCox() {}

    /**
     * @param rows          one row per subject (e.g. {@link ModelDesign#rows()})
     * @param terms         the covariate columns (numeric), in model order
     * @param clusterColumn null for model-based SEs, else robust SEs clustered by this column, as
     *                      coxph(..., cluster = id)
     * @param ties          {@link CoxTies#EFRON} (R's default) or {@link CoxTies#BRESLOW}
     */
    public static CoxFit fit(Dataset<Row> rows, String timeColumn, String eventColumn, List<String> terms,
                             String clusterColumn, CoxTies ties) {
        try (SparkCoxSums sums = SparkCoxSums.prepare(rows, timeColumn, eventColumn, terms, clusterColumn)) {
            return fit(sums, terms, ties);
        }
    }

    /** Fits on prepared sums (which keep count of what they collected). */
    public static CoxFit fit(SparkCoxSums sums, List<String> terms, CoxTies ties) {
        return CoxRegression.fitAggregated(sums, terms, ties, sums.isClustered() ? sums : null);
    }
}
