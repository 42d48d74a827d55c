package org.iopoutcomes.continuity;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.count_distinct;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.iopoutcomes.models.ModelDesign;
import org.iopoutcomes.models.SparkCox;
import org.iopoutcomes.models.SparkLogistic;
import org.iopoutcomes.stats.CoxCoefficient;
import org.iopoutcomes.stats.CoxFit;
import org.iopoutcomes.stats.CoxTies;
import org.iopoutcomes.stats.LogisticCoefficient;
import org.iopoutcomes.stats.LogisticFit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The adjusted models of a landmark cohort on Spark aggregates ({@link SparkCox}, {@link SparkLogistic}):
 * <ul>
 *   <li>Cox (Efron ties) of the time since the landmark, follow-up stopped at H days after discharge: relapse by
 *       H is the event; the exposure first, then the covariates (SPEC's and --adjust-for, dummy-coded by
 *       {@link ModelDesign}); robust SEs clustered by participant_id when a participant has several episodes in
 *       the cohort.</li>
 *   <li>Logistic regression of relapse by H among the cohort episodes whose status at H is known (the rows of
 *       the crude 2x2), with the same covariates.</li>
 * </ul>
 * The exp(coefficient) of the exposure is a conditional ratio: the hazard (or odds) ratio of exposed to
 * unexposed episodes with the same covariate values, among the landmark cohort.
 */
public final class SparkAdjustedModels implements ContinuityEffect.AdjustedModels {
    private static final Logger LOG = LoggerFactory.getLogger(SparkAdjustedModels.class);
    private static final String EXPOSED = "exposed_01";
    private static final String TIME = "model_time";
    private static final String EVENT = "model_event";
    private static final String OUTCOME = "model_outcome";

    private final ContinuitySettings settings;

    public SparkAdjustedModels(ContinuitySettings settings) {
        this.settings = settings;
    }

    @Override
    public ContinuityEffect.Adjusted fit(Dataset<Row> cohort, String exposure, int landmarkDays, int horizonDays) {
        Column relapsedByH = col("event").and(col("time_days").leq(horizonDays));
        Dataset<Row> rows = cohort
                .withColumn(EXPOSED, when(col("exposed"), 1.0).otherwise(0.0))
                .withColumn(TIME, least(col("time_days"), lit(horizonDays)).minus(landmarkDays).cast("double"))
                .withColumn(EVENT, when(relapsedByH, 1).otherwise(0))
                .withColumn(OUTCOME, when(relapsedByH, 1.0).otherwise(0.0))
                .withColumn("_known", relapsedByH.or(col("time_days").geq(horizonDays)));
        List<String> covariates = settings.covariates();
        try {
            Row people = rows.agg(count(lit(1)), count_distinct(col("participant_id"))).first();
            boolean repeated = people.getLong(1) < people.getLong(0);
            ModelDesign cox = ModelDesign.build(rows, EXPOSED, covariates, List.of(TIME, EVENT, "participant_id"),
                    settings.maxMissingShare());
            CoxFit hr = SparkCox.fit(cox.rows(), TIME, EVENT, cox.terms(), repeated ? "participant_id" : null,
                    CoxTies.EFRON);
            CoxCoefficient c = hr.coefficients().stream().filter(k -> k.term().equals(cox.terms().get(0)))
                    .findFirst().orElseThrow();

            ModelDesign logit = ModelDesign.build(rows.where(col("_known")), EXPOSED, covariates,
                    List.of(OUTCOME), settings.maxMissingShare());
            LogisticFit or = SparkLogistic.fit(logit.rows(), OUTCOME, logit.terms());
            Row outcomes = logit.rows().agg(sum(col(OUTCOME))).first();
            long orEvents = outcomes.isNullAt(0) ? 0 : Math.round(outcomes.getDouble(0));
            // the exposure's coefficient (the logistic fit lists the intercept first)
            LogisticCoefficient o = or.coefficients().stream().filter(k -> k.term().equals(logit.terms().get(0)))
                    .findFirst().orElseThrow();
            String note = null;
            if (!hr.converged()) {
                note = "Cox model did not converge";
            } else if (!or.converged() || or.hasWarning()) {
                note = "logistic model: " + (or.hasWarning() ? or.warning() : "did not converge");
            }
            return new ContinuityEffect.Adjusted(finite(c.hr()), finite(c.hrCi().lower()), finite(c.hrCi().upper()),
                    finite(c.p()), hr.n(), hr.nevent(), hr.robust(), finite(o.or()), finite(o.orWaldCi().lower()),
                    finite(o.orWaldCi().upper()), finite(o.p()), or.n(), orEvents,
                    String.join(",", cox.covariatesUsed()), String.join("; ", cox.covariatesLeftOut()),
                    cox.rowsLeftOutMissing(), note);
        } catch (RuntimeException e) {
            LOG.warn("adjusted models of {} at {} days not fitted: {}", exposure, horizonDays, e.getMessage());
            return ContinuityEffect.Adjusted.none("adjusted models not fitted: " + e.getMessage());
        }
    }

    private static Double finite(double x) {
        return Double.isFinite(x) ? x : null;
    }
}
