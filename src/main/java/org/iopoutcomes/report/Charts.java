package org.iopoutcomes.report;

import java.util.List;

/**
 * The report's charts as inline SVG: step curves with a shaded 95% CI band (still in treatment, cumulative
 * incidence of relapse) and a forest chart of estimates with CIs against an optional shaded band.
 */
final class Charts {
    static final String[] PALETTE = {"#1f5fa8", "#c0392b", "#2e8b57", "#7d3c98", "#d35400", "#6d4c41", "#b03a7a",
        "#138d90"};
    static final String OVERALL_COLOR = "#333333";
    static final String BAND_FILL = "#f3c623";

    private Charts() {}

    /** One point of a curve on its grid; estimate or limits may be null (hidden or not computed). */
    record Point(double x, Double y, Double lower, Double upper) {}

    /** One row of a forest chart: a label, the estimate with its CI (nulls: no mark) and the text beside it. */
    record ForestRow(String label, Double estimate, Double lower, Double upper, String text, String color) {}

    /** Linear map from a domain onto pixels. */
    record Scale(double d0, double d1, double r0, double r1) {
        double at(double v) {
            return r0 + (v - d0) / (d1 - d0) * (r1 - r0);
        }
    }

    /** A tick spacing giving at most about 8 ticks over [0, max] days. */
    static int dayStep(double max) {
        for (int step : new int[] {7, 14, 30, 60, 90, 180, 365, 730}) {
            if (max / step <= 8) {
                return step;
            }
        }
        return 1460;
    }

    /**
     * A step curve (value holds from one grid day to the next) with its CI band, on y from 0 to 1 shown as %.
     *
     * @param marker x of a dashed vertical marker (e.g. the band horizon), or null
     * @param band   {lower, upper} of a band drawn as a shaded bar at the marker, or null
     */
    static String stepCurve(String title, List<Point> points, String color, double xMax, String xTitle,
                            String yTitle, Double marker, double[] band) {
        int width = 380;
        int height = 250;
        double left = 52;
        double right = 14;
        double top = 34;
        double bottom = 44;
        Scale x = new Scale(0, Math.max(xMax, 1), left, width - right);
        Scale y = new Scale(0, 1, height - bottom, top);
        Svg svg = new Svg(width, height, title);
        svg.text(left, 16, title, "start", "ctitle");
        axes(svg, x, y, xMax, xTitle, yTitle, width, height, left, right, top, bottom);
        if (marker != null && marker <= xMax) {
            if (band != null) {
                svg.rect(x.at(marker) - 5, y.at(band[1]), 10, y.at(band[0]) - y.at(band[1]), BAND_FILL, 0.6);
            }
            svg.line(x.at(marker), top, x.at(marker), height - bottom, "#777777", 1, true);
        }
        svg.path(bandPath(points, x, y), color, 0.18, "none", 0);
        svg.path(stepPath(points, x, y), "none", 1, color, 2);
        // Legend.
        double lx = width - right - 150;
        svg.line(lx, 26, lx + 18, 26, color, 2, false).text(lx + 22, 29, "estimate", "start", "legend");
        svg.rect(lx + 78, 21, 18, 10, color, 0.18).text(lx + 100, 29, "95% CI", "start", "legend");
        return svg.close();
    }

    private static void axes(Svg svg, Scale x, Scale y, double xMax, String xTitle, String yTitle, int width,
                             int height, double left, double right, double top, double bottom) {
        for (int pct = 0; pct <= 100; pct += 20) {
            double yy = y.at(pct / 100.0);
            svg.line(left, yy, width - right, yy, "#e3e3e3", 1, false);
            svg.text(left - 6, yy + 4, pct + "%", "end", "tick");
        }
        int step = dayStep(xMax);
        for (int d = 0; d <= xMax; d += step) {
            double xx = x.at(d);
            svg.line(xx, height - bottom, xx, height - bottom + 4, "#555555", 1, false);
            svg.text(xx, height - bottom + 16, Integer.toString(d), "middle", "tick");
        }
        svg.line(left, height - bottom, width - right, height - bottom, "#555555", 1, false);
        svg.line(left, top, left, height - bottom, "#555555", 1, false);
        svg.text((left + width - right) / 2, height - 8, xTitle, "middle", "axis");
        svg.verticalText(14, (top + height - bottom) / 2, yTitle, "axis");
    }

    /** The estimate as steps; a null value lifts the pen. */
    static String stepPath(List<Point> points, Scale x, Scale y) {
        StringBuilder d = new StringBuilder();
        boolean down = false;
        for (Point p : points) {
            if (p.y() == null) {
                down = false;
                continue;
            }
            if (!down) {
                d.append('M').append(Svg.n(x.at(p.x()))).append(' ').append(Svg.n(y.at(p.y())));
                down = true;
            } else {
                d.append('H').append(Svg.n(x.at(p.x()))).append('V').append(Svg.n(y.at(p.y())));
            }
        }
        return d.toString();
    }

    /** The CI as closed step areas, one per run of points with both limits. */
    static String bandPath(List<Point> points, Scale x, Scale y) {
        StringBuilder d = new StringBuilder();
        int i = 0;
        while (i < points.size()) {
            if (points.get(i).lower() == null || points.get(i).upper() == null) {
                i++;
                continue;
            }
            int a = i;
            while (i + 1 < points.size() && points.get(i + 1).lower() != null && points.get(i + 1).upper() != null) {
                i++;
            }
            int b = i;
            d.append('M').append(Svg.n(x.at(points.get(a).x()))).append(' ')
                    .append(Svg.n(y.at(points.get(a).upper())));
            for (int k = a + 1; k <= b; k++) {
                d.append('H').append(Svg.n(x.at(points.get(k).x()))).append('V')
                        .append(Svg.n(y.at(points.get(k).upper())));
            }
            d.append('V').append(Svg.n(y.at(points.get(b).lower())));
            for (int k = b; k > a; k--) {
                d.append('H').append(Svg.n(x.at(points.get(k).x()))).append('V')
                        .append(Svg.n(y.at(points.get(k - 1).lower())));
            }
            d.append('H').append(Svg.n(x.at(points.get(a).x()))).append('Z');
            i++;
        }
        return d.toString();
    }

    /**
     * A forest chart on a 0-100% axis: one row per label with its estimate and CI, the text beside it, and the
     * band (null for none) shaded behind.
     */
    static String forest(String title, List<ForestRow> rows, double[] band, String bandLabel, String xTitle) {
        int width = 1000;
        double left = 170;
        double plotRight = 600;
        double rowHeight = 28;
        double top = 44;
        int height = (int) (top + rowHeight * rows.size() + 46);
        double xMax = 1.0;
        Scale x = new Scale(0, xMax, left, plotRight);
        Svg svg = new Svg(width, height, title);
        svg.text(10, 18, title, "start", "ctitle");
        double bottomY = top + rowHeight * rows.size();
        if (band != null) {
            svg.rect(x.at(band[0]), top - 6, x.at(band[1]) - x.at(band[0]), bottomY - top + 6, BAND_FILL, 0.35);
            svg.text((x.at(band[0]) + x.at(band[1])) / 2, top - 10, bandLabel, "middle", "legend");
        }
        for (int pct = 0; pct <= 100; pct += 10) {
            double xx = x.at(pct / 100.0);
            svg.line(xx, top - 6, xx, bottomY, "#e3e3e3", 1, false);
            svg.line(xx, bottomY, xx, bottomY + 4, "#555555", 1, false);
            svg.text(xx, bottomY + 16, pct + "%", "middle", "tick");
        }
        svg.line(left, bottomY, plotRight, bottomY, "#555555", 1, false);
        svg.text((left + plotRight) / 2, bottomY + 36, xTitle, "middle", "axis");
        for (int i = 0; i < rows.size(); i++) {
            ForestRow row = rows.get(i);
            double cy = top + rowHeight * i + rowHeight / 2;
            svg.text(left - 10, cy + 4, row.label(), "end", "label");
            if (row.estimate() != null) {
                if (row.lower() != null && row.upper() != null) {
                    double lo = x.at(clamp(row.lower()));
                    double hi = x.at(clamp(row.upper()));
                    svg.line(lo, cy, hi, cy, row.color(), 2, false);
                    svg.line(lo, cy - 5, lo, cy + 5, row.color(), 2, false);
                    svg.line(hi, cy - 5, hi, cy + 5, row.color(), 2, false);
                }
                svg.rect(x.at(clamp(row.estimate())) - 5, cy - 5, 10, 10, row.color(), 1);
            }
            svg.text(plotRight + 14, cy + 4, row.text(), "start", "label");
        }
        return svg.close();
    }

    private static double clamp(double v) {
        return Math.max(0, Math.min(1, v));
    }
}
