package org.iopoutcomes.pipeline;

import java.time.LocalDate;
import java.time.YearMonth;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Whether a run replaces (or creates) its published tree, decided from the publication cadence and the
 * committed published run dates, before anything is staged.
 *
 * @param cadence           the run's publication cadence
 * @param published         true when the run commits {@code published/run_date=D/}; false when it commits only the
 *                          restricted tree and leaves the whole published tree as it was
 * @param publishedRunDate  the run date whose published tree stands after the run: D when publishing, else the
 *                          committed run date of D's month that blocked publication
 * @param reason            one line for {@code _last_run.json}, the manifest and the log, without counts of people
 */
public record Publication(PublicationCadence cadence, boolean published, LocalDate publishedRunDate, String reason) {

    /**
     * The rule. {@code nightly}: every run publishes. {@code monthly}: a run with data cut D publishes only when no
     * committed published run date other than D lies in D's calendar month; a rerun of the published data cut D
     * republishes it (and replaces it).
     *
     * @param committed the run dates with a committed published tree (a {@code run_date=} folder holding
     *                  {@code _SUCCESS})
     */
    public static Publication decide(PublicationCadence cadence, LocalDate runDate, Collection<LocalDate> committed) {
        String prefix = "publication cadence " + cadence.label() + ": ";
        if (cadence == PublicationCadence.NIGHTLY) {
            return new Publication(cadence, true, runDate, prefix + "every run publishes");
        }
        YearMonth month = YearMonth.from(runDate);
        LocalDate standing = committed.stream()
                .filter(d -> YearMonth.from(d).equals(month) && !d.equals(runDate))
                .max(LocalDate::compareTo).orElse(null);
        if (standing != null) {
            return new Publication(cadence, false, standing,
                    prefix + month + " already published as run_date=" + standing);
        }
        if (committed.contains(runDate)) {
            return new Publication(cadence, true, runDate,
                    prefix + "rerun of run_date=" + runDate + ", the published run of " + month);
        }
        return new Publication(cadence, true, runDate, prefix + "first run of " + month);
    }

    /** The keys written into {@code _last_run.json} and {@code manifest.json}. */
    public Map<String, Object> asMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("published", published);
        map.put("published_run_date", publishedRunDate == null ? null : publishedRunDate.toString());
        map.put("publication", reason);
        return map;
    }
}
