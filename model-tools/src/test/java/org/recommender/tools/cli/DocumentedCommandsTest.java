package org.recommender.tools.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every {@code bin/model-tools} command line in the README and {@code docs/} parses against the real CLI: options
 * that exist, values of the right type, required options present. Parsing only — nothing runs — so a renamed or
 * removed option breaks this test instead of a reader's copy-paste.
 */
class DocumentedCommandsTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void everyDocumentedCommandLineParses() throws IOException {
        List<String> commands = new ArrayList<>();
        List<Path> files = new ArrayList<>(List.of(ROOT.resolve("README.md")));
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
        }
        for (Path file : files) {
            commands.addAll(commandLines(Files.readAllLines(file), ROOT.relativize(file).toString()));
        }
        assertTrue(commands.size() >= 15, "found only " + commands.size() + " documented command lines: " + commands);
        List<String> broken = new ArrayList<>();
        for (String where : commands) {
            String line = where.substring(where.indexOf(": ") + 2);
            try {
                ModelTools.commandLine(false).parseArgs(words(line).toArray(String[]::new));
            } catch (CommandLine.ParameterException e) {
                broken.add(where + "\n    -> " + e.getMessage());
            }
        }
        assertTrue(broken.isEmpty(), "documented command lines the CLI refuses:\n" + String.join("\n", broken));
    }

    /** The check can fail: what docs/model-tools.md once said of upload is refused. */
    @Test
    void anOptionTheCliLacksIsRefused() {
        List<String> found = commandLines(List.of("```", "bin/model-tools upload --user admin --password secret --bundle m.bundle --id m", "```"), "x.md");
        assertTrue(found.size() == 1, found.toString());
        CommandLine.ParameterException refused = org.junit.jupiter.api.Assertions.assertThrows(
            CommandLine.ParameterException.class,
            () -> ModelTools.commandLine(false).parseArgs(words(found.get(0).substring(found.get(0).indexOf(": ") + 2)).toArray(String[]::new))
        );
        assertTrue(refused.getMessage().contains("--user"), refused.getMessage());
    }

    /**
     * @return "file:line: arguments" for each {@code bin/model-tools} line inside a fenced code block or inline code,
     *     continuation lines joined, a shell prompt and a trailing comment dropped
     */
    static List<String> commandLines(List<String> lines, String file) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            int at = line.indexOf("bin/model-tools ");
            if (at < 0 || (at > 0 && line.startsWith("$ ") == false && line.charAt(at - 1) != '`')) {
                continue; // prose that names the tool, or a script calling it through a variable
            }
            int start = i + 1;
            StringBuilder command = new StringBuilder(line.substring(at + "bin/model-tools ".length()));
            while (command.toString().endsWith("\\") && i + 1 < lines.size()) {
                command.setLength(command.length() - 1);
                command.append(' ').append(lines.get(++i).strip());
            }
            String text = command.toString();
            int inlineEnd = line.charAt(Math.max(0, at - 1)) == '`' ? text.indexOf('`') : -1;
            if (inlineEnd >= 0) {
                text = text.substring(0, inlineEnd);
            }
            int comment = text.indexOf(" #");
            if (comment >= 0) {
                text = text.substring(0, comment);
            }
            if (text.contains("…")) {
                continue; // an elided example (e.g. "--data …/file"), not meant to be run as written
            }
            out.add(file + ":" + start + ": " + text.strip());
        }
        return out;
    }

    /** Splits a shell command line into words: whitespace separates, single and double quotes group. */
    static List<String> words(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (char c : line.toCharArray()) {
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    word.append(c);
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }
}
