package org.iopoutcomes.stats;

/** One group of a log-rank test: subjects, observed and expected events (weighted for rho > 0), Var(O - E). */
public record LogRankGroup(String group, long n, double observed, double expected, double varDiag) {
}
