package org.iopoutcomes.stats;

/**
 * One Cox coefficient. With a cluster variable {@code se} is the robust (sandwich) SE that z, p and the CI use,
 * and {@code naiveSe} the model-based SE; without one both are the model-based SE.
 */
public record CoxCoefficient(String term, double coef, double hr, double se, double naiveSe, double z, double p,
                             Interval hrCi) {
}
