package org.iopoutcomes.stats;

/**
 * The scale on which the confidence interval of a cumulative incidence F is computed: one of R's conf.types
 * ({@link ConfType}) applied either to the survival S = 1 - F (Kaplan-Meier: R's default log CI is on S) or to the
 * incidence itself (Aalen-Johansen: R's multi-state default log CI is on the state probability, here F).
 *
 * <p>Each scale is written as a transform h increasing in F, so that "F is below an edge" reads the same on every
 * scale ({@link #h}, {@link #slope}):
 * <pre>
 *   log on S        h(F) = -log(1 - F)             h'(F) = 1 / (1 - F)
 *   log-log on S    h(F) = log(-log(1 - F))        h'(F) = 1 / ((1 - F) |log(1 - F)|)
 *   log on F        h(F) = log F                   h'(F) = 1 / F
 *   log-log on F    h(F) = -log(-log F)            h'(F) = 1 / (F |log F|)
 *   plain           h(F) = F                       h'(F) = 1
 * </pre>
 * These are R's survfit_confint transforms (log S -+ z se(S)/S; log(-log S) -+ z se(S)/(S |log S|); S -+ z se(S);
 * the same on p for multi-state curves) up to the sign that makes them increase in F.
 *
 * @param type       R's conf.type
 * @param onSurvival true: the transform is applied to S = 1 - F; false: to F itself (plain is the same either way)
 */
public record IncidenceScale(ConfType type, boolean onSurvival) {
    /** Kaplan-Meier's 1 - S with R's default conf.type = "log" on S (survfit, single-state). */
    public static final IncidenceScale LOG_SURVIVAL = new IncidenceScale(ConfType.LOG, true);
    /** Aalen-Johansen's cumulative incidence with R's multi-state default conf.type = "log" on the estimate itself. */
    public static final IncidenceScale LOG_INCIDENCE = new IncidenceScale(ConfType.LOG, false);
    /** F -+ z se, clipped to [0, 1]. */
    public static final IncidenceScale PLAIN = new IncidenceScale(ConfType.PLAIN, false);

    public IncidenceScale {
        if (type == null) {
            throw new IllegalArgumentException("conf.type is required");
        }
        if (type == ConfType.PLAIN) {
            onSurvival = false;
        }
    }

    /** The transform of an incidence f, increasing in f; infinite or NaN where R's interval is NA. */
    public double h(double f) {
        double q = onSurvival ? 1 - f : f;
        double sign = onSurvival ? -1 : 1;
        return switch (type) {
            case PLAIN -> f;
            case LOG -> sign * Math.log(q);
            case LOG_LOG -> -sign * Math.log(-Math.log(q));
        };
    }

    /** |h'(f)|: the standard error of h(F) is slope(F) times that of F (delta method). */
    public double slope(double f) {
        double q = onSurvival ? 1 - f : f;
        return switch (type) {
            case PLAIN -> 1.0;
            case LOG -> 1 / q;
            case LOG_LOG -> 1 / (q * Math.abs(Math.log(q)));
        };
    }

    /** The incidence whose transform is y: the inverse of {@link #h}. */
    public double inverse(double y) {
        double sign = onSurvival ? -1 : 1;
        double q = switch (type) {
            case PLAIN -> y;
            case LOG -> Math.exp(sign * y);
            case LOG_LOG -> Math.exp(-Math.exp(-sign * y));
        };
        return type == ConfType.PLAIN || !onSurvival ? q : 1 - q;
    }

    /** How the scale is said in the docs and in R: "log on S", "log on F", "plain", ... */
    public String describe() {
        return type == ConfType.PLAIN ? "plain" : type.rName() + (onSurvival ? " on S = 1 - F" : " on F");
    }
}
