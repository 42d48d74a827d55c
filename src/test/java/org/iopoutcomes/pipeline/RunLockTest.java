package org.iopoutcomes.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import org.apache.hadoop.conf.Configuration;
import org.iopoutcomes.InputFixture;
import org.iopoutcomes.SparkTestSession;
import org.iopoutcomes.cli.OutcomesCli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One run at a time per output folder; a lock left by a killed run is taken over. */
class RunLockTest {
    @TempDir
    Path tmp;

    static Path lockPath(Path output) {
        return output.resolve(RunLock.FILE_NAME);
    }

    private static String lockJson(String host, long pid, Instant started) {
        return "{\"host\":\"" + host + "\",\"pid\":" + pid + ",\"started_at\":\"" + started + "\",\"run_id\":\"other\"}";
    }

    @Test
    void aSecondRunOnTheSameOutputStopsAtOnceNamingTheLockAndItsHolder() throws Exception {
        Path input = InputFixture.valid().writeTo(tmp.resolve("input"));
        Path out = tmp.resolve("out");
        Files.createDirectories(out);
        // The holder: this very JVM, alive, as a run in progress would be.
        // Started after this JVM did (an earlier time would mark the pid as reused, i.e. the lock as stale).
        Instant started = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        long pid = ProcessHandle.current().pid();
        String held = lockJson(RunLock.hostName(), pid, started);
        Files.writeString(lockPath(out), held);

        RunSettings settings = RunSettings.defaults(input.toString(), out.toString(), LocalDate.of(2025, 12, 31));
        RunLock.RunLockedException e = assertThrows(RunLock.RunLockedException.class,
                () -> OutcomesJob.run(settings, SparkTestSession.get()));
        assertTrue(e.getMessage().startsWith("another run is writing to this output: lock file "), e.getMessage());
        assertTrue(e.getMessage().contains(lockPath(out).toString()), e.getMessage());
        assertTrue(e.getMessage().contains("host " + RunLock.hostName() + ", pid " + pid
                + ", started " + started), e.getMessage());
        assertTrue(e.getMessage().contains("Wait for that run to finish"), e.getMessage());
        assertEquals(held, Files.readString(lockPath(out)), "the holder's lock is left alone");
        assertFalse(Files.exists(out.resolve("published")), "nothing was written");

        // From the command line: exit code 1 and the message on stderr, no stack trace.
        java.io.StringWriter err = new java.io.StringWriter();
        picocli.CommandLine cli = OutcomesCli.commandLine();
        cli.setErr(new java.io.PrintWriter(err));
        int code = cli.execute("run", "--input", input.toString(), "--output", out.toString(), "--master", "local[2]");
        assertEquals(1, code, err.toString());
        assertTrue(err.toString().startsWith("error: another run is writing to this output: lock file "), err.toString());
        assertFalse(err.toString().contains("\tat "), err.toString());
    }

    @Test
    void aLockLeftByAKilledProcessOnThisHostIsTakenOver() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Path input = InputFixture.valid().writeTo(tmp.resolve("input"));
        Path out = tmp.resolve("out");
        Files.createDirectories(out);
        Files.writeString(lockPath(out), lockJson(RunLock.hostName(), gone.pid(), Instant.now().minusSeconds(60)));

        RunSettings settings = RunSettings.defaults(input.toString(), out.toString(), LocalDate.of(2025, 12, 31));
        RunResult result = OutcomesJob.run(settings, SparkTestSession.get());
        assertEquals(3, result.episodes());
        assertFalse(Files.exists(lockPath(out)), "the lock is removed when the run ends");
        assertTrue(Files.isRegularFile(out.resolve("published/run_date=2025-06-30/_SUCCESS")));
    }

    @Test
    void staleAndLiveHolders() {
        String host = RunLock.hostName();
        long me = ProcessHandle.current().pid();
        assertFalse(RunLock.isDeadOnThisHost(new RunLock.Holder(host, me, Instant.now(), "x")));
        assertFalse(RunLock.isDeadOnThisHost(new RunLock.Holder("another-host", Long.MAX_VALUE / 2, Instant.now(), "x")),
                "a lock of another host is never taken over: its process cannot be checked");
        // This JVM started before 2000? No: so a lock 'written' in 2000 with our pid is an older process's.
        assertTrue(RunLock.isDeadOnThisHost(new RunLock.Holder(host, me, Instant.parse("2000-01-01T00:00:00Z"), "x")));
    }

    @Test
    void acquireAndReleaseOnAnEmptyFolder() throws Exception {
        Path out = tmp.resolve("fresh");
        try (RunLock lock = RunLock.acquire(new Configuration(), out.toString(), "run-1")) {
            assertTrue(Files.readString(lockPath(out)).contains("\"run_id\" : \"run-1\""));
            assertThrows(RunLock.RunLockedException.class,
                    () -> RunLock.acquire(new Configuration(), out.toString(), "run-2"));
        }
        assertFalse(Files.exists(lockPath(out)));
    }
}
