package org.iopoutcomes.stats;

/** Restricted mean survival time: integral of S from 0 to {@code upperLimit}, with R's survmean SE. */
public record RestrictedMean(double rmean, double se, double upperLimit) {
}
