package org.iopoutcomes.pipeline;

import java.time.LocalDate;
import java.util.List;
import org.iopoutcomes.input.TableCounts;

/**
 * What a finished run produced.
 *
 * @param runDate the data cut, which names the output folders
 * @param publishedDir the committed published tree
 * @param restrictedDir the committed restricted tree
 * @param inputCounts what happened to each input table's rows
 * @param episodes rows of episode_outcomes
 * @param stages timings
 */
public record RunResult(LocalDate runDate, String publishedDir, String restrictedDir, List<TableCounts> inputCounts,
                        long episodes, List<StageTimer.Stage> stages) {
    public long quarantined() {
        return inputCounts.stream().mapToLong(TableCounts::rowsRejected).sum();
    }
}
