package org.iopoutcomes.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine;

/** Version and git commit of this build, read from build-info.properties (written by Maven). */
public final class BuildInfo {
    private static final Properties PROPERTIES = load();

    private BuildInfo() {}

    private static Properties load() {
        Properties properties = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream("/org/iopoutcomes/build-info.properties")) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException ignored) {
            // A build without the file still runs; it reports "unknown".
        }
        return properties;
    }

    public static String version() {
        return PROPERTIES.getProperty("version", "unknown");
    }

    /**
     * The commit the build was made from, with {@code -dirty} appended (as {@code git describe --dirty} does) when
     * tracked files had changes not committed: the manifest must not claim a commit whose code did not run.
     */
    public static String gitCommit() {
        return describe(PROPERTIES.getProperty("git.commit", ""), PROPERTIES.getProperty("git.dirty", ""));
    }

    /** {@code commit} and {@code dirty} as Maven filtered them in: "${...}" when the build had no git. */
    static String describe(String commit, String dirty) {
        if (commit.isBlank() || commit.startsWith("${")) {
            return "unknown";
        }
        return "true".equals(dirty) ? commit + "-dirty" : commit;
    }

    public static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"outcomes " + version() + " (git " + gitCommit() + ")",
                    "Spark " + org.apache.spark.package$.MODULE$.SPARK_VERSION() + ", Java " + System.getProperty("java.version")};
        }
    }
}
