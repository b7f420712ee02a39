package org.recommender.tools.cli;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.Console;
import java.io.PrintWriter;
import java.lang.reflect.Method;
import java.text.DecimalFormat;

/**
 * Shows progress on stderr, so that stdout stays clean for results: a progress bar with rate and ETA on a terminal;
 * when output goes to a file or pipe, where a redrawn bar turns into noise, one line per message (e.g. per epoch)
 * instead; nothing with {@code --quiet}.
 */
public final class ProgressDisplay implements AutoCloseable {
    private final ProgressBar bar;
    private final PrintWriter lines;
    private final String task;

    private ProgressDisplay(ProgressBar bar, PrintWriter lines, String task) {
        this.bar = bar;
        this.lines = lines;
        this.task = task;
    }

    /**
     * @param task shown at the left of the bar
     * @param max the total, in {@code unit}s
     * @param unit what is counted, e.g. {@code docs}; shown with a rate per second, or {@code null} for neither
     *     (keeps the line short enough for the extra message on an 80-column terminal)
     * @param quiet show nothing
     * @param err where line-mode messages go
     */
    public static ProgressDisplay start(String task, long max, String unit, boolean quiet, PrintWriter err) {
        if (quiet) {
            return new ProgressDisplay(null, null, task);
        }
        if (interactive() == false) {
            return new ProgressDisplay(null, err, task);
        }
        ProgressBarBuilder builder = new ProgressBarBuilder().setTaskName(task)
            .setInitialMax(max)
            .setStyle(ProgressBarStyle.ASCII)
            .setUpdateIntervalMillis(250);
        if (unit != null) {
            builder.setUnit(" " + unit, 1).showSpeed(new DecimalFormat("#,##0"));
        }
        return new ProgressDisplay(builder.build(), null, task);
    }

    /** Advances by {@code n}. */
    public void step(long n) {
        if (bar != null) {
            bar.stepBy(n);
        }
    }

    /**
     * Shows {@code text} after the bar; without a terminal, prints it as its own line if {@code milestone}, so logs
     * get a few progress lines rather than one per update.
     */
    public void message(String text, boolean milestone) {
        if (bar != null) {
            bar.setExtraMessage(" " + text);
        } else if (lines != null && milestone) {
            lines.println(task + ": " + text);
            lines.flush();
        }
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }

    /**
     * Whether stdin/stdout are a terminal. Before JDK 22 {@link System#console()} is null otherwise; from 22 on it
     * may exist anyway and {@code Console.isTerminal()} (not in the release-21 API, hence reflection) tells.
     */
    private static boolean interactive() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            Method isTerminal = Console.class.getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(console);
        } catch (ReflectiveOperationException e) {
            return true; // JDK 21: a console exists only for a terminal
        }
    }
}
