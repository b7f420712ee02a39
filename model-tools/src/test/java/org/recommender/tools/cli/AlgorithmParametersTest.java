package org.recommender.tools.cli;

import org.junit.jupiter.api.Test;
import org.recommender.tools.train.Trainer;
import org.recommender.tools.train.params.HyperParameter;
import org.recommender.tools.train.registry.Algorithms;
import picocli.CommandLine;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The declarations as the command line sees them: every parameter's option exists on {@code train} and takes its
 * documented default, {@code --help} lists each one with default and range, and a value out of range is refused
 * naming the option the user typed, on {@code train} and on {@code evaluate}.
 */
class AlgorithmParametersTest {
    private static <T> String defaultText(HyperParameter<T> p) {
        return p.format(p.defaultValue());
    }

    /**
     * For every algorithm and parameter: the option its messages name parses on {@code train}, and giving the default
     * through it builds a trainer that records exactly that default.
     */
    @Test
    void everyParameterIsSetByTheOptionItsMessagesNameAndRecordsItsValue() {
        int checked = 0;
        for (String algorithm : Algorithms.names()) {
            for (HyperParameter<?> p : Algorithms.parameters(algorithm)) {
                String value = defaultText(p);
                List<String> args = new ArrayList<>(List.of("train", "--algorithm", algorithm, "--data", "x.csv", "--out", "o"));
                args.addAll(p.hasOwnOption() ? List.of(p.option(), value) : List.of("-P", p.name() + "=" + value));
                CommandLine.ParseResult parsed = ModelTools.commandLine(false).parseArgs(args.toArray(String[]::new));
                assertTrue(parsed.hasSubcommand(), args.toString());
                Trainer trainer = p.hasOwnOption()
                    ? Algorithms.create(algorithm, Map.of(), p.name().equals(HyperParameter.DIMS) ? Integer.valueOf(value) : null,
                        p.name().equals(HyperParameter.EPOCHS) ? Integer.valueOf(value) : null, 1)
                    : Algorithms.create(algorithm, Map.of(p.name(), value), null, null, 1);
                assertEquals(p.defaultValue(), trainer.parameters().get(p.recordedName()), algorithm + " " + p.name());
                checked++;
            }
        }
        assertTrue(checked >= 35, "checked only " + checked);
    }

    @Test
    void helpListsEachParameterOfEachAlgorithmWithDefaultAndRange() {
        CliRun train = CliRun.of("train", "--help");
        assertEquals(0, train.code());
        List<String> lines = train.out().lines().toList();
        CliRun evaluate = CliRun.of("evaluate", "--help");
        List<String> evaluateLines = evaluate.out().lines().toList();
        for (String algorithm : Algorithms.names()) {
            assertTrue(lines.contains("  " + algorithm + (Algorithms.parameters(algorithm).isEmpty() ? ": no parameters" : ":")), algorithm);
            for (HyperParameter<?> p : Algorithms.parameters(algorithm)) {
                assertRow(lines, p.option(), p);
                assertRow(evaluateLines, p.hasOwnOption() ? p.option() : "-P " + algorithm + "." + p.name(), p);
            }
        }
    }

    private static void assertRow(List<String> lines, String option, HyperParameter<?> p) {
        String row = "^\\s+" + Pattern.quote(option) + "\\s+" + Pattern.quote(defaultText(p)) + "\\s+" + Pattern.quote(p.range()) + "\\s+"
            + Pattern.quote(p.help()) + "$";
        assertTrue(lines.stream().anyMatch(l -> l.matches(row)), "no help row for " + option + " in\n" + String.join("\n", lines));
    }

    /** The options the old messages named ({@code --l2}, {@code --dropout}, {@code --hidden}) do not exist; the new ones do. */
    @Test
    void outOfRangeValuesAreRefusedNamingTheOptionTyped() {
        CliRun l2 = CliRun.of("train", "--algorithm", "multdae", "--data", "missing.csv", "--out", "o", "-P", "l2=-1");
        assertEquals(2, l2.code());
        assertEquals("model-tools train: error: -P l2 must be in [0, 1] but was -1.0 (see model-tools train --help)", l2.errLine());
        CliRun hidden = CliRun.of("train", "--algorithm", "multdae", "--data", "missing.csv", "--out", "o", "--dims", "5000");
        assertTrue(hidden.errLine().contains(": --dims must be between 1 and 4095 but was 5000"), hidden.errLine());
        CliRun dropout = CliRun.of("evaluate", "--data", "missing.csv", "--algorithms", "multdae", "-P", "multdae.dropout=1", "--out", "o");
        assertEquals(2, dropout.code());
        assertTrue(dropout.errLine().contains(": -P multdae.dropout must be in [0, 1) but was 1.0"), dropout.errLine());
        CliRun ownDims = CliRun.of("evaluate", "--data", "missing.csv", "--algorithms", "neumf", "-P", "neumf.dims=0", "--out", "o");
        assertTrue(ownDims.errLine().contains(": -P neumf.dims must be between 1 and 2048 but was 0"), ownDims.errLine());
        CliRun commonDims = CliRun.of("evaluate", "--data", "missing.csv", "--algorithms", "neumf", "--dims", "0", "--out", "o");
        assertTrue(commonDims.errLine().contains(": --dims must be between 1 and 2048 but was 0"), commonDims.errLine());
        for (String old : List.of("--l2", "--dropout", "--hidden", "--gmf-dims", "--batch-size", "--pretrain-epochs")) {
            assertFalse(CliRun.of("train", "--help").out().contains(old + " "), old + " is no train option");
        }
    }

    @Test
    void dimsAndEpochsAreOptionsNotParameters() {
        CliRun r = CliRun.of("train", "--algorithm", "bpr", "--data", "missing.csv", "--out", "o", "-P", "dims=8");
        assertEquals(2, r.code());
        assertTrue(r.errLine().contains(": -P dims is not a parameter; use --dims"), r.errLine());
    }
}
