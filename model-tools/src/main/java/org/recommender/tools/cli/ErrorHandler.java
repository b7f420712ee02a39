package org.recommender.tools.cli;

import org.recommender.tools.cluster.ClusterException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * Turns every failure into one line on stderr, {@code model-tools <command>: error: <message>}, and an exit code:
 * {@link ExitCodes#USAGE} for bad options and bad input files, {@link ExitCodes#FAILURE} for cluster problems and
 * anything unexpected. Stack traces appear only with {@code --stacktrace}, because users need the message, not the
 * frames.
 */
public final class ErrorHandler implements IExecutionExceptionHandler, IParameterExceptionHandler {
    private final boolean stackTraces;

    /** @param stackTraces print the stack trace after the message */
    public ErrorHandler(boolean stackTraces) {
        this.stackTraces = stackTraces;
    }

    @Override
    public int handleParseException(ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        print(cmd, e.getMessage() + " (see " + cmd.getCommandSpec().qualifiedName() + " --help)", e);
        return ExitCodes.USAGE;
    }

    @Override
    public int handleExecutionException(Exception e, CommandLine cmd, ParseResult parseResult) {
        Throwable t = e instanceof UncheckedIOException u ? u.getCause() : e;
        if (t instanceof ParameterException p) {
            return handleParseException(p, parseResult.originalArgs().toArray(String[]::new));
        }
        if (t instanceof ClusterException) {
            print(cmd, t.getMessage(), t);
            return ExitCodes.FAILURE;
        }
        if (t instanceof IOException || t instanceof IllegalArgumentException) {
            print(cmd, describe(t), t);
            return ExitCodes.USAGE;
        }
        if (t instanceof IllegalStateException) {
            print(cmd, t.getMessage(), t); // a state we detect and explain, e.g. diverged training
            return ExitCodes.FAILURE;
        }
        print(cmd, "unexpected " + t.getClass().getName() + ": " + t.getMessage() + (stackTraces ? "" : " (rerun with --stacktrace for details)"), t);
        return ExitCodes.FAILURE;
    }

    /** @return a message for file-system errors, whose own messages are often just the path */
    static String describe(Throwable t) {
        if (t instanceof NoSuchFileException n) {
            return "no such file: " + n.getFile() + (n.getReason() == null ? "" : " (" + n.getReason() + ")");
        }
        if (t instanceof AccessDeniedException a) {
            return "permission denied: " + a.getFile();
        }
        if (t instanceof FileAlreadyExistsException f) {
            return "already exists: " + f.getFile();
        }
        if (t instanceof NotDirectoryException d) {
            return "not a directory: " + d.getFile();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    private void print(CommandLine cmd, String message, Throwable t) {
        PrintWriter err = cmd.getErr();
        err.println(cmd.getCommandSpec().qualifiedName() + ": error: " + oneLine(message));
        if (stackTraces) {
            t.printStackTrace(err);
        }
        err.flush();
    }

    private static String oneLine(String message) {
        return message == null ? "" : message.replaceAll("\\s*\\R\\s*", " ").strip();
    }
}
