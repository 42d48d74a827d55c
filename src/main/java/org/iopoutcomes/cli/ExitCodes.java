package org.iopoutcomes.cli;

/** The exit codes of SPEC section 5, in one place. */
public final class ExitCodes {
    public static final int OK = 0;
    public static final int FAILURE = 1;
    public static final int BAD_ARGUMENTS = 2;
    public static final int INPUT_REJECTED = 3;

    private ExitCodes() {}
}
