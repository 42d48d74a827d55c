package org.iopoutcomes.stats;

/**
 * Gray's test for one state, as one row of cmprsk::cuminc's {@code $Tests}.
 *
 * @param state    status code of the state tested
 * @param stat     score' V^-1 score; -1 when V is singular (as cuminc)
 * @param df       number of groups with subjects minus one
 * @param pValue   upper chi-square tail of stat (cuminc's {@code pv}); 1 when V is singular
 * @param singular V was rank deficient by R's qr() rule, so stat and p are cuminc's placeholders
 * @param score    scores of the first df groups (observed minus expected cause-specific incidence)
 * @param variance their variance matrix
 */
public record GrayTestResult(int state, double stat, int df, double pValue, boolean singular, double[] score,
                             double[][] variance) {
    public GrayTestResult {
        score = score.clone();
        double[][] copy = new double[variance.length][];
        for (int i = 0; i < variance.length; i++) {
            copy[i] = variance[i].clone();
        }
        variance = copy;
    }
}
