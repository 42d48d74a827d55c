package org.iopoutcomes.stats;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.iopoutcomes.cli.stats.FlatCsv;

/**
 * The competing-risks reference data of src/test/resources/stats/competing_risks (see its README and
 * make_references.R), as (time, status, group) per subject, and its reference CSVs.
 */
final class CompetingRisksData {
    static final String FOLDER = "/stats/competing_risks/";

    final double[] time;
    final int[] status;
    /** group column name -> label per subject */
    final Map<String, String[]> groups;

    private CompetingRisksData(double[] time, int[] status, Map<String, String[]> groups) {
        this.time = time;
        this.status = status;
        this.groups = groups;
    }

    static Path resource(String name) {
        try {
            var url = CompetingRisksData.class.getResource(name);
            if (url == null) {
                throw new IllegalStateException("missing test resource " + name);
            }
            return Paths.get(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<Map<String, String>> rows(String file) {
        FlatCsv csv = FlatCsv.read(resource(FOLDER + file));
        List<Map<String, String>> rows = new ArrayList<>();
        for (int r = 0; r < csv.size(); r++) {
            Map<String, String> row = new LinkedHashMap<>();
            for (int c = 0; c < csv.header().size(); c++) {
                row.put(csv.header().get(c), csv.value(r, c));
            }
            rows.add(row);
        }
        return rows;
    }

    /** The data sets of make_references.R by name. */
    static CompetingRisksData of(String dataset) {
        return switch (dataset) {
            case "tiny" -> simple("tiny_cr.csv", List.of());
            // tiny plus group c = one subject censored at 0.5 (before every transition)
            case "tiny_singular" -> simple("tiny_cr.csv", List.<String[]>of(new String[] {"c", "0.5", "0"}));
            // tiny plus group c = subjects censored at 0.5 and at 7 (after every transition)
            case "tiny_idle" -> simple("tiny_cr.csv",
                    List.of(new String[] {"c", "0.5", "0"}, new String[] {"c", "7", "0"}));
            case "planted_deaths" -> simple("planted_deaths.csv", List.of());
            case "uis" -> uis();
            default -> throw new IllegalArgumentException("unknown data set " + dataset);
        };
    }

    private static CompetingRisksData simple(String file, List<String[]> extra) {
        FlatCsv csv = FlatCsv.read(resource(FOLDER + file));
        int n = csv.size() + extra.size();
        double[] time = new double[n];
        int[] status = new int[n];
        String[] group = new String[n];
        for (int r = 0; r < csv.size(); r++) {
            time[r] = Double.parseDouble(csv.value(r, "time"));
            status[r] = Integer.parseInt(csv.value(r, "status"));
            group[r] = csv.value(r, "group");
        }
        for (int e = 0; e < extra.size(); e++) {
            int r = csv.size() + e;
            group[r] = extra.get(e)[0];
            time[r] = Double.parseDouble(extra.get(e)[1]);
            status[r] = Integer.parseInt(extra.get(e)[2]);
        }
        return new CompetingRisksData(time, status, Map.of("group", group));
    }

    /**
     * UIS (../real/uis.csv), competing events from admission, whichever comes first:
     * state 2 = left treatment early, FRAC &lt; 1 and LEN.T &lt; TIME, at LEN.T;
     * state 1 = returned to drug use (CENSOR = 1) otherwise, at TIME; censored at TIME otherwise.
     * Groups TREAT and treat_site = "t" + TREAT + "s" + SITE.
     */
    private static CompetingRisksData uis() {
        FlatCsv csv = FlatCsv.read(resource("/real/uis.csv"));
        int n = csv.size();
        double[] time = new double[n];
        int[] status = new int[n];
        String[] treat = new String[n];
        String[] treatSite = new String[n];
        for (int r = 0; r < n; r++) {
            double frac = Double.parseDouble(csv.value(r, "FRAC"));
            double lenT = Double.parseDouble(csv.value(r, "LEN.T"));
            double followUp = Double.parseDouble(csv.value(r, "TIME"));
            boolean leftEarly = frac < 1 && lenT < followUp;
            time[r] = leftEarly ? lenT : followUp;
            status[r] = leftEarly ? 2 : Integer.parseInt(csv.value(r, "CENSOR"));
            treat[r] = csv.value(r, "TREAT");
            treatSite[r] = "t" + csv.value(r, "TREAT") + "s" + csv.value(r, "SITE");
        }
        return new CompetingRisksData(time, status, Map.of("TREAT", treat, "treat_site", treatSite));
    }

    /** Counts per (time, status) for each group of the column, groups in R's factor order (sorted labels). */
    Map<String, List<StatusCount>> countsBy(String groupColumn) {
        String[] group = groups.get(groupColumn);
        Map<String, List<Integer>> members = new TreeMap<>();
        for (int i = 0; i < group.length; i++) {
            members.computeIfAbsent(group[i], g -> new ArrayList<>()).add(i);
        }
        Map<String, List<StatusCount>> counts = new LinkedHashMap<>();
        members.forEach((g, index) -> counts.put(g, AalenJohansen.countsOf(
                index.stream().mapToDouble(i -> time[i]).toArray(),
                index.stream().mapToInt(i -> status[i]).toArray())));
        return counts;
    }
}
