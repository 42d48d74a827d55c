package org.iopoutcomes.input;

/** Reason codes of quarantined rows: stable strings that tests, stewards and dashboards key on. */
public final class QuarantineReason {
    private QuarantineReason() {}

    /** The CSV line does not split into the header's columns. */
    public static final String MALFORMED_ROW = "malformed_row";
    /** A required field is empty. */
    public static final String MISSING_VALUE = "missing_value";
    /** A date that is not a valid ISO YYYY-MM-DD date. */
    public static final String BAD_DATE = "bad_date";
    /** A code that is not in the column's list (codes are lower case). */
    public static final String BAD_CODE = "bad_code";
    /** A whole number that is not one. */
    public static final String BAD_INTEGER = "bad_integer";
    /** A boolean that is not true/false (1/0 accepted). */
    public static final String BAD_BOOLEAN = "bad_boolean";
    /** A date after the day the job runs. */
    public static final String FUTURE_DATE = "future_date";
    /** Session minutes of zero or less. */
    public static final String MINUTES_NOT_POSITIVE = "minutes_not_positive";
    /** A negative count of prior episodes. */
    public static final String PRIOR_EPISODES_NEGATIVE = "prior_episodes_negative";
    /** Discharge dated before admission. */
    public static final String DISCHARGE_BEFORE_ADMISSION = "discharge_before_admission";
    /** A discharge date without a discharge reason. */
    public static final String DISCHARGE_REASON_MISSING = "discharge_reason_missing";
    /** A discharge reason without a discharge date. */
    public static final String DISCHARGE_REASON_WITHOUT_DISCHARGE = "discharge_reason_without_discharge";
    /** A follow-up that was not reached but reports abstinence. */
    public static final String ABSTINENCE_WITHOUT_CONTACT = "abstinence_without_contact";
    /** Two or more episode rows share an episode_id: all of them are held back, none is guessed right. */
    public static final String DUPLICATE_EPISODE_ID = "duplicate_episode_id";
    /**
     * Two or more rows of the deaths table name one participant (at most one is allowed): all of them are held
     * back, none is guessed right.
     */
    public static final String DUPLICATE_PARTICIPANT = "duplicate_participant";
    /** A row of a participant who has no episode. */
    public static final String UNKNOWN_PARTICIPANT = "unknown_participant";
    /** A row naming an episode_id that is not in episodes. */
    public static final String UNKNOWN_EPISODE = "unknown_episode";
    /** A row naming an episode of another participant. */
    public static final String EPISODE_PARTICIPANT_MISMATCH = "episode_participant_mismatch";
}
