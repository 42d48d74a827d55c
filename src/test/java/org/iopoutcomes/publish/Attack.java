package org.iopoutcomes.publish;

/** The ways of issue 13 in which a published count comes back, and one more (subtraction across strata). */
public enum Attack {
    /** 1. Consecutive curve points give the events of a step; published cumulative counts differenced. */
    CURVE_DIFFERENCING("curve differencing"),
    /** 2. A statistic computed from hidden cells, inverted (dose_response.trend_p). */
    STATISTIC_INVERSION("statistics from hidden cells"),
    /** 3. A total minus its parts inside one row. */
    ROW_SUBTRACTION("subtraction inside a row"),
    /** 4. Numbers inside text columns, flags that bound hidden counts. */
    TEXT_AND_FLAGS("texts and flags"),
    /** 5. The same people counted in two tables, or in two rows of one table. */
    ACROSS_TABLES("across tables"),
    /** Not in the list: the values of a stratum add up to the overall row, one hidden value is the rest. */
    ACROSS_STRATA("across strata");

    private final String title;

    Attack(String title) {
        this.title = title;
    }

    public String title() {
        return title;
    }
}
