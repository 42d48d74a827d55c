package org.iopoutcomes.pipeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replaces a run's two output trees whole or not at all (SPEC section 5). A run writes into hidden staging
 * folders beside the final ones; the commit moves the restricted tree into place first and the published
 * tree last, then writes {@code _SUCCESS}. A run that fails or is killed before the commit leaves the
 * previous outputs as they were (its staging folders are hidden and removed by {@link #abort()} or the next run).
 */
public final class OutputCommit {
    private static final Logger LOG = LoggerFactory.getLogger(OutputCommit.class);
    public static final String SUCCESS = "_SUCCESS";

    private final Configuration conf;
    private final Tree published;
    private final Tree restricted;

    /** One tree: its final folder, the staging folder a run writes, and where the previous one waits during the swap. */
    public record Tree(Path finalDir, Path staging, Path previous) {
        static Tree of(String root, LocalDate runDate, String runId) {
            String name = "run_date=" + runDate;
            Path rootPath = new Path(root);
            return new Tree(new Path(rootPath, name), new Path(rootPath, "." + name + ".staging-" + runId),
                    new Path(rootPath, "." + name + ".previous-" + runId));
        }
    }

    public OutputCommit(Configuration conf, String publishedRoot, String restrictedRoot, LocalDate runDate,
                        String runId) {
        this.conf = conf;
        this.published = Tree.of(publishedRoot, runDate, runId);
        this.restricted = Tree.of(restrictedRoot, runDate, runId);
    }

    public Path publishedStaging() {
        return published.staging();
    }

    public Path restrictedStaging() {
        return restricted.staging();
    }

    public Path publishedDir() {
        return published.finalDir();
    }

    public Path restrictedDir() {
        return restricted.finalDir();
    }

    /** True when a committed tree of the same data cut exists: this run will replace it. */
    public boolean replacesEarlierRun() {
        try {
            return published.finalDir().getFileSystem(conf).exists(published.finalDir());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Cleans up what killed runs left (their hidden staging folders, and moved-aside trees), then creates empty
     * staging folders. Only called under the run lock, so no other run is writing. A tree moved aside by a run
     * killed in the middle of its swap, whose final folder is missing, is put back rather than removed.
     */
    public void begin() {
        try {
            for (Tree tree : new Tree[] {restricted, published}) {
                cleanLeftovers(tree.finalDir().getParent());
            }
            for (Tree tree : new Tree[] {restricted, published}) {
                FileSystem fs = tree.staging().getFileSystem(conf);
                fs.delete(tree.staging(), true);
                if (!fs.mkdirs(tree.staging())) {
                    throw new IOException("cannot create " + tree.staging());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final java.util.regex.Pattern LEFTOVER =
            java.util.regex.Pattern.compile("\\.(run_date=[0-9-]+)\\.(staging|previous)-.+");

    private void cleanLeftovers(Path root) throws IOException {
        FileSystem fs = root.getFileSystem(conf);
        if (!fs.exists(root)) {
            return;
        }
        for (org.apache.hadoop.fs.FileStatus status : fs.listStatus(root)) {
            java.util.regex.Matcher m = LEFTOVER.matcher(status.getPath().getName());
            if (!m.matches()) {
                continue;
            }
            Path finalDir = new Path(root, m.group(1));
            if (m.group(2).equals("previous") && !fs.exists(finalDir)) {
                if (!fs.rename(status.getPath(), finalDir)) {
                    throw new IOException("cannot put back " + status.getPath() + " as " + finalDir);
                }
                LOG.warn("put back {} as {}: a killed run had moved it aside", status.getPath(), finalDir);
            } else {
                fs.delete(status.getPath(), true);
                LOG.warn("removed {}, left by a run that did not finish", status.getPath());
            }
        }
    }

    /** Moves restricted, then published into place, then writes _SUCCESS in the published tree. */
    public void commit(OutputFiles files, String successContent) {
        try {
            swap(restricted);
            swap(published);
            files.text(new Path(published.finalDir(), SUCCESS), successContent);
            for (Tree tree : new Tree[] {restricted, published}) {
                tree.previous().getFileSystem(conf).delete(tree.previous(), true);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void swap(Tree tree) throws IOException {
        FileSystem fs = tree.finalDir().getFileSystem(conf);
        if (fs.exists(tree.finalDir()) && !fs.rename(tree.finalDir(), tree.previous())) {
            throw new IOException("cannot move " + tree.finalDir() + " aside");
        }
        if (!fs.rename(tree.staging(), tree.finalDir())) {
            // Put the previous tree back so the reader still finds a complete one.
            fs.rename(tree.previous(), tree.finalDir());
            throw new IOException("cannot move " + tree.staging() + " to " + tree.finalDir());
        }
        LOG.info("committed {}", tree.finalDir());
    }

    /** Removes this run's staging folders; the previous outputs stay as they were. */
    public void abort() {
        for (Tree tree : new Tree[] {restricted, published}) {
            try {
                tree.staging().getFileSystem(conf).delete(tree.staging(), true);
            } catch (IOException e) {
                LOG.warn("could not remove staging folder {}: {}", tree.staging(), e.getMessage());
            }
        }
    }
}
