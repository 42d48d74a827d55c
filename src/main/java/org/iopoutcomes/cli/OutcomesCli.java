package org.iopoutcomes.cli;

import org.iopoutcomes.input.InputRejectedException;
import org.iopoutcomes.pipeline.RowLogging;
import org.iopoutcomes.pipeline.RunLock;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point: `outcomes run | validate | generate | stats`. */
@Command(name = "outcomes",
        mixinStandardHelpOptions = true,
        versionProvider = BuildInfo.VersionProvider.class,
        description = "Program-outcomes analytics for addiction-treatment programs (retention, relapse, continuity of care).",
        subcommands = {RunCommand.class, ValidateCommand.class, GenerateCommand.class, StatsCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                "0:success",
                "1:anything else (a bug, an I/O failure)",
                "2:bad arguments or settings",
                "3:input rejected (schema, identifiers, reject rate)"})
public class OutcomesCli implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required: run, validate, generate or stats");
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the command line and returns the exit code (tests call this instead of main). */
    public static int execute(String... args) {
        return commandLine().execute(args);
    }

    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new OutcomesCli());
        cli.setExitCodeExceptionMapper(OutcomesCli::exitCodeOf);
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            int code = exitCodeOf(ex);
            commandLine.getErr().println("error: " + RowLogging.safeMessage(ex));
            if (code == ExitCodes.FAILURE && !(ex instanceof RunLock.RunLockedException)) {
                if (RowLogging.enabled() || !RowLogging.quotesEngineMessage(ex)) {
                    ex.printStackTrace(commandLine.getErr());
                } else {
                    printFramesOnly(ex, commandLine.getErr());
                }
            }
            return code;
        });
        cli.setParameterExceptionHandler((ex, args) -> {
            CommandLine commandLine = ex.getCommandLine();
            commandLine.getErr().println("error: " + ex.getMessage());
            commandLine.getErr().println("See '" + commandLine.getCommandSpec().qualifiedName() + " --help'.");
            return ExitCodes.BAD_ARGUMENTS;
        });
        return cli;
    }

    /** A stack trace without the messages, which can quote input rows (see {@link RowLogging}). */
    static void printFramesOnly(Throwable ex, java.io.PrintWriter err) {
        String prefix = "";
        for (Throwable t = ex; t != null; t = t.getCause() == t ? null : t.getCause()) {
            err.println(prefix + t.getClass().getName());
            for (StackTraceElement frame : t.getStackTrace()) {
                err.println("\tat " + frame);
            }
            prefix = "Caused by: ";
        }
    }

    static int exitCodeOf(Throwable ex) {
        if (ex instanceof BadSettingsException || ex instanceof CommandLine.ParameterException) {
            return ExitCodes.BAD_ARGUMENTS;
        }
        if (ex instanceof InputRejectedException) {
            return ExitCodes.INPUT_REJECTED;
        }
        return ExitCodes.FAILURE;
    }
}
