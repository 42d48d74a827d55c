package org.iopoutcomes.stats;

/**
 * Sufficient sums at one distinct event time for one Newton-Raphson step of the Cox partial likelihood,
 * with w = exp(x'beta) for the current beta. An aggregate (per time, then a reverse cumulative sum over time)
 * produces these without the subject rows leaving the executors.
 *
 * @param events  d, the number of events at this time
 * @param eventX  sum of x over the events at this time
 * @param tiedW   sum of w over the events at this time (Efron only)
 * @param tiedWx  sum of w x over the events at this time (Efron only)
 * @param tiedWxx sum of w x x' over the events at this time (Efron only)
 * @param riskW   sum of w over the risk set (subjects with time >= t)
 * @param riskWx  sum of w x over the risk set
 * @param riskWxx sum of w x x' over the risk set
 */
public record EventTimeSums(double time, long events, double[] eventX,
                            double tiedW, double[] tiedWx, double[][] tiedWxx,
                            double riskW, double[] riskWx, double[][] riskWxx) {
}
