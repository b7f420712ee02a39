package org.recommender.core.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs a test class's {@code main} in a fresh JVM on the test class path — for what one JVM cannot show about itself,
 * such as whether interpreted ({@code -Xint}) and compiled code give the same bits. The child prints one line, an
 * {@code int[]} as {@link Arrays#toString(int[])} writes it, which is returned.
 */
public final class ChildJvm {
    private ChildJvm() {}

    /**
     * @param main the class whose {@code main(String[])} to run
     * @param rounds passed to {@code main} as its only argument
     * @param options JVM options, e.g. {@code -Xint} or {@code --add-modules=jdk.incubator.vector}
     * @return the integers the child printed
     */
    public static int[] run(Class<?> main, int rounds, String... options) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(options));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName(), Integer.toString(rounds)));
        Process child = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue(child.waitFor(120, TimeUnit.SECONDS), "the child JVM did not finish");
        assertEquals(0, child.exitValue(), output);
        return Arrays.stream(output.substring(1, output.length() - 1).split(", ")).mapToInt(Integer::parseInt).toArray();
    }
}
