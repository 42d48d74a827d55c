package org.iopoutcomes.models;

import org.apache.spark.api.java.function.Function2;

/** Element-wise sum into the first vector (which Spark lets a reduce function reuse): the reduce step of the model fits. */
final class AddVectors implements Function2<double[], double[], double[]> {
    private static final long serialVersionUID = 1L;

    @Override
    public double[] call(double[] a, double[] b) {
        for (int i = 0; i < a.length; i++) {
            a[i] += b[i];
        }
        return a;
    }
}
