package org.iopoutcomes.cli;

/** A setting or option value that cannot be used; exits with code 2. The message names the option and the value. */
public class BadSettingsException extends RuntimeException {
    public BadSettingsException(String message) {
        super(message);
    }

    public static BadSettingsException of(String option, Object value, String expectation) {
        return new BadSettingsException(option + " = '" + value + "': " + expectation);
    }
}
