package org.iopoutcomes.models;

import java.util.List;
import org.iopoutcomes.stats.CoxFit;
import org.iopoutcomes.stats.LogisticFit;

/**
 * The Cox and logistic fits of one adjusted comparison with their designs: the Cox design's terms and covariates
 * (used, left out with the reason, rows left out for a missing value), the logistic design's terms, and the number of
 * rows with the outcome among the logistic rows.
 */
public record AdjustedFits(CoxFit cox, List<String> coxTerms, LogisticFit logistic, List<String> logisticTerms,
                           long logisticEvents, List<String> covariatesUsed, List<String> covariatesLeftOut,
                           long rowsLeftOutMissing) {
    public AdjustedFits {
        coxTerms = List.copyOf(coxTerms);
        logisticTerms = List.copyOf(logisticTerms);
        covariatesUsed = List.copyOf(covariatesUsed);
        covariatesLeftOut = List.copyOf(covariatesLeftOut);
    }
}
