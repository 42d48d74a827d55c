package org.iopoutcomes.stats;

/**
 * Driver-side logistic data aggregated by (outcome, covariate pattern): one entry per distinct pair with its number
 * of rows. Each pass adds an entry as that many rows ({@link LogisticRegression#accumulate(double, double[], double[],
 * double[], double)}), so a fit equals {@link LogisticRegression#fit(double[], double[][], java.util.List)} on the
 * expanded rows (to the rounding of the summation order) while the work grows with the entries, not the rows.
 */
public final class LogisticPatterns implements LogisticSums {
    private final double[] y;
    private final double[][] x; // intercept first
    private final long[] count;
    private final int p;
    private final long n;
    private final long events;

    /**
     * @param y          0/1 outcome of each entry
     * @param covariates covariates of each entry (no intercept column)
     * @param count      rows of each entry
     */
    public LogisticPatterns(double[] y, double[][] covariates, long[] count, int covariateCount) {
        int m = y.length;
        if (covariates.length != m || count.length != m) {
            throw new IllegalArgumentException("outcomes, covariates and counts differ in length");
        }
        this.p = covariateCount + 1;
        this.y = y.clone();
        this.count = count.clone();
        this.x = new double[m][p];
        long rows = 0;
        long ones = 0;
        for (int i = 0; i < m; i++) {
            if (y[i] != 0 && y[i] != 1) {
                throw new IllegalArgumentException("outcome must be 0 or 1, got " + y[i]);
            }
            if (covariates[i].length != covariateCount) {
                throw new IllegalArgumentException("entry " + i + " has " + covariates[i].length
                        + " covariates, expected " + covariateCount);
            }
            if (count[i] < 0) {
                throw new IllegalArgumentException("negative row count in entry " + i);
            }
            rows += count[i];
            ones += y[i] == 1 ? count[i] : 0;
            x[i][0] = 1.0;
            System.arraycopy(covariates[i], 0, x[i], 1, covariateCount);
        }
        this.n = rows;
        this.events = ones;
    }

    @Override
    public int dimension() {
        return p;
    }

    @Override
    public long observations() {
        return n;
    }

    @Override
    public long events() {
        return events;
    }

    @Override
    public LogisticPass pass(double[] beta) {
        double[] packed = new double[LogisticRegression.packedLength(p)];
        for (int i = 0; i < y.length; i++) {
            if (count[i] > 0) {
                LogisticRegression.accumulate(y[i], x[i], beta, packed, count[i]);
            }
        }
        return LogisticRegression.unpack(packed, p);
    }
}
