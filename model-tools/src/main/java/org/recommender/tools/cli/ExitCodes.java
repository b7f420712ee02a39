package org.recommender.tools.cli;

/** The process exit codes of {@code model-tools}, as documented in {@code docs/model-tools.md}. */
public final class ExitCodes {
    /** Success. */
    public static final int OK = 0;
    /** The work could not be done: the cluster failed or refused, a check did not pass, or an unexpected error. */
    public static final int FAILURE = 1;
    /** The request was wrong: a bad option, a missing or malformed input file. */
    public static final int USAGE = 2;

    private ExitCodes() {}
}
