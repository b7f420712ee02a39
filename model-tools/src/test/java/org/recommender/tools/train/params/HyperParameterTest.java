package org.recommender.tools.train.params;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One declaration drives parsing, range checks, messages, the help table and the recorded settings. */
class HyperParameterTest {
    private static final HyperParameter<Integer> DIMS = HyperParameter.dims(32, 4096, "factor dimension");
    private static final HyperParameter<Integer> EPOCHS = HyperParameter.epochs(50, "passes");
    private static final HyperParameter<Double> RATE = HyperParameter.real("learning_rate", 0.05, 0, true, 10, false, "step size");
    private static final HyperParameter<Double> L2 = HyperParameter.real("l2", 1e-5, 0, false, 1, false, "penalty");
    private static final HyperParameter<String> KIND = HyperParameter.choice("kind", "binary", List.of("binary", "log"), "how");
    private static final HyperParameter<List<Integer>> LAYERS = HyperParameter.integers("layers", List.of(32, 16), 3, 1, 64, "tower");

    /** A configuration as an algorithm would declare one. */
    private record Config(int dims, int epochs, double rate, double l2, String kind, List<Integer> layers, long seed) {}

    private static final Hyperparameters<Config> PARAMETERS = Hyperparameters.<Config>builder()
        .add(DIMS.recordedAs("hidden"), Config::dims)
        .add(EPOCHS, Config::epochs)
        .add(RATE, Config::rate)
        .add(L2, Config::l2)
        .add(KIND, Config::kind)
        .add(LAYERS, Config::layers)
        .fact("optimizer", "adam")
        .build((v, seed) -> new Config(v.get(DIMS), v.get(EPOCHS), v.get(RATE), v.get(L2), v.get(KIND), v.get(LAYERS), seed));

    private static String message(Runnable bad) {
        return assertThrows(IllegalArgumentException.class, bad::run).getMessage();
    }

    @Test
    void rangeViolationsNameTheOptionThatSetsTheParameter() {
        assertEquals("--dims must be between 1 and 4096 but was 0", message(() -> DIMS.check(0)));
        assertEquals("--dims must be between 1 and 4096 but was 4097", message(() -> DIMS.parse("4097")));
        assertEquals("--epochs must be at least 1 but was 0", message(() -> EPOCHS.parse(" 0 ")));
        assertEquals("-P learning_rate must be in (0, 10] but was 0.0", message(() -> RATE.check(0.0)));
        assertEquals("-P learning_rate must be in (0, 10] but was NaN", message(() -> RATE.check(Double.NaN)));
        assertEquals(10.0, RATE.parse("10"), "a closed bound is in range");
        assertEquals("-P l2 must be in [0, 1] but was -1.0", message(() -> L2.parse("-1")));
        assertEquals(0.0, L2.parse("0"));
        assertEquals("-P kind must be one of [binary, log] but was [cubic]", message(() -> KIND.parse("Cubic")));
        assertEquals("log", KIND.parse("LOG"), "choices are read case-insensitively");
        assertEquals("-P layers must list between 1 and 3 sizes but was [8, 8, 8, 8]", message(() -> LAYERS.parse("8,8,8,8")));
        assertEquals("-P layers sizes must each be between 1 and 64 but were [8, 0]", message(() -> LAYERS.parse("8, 0")));
        assertEquals(List.of(64, 8), LAYERS.parse("64, 8"));
    }

    @Test
    void textOfTheWrongTypeIsRefusedNamingTheOption() {
        assertEquals("--dims must be an integer but was [3.5]", message(() -> DIMS.parse("3.5")));
        assertEquals("-P learning_rate must be a number but was [fast]", message(() -> RATE.parse("fast")));
        assertEquals("-P learning_rate must be a finite number but was [Infinity]", message(() -> RATE.parse("Infinity")));
        assertEquals("-P layers must be comma-separated integers but was [32,x]", message(() -> LAYERS.parse("32,x")));
    }

    @Test
    void anotherCommandRewordsTheMessageWithItsOwnSpelling() {
        HyperParameterException e = assertThrows(HyperParameterException.class, () -> L2.parse("2"));
        assertEquals("l2", e.parameter());
        assertEquals("-P neumf.l2 must be in [0, 1] but was 2.0", e.spelledAs("-P neumf.l2"));
    }

    /** The search range is declared with the parameter, must lie inside its domain, and draws retypeable values inside it. */
    @Test
    void aSearchRangeStaysInsideTheDomainAndDrawsRoundedValues() {
        HyperParameter<Double> searched = RATE.searched(SearchRange.logUniform(0.001, 0.1));
        assertEquals("log-uniform [0.001, 0.1]", searched.search().describe());
        assertEquals(null, RATE.search(), "declaring a range makes a new declaration");
        java.util.SplittableRandom random = new java.util.SplittableRandom(7);
        for (int n = 0; n < 200; n++) {
            String text = searched.drawText(random);
            double v = searched.parse(text);
            assertTrue(v >= 0.001 && v <= 0.1, text);
            assertTrue(new java.math.BigDecimal(text).precision() <= 3, "three significant digits: " + text);
        }
        assertEquals("the search range of learning_rate must be in (0, 10] but was 20.0",
            assertThrows(IllegalStateException.class, () -> RATE.searched(SearchRange.logUniform(1, 20))).getMessage());
        assertEquals("one of [32, 64]", DIMS.searched(SearchRange.oneOf(32, 64)).search().describe());
        assertThrows(IllegalArgumentException.class, () -> SearchRange.logUniform(0, 1));
    }

    @Test
    void aDefaultOutOfItsOwnRangeIsADeclarationError() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> HyperParameter.real("x", 0, 0, true, 1, false, "x"));
        assertEquals("the default of x must be in (0, 1] but was 0.0", e.getMessage());
    }

    @Test
    void createParsesGivenValuesDefaultsTheRestAndRecordsEveryOne() {
        Map<String, String> given = new LinkedHashMap<>();
        given.put("learning_rate", "0.5");
        given.put("dims", "8");
        Config c = PARAMETERS.create("algo", given, 7);
        assertEquals(new Config(8, 50, 0.5, 1e-5, "binary", List.of(32, 16), 7), c);
        Map<String, Object> recorded = PARAMETERS.recorded(c);
        assertEquals(List.of("hidden", "epochs", "learning_rate", "l2", "kind", "layers", "optimizer"), List.copyOf(recorded.keySet()),
            "declaration order, under the recorded name, then the facts");
        assertEquals(8, recorded.get("hidden"));
        assertEquals(0.5, recorded.get("learning_rate"));
        assertEquals("adam", recorded.get("optimizer"));
    }

    @Test
    void unknownNamesAreRefusedListingTheDeclaredOnes() {
        String m = message(() -> PARAMETERS.create("algo", Map.of("learning_rat", "0.1", "l3", "1"), 1));
        assertEquals("unknown parameter(s) [l3, learning_rat] for --algorithm algo; it takes [kind, l2, layers, learning_rate]", m);
        Hyperparameters<String> none = Hyperparameters.<String>builder().build((v, seed) -> "built");
        assertEquals("built", none.create("popularity", Map.of("dims", "8", "epochs", "3"), 1), "--dims / --epochs do not concern it");
    }

    @Test
    void givenTellsAGivenValueFromADefaultedOne() {
        boolean[] seen = new boolean[2];
        Hyperparameters<Integer> spec = Hyperparameters.<Integer>builder().add(DIMS, d -> d).add(EPOCHS, d -> 1).build((v, seed) -> {
            seen[0] = v.given(DIMS);
            seen[1] = v.given(EPOCHS);
            return v.get(DIMS);
        });
        assertEquals(32, spec.create("a", Map.of("epochs", "50"), 1), "the default value");
        assertFalse(seen[0]);
        assertTrue(seen[1], "given, even though equal to the default");
    }

    @Test
    void helpListsEveryParameterWithItsOptionDefaultAndRange() {
        List<String> lines = ParameterHelp.lines(Map.of("algo", PARAMETERS.parameters()), false);
        String text = String.join("\n", lines);
        assertTrue(text.contains("  algo:"), text);
        assertRow(lines, "--dims", "32", "[1, 4096]", "factor dimension");
        assertRow(lines, "--epochs", "50", "≥ 1", "passes");
        assertRow(lines, "-P learning_rate", "0.05", "(0, 10]", "step size");
        assertRow(lines, "-P l2", "0.00001", "[0, 1]", "penalty");
        assertRow(lines, "-P kind", "binary", "binary|log", "how");
        assertRow(lines, "-P layers", "32,16", "1 to 3 values in [1, 64]", "tower");
        List<String> prefixed = ParameterHelp.lines(Map.of("algo", PARAMETERS.parameters()), true);
        assertRow(prefixed, "-P algo.learning_rate", "0.05", "(0, 10]", "step size");
        assertRow(prefixed, "--dims", "32", "[1, 4096]", "factor dimension");
    }

    /** One row: option, default, range and help in that order, separated by spaces only. */
    static void assertRow(List<String> lines, String option, String defaultValue, String range, String help) {
        String row = "^\\s+" + java.util.regex.Pattern.quote(option) + "\\s+" + java.util.regex.Pattern.quote(defaultValue) + "\\s+"
            + java.util.regex.Pattern.quote(range) + "\\s+" + java.util.regex.Pattern.quote(help) + "$";
        assertTrue(lines.stream().anyMatch(l -> l.matches(row)), "no row " + option + " " + defaultValue + " " + range + " in\n" + String.join("\n", lines));
    }
}
