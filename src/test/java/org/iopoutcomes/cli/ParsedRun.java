package org.iopoutcomes.cli;

import java.nio.file.Path;
import java.time.LocalDate;
import org.iopoutcomes.InputFixture;
import org.iopoutcomes.pipeline.RunSettings;

/** The settings `run` builds from its options on a valid input, parsed only (no job runs): for option tests. */
final class ParsedRun {
    private ParsedRun() {}

    /** `run --input <a valid input under tmp> args...`, with the data cut 2025-12-31. */
    static RunSettings settings(Path tmp, String... args) {
        String input = InputFixture.valid().writeTo(tmp.resolve("input")).toString();
        String[] all = new String[args.length + 3];
        all[0] = "run";
        all[1] = "--input";
        all[2] = input;
        System.arraycopy(args, 0, all, 3, args.length);
        picocli.CommandLine.ParseResult parsed = OutcomesCli.commandLine().parseArgs(all);
        RunCommand run = (RunCommand) parsed.subcommand().commandSpec().userObject();
        return run.settings(LocalDate.of(2025, 12, 31));
    }
}
