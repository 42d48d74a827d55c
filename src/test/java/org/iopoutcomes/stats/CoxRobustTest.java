package org.iopoutcomes.stats;

import static org.iopoutcomes.stats.Reference.assertMatches;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Robust (sandwich) SEs clustered by an id against R 4.2.2 / survival 3.5-3, numbers printed with sprintf("%.17g"):
 * <pre>
 * r &lt;- read.csv("rossi.csv"); r$cl &lt;- ceiling(r$id / 3)
 * t &lt;- read.csv("tiny_ties.csv"); t$cl &lt;- ceiling(t$id / 2)
 * ctl &lt;- coxph.control(eps = 1e-12, toler.chol = .Machine$double.eps^0.9, iter.max = 100)
 * fit &lt;- coxph(Surv(week, arrest) ~ fin + age + race_other + wexp + mar_notmarried + paro + prio,
 *              data = r, ties = ties, cluster = cl, control = ctl)
 * fit &lt;- coxph(Surv(time, event) ~ group, data = t, ties = ties, cluster = cl, control = ctl)
 * sqrt(diag(fit$var)); sqrt(diag(fit$naive.var)); fit$wald.test
 * </pre>
 */
class CoxRobustTest {
    private static final List<String> ROSSI_TERMS =
            List.of("fin", "age", "race_other", "wexp", "mar_notmarried", "paro", "prio");

    private static Object[] clusters(String dataset, int size) {
        double[] id = Reference.column(dataset + ".csv", "id");
        Object[] cluster = new Object[id.length];
        for (int i = 0; i < id.length; i++) {
            cluster[i] = (long) Math.ceil(id[i] / size);
        }
        return cluster;
    }

    private static void check(CoxFit fit, String[] coef, String[] robustSe, String[] naiveSe, String wald) {
        assertTrue(fit.robust());
        for (int i = 0; i < coef.length; i++) {
            CoxCoefficient c = fit.coefficients().get(i);
            assertMatches(c.term() + " coef", coef[i], c.coef());
            assertMatches(c.term() + " robust se", robustSe[i], c.se());
            assertMatches(c.term() + " naive se", naiveSe[i], c.naiveSe());
            assertEquals(c.coef() / c.se(), c.z(), 1e-15, "z uses the robust SE");
        }
        assertMatches("robust wald", wald, fit.wald());
    }

    @Test
    void rossiEfron() {
        CoxFit fit = CoxRegression.fit(CoxReferenceTest.subjects("rossi", "week", "arrest", ROSSI_TERMS), ROSSI_TERMS,
                CoxTies.EFRON, clusters("rossi", 3));
        check(fit,
                new String[] {"-0.37942216687121", "-0.05743774301376111", "-0.31389978594929535", "-0.14979569722278815",
                        "0.43370387669024174", "-0.084871082990839966", "0.091497079351120628"},
                new String[] {"0.19505502830123372", "0.026731285438307936", "0.28000221362396588", "0.2178886538654799",
                        "0.37832050890874247", "0.20857863066201399", "0.029341447272617054"},
                new String[] {"0.19137948071280916", "0.021999470627953776", "0.30799277639293732", "0.21222429615816357",
                        "0.38186805746491953", "0.19575667192092308", "0.028648550073470606"},
                "27.754620400155247");
    }

    @Test
    void rossiBreslow() {
        CoxFit fit = CoxRegression.fit(CoxReferenceTest.subjects("rossi", "week", "arrest", ROSSI_TERMS), ROSSI_TERMS,
                CoxTies.BRESLOW, clusters("rossi", 3));
        check(fit,
                new String[] {"-0.37902188779502904", "-0.057245925363557076", "-0.31412976506824353", "-0.15111459962745741",
                        "0.43278257254904479", "-0.084982835751606964", "0.091111540500465549"},
                new String[] {"0.19425752544811722", "0.026621240011303612", "0.27894064518424649", "0.21681809334135338",
                        "0.37696050521465219", "0.20761236952679585", "0.029100394692343431"},
                new String[] {"0.19136442585901953", "0.021983185751471374", "0.30801727957875696", "0.21212316079631954",
                        "0.38179493506430884", "0.19574820732321191", "0.028631253066824847"},
                "27.899752462452867");
    }

    @Test
    void tiedTimesEfronAndBreslow() {
        List<String> terms = List.of("group");
        CoxSubjects tiny = CoxReferenceTest.subjects("tiny_ties", "time", "event", terms);
        check(CoxRegression.fit(tiny, terms, CoxTies.EFRON, clusters("tiny_ties", 2)),
                new String[] {"-0.75018902381539032"}, new String[] {"0.59425117563571916"},
                new String[] {"0.51793506302169223"}, "1.5936806956205243");
        check(CoxRegression.fit(tiny, terms, CoxTies.BRESLOW, clusters("tiny_ties", 2)),
                new String[] {"-0.74934090425589939"}, new String[] {"0.57130276590672946"},
                new String[] {"0.51789105354034037"}, "1.7203872956852022");
    }
}
