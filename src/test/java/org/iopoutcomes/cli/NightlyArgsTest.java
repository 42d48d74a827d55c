package org.iopoutcomes.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * jobs/nightly.args, the nightly job's settings file: it parses as a picocli @file (comments included), lists
 * every option of `run` (active, or commented out where there is no default), and every value in it is the
 * option's default. Adding an option to `run` without adding it to the file fails here.
 */
class NightlyArgsTest {
    static final Path FILE = Path.of("jobs/nightly.args");

    private static CommandLine run(String... args) {
        CommandLine cli = OutcomesCli.commandLine();
        List<String> all = new ArrayList<>(List.of("run"));
        all.addAll(List.of(args));
        CommandLine.ParseResult result = cli.parseArgs(all.toArray(String[]::new));
        return result.subcommand().commandSpec().commandLine();
    }

    @Test
    void everyRunOptionIsListed() throws Exception {
        List<String> lines = Files.readAllLines(FILE);
        List<String> missing = new ArrayList<>();
        for (OptionSpec option : run().getCommandSpec().options()) {
            String name = option.longestName();
            if (option.usageHelp() || option.versionHelp()) {
                continue;
            }
            boolean listed = lines.stream().map(String::strip)
                    .anyMatch(l -> l.equals(name) || l.startsWith(name + " ")
                            || l.equals("# " + name) || l.startsWith("# " + name + " "));
            if (!listed) {
                missing.add(name);
            }
        }
        assertEquals(List.of(), missing, "options of `run` not in " + FILE);
    }

    @Test
    void parsesWithCommentsAndHoldsTheDefaults() {
        CommandLine fromFile = run("@" + FILE);
        CommandLine defaults = run();
        int active = 0;
        for (OptionSpec option : fromFile.getCommandSpec().options()) {
            if (option.usageHelp() || option.versionHelp()) {
                continue;
            }
            OptionSpec plain = defaults.getCommandSpec().findOption(option.longestName());
            assertEquals(String.valueOf((Object) plain.getValue()), String.valueOf((Object) option.getValue()),
                    option.longestName() + " in " + FILE + " is not its default");
            boolean given = fromFile.getParseResult().hasMatchedOption(option.longestName());
            // An option with a default is set in the file (so the file shows it); one without is commented out.
            assertEquals(option.defaultValue() != null, given, option.longestName());
            active += given ? 1 : 0;
        }
        assertEquals(37, active, "options given a value in " + FILE);
    }

    @Test
    void aValueGivenTwiceIsRefused() {
        // The file's header says to edit a value rather than repeat the option: picocli refuses a repeat.
        CommandLine.ParameterException e = org.junit.jupiter.api.Assertions.assertThrows(
                CommandLine.ParameterException.class, () -> run("@" + FILE, "--output", "elsewhere"));
        assertTrue(e.getMessage().contains("--output"), e.getMessage());
    }
}
