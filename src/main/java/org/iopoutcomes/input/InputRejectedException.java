package org.iopoutcomes.input;

/**
 * Input the job refuses as a whole (missing table or column, unparseable file, a direct identifier,
 * too many rejected rows); exits with code 3. The message names the file, the column and the expectation.
 */
public class InputRejectedException extends RuntimeException {
    public InputRejectedException(String message) {
        super(message);
    }

    public InputRejectedException(String message, Throwable cause) {
        super(message, cause);
    }
}
