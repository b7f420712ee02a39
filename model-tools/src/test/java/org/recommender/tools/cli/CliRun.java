package org.recommender.tools.cli;

import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * Exit code and captured output of one in-process {@code model-tools} run, as a user would see them.
 *
 * @param code the exit code
 * @param out what went to stdout
 * @param err what went to stderr
 */
record CliRun(int code, String out, String err) {
    /** Runs {@code model-tools args…} in this JVM. */
    static CliRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = ModelTools.commandLine(false);
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        int code = cmd.execute(args);
        return new CliRun(code, out.toString(), err.toString());
    }

    /** @return the error message: the last line on stderr (progress notes may come before it) */
    String errLine() {
        String[] lines = err.strip().split("\\R");
        return lines[lines.length - 1];
    }
}
