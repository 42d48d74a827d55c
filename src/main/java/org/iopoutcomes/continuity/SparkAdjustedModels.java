package org.iopoutcomes.continuity;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.count_distinct;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.iopoutcomes.models.AdjustedFits;
import org.iopoutcomes.models.ModelDesign;
import org.iopoutcomes.models.PatternCounts;
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
 *
 * <p>Two paths give the same fits. {@link #fitHorizons} counts the cohort's rows once per (time, event, exposure,
 * covariate values) in one Spark aggregation ({@link PatternCounts}) and fits every horizon's design, Cox and
 * logistic model on the driver from those counts; the clustered meat of the robust SEs is one more Spark pass for
 * all horizons. It needs a bounded number of distinct value combinations; when a covariate has too many values (a
 * continuous --adjust-for column) it falls back to the row path, {@link #fit}: the design and each Newton or IRLS
 * step as Spark passes over the rows.
 */
public final class SparkAdjustedModels implements ContinuityEffect.AdjustedModels {
    private static final Logger LOG = LoggerFactory.getLogger(SparkAdjustedModels.class);
    static final String EXPOSED = "exposed_01";
    private static final String TIME = "model_time";
    private static final String EVENT = "model_event";
    private static final String OUTCOME = "model_outcome";

    private final ContinuitySettings settings;

    public SparkAdjustedModels(ContinuitySettings settings) {
        this.settings = settings;
    }

    /** The row path at one horizon. */
    @Override
    public ContinuityEffect.Adjusted fit(Dataset<Row> cohort, String exposure, int landmarkDays, int horizonDays) {
        try {
            return adjusted(rowFits(cohort, landmarkDays, horizonDays));
        } catch (RuntimeException e) {
            return notFitted(exposure, horizonDays, e);
        }
    }

    /** The counted path for every horizon at once; the row path when the cohort's values are too many to count. */
    @Override
    public Map<Integer, ContinuityEffect.Adjusted> fitHorizons(Dataset<Row> cohort, String exposure, int landmarkDays,
                                                              List<Integer> horizonsDays) {
        Map<Integer, Object> counted = countedFits(cohort, landmarkDays, horizonsDays);
        if (counted == null) {
            return ContinuityEffect.AdjustedModels.super.fitHorizons(cohort, exposure, landmarkDays, horizonsDays);
        }
        Map<Integer, ContinuityEffect.Adjusted> out = new LinkedHashMap<>();
        counted.forEach((horizon, result) -> out.put(horizon, result instanceof AdjustedFits f ? adjusted(f)
                : notFitted(exposure, horizon, (RuntimeException) result)));
        return out;
    }

    /** The columns of the model rows of the row path at H. */
    private static Dataset<Row> modelRows(Dataset<Row> cohort, int landmarkDays, int horizonDays) {
        Column relapsedByH = col("event").and(col("time_days").leq(horizonDays));
        return cohort
                .withColumn(EXPOSED, when(col("exposed"), 1.0).otherwise(0.0))
                .withColumn(TIME, least(col("time_days"), lit(horizonDays)).minus(landmarkDays).cast("double"))
                .withColumn(EVENT, when(relapsedByH, 1).otherwise(0))
                .withColumn(OUTCOME, when(relapsedByH, 1.0).otherwise(0.0))
                .withColumn("_known", relapsedByH.or(col("time_days").geq(horizonDays)));
    }

    /** The row path: designs by {@link ModelDesign}, fits by {@link SparkCox} and {@link SparkLogistic}. */
    AdjustedFits rowFits(Dataset<Row> cohort, int landmarkDays, int horizonDays) {
        Dataset<Row> rows = modelRows(cohort, landmarkDays, horizonDays);
        List<String> covariates = settings.covariates();
        Row people = rows.agg(count(lit(1)), count_distinct(col("participant_id"))).first();
        boolean repeated = people.getLong(1) < people.getLong(0);
        ModelDesign cox = ModelDesign.build(rows, EXPOSED, covariates, List.of(TIME, EVENT, "participant_id"),
                settings.maxMissingShare());
        CoxFit hr = SparkCox.fit(cox.rows(), TIME, EVENT, cox.terms(), repeated ? "participant_id" : null,
                CoxTies.EFRON);
        ModelDesign logit = ModelDesign.build(rows.where(col("_known")), EXPOSED, covariates,
                List.of(OUTCOME), settings.maxMissingShare());
        LogisticFit or = SparkLogistic.fit(logit.rows(), OUTCOME, logit.terms());
        Row outcomes = logit.rows().agg(sum(col(OUTCOME))).first();
        long orEvents = outcomes.isNullAt(0) ? 0 : Math.round(outcomes.getDouble(0));
        return new AdjustedFits(hr, cox.terms(), or, logit.terms(), orEvents, cox.covariatesUsed(), cox.covariatesLeftOut(),
                cox.rowsLeftOutMissing());
    }

    /**
     * The counted path: per horizon an {@link AdjustedFits} or the exception the row path would have thrown; null when the
     * cohort cannot be counted (too many value combinations, a missing time or event, a column of a type the design
     * refuses), so the row path must run.
     */
    Map<Integer, Object> countedFits(Dataset<Row> cohort, int landmarkDays, List<Integer> horizonsDays) {
        PatternCounts counts = PatternCounts.collect(cohort, "time_days", "event",
                when(col("exposed"), 1.0).otherwise(0.0), "participant_id", candidates(), horizonsDays);
        if (counts == null) {
            return null;
        }
        return counts.fit(landmarkDays, horizonsDays, EXPOSED, settings.maxMissingShare(), CoxTies.EFRON);
    }

    /** The covariates as {@link ModelDesign} takes them: each once, the exposure column never. */
    private List<String> candidates() {
        List<String> out = new ArrayList<>();
        for (String c : settings.covariates()) {
            if (!out.contains(c) && !c.equals(EXPOSED)) {
                out.add(c);
            }
        }
        return out;
    }

    private static ContinuityEffect.Adjusted notFitted(String exposure, int horizonDays, RuntimeException e) {
        LOG.warn("adjusted models of {} at {} days not fitted: {}", exposure, horizonDays, e.getMessage());
        return ContinuityEffect.Adjusted.none("adjusted models not fitted: " + e.getMessage());
    }

    private static ContinuityEffect.Adjusted adjusted(AdjustedFits f) {
        CoxFit hr = f.cox();
        LogisticFit or = f.logistic();
        CoxCoefficient c = hr.coefficients().stream().filter(k -> k.term().equals(f.coxTerms().get(0)))
                .findFirst().orElseThrow();
        // the exposure's coefficient (the logistic fit lists the intercept first)
        LogisticCoefficient o = or.coefficients().stream().filter(k -> k.term().equals(f.logisticTerms().get(0)))
                .findFirst().orElseThrow();
        String note = null;
        if (!hr.converged()) {
            note = "Cox model did not converge";
        } else if (!or.converged() || or.hasWarning()) {
            note = "logistic model: " + (or.hasWarning() ? or.warning() : "did not converge");
        }
        return new ContinuityEffect.Adjusted(finite(c.hr()), finite(c.hrCi().lower()), finite(c.hrCi().upper()),
                finite(c.p()), hr.n(), hr.nevent(), hr.robust(), finite(o.or()), finite(o.orWaldCi().lower()),
                finite(o.orWaldCi().upper()), finite(o.p()), or.n(), f.logisticEvents(),
                String.join(",", f.covariatesUsed()), String.join("; ", f.covariatesLeftOut()),
                f.rowsLeftOutMissing(), note);
    }

    private static Double finite(double x) {
        return Double.isFinite(x) ? x : null;
    }
}
