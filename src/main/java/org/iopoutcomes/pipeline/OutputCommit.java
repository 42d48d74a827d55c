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

    /** Creates empty staging folders (a leftover of a killed run with the same id is removed first). */
    public void begin() {
        try {
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
