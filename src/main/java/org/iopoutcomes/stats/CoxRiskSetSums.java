package org.iopoutcomes.stats;

import java.util.List;

/**
 * What the Cox fitter needs from the data: per distinct event time, the sums of {@link EventTimeSums} for a given
 * beta. The driver-side {@link CoxSubjects} computes them from arrays; a Spark pipeline can compute the same sums
 * with aggregates. Covariates may be centred by any fixed vector (the partial likelihood does not change), which
 * keeps exp(x'beta) from overflowing.
 */
public interface CoxRiskSetSums {
    /** Number of covariates. */
    int dimension();

    /** Number of subjects (rows) in the model. */
    long subjects();

    /** Sums per distinct event time, for the coefficients beta. */
    List<EventTimeSums> sums(double[] beta);
}
