package org.iopoutcomes.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** Every option of every command appears in the README or the docs it links, in backticks. */
class DocumentedOptionsTest {
    @Test
    void everyOptionIsDocumented() throws IOException {
        StringBuilder docs = new StringBuilder(Files.readString(Path.of("README.md")));
        try (Stream<Path> files = Files.list(Path.of("docs"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".md")).toList()) {
                docs.append(Files.readString(file));
            }
        }
        List<String> missing = new ArrayList<>();
        collect(OutcomesCli.commandLine(), docs.toString(), missing);
        assertEquals(List.of(), missing, "options missing from README.md and docs/*.md");
    }

    private static void collect(CommandLine command, String docs, List<String> missing) {
        for (OptionSpec option : command.getCommandSpec().options()) {
            String name = option.longestName();
            if (option.usageHelp() || option.versionHelp()) {
                continue;
            }
            if (!docs.contains("`" + name + " ") && !docs.contains("`" + name + "`")
                    && !docs.contains("`" + name + "=")) {
                missing.add(command.getCommandSpec().qualifiedName() + " " + name);
            }
        }
        for (CommandLine sub : command.getSubcommands().values()) {
            collect(sub, docs, missing);
        }
    }
}
