package org.iopoutcomes.pipeline;

import java.time.LocalDate;
import java.util.List;
import org.iopoutcomes.input.TableCounts;

/**
 * What a finished run produced.
 *
 * @param runDate the data cut, which names the output folders
 * @param publishedDir the published tree that stands after the run: this run's when it published, otherwise the
 *                     one of the run date that the publication cadence kept (see {@code publication})
 * @param restrictedDir the committed restricted tree
 * @param inputCounts what happened to each input table's rows
 * @param episodes rows of episode_outcomes
 * @param stages timings
 * @param published true when this run replaced or created {@code published/run_date=<runDate>/}; false when the
 *                  publication cadence left the published tree as it was
 * @param publication why (one line, also in {@code _last_run.json} and the manifests)
 */
public record RunResult(LocalDate runDate, String publishedDir, String restrictedDir, List<TableCounts> inputCounts,
                        long episodes, List<StageTimer.Stage> stages, boolean published, String publication) {
    public long quarantined() {
        return inputCounts.stream().mapToLong(TableCounts::rowsRejected).sum();
    }
}
