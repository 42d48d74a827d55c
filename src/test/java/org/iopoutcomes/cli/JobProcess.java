package org.iopoutcomes.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The packaged jar's job in a child JVM, started and left running (the *IT tests wait, kill or compare). */
final class JobProcess {
    static final List<String> OPENS = List.of("--add-opens=java.base/java.nio=ALL-UNNAMED",
            "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED", "--add-opens=java.base/java.util=ALL-UNNAMED",
            "--add-opens=java.base/sun.util.calendar=ALL-UNNAMED", "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED");

    final Process process;
    final Path out;
    final Path err;

    private JobProcess(Process process, Path out, Path err) {
        this.process = process;
        this.out = out;
        this.err = err;
    }

    static Path jar() {
        return Path.of(System.getProperty("outcomes.jar"));
    }

    /** Starts `java [jvmOptions] -cp jar OutcomesCli args` in workDir; stdout and stderr go to files named by tag. */
    static JobProcess start(Path workDir, String tag, List<String> jvmOptions, Map<String, String> env, String... args)
            throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx2g"));
        command.addAll(OPENS);
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", jar().toString(), "org.iopoutcomes.cli.OutcomesCli"));
        command.addAll(List.of(args));
        Path out = workDir.resolve(tag + ".stdout.txt");
        Path err = workDir.resolve(tag + ".stderr.txt");
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        builder.environment().putAll(env);
        return new JobProcess(builder.start(), out, err);
    }

    int waitFor(int minutes) throws InterruptedException {
        if (!process.waitFor(minutes, java.util.concurrent.TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("the job did not finish within " + minutes + " minutes");
        }
        return process.exitValue();
    }

    String stdout() throws IOException {
        return Files.readString(out, StandardCharsets.UTF_8);
    }

    String stderr() throws IOException {
        return Files.readString(err, StandardCharsets.UTF_8);
    }

    /** SHA-256 of every file under root, by relative path. */
    static Map<String, String> hashes(Path root) throws IOException {
        Map<String, String> hashes = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                try {
                    hashes.put(root.relativize(file).toString(), HexFormat.of().formatHex(
                            MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file))));
                } catch (NoSuchAlgorithmException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return hashes;
    }

    static Set<String> names(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(java.util.TreeSet::new));
        }
    }

    /** Names a reader sees: hidden ones (leading '.') left out. */
    static Set<String> visible(Path dir) throws IOException {
        return names(dir).stream().filter(n -> !n.startsWith(".")).collect(Collectors.toCollection(java.util.TreeSet::new));
    }
}
