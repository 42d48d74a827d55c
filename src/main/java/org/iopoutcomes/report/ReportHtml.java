package org.iopoutcomes.report;

import static org.iopoutcomes.report.Html.esc;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.iopoutcomes.metrics.RelapseSettings;
import org.iopoutcomes.metrics.RelapseSummary;
import org.iopoutcomes.publish.PublishedPrecision.PValue;
import org.iopoutcomes.report.Summary.Estimate;
import org.iopoutcomes.report.Summary.Stratum;
import org.iopoutcomes.stats.Interval;

/**
 * report.html: one self-contained printable page for a clinical director (SPEC section 5, issue 7). Inline CSS
 * and inline SVG only: no script, no font, no image and no address of any kind, so it opens from disk and makes
 * no network request. Headline numbers are the rounded values of summary.json, formatted.
 *
 * <p>The same renderer draws the page for two audiences (SPEC section 5, issue 13): the published report.html
 * from the suppressed tables, which says where the internal page is, and report_internal.html in the restricted
 * tree from the unsuppressed tables, for the staff of the program, with the overdose-after-abstinence episodes
 * listed for clinical follow-up.
 */
public final class ReportHtml {
    /** What the page is drawn from, and for whom. */
    public record Input(Summary summary, PublishedTables tables, Map<String, Object> settings, PreviousRun previous,
                        String version, Audience audience) {
        public Input {
            Objects.requireNonNull(audience, "audience");
        }

        /** The published page, with the internal page where a default run puts it. */
        public Input(Summary summary, PublishedTables tables, Map<String, Object> settings, PreviousRun previous,
                     String version) {
            this(summary, tables, settings, previous, version,
                    new Published(defaultInternalPage(summary.runDate().toString())));
        }
    }

    /** Who the page is for. */
    public sealed interface Audience permits Published, Internal {}

    /**
     * report.html for boards, payers and the public, from the suppressed tables.
     *
     * @param internalPage where the internal page is, in words (a path; never a count)
     */
    public record Published(String internalPage) implements Audience {}

    /** report_internal.html for the staff of the program, from the unsuppressed tables, with the safety events. */
    public record Internal(OverdoseEpisodes overdoseEpisodes) implements Audience {}

    /** Where a run whose restricted tree is under its output folder (the default) puts the internal page. */
    public static String defaultInternalPage(String runDate) {
        return "restricted/run_date=" + runDate + "/" + ReportStage.INTERNAL_REPORT_FILE
                + " under this run's output folder";
    }

    /** The previous run's summary.json (null when there is none) and a sentence saying what was found. */
    public record PreviousRun(String runDate, JsonNode summary, String note) {}

    private final Input in;
    private final boolean internal;
    private final Summary s;
    private final RelapseSettings relapse;
    private final String suppressedText;
    private final String band;
    private final String window;
    private final StringBuilder b = new StringBuilder(64 * 1024);

    private ReportHtml(Input in) {
        this.in = in;
        this.internal = in.audience() instanceof Internal;
        this.s = in.summary();
        this.relapse = s.relapseSettings();
        // nothing is hidden in the internal tables; should a cell ever be, the page must not call it suppressed
        // One label for every hidden figure: a small count and a count hidden to protect it must read the same
        this.suppressedText = internal ? "not shown" : "suppressed";
        this.band = bandText(relapse.bandLower(), relapse.bandUpper());
        this.window = relapse.bandHorizonDays() + " days after discharge";
    }

    public static String render(Input in) {
        return new ReportHtml(in).page();
    }

    /** The band as people say it: 0.40, 0.60 -> "40-60%". */
    public static String bandText(double lower, double upper) {
        String low = Numbers.bandPercent(lower);
        return low.substring(0, low.length() - 1) + "-" + Numbers.bandPercent(upper);
    }

    /** The band verdict in a director's words; the window is stated beside it wherever it is shown. */
    public static String verdictWords(String verdict, String band) {
        if (verdict == null) {
            return null;
        }
        return switch (verdict) {
            case RelapseSummary.WITHIN_BAND -> "within the " + band + " band";
            case RelapseSummary.BELOW_BAND -> "below the " + band + " band (fewer relapses than the usual range)";
            case RelapseSummary.ABOVE_BAND -> "above the " + band + " band (more relapses than the usual range)";
            case RelapseSummary.INCONCLUSIVE -> "inconclusive: the confidence interval crosses an edge of the "
                    + band + " band";
            case RelapseSummary.INSUFFICIENT_FOLLOW_UP -> "not enough follow-up to judge";
            default -> verdict;
        };
    }

    /**
     * Whether the verdict holds when everyone lost to follow-up before the horizon is counted as relapsed (the worst
     * case), in a director's words; null where there is no verdict to hold (not judged, or hidden).
     */
    public static String robustnessWords(Boolean robust) {
        if (robust == null) {
            return null;
        }
        return robust ? "holds even if everyone lost to follow-up relapsed"
                : "would change if everyone lost to follow-up relapsed";
    }

    /** The verdict in a few words, beside the forest chart (the tables give it in full). */
    static String shortVerdict(String verdict) {
        return switch (verdict) {
            case RelapseSummary.WITHIN_BAND -> "within the band";
            case RelapseSummary.BELOW_BAND -> "below the band";
            case RelapseSummary.ABOVE_BAND -> "above the band";
            case RelapseSummary.INCONCLUSIVE -> "inconclusive";
            case RelapseSummary.INSUFFICIENT_FOLLOW_UP -> "not enough follow-up";
            default -> verdict;
        };
    }

    private String page() {
        b.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>").append(esc("IOP program outcomes" + (internal
                        ? ", internal page (small counts not suppressed)" : "") + ", data cut " + s.runDate()))
                .append("</title>\n")
                .append("<style>").append(CSS).append("</style>\n</head>\n<body>\n");
        header();
        headline();
        if (in.audience() instanceof Internal i) {
            overdoseEpisodes(i.overdoseEpisodes());
        }
        retention();
        relapse();
        bandChart();
        continuity();
        doseResponse();
        overdose();
        dataQuality();
        change();
        settings();
        if (internal) {
            b.append("<footer>").append(esc("Made by iop-outcomes " + in.version() + " from the unsuppressed tables "
                    + "of this run in the internal/ folder beside this page, in the restricted tree (data cut "
                    + s.runDate() + "). Nothing on this page is suppressed: small counts are shown as they are. For "
                    + "the staff of the program with access to the restricted tree only (42 CFR Part 2)."))
                    .append("</footer>\n");
        } else {
            b.append("<footer>").append(esc("Made by iop-outcomes " + in.version() + " from the published tables of "
                    + "this run (data cut " + s.runDate() + "). Counts of people from 1 to "
                    + (s.suppressionThreshold() - 1) + ", the figures built on them, and other counts where needed "
                    + "to protect them, are shown as \"" + suppressedText + "\"; zero is shown as 0, except in the "
                    + "count of overdoses after abstinence, which reads \"" + fewerThanText() + "\" below the "
                    + "threshold.")).append(
                    "</footer>\n");
        }
        b.append("</body>\n</html>\n");
        return b.toString();
    }

    /**
     * Why a published estimate may differ a little from the internal page's: the published curves and the estimates at
     * their days are computed from counts pooled between published days, so that no day's count can be split out.
     */
    static final String POOLED_NOTE = "Published curves and the estimates read from them are computed from counts "
            + "pooled between the published days (each interval holds none or enough of every kind of event that no "
            + "single day's count can be read back), as a life table: within a long interval, events and ends of "
            + "follow-up are assumed to fall as they do overall. They may differ slightly from the daily estimates "
            + "on the internal page.";

    // ---- sections ------------------------------------------------------------------------------------------

    private void header() {
        b.append("<header><h1>").append(esc(internal ? "IOP program outcomes: internal page, small counts not "
                + "suppressed" : "IOP program outcomes")).append("</h1><p class=\"sub\">")
                .append(esc("Data cut " + s.runDate() + " · " + s.programs().size() + " programs · "
                        + orSuppressed(Numbers.count(s.overall().episodes()), s.overall().suppressed())
                        + " treatment episodes"))
                .append("</p>");
        if (in.audience() instanceof Published p) {
            b.append("<p class=\"sub\">").append(esc("For staff of the program with access to the restricted tree: "
                    + "the internal version of this page, with small counts not suppressed and the "
                    + "overdose-after-abstinence episodes listed for clinical follow-up, is " + p.internalPage()
                    + ".")).append("</p>");
        } else {
            b.append("<p class=\"restricted\">").append(esc("Internal page for the staff of the program with access "
                    + "to the restricted tree only. Counts of people are not suppressed, however small, and "
                    + "overdose-after-abstinence events are listed by episode and participant for clinical follow-up. "
                    + "These are substance-use treatment records under 42 CFR Part 2: do not publish, forward or "
                    + "share this page outside the program. The page for boards, payers and the public is "
                    + "report.html in the published tree.")).append("</p>");
        }
        b.append("<nav>");
        List<String[]> toc = new ArrayList<>();
        toc.add(new String[] {"headline", "Headline numbers"});
        if (internal) {
            toc.add(new String[] {"followup", "Overdose episodes for follow-up"});
        }
        toc.addAll(List.of(new String[][] {{"retention", "Retention"}, {"relapse", "Relapse"},
            {"band", "Against the band"}, {"continuity", "Continuing care"}, {"dose", "Dose-response"},
            {"overdose", "Overdose after abstinence"}, {"quality", "Data quality"}, {"change", "Change"},
            {"settings", "Definitions and settings"}}));
        for (String[] t : toc) {
            b.append("<a href=\"#").append(t[0]).append("\">").append(esc(t[1])).append("</a> ");
        }
        b.append("</nav></header>\n");
    }

    private void headline() {
        Stratum o = s.overall();
        int h = s.headlineRetentionHorizon();
        section("headline", "Headline numbers");
        b.append("<div class=\"cards\">");
        card("Treatment episodes", orSuppressed(Numbers.count(o.episodes()), o.episodes() == null), "admitted by the "
                + "data cut, all programs");
        card("Completion rate", estimateText(o.completionRate(), o.suppressed()),
                "completed / discharged, 95% CI");
        card("Still in treatment at " + h + " days", estimateText(o.retentionAt(h).map(Summary.RetentionAt::inCare)
                .orElse(null), o.suppressed()), "not yet discharged " + h + " days after admission, 95% CI");
        card("Relapsed within " + window + ", deaths counted apart", relapseText(o), verdictSentence(o));
        b.append("</div>\n");
        b.append("<table class=\"data\"><thead><tr><th>program</th><th>episodes</th><th>completion rate</th>");
        for (int horizon : s.retentionHorizons()) {
            b.append("<th>").append(esc("still in treatment at " + horizon + " days")).append("</th>");
        }
        b.append("<th>").append(esc("dropped out by " + h + " days")).append("</th>");
        b.append("<th>median length of stay, days</th><th>").append(esc("relapse within " + window))
                .append("</th><th>").append(esc("against the " + band + " band")).append("</th></tr></thead><tbody>");
        for (Stratum p : strata()) {
            b.append("<tr").append(p == o ? " class=\"total\"" : "").append("><th scope=\"row\">")
                    .append(esc(label(p))).append("</th>");
            td(orSuppressed(Numbers.count(p.episodes()), p.episodes() == null));
            td(estimateText(p.completionRate(), p.suppressed()));
            for (Summary.RetentionAt r : p.retention()) {
                td(estimateText(r.inCare(), p.suppressed()));
            }
            td(estimateText(p.retentionAt(h).map(Summary.RetentionAt::dropout).orElse(null), p.suppressed()));
            td(medianText(p));
            td(relapseText(p));
            td(verdictWithFollowUp(p));
            b.append("</tr>");
        }
        b.append("</tbody></table>\n");
        note("Each figure is followed by its 95% confidence interval in brackets. \"Still in treatment\" is the "
                + "probability of not yet being discharged, and \"dropped out by\" the probability of having left by "
                + "dropout, with completion and other discharges counted as other ways out (Aalen-Johansen, so the "
                + "ways out add up with those still in treatment to 1). Relapse is the share who relapsed before any death "
                + "(Aalen-Johansen, a death from another cause counted apart, not as lost to follow-up). People "
                + "still in care or not yet followed for the whole window count for the time they were observed. " + (internal ? "" : POOLED_NOTE + " ")
                + (internal ? "An empty figure means there were too few "
                + "people to estimate it." : "An empty figure with no \"suppressed\" note means there were too few "
                + "people to estimate it."));
        endSection();
    }

    private void retention() {
        section("retention", "Retention: still in treatment after admission");
        note("Probability of still being in treatment (not yet discharged, by the discharge date), by days since "
                + "admission (Aalen-Johansen), " + (internal ? "on a weekly grid" : "at the published days only")
                + "; "
                + "the shaded area is the 95% confidence interval. " + (internal ? "A curve runs as long as anyone "
                + "remains at risk, so its end may rest on very few people." : "A curve stops where fewer than "
                + s.suppressionThreshold() + " people remain at risk. " + POOLED_NOTE));
        Table curve = in.tables().retentionCurve();
        double xMax = maxDay(curve);
        b.append("<div class=\"grid\">");
        int i = 0;
        for (Stratum p : strata()) {
            List<Charts.Point> points = new ArrayList<>();
            for (Map<String, Object> row : curve.of(p.stratum(), p.value()).rows()) {
                points.add(new Charts.Point(Table.lng(row, "day"), Table.dbl(row, "in_care"),
                        Table.dbl(row, "in_care_lower"), Table.dbl(row, "in_care_upper")));
            }
            figure(points, "Still in treatment: " + label(p), color(p, i++), xMax, "days since admission",
                    "still in treatment", null, null);
        }
        b.append("</div>\n");
        waysOut();
        stepDown();
        endSection();
    }

    /**
     * Continuity after a higher level of care (Washington Circle): of the discharges from detox, residential or PHP,
     * the share followed by an admission to a lower level within the step-down window.
     */
    private void stepDown() {
        Object setting = in.settings().get("step_down_days");
        String within = setting == null ? "within the step-down window" : "within " + setting + " days";
        b.append("<table class=\"data\"><thead><tr><th>program</th><th>")
                .append(esc("discharges from detox, residential or PHP")).append("</th><th>")
                .append(esc("followed by a lower level of care " + within)).append("</th><th>")
                .append(esc("share (95% CI)")).append("</th></tr></thead><tbody>");
        for (Stratum p : strata()) {
            Summary.StepDown d = p.stepDown();
            b.append("<tr><th scope=\"row\">").append(esc(label(p))).append("</th>");
            td(orSuppressed(Numbers.count(d.higherLevelDischarges()), d.higherLevelDischarges() == null));
            td(orSuppressed(Numbers.count(d.followedByLowerLevel()), d.followedByLowerLevel() == null));
            td(estimateText(d.rate(), p.suppressed()));
            b.append("</tr>");
        }
        b.append("</tbody></table>\n");
        note("Continuity after a higher level of care: a discharge from detox, residential treatment or partial "
                + "hospitalization followed by the same person's admission to a lower level of care on "
                + "the day of discharge or " + within + " after it (--step-down-days), Wilson 95% CI: whether "
                + "people move on into less intensive care rather than leave care altogether.");
    }

    /**
     * The ways out of treatment at each horizon: dropout (discharge reasons as set), completion and other discharges,
     * each a cumulative incidence that adds up with "still in treatment" to 1.
     */
    private void waysOut() {
        b.append("<table class=\"data\"><thead><tr><th>program</th><th>days since admission</th><th>")
                .append(esc("still in treatment")).append("</th><th>").append(esc("dropped out by"))
                .append("</th><th>").append(esc("completed by")).append("</th><th>")
                .append(esc("otherwise discharged by")).append("</th></tr></thead><tbody>");
        for (Stratum p : strata()) {
            for (Summary.RetentionAt r : p.retention()) {
                b.append("<tr><th scope=\"row\">").append(esc(label(p))).append("</th>");
                td(Integer.toString(r.horizonDays()));
                td(estimateText(r.inCare(), p.suppressed()));
                td(estimateText(r.dropout(), p.suppressed()));
                td(estimateText(r.completion(), p.suppressed()));
                td(estimateText(r.otherDischarge(), p.suppressed()));
                b.append("</tr>");
            }
        }
        b.append("</tbody></table>\n");
        note("Dropout is a discharge with a reason among " + String.join(", ",
                stringList(in.settings().get("dropout_reasons"))) + "; every episode is, at each day, still in "
                + "treatment, or has left by exactly one of the three ways, so the four figures add up to 1. Each way "
                + "out is a cumulative incidence with the others as competing events (Aalen-Johansen), not a "
                + "Kaplan-Meier estimate with the others censored, which would count a completer as someone who "
                + "might still drop out.");
    }

    private void relapse() {
        section("relapse", "Relapse after discharge");
        note("Cumulative incidence of first use after discharge, deaths counted apart (Aalen-Johansen: a death from "
                + "overdose is a relapse, any other death before relapse a competing event), by days since discharge, on "
                + "a weekly grid, with its 95% confidence interval shaded. The dashed line marks " + window
                + ", where the bar shows the " + band + " band the field quotes. A curve stops where fewer than "
                + relapseCurveEnd() + " people remain at risk.");
        Table curve = in.tables().relapseCurve().where(r -> Summary.BAND_CLOCK.equals(r.get("clock"))
                && Summary.BAND_DEFINITION.equals(r.get("definition")));
        double xMax = Math.max(maxDay(curve), relapse.bandHorizonDays());
        b.append("<div class=\"grid\">");
        int i = 0;
        for (Stratum p : strata()) {
            List<Charts.Point> points = new ArrayList<>();
            for (Map<String, Object> row : curve.of(p.stratum(), p.value()).rows()) {
                points.add(new Charts.Point(Table.lng(row, "day"), Table.dbl(row, "cumulative_incidence"),
                        Table.dbl(row, "ci_lower"), Table.dbl(row, "ci_upper")));
            }
            figure(points, "Relapse after discharge: " + label(p), color(p, i++), xMax, "days since discharge",
                    "relapsed", (double) relapse.bandHorizonDays(),
                    new double[] {relapse.bandLower(), relapse.bandUpper()});
        }
        b.append("</div>\n");
        note("Time to first relapse assumes continuous abstinence between contacts: a negative screen, an attended "
                + "session or an abstinent follow-up call is read as no use since discharge. A call covers 30 days and "
                + "a screen a few, so a use that ends before the next contact is never seen, and the relapse figures "
                + "are a lower bound on any use. The point-prevalence table below does not rest on that assumption.");
        pointPrevalence();
        relapseByDefinition();
        endSection();
    }

    /**
     * Abstinence in the past 30 days at each follow-up horizon (point prevalence), among those reached and counting
     * the unreached as using, per program.
     */
    private void pointPrevalence() {
        if (in.tables().pointPrevalence().isEmpty()) {
            return;
        }
        Table table = in.tables().pointPrevalence().get();
        b.append("<h3>Abstinent in the past 30 days at each follow-up (point prevalence)</h3>");
        b.append("<table class=\"data\"><thead><tr><th>program</th><th>days after discharge</th><th>")
                .append(esc("abstinent, of those reached")).append("</th><th>")
                .append(esc("abstinent, counting those not reached as using")).append("</th></tr></thead><tbody>");
        for (Stratum p : strata()) {
            for (Map<String, Object> row : table.of(p.stratum(), p.value()).rows()) {
                boolean hidden = Table.suppressed(row);
                b.append("<tr><th scope=\"row\">").append(esc(label(p))).append("</th>");
                td(Long.toString(Table.lng(row, "horizon_days")));
                td(estimateText(Summary.Estimate.of(row, "abstinence_among_reached", "abstinence_among_reached_lower",
                        "abstinence_among_reached_upper"), hidden));
                td(estimateText(Summary.Estimate.of(row, "abstinence_worst_case", "abstinence_worst_case_lower",
                        "abstinence_worst_case_upper"), hidden));
                b.append("</tr>");
            }
        }
        b.append("</tbody></table>\n");
        note("A follow-up call counts for the horizon it falls within " + relapse.followUpWindowDays()
                + " days of (--followup-window-days); when there are several, the nearest. Only episodes discharged long enough before the "
                + "data cut for the window to have closed are counted. An empty figure means nobody was reached or "
                + "eligible there.");
    }

    /** Every relapse definition of the run, overall, at each horizon: the definitions side by side. */
    private void relapseByDefinition() {
        Table overall = in.tables().relapseSummary().of("overall", "overall");
        Set<String> definitions = new LinkedHashSet<>();
        TreeSet<Long> horizons = new TreeSet<>();
        for (Map<String, Object> row : overall.rows()) {
            definitions.add(Table.str(row, "clock") + "|" + Table.str(row, "definition"));
            horizons.add(Table.lng(row, "horizon_days"));
        }
        b.append("<h3>All programs, every relapse definition of this run</h3>");
        b.append("<table class=\"data\"><thead><tr><th>definition</th><th>clock (counted from)</th>");
        for (long h : horizons) {
            b.append("<th>").append(esc("by day " + h)).append("</th>");
        }
        b.append("</tr></thead><tbody>");
        for (String key : definitions) {
            String[] parts = key.split("\\|", 2);
            b.append("<tr><th scope=\"row\">").append(esc(parts[1])).append("</th>");
            td(parts[0]);
            for (long h : horizons) {
                Map<String, Object> row = overall.where(r -> parts[0].equals(r.get("clock"))
                        && parts[1].equals(r.get("definition")) && Long.valueOf(h).equals(Table.lng(r, "horizon_days")))
                        .rows().stream().findFirst().orElse(null);
                td(row == null ? "" : incidenceText(row));
            }
            b.append("</tr>");
        }
        b.append("</tbody></table>");
        note("Admission-clock definitions count relapse from admission on the weekly screen lattice "
                + "(definitions in the settings below); the discharge clock counts first use after discharge. Not "
                + "estimable: fewer than " + relapse.minAtRisk() + " at risk at that day, or follow-up under "
                + Numbers.bandPercent(relapse.minCompleteness()) + " complete.");
    }

    private void bandChart() {
        section("band", "Relapse within " + window + ", against the " + band + " band");
        List<Charts.ForestRow> rows = new ArrayList<>();
        int i = 0;
        for (Stratum p : strata()) {
            Summary.Relapse r = p.relapse();
            Estimate e = r == null ? null : r.cumulativeIncidence();
            String text = relapseText(p);
            if (r != null && r.verdict() != null) {
                text = text + ": " + shortVerdict(r.verdict());
            }
            rows.add(new Charts.ForestRow(label(p), e == null ? null : e.estimate(), e == null ? null : e.lower(),
                    e == null ? null : e.upper(), text, color(p, i++)));
        }
        b.append("<figure>").append(Charts.forest("Relapse within " + window + " (95% CI)", rows,
                new double[] {relapse.bandLower(), relapse.bandUpper()}, band + " band",
                "relapsed within " + window)).append("</figure>\n");
        int day = relapse.bandHorizonDays();
        b.append("<table class=\"data\"><thead><tr><th>program</th><th>episodes discharged</th><th>")
                .append(esc("at risk at day " + day)).append("</th><th>relapses</th>")
                .append("<th>relapse (95% CI)</th><th>died before relapse (95% CI)</th>")
                .append("<th>relapse dated between contacts (sensitivity)</th><th>verdict</th><th>")
                .append(esc("followed up to day " + day)).append("</th><th>")
                .append(esc("worst case: everyone lost to follow-up relapsed (95% CI)")).append("</th>")
                .append("<th>does the verdict hold in the worst case?</th>")
                .append("<th>p below band</th><th>q below band</th>")
                .append("<th>p above band</th><th>q above band</th></tr></thead><tbody>");
        for (Stratum p : strata()) {
            Summary.Relapse r = p.relapse();
            b.append("<tr><th scope=\"row\">").append(esc(label(p))).append("</th>");
            if (r == null) {
                b.append("<td colspan=\"14\">no discharged episodes</td></tr>");
                continue;
            }
            td(orSuppressed(Numbers.count(r.episodes()), r.episodes() == null));
            td(orSuppressed(Numbers.count(r.atRisk()), r.atRisk() == null));
            td(orSuppressed(Numbers.count(r.relapses()), r.relapses() == null));
            td(relapseText(p));
            td(deathText(r));
            td(orEmpty(Numbers.percent(r.intervalCensoredIncidence()), r.suppressed()));
            td(verdictCell(p));
            td(orEmpty(Numbers.percent(r.followupCompleteness()), r.suppressed()));
            td(estimateText(r.worstCase(), r.suppressed()));
            td(holdsCell(r));
            td(pText(r.pBelowBand()));
            td(pText(r.qBelowBand()));
            td(pText(r.pAboveBand()));
            td(pText(r.qAboveBand()));
            b.append("</tr>");
        }
        b.append("</tbody></table>");
        note(grayText());
        note("Verdict: below the band when the whole 95% CI lies under " + Numbers.bandPercent(relapse.bandLower())
                + ", above when it lies over " + Numbers.bandPercent(relapse.bandUpper()) + ", within when it lies "
                + "inside the band, otherwise inconclusive; not judged when fewer than " + relapse.minAtRisk()
                + " are at risk at day " + relapse.bandHorizonDays() + " or follow-up is under "
                + Numbers.bandPercent(relapse.minCompleteness()) + " complete. Followed up: the share of episodes "
                + "discharged at least " + day + " days before the data cut whose relapse status at day " + day
                + " is known (a relapse by then, or a contact on or after that day without one). Worst case: those "
                + "not followed up counted as relapsed, with its exact (Clopper-Pearson) 95% CI; the verdict holds "
                + "when that interval gives the same verdict. The relapse estimate assumes that those not followed "
                + "up relapse like those who were; the worst case shows how much that assumption can matter. p below "
                + "band and p above band: one-sided tests of the relapse estimate against each edge of the band, "
                + "from the same estimate, standard error and scale as its 95% CI, so they agree with the verdict: "
                + "below the band exactly when p below band is under 0.025, above it exactly when p above band is "
                + "under 0.025 (on the full values; the page rounds them). q: Benjamini-Hochberg across the "
                + "programs.");
        endSection();
    }

    /**
     * Gray's test across the programs, of relapse and of death before relapse, as relapse_summary gives it on the
     * programs' verdict rows (the same value on each row it compares); the published table leaves it empty unless at
     * least two programs' curves are shown, and compares only those.
     */
    private String grayText() {
        Map<String, Object> row = in.tables().relapseSummary().where(r -> "program_id".equals(r.get("stratum"))
                && Summary.BAND_DEFINITION.equals(r.get("definition")) && Summary.BAND_CLOCK.equals(r.get("clock"))
                && Long.valueOf(relapse.bandHorizonDays()).equals(Table.lng(r, "horizon_days"))
                && (Table.dbl(r, RelapseSummary.GRAY_P_RELAPSE) != null
                        || Table.dbl(r, RelapseSummary.GRAY_P_DEATH) != null))
                .rows().stream().findFirst().orElse(null);
        String test = "Gray's test of equal cumulative incidence across the programs, comparing the whole curves after "
                + "discharge (not one day)";
        if (row == null) {
            return test + ": not computed (fewer than two programs" + (internal ? "" : " whose curves are shown")
                    + ").";
        }
        return test + (internal ? "" : ", among the programs whose curves are shown") + ": relapse "
                + grayP(row, RelapseSummary.GRAY_P_RELAPSE) + ", died before relapse "
                + grayP(row, RelapseSummary.GRAY_P_DEATH) + ".";
    }

    /** "p = 0.034", "p < 0.001", or why there is none (no such event in any program, or too few to compare). */
    private String grayP(Map<String, Object> row, String column) {
        String p = pText(row, column);
        if (p == null) {
            return "not computed (too few events to compare)";
        }
        return p.startsWith("<") ? "p < " + p.substring(1).trim() : "p = " + p;
    }

    /** Does the verdict hold in the worst case: yes, no, or why there is no answer. */
    private String holdsCell(Summary.Relapse r) {
        if (r.verdictRobustToLoss() == null) {
            return r.suppressed() && r.verdict() == null ? suppressedText
                    : RelapseSummary.INSUFFICIENT_FOLLOW_UP.equals(r.verdict()) ? "not judged"
                    : r.suppressed() ? suppressedText : "";
        }
        if (r.verdictRobustToLoss()) {
            return "yes";
        }
        Estimate worst = r.worstCase();
        String would = worst.lower() == null || worst.upper() == null ? null
                : verdictWords(RelapseSummary.bandVerdict(new Interval(worst.lower(), worst.upper()),
                        relapse.bandLower(), relapse.bandUpper()), band);
        return would == null ? "no" : "no: it would be " + would;
    }

    private void continuity() {
        section("continuity", "Continuing care and relapse");
        Optional<Table> table = in.tables().continuityEffect();
        if (table.isEmpty()) {
            note("Not computed in this run: the run wrote no continuity_effect table.");
            endSection();
            return;
        }
        note("Relapse after a landmark, compared between episodes with and without each kind of continuity. RD: "
                + "risk difference (exposed minus unexposed); RR: risk ratio; OR: odds ratio; adjusted HR: Cox "
                + "hazard ratio of relapse adjusted for the covariates listed (below 1: fewer relapses with the "
                + "exposure). All with 95% CIs.");
        for (Stratum p : strata()) {
            Table rows = table.get().of(p.stratum(), p.value());
            if (rows.isEmpty()) {
                continue;
            }
            b.append("<h3>").append(esc(label(p))).append("</h3>");
            b.append("<table class=\"data small\"><thead><tr><th>exposure</th><th>horizon, days after discharge</th>")
                    .append("<th>exposed: n, relapses, relapse (95% CI)</th>")
                    .append("<th>not exposed: n, relapses, relapse (95% CI)</th>")
                    .append("<th>RD (95% CI)</th><th>RR (95% CI)</th><th>OR (95% CI)</th>")
                    .append("<th>adjusted HR (95% CI), p</th><th>model n / events</th><th>notes</th></tr></thead><tbody>");
            for (Map<String, Object> row : rows.rows()) {
                b.append("<tr><th scope=\"row\">").append(esc(Table.str(row, "exposure"))).append("</th>");
                Long landmark = Table.lng(row, "landmark_days");
                td(Table.lng(row, "horizon_days") + (landmark == null ? "" : " (from day " + landmark + ")"));
                boolean hidden = Table.suppressed(row);
                td(group(row, "exposed_n", "exposed_relapses", "exposed_cumulative_incidence", "exposed_ci_lower",
                        "exposed_ci_upper", hidden));
                td(group(row, "unexposed_n", "unexposed_relapses", "unexposed_cumulative_incidence",
                        "unexposed_ci_lower", "unexposed_ci_upper", hidden));
                td(pointsCi(row, "risk_difference", hidden));
                td(ratioCi(row, "risk_ratio", "risk_ratio_lower", "risk_ratio_upper", hidden));
                td(ratioCi(row, "odds_ratio", "odds_ratio_lower", "odds_ratio_upper", hidden));
                String hr = ratioCi(row, "adjusted_hr", "adjusted_hr_lower", "adjusted_hr_upper", hidden);
                String hrP = pText(row, "adjusted_hr_p");
                td(hr + (hrP == null || hr.isEmpty() || hr.equals(suppressedText) ? "" : ", p " + hrP));
                Long n = Table.lng(row, "hr_model_n");
                Long events = Table.lng(row, "hr_model_events");
                td(n == null ? (hidden ? suppressedText : "") : Numbers.count(n) + " / "
                        + Objects.toString(Numbers.count(events), "-"));
                List<String> notes = new ArrayList<>();
                if (Boolean.FALSE.equals(Table.bool(row, "estimable"))) {
                    notes.add("not estimable");
                }
                addIf(notes, Table.str(row, "note"));
                addIf(notes, prefixed("covariates: ", Table.str(row, "covariates_used")));
                addIf(notes, prefixed("left out: ", Table.str(row, "covariates_left_out")));
                Long missing = Table.lng(row, "rows_left_out_missing");
                if (missing != null && missing > 0) {
                    notes.add(Numbers.count(missing) + " episodes left out for a missing covariate");
                }
                if (hidden) {
                    notes.add(suppressedText + " where shown");
                }
                td(String.join("; ", notes));
                b.append("</tr>");
            }
            b.append("</tbody></table>");
        }
        endSection();
    }

    private void doseResponse() {
        section("dose", "Dose-response: attendance and therapy hours");
        Optional<Table> table = in.tables().doseResponse();
        if (table.isEmpty()) {
            note("Not computed in this run: the run wrote no dose_response table.");
            endSection();
            return;
        }
        note("Relapse after discharge by level of attendance or weekly therapy hours, with the test for trend "
                + "across the levels.");
        Table overall = table.get().of("overall", "overall");
        Set<String> dimensions = new LinkedHashSet<>();
        overall.rows().forEach(r -> dimensions.add(Table.str(r, "dimension")));
        for (String dimension : dimensions) {
            Table rows = overall.where(r -> dimension.equals(r.get("dimension"))
                    && Long.valueOf(relapse.bandHorizonDays()).equals(Table.lng(r, "horizon_days")));
            if (rows.isEmpty()) {
                continue;
            }
            List<Charts.ForestRow> forest = new ArrayList<>();
            for (Map<String, Object> row : rows.rows()) {
                boolean hidden = Table.suppressed(row);
                String text = hidden && Table.dbl(row, "cumulative_incidence") == null ? suppressedText
                        : ciText(Table.dbl(row, "cumulative_incidence"), Table.dbl(row, "ci_lower"),
                        Table.dbl(row, "ci_upper")) + " of " + orSuppressed(Numbers.count(Table.lng(row, "episodes")),
                        Table.lng(row, "episodes") == null);
                forest.add(new Charts.ForestRow(Table.str(row, "level"), Table.dbl(row, "cumulative_incidence"),
                        Table.dbl(row, "ci_lower"), Table.dbl(row, "ci_upper"), text, Charts.PALETTE[0]));
            }
            String trend = pText(rows.rows().get(0), "trend_p");
            b.append("<figure>").append(Charts.forest(dimension.replace('_', ' ') + ": relapse within " + window
                    + (trend == null ? "" : " (trend p " + trend + ")"), forest,
                    new double[] {relapse.bandLower(), relapse.bandUpper()}, band + " band",
                    "relapsed within " + window)).append("</figure>");
        }
        b.append("<table class=\"data small\"><thead><tr><th>program</th><th>dimension</th><th>level</th>")
                .append("<th>horizon, days</th><th>episodes</th><th>relapses</th><th>relapse (95% CI)</th>")
                .append("<th>trend p</th></tr></thead><tbody>");
        for (Stratum p : strata()) {
            for (Map<String, Object> row : table.get().of(p.stratum(), p.value()).rows()) {
                boolean hidden = Table.suppressed(row);
                b.append("<tr><th scope=\"row\">").append(esc(label(p))).append("</th>");
                td(Table.str(row, "dimension"));
                td(Table.str(row, "level"));
                td(String.valueOf(Table.lng(row, "horizon_days")));
                td(orSuppressed(Numbers.count(Table.lng(row, "episodes")), Table.lng(row, "episodes") == null));
                td(orSuppressed(Numbers.count(Table.lng(row, "relapses")), Table.lng(row, "relapses") == null));
                td(estimateText(Estimate.of(row, "cumulative_incidence", "ci_lower", "ci_upper"), hidden));
                td(pText(row, "trend_p"));
                b.append("</tr>");
            }
        }
        b.append("</tbody></table>");
        endSection();
    }

    private void overdose() {
        section("overdose", "Overdose after abstinence, and follow-up calls");
        note("A relapse after abstinence is a positive screen or use after at least one negative screen and none "
                + "positive in the 30 days before; it is counted as followed by an overdose when an overdose follows "
                + "within 30 days. These are the most dangerous relapses: tolerance is lower after abstinence."
                + (internal ? " Each one is listed by episode under \"Overdose after abstinence: episodes for "
                + "clinical follow-up\" above." : " \"" + fewerThanText() + "\" is shown for a count below the suppression "
                + "threshold, zero included, so it does not tell whether there were any; where only one value would "
                + "read so, the next smallest reads so too, so that neither can be worked out from the total. The "
                + "internal page lists each one for clinical follow-up."));
        b.append("<table class=\"data\"><thead><tr><th>program</th><th>relapses after abstinence</th>")
                .append("<th>followed by an overdose</th><th>share (95% CI)</th>")
                .append(internal ? "<th>flag</th>" : "")
                .append("<th>follow-up calls</th><th>reached</th><th>abstinent among reached</th>")
                .append("<th>abstinent, not reached counted as not</th></tr></thead><tbody>");
        for (Stratum p : strata()) {
            Map<String, Object> row = verdictRow(p);
            b.append("<tr><th scope=\"row\">").append(esc(label(p))).append("</th>");
            if (row == null) {
                b.append("<td colspan=\"").append(internal ? 8 : 7).append("\">no discharged episodes</td></tr>");
                continue;
            }
            boolean hidden = Table.suppressed(row);
            Long relapses = Table.lng(row, "relapses_after_abstinence");
            Long overdoses = Table.lng(row, "overdoses_after_abstinence");
            td(orSuppressed(Numbers.count(relapses), relapses == null && hidden));
            // the safety count: the number, or "fewer than 11 (may be 0)", never "suppressed" nor a flag
            td(overdoses != null ? Numbers.count(overdoses)
                    : hidden ? (internal ? suppressedText : fewerThanText()) : "");
            td(estimateText(Estimate.of(row, "overdose_after_abstinence_rate", "overdose_after_abstinence_lower",
                    "overdose_after_abstinence_upper"), hidden));
            if (internal) {
                Boolean flag = Table.bool(row, RelapseSummary.OVERDOSE_FLAG);
                if (Boolean.TRUE.equals(flag)) {
                    b.append("<td class=\"flag\">FLAG: overdose after abstinence</td>");
                } else {
                    td(flag == null ? (hidden ? suppressedText : "") : "none");
                }
            }
            Long calls = Table.lng(row, "followup_calls");
            td(orSuppressed(Numbers.count(calls), calls == null && hidden));
            Long reached = Table.lng(row, "followup_reached");
            String rate = Numbers.percent(Numbers.round10(Table.dbl(row, "followup_response_rate")));
            td(reached == null ? (hidden ? suppressedText : "")
                    : Numbers.count(reached) + (rate == null ? "" : " (" + rate + ")"));
            td(orEmpty(Numbers.percent(Numbers.round10(Table.dbl(row, "followup_abstinence_among_reached"))), hidden));
            td(orEmpty(Numbers.percent(Numbers.round10(Table.dbl(row, "followup_abstinence_worst_case"))), hidden));
            b.append("</tr>");
        }
        b.append("</tbody></table>");
        endSection();
    }

    /**
     * Where a relapse curve of this page stops: the curve itself below the minimum at risk (--min-at-risk), and the
     * published one also below the suppression threshold (its number at risk is a count of people).
     */
    private int relapseCurveEnd() {
        return internal ? relapse.minAtRisk() : Math.max(relapse.minAtRisk(), s.suppressionThreshold());
    }

    /**
     * How the published page shows a hidden safety count (issue 13): below the threshold, 0 included, so that it
     * neither hides nor reveals that there were any; the threshold is the run's setting.
     */
    String fewerThanText() {
        return "fewer than " + s.suppressionThreshold() + " (may be 0)";
    }

    /**
     * The internal page's list of safety events: each relapse after abstinence followed by an overdose, by
     * episode, for clinical follow-up (SPEC section 5). Said in words when there are none.
     */
    private void overdoseEpisodes(OverdoseEpisodes events) {
        section("followup", "Overdose after abstinence: episodes for clinical follow-up");
        note("Each relapse after abstinence (a positive screen or use after at least one negative screen or "
                + "abstinent follow-up call, and none positive, in the 30 days before) that was followed by an "
                + "overdose or fatal overdose within 30 days, with the episode it belongs to (the participant's "
                + "episode admitted last on or before the relapse). The overdose date is the first one in those 30 "
                + "days; it is the relapse date when the relapse was the overdose. Latest relapse first.");
        if (events.rows().isEmpty()) {
            b.append("<p class=\"none\">None recorded: no relapse after abstinence was followed by an overdose in "
                    + "this run's data.</p>\n");
            endSection();
            return;
        }
        if (events.capped()) {
            b.append("<p class=\"restricted\">").append(esc("The list is cut at " + Numbers.count((long) events.cap())
                    + " rows: it shows the " + Numbers.count((long) events.cap()) + " latest of "
                    + Numbers.count(events.total()) + " events. The older ones are not listed here.")).append("</p>");
        }
        b.append("<table class=\"data followup\"><thead><tr><th>episode_id</th><th>participant_id</th>")
                .append("<th>program_id</th><th>relapse after abstinence</th><th>overdose</th></tr></thead><tbody>");
        for (OverdoseEpisodes.Event e : events.rows()) {
            b.append("<tr><th scope=\"row\">").append(esc(e.episodeId())).append("</th>");
            td(e.participantId());
            td(e.programId());
            td(Objects.toString(e.relapseDate(), ""));
            td(Objects.toString(e.overdoseDate(), ""));
            b.append("</tr>");
        }
        b.append("</tbody></table>\n");
        note(Numbers.count(events.total()) + (events.total() == 1 ? " event" : " events") + " in all.");
        endSection();
    }

    private void dataQuality() {
        Summary.DataQualityCounts dq = s.dataQuality();
        section("quality", "Data quality");
        note(Numbers.count(dq.rowsRead()) + " input rows read, " + Numbers.count(dq.quarantined())
                + " quarantined (held back with their reason, never dropped in silence), "
                + Numbers.count(dq.afterDataCut()) + " dated after the data cut and left out of this run.");
        b.append("<table class=\"data\"><thead><tr><th>input table</th><th>rows read</th><th>loaded</th>")
                .append("<th>quarantined</th><th>after the data cut</th></tr></thead><tbody>");
        for (Summary.TableQuality t : dq.tables()) {
            b.append("<tr><th scope=\"row\">").append(esc(t.table())).append("</th>");
            td(Numbers.count(t.rowsRead()));
            td(Numbers.count(t.rowsLoaded()));
            td(Numbers.count(t.quarantined()) + share(t.quarantined(), t.rowsRead()));
            td(Numbers.count(t.afterDataCut()));
            b.append("</tr>");
        }
        b.append("<tr class=\"total\"><th scope=\"row\">all tables</th>");
        td(Numbers.count(dq.rowsRead()));
        td(Numbers.count(dq.rowsLoaded()));
        td(Numbers.count(dq.quarantined()) + share(dq.quarantined(), dq.rowsRead()));
        td(Numbers.count(dq.afterDataCut()));
        b.append("</tr></tbody></table>");
        b.append("<h3>Quarantined rows by reason</h3>");
        List<Map<String, Object>> reasons = in.tables().dataQuality().where(r -> "quarantined".equals(r.get("metric"))
                && r.get("reason") != null).rows();
        if (reasons.isEmpty()) {
            note("No row was quarantined.");
        } else {
            b.append("<table class=\"data\"><thead><tr><th>input table</th><th>reason</th><th>rows</th></tr></thead>")
                    .append("<tbody>");
            for (Map<String, Object> row : reasons) {
                b.append("<tr><th scope=\"row\">").append(esc(Table.str(row, "table_name"))).append("</th>");
                td(Table.str(row, "reason"));
                td(Numbers.count(Table.lng(row, "rows")) + share(Table.lng(row, "rows"), Table.lng(row, "rows_read")));
                b.append("</tr>");
            }
            b.append("</tbody></table>");
        }
        endSection();
    }

    private void change() {
        section("change", "Change since the previous run");
        PreviousRun prev = in.previous();
        note(prev.note());
        JsonNode old = prev.summary();
        if (old == null) {
            endSection();
            return;
        }
        int h = s.headlineRetentionHorizon();
        b.append("<table class=\"data\"><thead><tr><th>program</th><th>measure</th><th>")
                .append(esc("previous run (" + prev.runDate() + ")")).append("</th><th>")
                .append(esc("this run (" + s.runDate() + ")")).append("</th><th>change</th></tr></thead><tbody>");
        Map<String, JsonNode> oldStrata = new LinkedHashMap<>();
        oldStrata.put("all programs", old.path("overall"));
        for (JsonNode p : old.path("programs")) {
            oldStrata.put(p.path("program_id").asText(), p);
        }
        Map<String, Stratum> now = new LinkedHashMap<>();
        for (Stratum p : strata()) {
            now.put(label(p), p);
        }
        Set<String> labels = new LinkedHashSet<>(now.keySet());
        labels.addAll(oldStrata.keySet());
        for (String label : labels) {
            Stratum p = now.get(label);
            JsonNode o = oldStrata.getOrDefault(label, com.fasterxml.jackson.databind.node.MissingNode.getInstance());
            changeRow(label, "episodes", number(o.path("episodes")), p == null || p.episodes() == null ? null
                    : p.episodes().doubleValue(), false);
            changeRow(label, "completion rate", number(o.path("completion_rate").path("estimate")),
                    p == null ? null : p.completionRate().estimate(), true);
            Double oldInCare = null;
            for (JsonNode r : o.path("retention")) {
                if (r.path("horizon_days").asInt() == h) {
                    // a run before 2026-12 published Kaplan-Meier of no dropout here, another estimand: no figure
                    oldInCare = number(r.path("in_care").path("estimate"));
                }
            }
            changeRow(label, "still in treatment at " + h + " days", oldInCare,
                    p == null ? null : p.retentionAt(h).map(r -> r.inCare().estimate()).orElse(null), true);
            boolean sameWindow = o.path("relapse").path("horizon_days").asInt() == relapse.bandHorizonDays();
            changeRow(label, "relapse within " + window,
                    sameWindow ? number(o.path("relapse").path("cumulative_incidence").path("estimate")) : null,
                    p == null || p.relapse() == null ? null : p.relapse().cumulativeIncidence().estimate(), true);
            String oldVerdict = sameWindow ? o.path("relapse").path("verdict").asText(null) : null;
            String newVerdict = p == null || p.relapse() == null ? null : p.relapse().verdict();
            b.append("<tr><th scope=\"row\">").append(esc(label)).append("</th>");
            td("verdict");
            td(Objects.toString(verdictWords(oldVerdict, band), "-"));
            td(Objects.toString(verdictWords(newVerdict, band), "-"));
            td(Objects.equals(oldVerdict, newVerdict) ? "same" : "changed");
            b.append("</tr>");
        }
        b.append("</tbody></table>");
        note("A dash: not in that run, suppressed or not estimable. Changes of rates are in percentage points.");
        endSection();
    }

    private void changeRow(String label, String measure, Double old, Double now, boolean share) {
        b.append("<tr><th scope=\"row\">").append(esc(label)).append("</th>");
        td(measure);
        td(Objects.toString(share ? Numbers.percent(old) : count(old), "-"));
        td(Objects.toString(share ? Numbers.percent(now) : count(now), "-"));
        if (old == null || now == null) {
            td("-");
        } else if (share) {
            td(String.format(Locale.ROOT, "%+.1f points", (now - old) * 100));
        } else {
            td(String.format(Locale.ROOT, "%+,d", Math.round(now - old)));
        }
        b.append("</tr>");
    }

    private void settings() {
        section("settings", "Definitions and settings");
        b.append("<dl class=\"defs\">");
        definition("Episode", "One admission to a program; a person readmitted has two episodes.");
        definition("Dropout", "Discharge with a reason among "
                + String.join(", ", stringList(in.settings().get("dropout_reasons")))
                + ". Completion and other discharges are the other ways out of treatment.");
        definition("Still in treatment at H days", "Probability of not yet being discharged H days after admission "
                + "(Aalen-Johansen; time = days from admission to the discharge date, episodes still open counted "
                + "until the data cut; 95% CI on the log scale, as R's survfit for multi-state curves).");
        definition("Dropped out, completed, otherwise discharged by H days", "Cumulative incidence of each way out "
                + "by day H from admission, the other ways counted as competing events (Aalen-Johansen, 95% CI). With "
                + "\"still in treatment\" they add up to 1.");
        definition("Completion rate", "Episodes discharged as completed / all discharged episodes (Wilson 95% CI).");
        definition("Median length of stay", "Kaplan-Meier median of days from admission to the last attended "
                + "session, any discharge as the event (95% CI).");
        definition("Relapsed within " + window + ", deaths counted apart", "First recorded use after discharge "
                + "(positive screen, use event, overdose, or a follow-up call reporting use; a death from overdose "
                + "counts as a relapse on its day). Aalen-Johansen cumulative incidence at day "
                + relapse.bandHorizonDays() + " after discharge, discharged episodes only: a death from any other "
                + "cause before a relapse is a competing event, not a loss to follow-up, so the figure is the share "
                + "who relapsed before dying, not the share who would have relapsed had nobody died (95% CI, log "
                + "scale, as R's survfit for multi-state curves).");
        definition("Relapse dated between contacts (sensitivity)", "The relapse figure above dates a first use on "
                + "the day it is seen, and takes every abstinent call, negative screen or attended session as "
                + "abstinence since discharge. This one lets each first use lie anywhere between the last contact "
                + "without use and the first evidence of use (Turnbull's interval-censored estimate, deaths "
                + "counted as the end of follow-up, no CI), so the gap between the two shows how much the day of "
                + "the relapse matters. A use that ended before the next contact is still not seen by either.");
        definition("Died before relapse", "Aalen-Johansen cumulative incidence of a death from a cause other than "
                + "overdose before any recorded relapse, by the same day (95% CI). Deaths come from the deaths input "
                + "(a registry linkage) through the date it is complete, and from discharges for death.");
        definition("The " + band + " band", "The range of relapse rates the field quotes for addiction treatment, "
                + "stated here for " + window + ". Below the band is better than usual, above is worse.");
        definition("Followed up", "Of the episodes discharged at least " + relapse.bandHorizonDays() + " days "
                + "before the data cut, the share whose relapse status at day " + relapse.bandHorizonDays()
                + " is known.");
        definition("Worst case", "The share relapsed by day " + relapse.bandHorizonDays() + " if everyone not "
                + "followed up that long had relapsed (exact 95% CI). The verdict holds in the worst case when this "
                + "interval gives the same verdict.");
        if (internal) {
            definition("Small counts", "Not suppressed on this page: every count is shown, however small. The "
                    + "published report.html hides small counts of people (the suppression_threshold setting) and "
                    + "every figure built on them.");
        } else {
            definition("Small-cell suppression", "Counts of people from 1 to " + (s.suppressionThreshold() - 1)
                    + " and every figure built on them are hidden (\"" + suppressedText + "\"), and where one value "
                    + "of a group is hidden the next smallest is too, so none can be worked out from totals. The "
                    + "count of overdoses after abstinence, a safety signal, is shown when it reaches the threshold "
                    + "and otherwise reads \"" + fewerThanText() + "\", with no flag, so the page neither hides "
                    + "nor gives away that there were any.");
            definition("p-values", "p- and q-values are rounded to 2 significant digits (half up), and one below "
                    + "0.001 reads \"p < 0.001\": a p-value printed in full beside the shown counts could give "
                    + "hidden ones away.");
        }
        b.append("</dl>");
        b.append("<table class=\"data settings\"><thead><tr><th>setting</th><th>value</th></tr></thead><tbody>");
        flatten("", in.settings());
        b.append("</tbody></table>");
        endSection();
    }

    private void flatten(String prefix, Map<String, Object> map) {
        for (Map.Entry<String, Object> e : map.entrySet()) {
            String key = prefix + e.getKey();
            Object v = e.getValue();
            if (v instanceof Map<?, ?> nested) {
                @SuppressWarnings("unchecked")
                Map<String, Object> m = (Map<String, Object>) nested;
                flatten(key + ".", m);
                continue;
            }
            String text;
            if (v == null) {
                text = "(none)";
            } else if (v instanceof Collection<?> c) {
                text = c.isEmpty() ? "(none)" : String.join("; ", c.stream().map(String::valueOf).toList());
            } else {
                text = String.valueOf(v);
            }
            b.append("<tr><th scope=\"row\">").append(esc(key)).append("</th><td class=\"wrap\">").append(esc(text))
                    .append("</td></tr>");
        }
    }

    // ---- pieces --------------------------------------------------------------------------------------------

    private List<Stratum> strata() {
        List<Stratum> all = new ArrayList<>();
        all.add(s.overall());
        all.addAll(s.programs());
        return all;
    }

    private static String label(Stratum p) {
        return p.stratum().equals("overall") ? "all programs" : p.value();
    }

    private static String color(Stratum p, int index) {
        return p.stratum().equals("overall") ? Charts.OVERALL_COLOR
                : Charts.PALETTE[(index - 1 + Charts.PALETTE.length) % Charts.PALETTE.length];
    }

    private Map<String, Object> verdictRow(Stratum p) {
        return in.tables().relapseSummary().of(p.stratum(), p.value())
                .where(r -> Summary.BAND_CLOCK.equals(r.get("clock"))
                        && Summary.BAND_DEFINITION.equals(r.get("definition"))
                        && Long.valueOf(relapse.bandHorizonDays()).equals(Table.lng(r, "horizon_days")))
                .rows().stream().findFirst().orElse(null);
    }

    private String relapseText(Stratum p) {
        Summary.Relapse r = p.relapse();
        if (r == null) {
            return "no discharged episodes";
        }
        if (r.cumulativeIncidence().estimate() == null) {
            return notShown(r.suppressed(), r.episodes() == null || r.atRisk() == null || r.relapses() == null,
                    r.estimable());
        }
        return estimateText(r.cumulativeIncidence(), r.suppressed());
    }

    /** The cumulative incidence of death before relapse with its CI (0.0% with no CI when nobody died). */
    private String deathText(Summary.Relapse r) {
        return estimateText(r.deathIncidence(), r.suppressed());
    }

    /** A relapse_summary cumulative incidence with its CI, or why there is none. */
    private String incidenceText(Map<String, Object> row) {
        Estimate e = Estimate.of(row, "cumulative_incidence", "ci_lower", "ci_upper");
        if (e.estimate() == null) {
            return notShown(Table.suppressed(row), Table.lng(row, "episodes") == null
                    || Table.lng(row, "at_risk") == null || Table.lng(row, "relapses") == null,
                    Table.bool(row, "estimable"));
        }
        return estimateText(e, false);
    }

    /**
     * Why a relapse estimate is empty: its counts were hidden (suppressed), or it was not estimable (fewer than
     * the threshold at risk, or follow-up too incomplete), which relapse_summary states in its own column.
     */
    private String notShown(boolean suppressed, boolean countsHidden, Boolean estimable) {
        if (suppressed && countsHidden) {
            return suppressedText;
        }
        if (Boolean.FALSE.equals(estimable)) {
            return "not estimable";
        }
        return suppressed ? suppressedText : "";
    }

    private String verdictCell(Stratum p) {
        Summary.Relapse r = p.relapse();
        if (r == null) {
            return "";
        }
        if (r.verdict() == null) {
            return r.suppressed() ? suppressedText : "";
        }
        return verdictWords(r.verdict(), band);
    }

    private String verdictSentence(Stratum p) {
        String words = verdictWithFollowUp(p);
        return words.isEmpty() || words.equals(suppressedText) ? "95% CI" : "95% CI; " + words;
    }

    /**
     * The verdict with what it rests on, for the headline: how much of the follow-up is known and whether the
     * verdict holds if everyone lost to follow-up relapsed ("within the 40-60% band; followed up: 58.3%; holds even
     * if everyone lost to follow-up relapsed").
     */
    private String verdictWithFollowUp(Stratum p) {
        String words = verdictCell(p);
        Summary.Relapse r = p.relapse();
        if (r == null || r.verdict() == null || words.isEmpty()) {
            return words;
        }
        String completeness = Numbers.percent(r.followupCompleteness());
        if (completeness != null) {
            words += "; followed up: " + completeness;
        }
        String holds = robustnessWords(r.verdictRobustToLoss());
        return holds == null ? words : words + "; " + holds;
    }

    /** "47.1% (41.0-53.2)"; the suppression note when hidden; empty when not estimated. */
    private String estimateText(Estimate e, boolean suppressed) {
        if (e == null || e.estimate() == null) {
            return suppressed ? suppressedText : "";
        }
        return ciText(e.estimate(), e.lower(), e.upper());
    }

    static String ciText(Double estimate, Double lower, Double upper) {
        if (estimate == null) {
            return "";
        }
        String text = Numbers.percent(estimate);
        if (lower != null && upper != null) {
            text += " (" + Numbers.percentNumber(lower) + "-" + Numbers.percentNumber(upper) + ")";
        }
        return text;
    }

    private String medianText(Stratum p) {
        Estimate e = p.medianLengthOfStay();
        if (e.estimate() == null) {
            return p.suppressed() ? suppressedText : "not reached";
        }
        return Numbers.days(e.estimate()) + " (" + Objects.toString(Numbers.days(e.lower()), "NA") + "-"
                + Objects.toString(Numbers.days(e.upper()), "NA") + ")";
    }

    private String group(Map<String, Object> row, String n, String relapses, String ci, String lower, String upper,
                         boolean hidden) {
        Long nn = Table.lng(row, n);
        Long rr = Table.lng(row, relapses);
        String est = ciText(Table.dbl(row, ci), Table.dbl(row, lower), Table.dbl(row, upper));
        return orSuppressed(Numbers.count(nn), nn == null && hidden) + ", "
                + orSuppressed(Numbers.count(rr), rr == null && hidden) + ", "
                + (est.isEmpty() ? (hidden ? suppressedText : "-") : est);
    }

    private String pointsCi(Map<String, Object> row, String column, boolean hidden) {
        Double d = Table.dbl(row, column);
        if (d == null) {
            return hidden ? suppressedText : "";
        }
        Double lo = Table.dbl(row, column + "_lower");
        Double hi = Table.dbl(row, column + "_upper");
        String text = String.format(Locale.ROOT, "%+.1f points", d * 100);
        if (lo != null && hi != null) {
            text += String.format(Locale.ROOT, " (%+.1f to %+.1f)", lo * 100, hi * 100);
        }
        return text;
    }

    private String ratioCi(Map<String, Object> row, String value, String lower, String upper, boolean hidden) {
        Double d = Table.dbl(row, value);
        if (d == null) {
            return hidden ? suppressedText : "";
        }
        Double lo = Table.dbl(row, lower);
        Double hi = Table.dbl(row, upper);
        return Numbers.ratio(d) + (lo != null && hi != null ? " (" + Numbers.ratio(lo) + "-" + Numbers.ratio(hi) + ")"
                : "");
    }

    private String orSuppressed(String text, boolean suppressed) {
        if (text != null) {
            return text;
        }
        return suppressed ? suppressedText : "";
    }

    private String orEmpty(String text, boolean suppressed) {
        return text != null ? text : suppressed ? suppressedText : "";
    }

    private static String share(Long n, Long of) {
        if (n == null || of == null || of == 0 || n == 0) {
            return "";
        }
        return String.format(Locale.ROOT, " (%.2f%%)", 100.0 * n / of);
    }

    private static String count(Double n) {
        return n == null ? null : Numbers.count(Math.round(n));
    }

    private static Double number(JsonNode node) {
        return node == null || !node.isNumber() ? null : node.asDouble();
    }

    private static void addIf(List<String> list, String text) {
        if (text != null && !text.isBlank()) {
            list.add(text);
        }
    }

    private static String prefixed(String prefix, String text) {
        return text == null || text.isBlank() ? null : prefix + text;
    }

    @SuppressWarnings("unchecked")
    private static List<String> stringList(Object value) {
        if (value instanceof Collection<?> c) {
            return c.stream().map(String::valueOf).toList();
        }
        return value == null ? List.of() : List.of(String.valueOf(value));
    }

    private static double maxDay(Table curve) {
        double max = 0;
        for (Map<String, Object> row : curve.rows()) {
            max = Math.max(max, Table.lng(row, "day"));
        }
        return max;
    }

    private void figure(List<Charts.Point> points, String title, String color, double xMax, String xTitle,
                        String yTitle, Double marker, double[] bandLimits) {
        b.append("<figure>");
        if (points.isEmpty()) {
            b.append("<p class=\"empty\">").append(esc(title + (internal ? ": no curve (too few at risk)"
                    : ": no curve (" + suppressedText + " or too few at risk)"))).append("</p>");
        } else {
            b.append(Charts.stepCurve(title, points, color, xMax, xTitle, yTitle, marker, bandLimits));
        }
        b.append("</figure>");
    }

    private void card(String title, String value, String detail) {
        b.append("<div class=\"card\"><div class=\"ct\">").append(esc(title)).append("</div><div class=\"cv\">")
                .append(esc(value)).append("</div><div class=\"cd\">").append(esc(detail)).append("</div></div>");
    }

    private void section(String id, String title) {
        b.append("<section id=\"").append(id).append("\"><h2>").append(esc(title)).append("</h2>\n");
    }

    private void endSection() {
        b.append("</section>\n");
    }

    private void note(String text) {
        b.append("<p class=\"note\">").append(esc(text)).append("</p>\n");
    }

    private void definition(String term, String text) {
        b.append("<dt>").append(esc(term)).append("</dt><dd>").append(esc(text)).append("</dd>");
    }

    /**
     * A p-value as this page prints it: on the published page as published (2 significant digits, "< 0.001" below
     * that: {@link org.iopoutcomes.publish.PublishedPrecision}), on the internal page from the full value, as before
     * (3 decimals, "<0.001" below that).
     */
    private String pText(PValue p) {
        return internal ? Numbers.pValue(p.value()) : p.text();
    }

    /** A p-value column of a table row, read with its flag column on the published page. */
    private String pText(Map<String, Object> row, String column) {
        return pText((internal ? Summary.Precision.FULL : Summary.Precision.PUBLISHED).of(row, column));
    }

    private void td(String text) {
        b.append("<td>").append(esc(text)).append("</td>");
    }

    static final String CSS = """
            body{font-family:"DejaVu Sans",Arial,Helvetica,sans-serif;color:#222;margin:24px auto;max-width:1160px;\
            padding:0 16px;font-size:14px;line-height:1.4}
            h1{font-size:26px;margin:0 0 4px}h2{font-size:20px;border-bottom:2px solid #1f5fa8;padding-bottom:3px;\
            margin:28px 0 10px}h3{font-size:15px;margin:16px 0 6px}
            .sub{color:#555;margin:0 0 8px}nav a{color:#1f5fa8;margin-right:10px;text-decoration:none}
            .cards{display:flex;flex-wrap:wrap;gap:12px;margin:8px 0 16px}
            .card{flex:1 1 230px;border:1px solid #ccd;border-radius:6px;padding:10px 12px;background:#f7f9fc}
            .ct{font-weight:bold;color:#333}.cv{font-size:22px;margin:4px 0;color:#1f3f6f}.cd{color:#555;font-size:12px}
            table.data{border-collapse:collapse;margin:6px 0 10px;font-size:13px}
            table.data th,table.data td{border:1px solid #d5d8de;padding:3px 7px;text-align:left;vertical-align:top}
            table.data thead th{background:#eef2f8}table.data tr.total{font-weight:bold;background:#fafafa}
            table.small{font-size:12px}td.wrap{word-break:break-all;max-width:760px}
            td.flag{color:#fff;background:#b03030;font-weight:bold}
            .restricted{border:2px solid #b03030;background:#fbeeee;padding:6px 10px;border-radius:4px;max-width:1000px}
            .none{font-weight:bold}
            .grid{display:flex;flex-wrap:wrap;gap:8px}figure{margin:6px 0}
            svg.chart{max-width:100%;height:auto;background:#fff}
            svg .ctitle{font-size:13px;font-weight:bold;fill:#222}svg .tick{font-size:10px;fill:#444}
            svg .axis{font-size:11px;fill:#333}svg .legend{font-size:10px;fill:#333}svg .label{font-size:12px;fill:#222}
            .note{color:#444;font-size:12.5px;max-width:1000px}.empty{color:#777;font-style:italic;width:380px}
            dl.defs dt{font-weight:bold;margin-top:6px}dl.defs dd{margin:0 0 0 18px}
            footer{margin-top:30px;color:#666;font-size:12px;border-top:1px solid #ccc;padding-top:6px}
            @media print{body{margin:0;max-width:none;font-size:11px}nav{display:none}\
            section,figure,table,.card{break-inside:avoid}h2{break-after:avoid}}
            """;
}
