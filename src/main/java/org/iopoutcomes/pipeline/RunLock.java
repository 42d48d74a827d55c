package org.iopoutcomes.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run at a time per {@code --output}: a lock file {@code DIR/.outcomes.lock} created atomically (Hadoop
 * {@code create} with overwrite=false, which is an exclusive create on local disks and HDFS) and removed when
 * the run ends. A lock left by a killed run on the same host, whose process is gone, is taken over with a
 * warning; any other lock stops the run at once with {@link RunLockedException}.
 */
public final class RunLock implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RunLock.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    public static final String FILE_NAME = ".outcomes.lock";

    /** Who holds a lock: written into the lock file as JSON. */
    public record Holder(String host, long pid, Instant startedAt, String runId) {
        Map<String, Object> asMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("host", host);
            m.put("pid", pid);
            m.put("started_at", startedAt.toString());
            m.put("run_id", runId);
            return m;
        }

        static Holder parse(String json) {
            try {
                JsonNode node = JSON.readTree(json);
                return new Holder(node.path("host").asText("?"), node.path("pid").asLong(-1),
                        Instant.parse(node.path("started_at").asText(Instant.EPOCH.toString())),
                        node.path("run_id").asText(""));
            } catch (IOException | RuntimeException e) {
                return new Holder("?", -1, Instant.EPOCH, "");
            }
        }

        @Override
        public String toString() {
            return "host " + host + ", pid " + pid + ", started " + startedAt;
        }
    }

    /** Another run holds the lock (exit code 1: neither bad settings nor rejected input). */
    public static final class RunLockedException extends RuntimeException {
        private final transient Holder holder;

        RunLockedException(Path lockFile, Holder holder) {
            super("another run is writing to this output: lock file " + lockFile + " is held by " + holder
                    + ". Wait for that run to finish; if it is no longer running (check the host and pid), "
                    + "remove the lock file and start again.");
            this.holder = holder;
        }

        public Holder holder() {
            return holder;
        }
    }

    private final FileSystem fs;
    private final Path file;
    private final Holder holder;
    private boolean released;

    private RunLock(FileSystem fs, Path file, Holder holder) {
        this.fs = fs;
        this.file = file;
        this.holder = holder;
    }

    public static Path lockFile(String outputRoot) {
        return new Path(outputRoot, FILE_NAME);
    }

    /** Takes the lock of {@code outputRoot} for this process, or throws {@link RunLockedException}. */
    public static RunLock acquire(Configuration conf, String outputRoot, String runId) {
        Path file = lockFile(outputRoot);
        Holder me = new Holder(hostName(), ProcessHandle.current().pid(), Instant.now(), runId);
        try {
            FileSystem fs = file.getFileSystem(conf);
            fs.mkdirs(file.getParent());
            if (tryCreate(fs, file, me)) {
                return new RunLock(fs, file, me);
            }
            Optional<String> content = read(fs, file);
            if (content.isEmpty()) { // released between our create and our read: one more try
                if (tryCreate(fs, file, me)) {
                    return new RunLock(fs, file, me);
                }
                content = read(fs, file);
            }
            Holder other = Holder.parse(content.orElse(""));
            if (!isDeadOnThisHost(other)) {
                throw new RunLockedException(file, other);
            }
            // Move the stale lock aside (a rename is atomic: of two runs taking it over, one wins), check that
            // what was moved is the stale lock and not a fresh one, then create ours.
            Path aside = new Path(file.getParent(), FILE_NAME + ".stale-" + UUID.randomUUID());
            if (!fs.rename(file, aside)) {
                throw new RunLockedException(file, Holder.parse(read(fs, file).orElse("")));
            }
            String moved = read(fs, aside).orElse("");
            if (!moved.equals(content.get())) {
                fs.rename(aside, file);
                throw new RunLockedException(file, Holder.parse(moved));
            }
            fs.delete(aside, false);
            LOG.warn("took over the lock {} left by a run that is no longer running ({})", file, other);
            if (tryCreate(fs, file, me)) {
                return new RunLock(fs, file, me);
            }
            throw new RunLockedException(file, Holder.parse(read(fs, file).orElse("")));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot take the run lock " + file, e);
        }
    }

    /** A lock written on this host by a process that no longer exists (or by an older process with its pid). */
    static boolean isDeadOnThisHost(Holder other) {
        if (!other.host().equals(hostName()) || other.pid() <= 0) {
            return false;
        }
        Optional<ProcessHandle> process = ProcessHandle.of(other.pid());
        if (process.isEmpty() || !process.get().isAlive()) {
            return true;
        }
        // The pid was reused: a process started after the lock was written cannot be the one that wrote it.
        Optional<Instant> started = process.get().info().startInstant();
        return started.isPresent() && started.get().isAfter(other.startedAt().plusSeconds(1));
    }

    private static boolean tryCreate(FileSystem fs, Path file, Holder me) throws IOException {
        if ("file".equals(fs.getUri().getScheme())) {
            // Hadoop's local create checks, then opens: not atomic. NIO's CREATE_NEW is (O_EXCL).
            java.nio.file.Path local = java.nio.file.Path.of(fs.makeQualified(file).toUri());
            try (OutputStream out = java.nio.file.Files.newOutputStream(local, java.nio.file.StandardOpenOption.CREATE_NEW,
                    java.nio.file.StandardOpenOption.WRITE)) {
                out.write(JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(me.asMap()));
                return true;
            } catch (java.nio.file.FileAlreadyExistsException e) {
                return false;
            }
        }
        try (OutputStream out = fs.create(file, false)) {
            out.write(JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(me.asMap()));
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        } catch (IOException e) {
            if (fs.exists(file)) { // some file systems report an existing file with a plain IOException
                return false;
            }
            throw e;
        }
    }

    private static Optional<String> read(FileSystem fs, Path file) throws IOException {
        try (InputStream in = fs.open(file)) {
            return Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (java.io.FileNotFoundException e) {
            return Optional.empty();
        }
    }

    static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return Optional.ofNullable(System.getenv("HOSTNAME")).orElse("unknown-host");
        }
    }

    public Holder holder() {
        return holder;
    }

    public Path file() {
        return file;
    }

    /** Removes the lock file if it is still ours. */
    @Override
    public void close() {
        if (released) {
            return;
        }
        released = true;
        try {
            Optional<String> content = read(fs, file);
            if (content.isPresent() && Holder.parse(content.get()).equals(holder)) {
                fs.delete(file, false);
            } else {
                LOG.warn("the lock {} is no longer this run's; left as it is", file);
            }
        } catch (IOException e) {
            LOG.warn("could not remove the lock {}: {}", file, e.getMessage());
        }
    }
}
