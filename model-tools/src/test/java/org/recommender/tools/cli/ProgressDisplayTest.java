package org.recommender.tools.cli;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Without a terminal, a log gets milestones, and a line whenever it would otherwise stay silent too long. */
class ProgressDisplayTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void aLogNeverStaysSilentLongerThanTheLimit() {
        AtomicLong now = new AtomicLong();
        StringWriter out = new StringWriter();
        try (ProgressDisplay display = ProgressDisplay.lines("neumf", 200, new PrintWriter(out), now::get)) {
            display.message("epoch 1 loss 0.5", true); // a milestone: always
            now.addAndGet(SECOND);
            display.message("epoch 2 loss 0.4", false); // 1 s after the last line: not yet
            display.step(50);
            now.addAndGet(ProgressDisplay.QUIET_SECONDS * SECOND);
            display.message("epoch 3 loss 0.3", false); // silent for 6 s: shown
            display.step(50);
            now.addAndGet(ProgressDisplay.QUIET_SECONDS * SECOND);
            display.step(20); // within one long epoch: how far it got
        }
        assertEquals(String.join(System.lineSeparator(), "neumf: epoch 1 loss 0.5", "neumf: epoch 3 loss 0.3", "neumf: 60% (120 of 200)", ""),
            out.toString());
    }

    @Test
    void aStepThatNeverUpdatesIsStillReportedByTheHeartbeat() {
        AtomicLong now = new AtomicLong();
        StringWriter out = new StringWriter();
        try (ProgressDisplay display = ProgressDisplay.lines("ease", 0, new PrintWriter(out), now::get)) {
            display.message("inverting the 17,632 × 17,632 Gram matrix", true);
            now.addAndGet(2 * SECOND);
            display.beat(); // 2 s silent: nothing yet
            now.addAndGet(ProgressDisplay.QUIET_SECONDS * SECOND);
            display.beat(); // 7 s silent: the step it is in, and for how long
            now.addAndGet(SECOND);
            display.beat(); // just printed: quiet again
        }
        assertEquals(String.join(System.lineSeparator(), "ease: inverting the 17,632 × 17,632 Gram matrix",
            "ease: inverting the 17,632 × 17,632 Gram matrix, 7 s so far", ""), out.toString());
    }
}
