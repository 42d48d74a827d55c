package org.iopoutcomes.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.iopoutcomes.cli.ExitCodes;
import org.iopoutcomes.cli.OutcomesCli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Bad options stop `generate` with exit code 2 and a message that names the option and the value. */
class GenerateCommandTest {
    @TempDir
    Path tmp;

    private String[] run(String... extra) {
        CommandLine cli = OutcomesCli.commandLine();
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err));
        String[] args = new String[extra.length + 3];
        args[0] = "generate";
        args[1] = "--output";
        args[2] = tmp.toString();
        System.arraycopy(extra, 0, args, 3, extra.length);
        int code = cli.execute(args);
        return new String[] {Integer.toString(code), err.toString()};
    }

    private void assertBad(String option, String value, String... args) {
        String[] r = run(args);
        assertEquals(Integer.toString(ExitCodes.BAD_ARGUMENTS), r[0], r[1]);
        assertTrue(r[1].contains(option) && r[1].contains(value), "message names " + option + " and " + value + ": " + r[1]);
    }

    @Test
    void badOptionsExitWithCodeTwo() {
        assertBad("--participants", "0", "--participants", "0");
        assertBad("--format", "xml", "--participants", "5", "--format", "xml");
        assertBad("--relapse-365", "1.2", "--participants", "5", "--relapse-365", "1.2");
        assertBad("--relapse-365", "0.4,0.5", "--participants", "5", "--relapse-365", "0.4,0.5");
        assertBad("probability in (0,1)", "2.0", "--participants", "5", "--relapse-365", "0.5,2");
        assertBad("--continuing-care-hr", "0.0", "--participants", "5", "--continuing-care-hr", "0");
        assertBad("--baseline-shape", "-1.0", "--participants", "5", "--baseline-shape", "-1");
        assertBad("--data-cut", "2026-13-01", "--participants", "5", "--data-cut", "2026-13-01");
        assertBad("--programs", "0", "--participants", "5", "--programs", "0");
        assertBad("--death-hazard-per-year", "-0.5", "--participants", "5", "--death-hazard-per-year", "-0.5");
        assertBad("--death-overdose-share", "1.5", "--participants", "5", "--death-overdose-share", "1.5");
        assertBad("--recovery-share", "2.0", "--participants", "5", "--recovery-share", "2");
    }

    @Test
    void helpShowsEveryOptionWithItsDefault() {
        String help = new CommandLine(new org.iopoutcomes.cli.GenerateCommand()).getUsageMessage();
        for (String option : new String[] {"--output", "--participants", "--seed", "--format", "--programs", "--data-cut",
            "--relapse-365", "--continuing-care-hr", "--attendance-log-hr", "--baseline-shape", "--death-hazard-per-year",
            "--death-overdose-share", "--recovery-share"}) {
            assertTrue(help.contains(option), option);
        }
        assertTrue(help.contains("Default: 0.45,0.50,0.55"), help);
        assertTrue(help.contains("Default: 2026-09-30"), help);
        // required options show no misleading default
        String participants = help.substring(help.indexOf("--participants=N"), help.indexOf("-o, --output"));
        assertTrue(!participants.contains("Default"), participants);
    }
}
