package org.iopoutcomes.stats;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.CholeskyDecomposition;
import org.apache.commons.math3.linear.NonPositiveDefiniteMatrixException;
import org.apache.commons.math3.linear.NonSymmetricMatrixException;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.SingularValueDecomposition;

/** Small dense linear algebra for information matrices. */
final class Matrices {
    private Matrices() {}

    /** Inverse of a symmetric positive semi-definite matrix: Cholesky, or the SVD pseudo-inverse when singular. */
    static double[][] inverseSymmetric(double[][] matrix) {
        RealMatrix m = new Array2DRowRealMatrix(matrix, true);
        try {
            return new CholeskyDecomposition(m, 1e-12, 1e-14).getSolver().getInverse().getData();
        } catch (NonPositiveDefiniteMatrixException | NonSymmetricMatrixException e) {
            return new SingularValueDecomposition(m).getSolver().getInverse().getData();
        }
    }

    static double[] multiply(double[][] matrix, double[] vector) {
        double[] result = new double[matrix.length];
        for (int i = 0; i < matrix.length; i++) {
            double sum = 0.0;
            for (int j = 0; j < vector.length; j++) {
                sum += matrix[i][j] * vector[j];
            }
            result[i] = sum;
        }
        return result;
    }

    static double dot(double[] a, double[] b) {
        double sum = 0.0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }

    /** v' A^-1 v for symmetric A. */
    static double quadraticFormInverse(double[][] matrix, double[] vector) {
        return dot(vector, multiply(inverseSymmetric(matrix), vector));
    }

    static boolean allFinite(double[] values) {
        for (double v : values) {
            if (!Double.isFinite(v)) {
                return false;
            }
        }
        return true;
    }
}
