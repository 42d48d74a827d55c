package org.iopoutcomes.stats;

/**
 * The middle of the clustered sandwich variance, for a data source that cannot hand over its subjects: given the
 * final beta and the per-time quantities of the score residuals, returns B = sum over clusters of u_c u_c', with u_c
 * the sum of the score residuals of the cluster's subjects (a p x p matrix, whatever the number of clusters).
 * The robust variance is then V B V with V the model-based variance, as coxph(..., cluster = id).
 */
@FunctionalInterface
public interface CoxClusteredScores {
    double[][] clusterScoreOuterProducts(double[] beta, CoxScoreResiduals residuals);
}
