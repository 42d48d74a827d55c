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
 * A run that the publication cadence keeps from publishing ({@link #stage(boolean)} with false) stages its
 * published tables under the restricted root instead, commits the restricted tree only and removes them: the
 * published root then holds nothing of that run.
 */
public final class OutputCommit {
    private static final Logger LOG = LoggerFactory.getLogger(OutputCommit.class);
    public static final String SUCCESS = "_SUCCESS";

    private final Configuration conf;
    private final String runId;
    private final Tree restricted;
    private Tree published;
    private boolean publish = true;

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
        this.runId = runId;
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

    /** False when the run commits only its restricted tree ({@link #stage(boolean)}). */
    public boolean publishes() {
        return publish;
    }

    /**
     * True when a committed tree of the same data cut exists that this run will replace: the published one, or
     * the restricted one (the only tree a run that does not publish commits).
     */
    public boolean replacesEarlierRun() {
        try {
            return (publish && published.finalDir().getFileSystem(conf).exists(published.finalDir()))
                    || restricted.finalDir().getFileSystem(conf).exists(restricted.finalDir());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@link #recover()}, then {@link #stage(boolean)} for a run that publishes. */
    public void begin() {
        recover();
        stage(true);
    }

    /**
     * Cleans up what killed runs left (their hidden staging folders, and moved-aside trees). Only called under the
     * run lock, so no other run is writing. A tree moved aside by a run killed in the middle of its swap, whose
     * final folder is missing, is put back rather than removed; so {@link #committedPublishedRunDates()} after it
     * sees every committed tree.
     */
    public void recover() {
        try {
            for (Tree tree : new Tree[] {restricted, published}) {
                cleanLeftovers(tree.finalDir().getParent());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The run dates with a committed published tree: a {@code run_date=YYYY-MM-DD} folder of the published root
     * holding {@code _SUCCESS} (written last by the commit).
     */
    public java.util.List<LocalDate> committedPublishedRunDates() {
        Path root = published.finalDir().getParent();
        java.util.List<LocalDate> dates = new java.util.ArrayList<>();
        try {
            FileSystem fs = root.getFileSystem(conf);
            for (LocalDate date : runDateFolders(fs, root)) {
                if (fs.exists(new Path(root, "run_date=" + date + "/" + SUCCESS))) {
                    dates.add(date);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dates;
    }

    /**
     * The dates of the {@code run_date=YYYY-MM-DD} folders under {@code root}, ascending (none when the root does
     * not exist); folders whose name is not such a date are not runs and are left out.
     */
    public static java.util.List<LocalDate> runDateFolders(FileSystem fs, Path root) throws IOException {
        java.util.List<LocalDate> dates = new java.util.ArrayList<>();
        if (!fs.exists(root)) {
            return dates;
        }
        for (org.apache.hadoop.fs.FileStatus status : fs.listStatus(root)) {
            String name = status.getPath().getName();
            if (!status.isDirectory() || !name.startsWith("run_date=")) {
                continue;
            }
            try {
                dates.add(LocalDate.parse(name.substring("run_date=".length())));
            } catch (java.time.format.DateTimeParseException e) {
                // not a run folder
            }
        }
        java.util.Collections.sort(dates);
        return dates;
    }

    /**
     * Creates empty staging folders. With {@code publish} false the published tables are staged in a hidden folder
     * of the restricted root ({@code .run_date=D.unpublished-<run id>}), never under the published root, and
     * {@link #commit} leaves the published tree alone.
     */
    public void stage(boolean publish) {
        this.publish = publish;
        if (!publish) {
            Path restrictedRoot = restricted.finalDir().getParent();
            published = new Tree(published.finalDir(),
                    new Path(restrictedRoot, "." + published.finalDir().getName() + ".unpublished-" + runId),
                    published.previous());
        }
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

    private static final java.util.regex.Pattern LEFTOVER =
            java.util.regex.Pattern.compile("\\.(run_date=[0-9-]+)\\.(staging|previous|unpublished)-.+");

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

    /**
     * Moves restricted, then published into place, then writes _SUCCESS in the published tree. A run that does not
     * publish moves the restricted tree only and removes its staged published tables.
     */
    public void commit(OutputFiles files, String successContent) {
        try {
            swap(restricted);
            if (publish) {
                swap(published);
                files.text(new Path(published.finalDir(), SUCCESS), successContent);
            } else {
                published.staging().getFileSystem(conf).delete(published.staging(), true);
                LOG.info("left {} as it was: this run does not publish", published.finalDir().getParent());
            }
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
