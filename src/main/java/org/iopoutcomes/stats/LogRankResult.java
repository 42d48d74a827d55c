package org.iopoutcomes.stats;

import java.util.List;

/**
 * R survdiff result. {@code zFirstGroup} = (O1 - E1)/sqrt(V11): the signed root of chisq for two groups.
 */
public record LogRankResult(double rho, double chisq, int df, double p, double zFirstGroup, List<LogRankGroup> groups,
                            double[][] variance) {
    public LogRankResult {
        groups = List.copyOf(groups);
    }
}
