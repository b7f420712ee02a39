package org.recommender.tools.cli;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.Console;
import java.io.PrintWriter;
import java.lang.reflect.Method;
import java.text.DecimalFormat;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Shows progress on stderr, so that stdout stays clean for results: a progress bar with rate and ETA on a terminal;
 * when output goes to a file or pipe, where a redrawn bar turns into noise, one line per milestone message (e.g. every
 * tenth epoch) instead, and a line at least every {@value #QUIET_SECONDS} s of a long step (the latest message, or how
 * far the count got), so a log never goes silent; nothing with {@code --quiet}. The silence is checked on every update
 * and, for steps that update seldom or not at all (an EASE inversion, a DL4J epoch), by a shared background
 * heartbeat once a second.
 */
public final class ProgressDisplay implements AutoCloseable {
    /** Longest silence in line mode, in seconds: "every step longer than a few seconds shows progress". */
    static final int QUIET_SECONDS = 5;

    private final ProgressBar bar;
    private final PrintWriter lines;
    private final String task;
    private final long max;
    private final Unit unit;
    private final LongSupplier clock;
    private final long started;
    private final ScheduledFuture<?> heartbeat;
    private long done;
    private long lastLine;
    private String latest;

    private ProgressDisplay(ProgressBar bar, PrintWriter lines, String task, long max, Unit unit, LongSupplier clock, boolean beating) {
        this.bar = bar;
        this.lines = lines;
        this.task = task;
        this.max = max;
        this.unit = unit;
        this.clock = clock;
        this.started = clock.getAsLong();
        this.lastLine = started;
        this.heartbeat = beating && lines != null ? Heartbeat.EVERY_SECOND.scheduleWithFixedDelay(this::beat, 1, 1, TimeUnit.SECONDS) : null;
    }

    private ProgressDisplay(ProgressBar bar, PrintWriter lines, String task, long max, Unit unit) {
        this(bar, lines, task, max, unit, System::nanoTime, true);
    }

    /**
     * What a display counts.
     *
     * @param name shown after the counts and, per second, as the rate
     * @param size how many of what is counted make one shown: the counts are divided by it
     */
    public record Unit(String name, long size) {
        /** Bytes, shown in megabytes (10^6), e.g. while a file is read. */
        public static final Unit MEGABYTES = new Unit("MB", 1_000_000);

        /** @return a unit counted one by one, e.g. {@code docs} */
        public static Unit of(String name) {
            return new Unit(name, 1);
        }
    }

    /**
     * Line mode on {@code err} with {@code clock} (nanoseconds) deciding when a log has been silent too long; no
     * background heartbeat (tests call {@link #beat} themselves).
     */
    static ProgressDisplay lines(String task, long max, PrintWriter err, LongSupplier clock) {
        return lines(task, max, null, err, clock);
    }

    /** As {@link #lines(String, long, PrintWriter, LongSupplier)}, counting in {@code unit} (null: plain numbers). */
    static ProgressDisplay lines(String task, long max, Unit unit, PrintWriter err, LongSupplier clock) {
        return new ProgressDisplay(null, err, task, max, unit, clock, false);
    }

    /** The one daemon thread that wakes every open line-mode display; daemon, so it never holds the JVM open. */
    private static final class Heartbeat {
        static final ScheduledExecutorService EVERY_SECOND = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "progress-heartbeat");
            t.setDaemon(true);
            return t;
        });
    }

    /** In line mode, prints what the step is doing if nothing was printed for {@value #QUIET_SECONDS} s. */
    synchronized void beat() {
        if (lines != null && silentTooLong()) {
            long seconds = (clock.getAsLong() - started) / 1_000_000_000L;
            String doing = latest != null ? latest : max > 0 ? howFar() : "working";
            print(String.format(Locale.ROOT, "%s, %d s so far", doing, seconds));
        }
    }

    /**
     * @param task shown at the left of the bar
     * @param max the total, counted as {@link #step} counts (for {@link Unit#MEGABYTES}: bytes)
     * @param unit what is counted, e.g. {@code Unit.of("docs")}; shown with a rate per second, or {@code null} for
     *     neither (keeps the line short enough for the extra message on an 80-column terminal)
     * @param quiet show nothing
     * @param err where line-mode messages go
     */
    public static ProgressDisplay start(String task, long max, Unit unit, boolean quiet, PrintWriter err) {
        if (quiet) {
            return new ProgressDisplay(null, null, task, max, unit);
        }
        if (interactive() == false) {
            return new ProgressDisplay(null, err, task, max, unit);
        }
        ProgressBarBuilder builder = new ProgressBarBuilder().setTaskName(task)
            .setInitialMax(max)
            .setStyle(ProgressBarStyle.ASCII)
            .setUpdateIntervalMillis(250);
        if (unit != null) {
            builder.setUnit(" " + unit.name(), unit.size()).showSpeed(new DecimalFormat("#,##0"));
        }
        return new ProgressDisplay(builder.build(), null, task, max, unit);
    }

    /** Advances by {@code n}. */
    public synchronized void step(long n) {
        if (bar != null) {
            bar.stepBy(n);
        } else if (lines != null) {
            done += n;
            if (silentTooLong()) {
                print(max > 0 ? howFar() : String.format(Locale.ROOT, "%,d%s", shown(done), unitSuffix()));
            }
        }
    }

    /**
     * Shows {@code text} after the bar; without a terminal, prints it as its own line if {@code milestone}, so logs
     * get a few progress lines rather than one per update.
     */
    public synchronized void message(String text, boolean milestone) {
        latest = text;
        if (bar != null) {
            bar.setExtraMessage(" " + text);
        } else if (lines != null && (milestone || silentTooLong())) {
            print(text);
        }
    }

    /** @return e.g. {@code 37% (250 of 678 MB)} */
    private String howFar() {
        return String.format(Locale.ROOT, "%d%% (%,d of %,d%s)", 100 * done / max, shown(done), shown(max), unitSuffix());
    }

    private long shown(long count) {
        return unit == null ? count : count / unit.size();
    }

    private String unitSuffix() {
        return unit == null ? "" : " " + unit.name();
    }

    private boolean silentTooLong() {
        return clock.getAsLong() - lastLine >= QUIET_SECONDS * 1_000_000_000L;
    }

    private void print(String text) {
        lines.println(task + ": " + text);
        lines.flush();
        lastLine = clock.getAsLong();
    }

    @Override
    public void close() {
        if (heartbeat != null) {
            heartbeat.cancel(false);
        }
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
