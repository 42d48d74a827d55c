package org.iopoutcomes.stats;

import java.util.ArrayList;
import java.util.List;

/**
 * Logistic regression by iteratively reweighted least squares, step for step as R's glm.fit: start at
 * mu = (y + 1/2)/2, solve each weighted least-squares step, stop when |dev - dev_old|/(|dev| + 0.1) < epsilon.
 * SEs come from the weights of the last step, as summary.glm's. Never throws on separation: the fit carries a warning.
 * The loop needs only sums over the rows ({@link LogisticSums}), so driver-side arrays and a Spark Dataset share it;
 * each step after the first solves X'WX delta = X'W(z - eta), the same solution as glm.fit's QR step without the
 * rounding of a large beta.
 */
public final class LogisticRegression {
    /** glm.control(epsilon = 1e-14), the control the reference used (R's default is 1e-8). */
    public static final double DEFAULT_EPSILON = 1e-14;
    public static final int DEFAULT_MAX_ITER = 100;
    private static final double EPS = Math.ulp(1.0);
    /** R's logit link clamps eta at +-30 so that mu stays inside (0, 1). */
    private static final double ETA_THRESHOLD = 30;

    private LogisticRegression() {}

    /**
     * @param y          0/1 outcomes
     * @param covariates n x p covariates (no intercept column: it is added as "(Intercept)")
     * @param terms      names of the p covariates
     */
    public static LogisticFit fit(double[] y, double[][] covariates, List<String> terms) {
        return fit(y, covariates, terms, DEFAULT_EPSILON, DEFAULT_MAX_ITER);
    }

    public static LogisticFit fit(double[] y, double[][] covariates, List<String> terms, double epsilon, int maxIter) {
        return fit(new Rows(y, covariates, terms.size()), terms, epsilon, maxIter);
    }

    /** Fits from any source of IRLS sums (see {@link LogisticSums}); the driver-side arrays take the same path. */
    public static LogisticFit fit(LogisticSums data, List<String> terms) {
        return fit(data, terms, DEFAULT_EPSILON, DEFAULT_MAX_ITER);
    }

    public static LogisticFit fit(LogisticSums data, List<String> terms, double epsilon, int maxIter) {
        int p = data.dimension();
        if (terms.size() + 1 != p) {
            throw new IllegalArgumentException(terms.size() + " term names for " + (p - 1) + " covariates");
        }
        long n = data.observations();
        LogisticSums.LogisticPass current = data.pass(null);
        double devOld = current.deviance();
        double dev = devOld;
        double[] beta = null;
        double[][] lastInformation = null;
        boolean converged = false;
        boolean rankDeficient = false;
        int iter;
        for (iter = 1; iter <= maxIter; iter++) {
            double[][] inverse = inverseIfFullRank(current.xtwx());
            if (inverse == null) {
                rankDeficient = true;
                break;
            }
            double[] next;
            if (beta == null) {
                next = Matrices.multiply(inverse, current.xtwz());
            } else {
                // beta + (X'WX)^-1 X'W(z - eta) equals (X'WX)^-1 X'Wz, without the rounding of a large beta
                double[] delta = Matrices.multiply(inverse, current.xtwResidual());
                next = new double[p];
                for (int j = 0; j < p; j++) {
                    next[j] = beta[j] + delta[j];
                }
            }
            LogisticSums.LogisticPass nextPass = data.pass(next);
            // glm.fit halves the step when the deviance is not finite
            int halvings = 0;
            while (!Double.isFinite(nextPass.deviance()) && beta != null && halvings < maxIter) {
                for (int j = 0; j < p; j++) {
                    next[j] = (next[j] + beta[j]) / 2;
                }
                nextPass = data.pass(next);
                halvings++;
            }
            lastInformation = current.xtwx();
            beta = next;
            current = nextPass;
            dev = nextPass.deviance();
            if (Math.abs(dev - devOld) / (Math.abs(dev) + 0.1) < epsilon) {
                converged = true;
                break;
            }
            devOld = dev;
        }
        int iterations = Math.min(iter, maxIter);
        List<String> warnings = new ArrayList<>();
        if (rankDeficient) {
            warnings.add("covariates are collinear (the design matrix is singular); no estimates");
        }
        if (!converged && !rankDeficient) {
            warnings.add("algorithm did not converge in " + maxIter + " iterations");
        }
        if (current.boundary() > 0) {
            warnings.add("fitted probabilities numerically 0 or 1 occurred (separation): estimates and SEs of"
                    + " the separating covariates are not reliable");
        }

        double[][] covariance = rankDeficient || lastInformation == null ? null : inverseIfFullRank(lastInformation);
        List<String> names = new ArrayList<>();
        names.add("(Intercept)");
        names.addAll(terms);
        double z95 = Normal.Z95;
        List<LogisticCoefficient> coefficients = new ArrayList<>(p);
        for (int j = 0; j < p; j++) {
            double estimate = rankDeficient ? Na.NA : beta[j];
            double se = covariance == null ? Na.NA : Math.sqrt(covariance[j][j]);
            double z = estimate / se;
            coefficients.add(new LogisticCoefficient(names.get(j), estimate, se, z,
                    rankDeficient ? Na.NA : Normal.twoSidedP(z), Math.exp(estimate),
                    new Interval(Math.exp(estimate - z95 * se), Math.exp(estimate + z95 * se))));
        }
        double nullDeviance = nullDeviance(data.events(), n);
        double loglik = -dev / 2; // 0/1 outcomes: the saturated log-likelihood is 0
        double aic = dev + 2 * p;
        return new LogisticFit(n, coefficients, nullDeviance, n - 1, dev, n - p, aic, loglik, iterations,
                converged, String.join("; ", warnings));
    }

    /** Deviance of the intercept-only model: every fitted probability is the share of ones. */
    static double nullDeviance(long events, long n) {
        double mean = (double) events / n;
        double dev = 0.0;
        if (events > 0) {
            dev += -2 * events * Math.log(mean);
        }
        if (events < n) {
            dev += -2 * (n - events) * Math.log(1 - mean);
        }
        return dev;
    }

    /** Scaled Cholesky pivot under which X'WX counts as singular. */
    static final double RANK_TOLERANCE = 1e-12;

    /**
     * Inverse of X'WX, or null when the design is singular: a Cholesky pivot of the matrix scaled to a unit diagonal
     * below {@link #RANK_TOLERANCE} (a column whose part not explained by the columns before it has a weighted norm
     * under 1e-6 of its own), or a zero column.
     */
    static double[][] inverseIfFullRank(double[][] information) {
        int p = information.length;
        double[] scale = new double[p];
        for (int i = 0; i < p; i++) {
            if (!(information[i][i] > 0) || !Double.isFinite(information[i][i])) {
                return null;
            }
            scale[i] = 1 / Math.sqrt(information[i][i]);
        }
        double[][] scaled = new double[p][p];
        for (int i = 0; i < p; i++) {
            for (int j = 0; j < p; j++) {
                scaled[i][j] = information[i][j] * scale[i] * scale[j];
            }
        }
        // Cholesky of the scaled matrix, watching the pivots
        double[][] l = new double[p][p];
        for (int j = 0; j < p; j++) {
            double pivot = scaled[j][j];
            for (int k = 0; k < j; k++) {
                pivot -= l[j][k] * l[j][k];
            }
            if (!(pivot > RANK_TOLERANCE)) {
                return null;
            }
            l[j][j] = Math.sqrt(pivot);
            for (int i = j + 1; i < p; i++) {
                double v = scaled[i][j];
                for (int k = 0; k < j; k++) {
                    v -= l[i][k] * l[j][k];
                }
                l[i][j] = v / l[j][j];
            }
        }
        double[][] scaledInverse = Matrices.inverseSymmetric(scaled);
        double[][] inverse = new double[p][p];
        for (int i = 0; i < p; i++) {
            for (int j = 0; j < p; j++) {
                inverse[i][j] = scaledInverse[i][j] * scale[i] * scale[j];
            }
        }
        return inverse;
    }

    /** Driver-side rows: the sums of {@link LogisticSums} by a loop over arrays. */
    static final class Rows implements LogisticSums {
        private final double[] y;
        private final double[][] x; // n x p, intercept first
        private final int p;
        private final long events;

        Rows(double[] y, double[][] covariates, int covariateCount) {
            int n = y.length;
            this.p = covariateCount + 1;
            this.y = y.clone();
            this.x = new double[n][p];
            long ones = 0;
            for (int i = 0; i < n; i++) {
                if (y[i] != 0 && y[i] != 1) {
                    throw new IllegalArgumentException("outcome must be 0 or 1, got " + y[i] + " in row " + (i + 1));
                }
                if (covariates[i].length != covariateCount) {
                    throw new IllegalArgumentException("row " + (i + 1) + " has " + covariates[i].length
                            + " covariates, expected " + covariateCount);
                }
                ones += (long) y[i];
                x[i][0] = 1.0;
                System.arraycopy(covariates[i], 0, x[i], 1, p - 1);
            }
            this.events = ones;
        }

        @Override
        public int dimension() {
            return p;
        }

        @Override
        public long observations() {
            return y.length;
        }

        @Override
        public long events() {
            return events;
        }

        @Override
        public LogisticPass pass(double[] beta) {
            double[] packed = new double[packedLength(p)];
            for (int i = 0; i < y.length; i++) {
                accumulate(y[i], x[i], beta, packed);
            }
            return unpack(packed, p);
        }
    }

    /** Length of a packed pass: deviance, boundary count, X'Wz, X'W(z - eta), lower triangle of X'WX. */
    public static int packedLength(int p) {
        return 2 + 2 * p + p * (p + 1) / 2;
    }

    /**
     * Adds one row to a packed pass (see {@link #packedLength}); x has the intercept as its first element, beta null
     * means glm.fit's starting values. Packed sums add up element by element, so partial sums from anywhere merge.
     */
    public static void accumulate(double y, double[] x, double[] beta, double[] packed) {
        accumulate(y, x, beta, packed, 1.0);
    }

    /**
     * Adds {@code rows} identical rows to a packed pass: each sum takes rows times the row's term (the same terms as
     * {@link #accumulate(double, double[], double[], double[])}; rows = 1 gives exactly that).
     */
    public static void accumulate(double y, double[] x, double[] beta, double[] packed, double rows) {
        int p = x.length;
        double mu;
        double eta;
        if (beta == null) {
            mu = startMu(y);
            eta = Math.log(mu / (1 - mu));
        } else {
            eta = Matrices.dot(beta, x);
            mu = inverseLogit(eta);
        }
        packed[0] += rows * unitDeviance(y, mu);
        if (atBoundary(mu)) {
            packed[1] += rows;
        }
        double muEta = Math.max(mu * (1 - mu), EPS);
        double w = rows * (muEta * muEta / (mu * (1 - mu)));
        double r = (y - mu) / muEta;
        double z = eta + r;
        int k = 2 + 2 * p;
        for (int a = 0; a < p; a++) {
            double wx = w * x[a];
            packed[2 + a] += wx * z;
            packed[2 + p + a] += wx * r;
            for (int b = 0; b <= a; b++) {
                packed[k++] += wx * x[b];
            }
        }
    }

    /** A packed pass as a {@link LogisticSums.LogisticPass}. */
    public static LogisticSums.LogisticPass unpack(double[] packed, int p) {
        double[] xtwz = java.util.Arrays.copyOfRange(packed, 2, 2 + p);
        double[] xtwr = java.util.Arrays.copyOfRange(packed, 2 + p, 2 + 2 * p);
        double[][] xtwx = new double[p][p];
        int k = 2 + 2 * p;
        for (int a = 0; a < p; a++) {
            for (int b = 0; b <= a; b++) {
                xtwx[a][b] = packed[k++];
                xtwx[b][a] = xtwx[a][b];
            }
        }
        return new LogisticSums.LogisticPass(packed[0], xtwx, xtwz, xtwr, Math.round(packed[1]));
    }

    /** glm.fit's starting fitted value for a 0/1 outcome. */
    public static double startMu(double y) {
        return (y + 0.5) / 2;
    }

    /** -2 log P(y) for a 0/1 outcome. */
    public static double unitDeviance(double y, double mu) {
        return y == 1 ? -2 * Math.log(mu) : -2 * Math.log(1 - mu);
    }

    /** A fitted probability numerically 0 or 1 (R's glm.fit warning). */
    public static boolean atBoundary(double mu) {
        return mu > 1 - 10 * EPS || mu < 10 * EPS;
    }

    /** Machine epsilon, the floor of mu (1 - mu) in the IRLS weights. */
    public static double machineEpsilon() {
        return EPS;
    }

    /** R's logit link inverse: eta clamped at +-30 so that mu stays inside (0, 1). */
    public static double inverseLogit(double eta) {
        if (eta < -ETA_THRESHOLD) {
            return EPS;
        }
        if (eta > ETA_THRESHOLD) {
            return 1 - EPS;
        }
        double e = Math.exp(eta);
        return e / (1 + e);
    }

    /** Binomial deviance for 0/1 outcomes: -2 sum log P(y_i). */
    static double deviance(double[] y, double[] mu) {
        double sum = 0.0;
        for (int i = 0; i < y.length; i++) {
            sum += y[i] == 1 ? -2 * Math.log(mu[i]) : -2 * Math.log(1 - mu[i]);
        }
        return sum;
    }
}
