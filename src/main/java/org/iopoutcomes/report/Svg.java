package org.iopoutcomes.report;

import java.util.Locale;

/**
 * A small writer of inline SVG (no namespace URL is needed inline in HTML5, so the page names no URL at all).
 * Coordinates are written with one decimal; every text is escaped.
 */
final class Svg {
    private final StringBuilder b = new StringBuilder();

    Svg(int width, int height, String label) {
        b.append("<svg class=\"chart\" viewBox=\"0 0 ").append(width).append(' ').append(height)
                .append("\" width=\"").append(width).append("\" height=\"").append(height)
                .append("\" role=\"img\" aria-label=\"").append(Html.esc(label)).append("\">");
        b.append("<title>").append(Html.esc(label)).append("</title>");
    }

    static String n(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    Svg rect(double x, double y, double w, double h, String fill, double opacity) {
        b.append("<rect x=\"").append(n(x)).append("\" y=\"").append(n(y)).append("\" width=\"").append(n(w))
                .append("\" height=\"").append(n(h)).append("\" fill=\"").append(fill).append('"');
        if (opacity < 1) {
            b.append(" fill-opacity=\"").append(String.format(Locale.ROOT, "%.2f", opacity)).append('"');
        }
        b.append("/>");
        return this;
    }

    Svg line(double x1, double y1, double x2, double y2, String stroke, double width, boolean dashed) {
        b.append("<line x1=\"").append(n(x1)).append("\" y1=\"").append(n(y1)).append("\" x2=\"").append(n(x2))
                .append("\" y2=\"").append(n(y2)).append("\" stroke=\"").append(stroke).append("\" stroke-width=\"")
                .append(n(width)).append('"');
        if (dashed) {
            b.append(" stroke-dasharray=\"4 3\"");
        }
        b.append("/>");
        return this;
    }

    /** A path; {@code fill} "none" for a line, {@code stroke} "none" for an area. */
    Svg path(String d, String fill, double fillOpacity, String stroke, double width) {
        if (d.isEmpty()) {
            return this;
        }
        b.append("<path d=\"").append(d).append("\" fill=\"").append(fill).append('"');
        if (!fill.equals("none") && fillOpacity < 1) {
            b.append(" fill-opacity=\"").append(String.format(Locale.ROOT, "%.2f", fillOpacity)).append('"');
        }
        b.append(" stroke=\"").append(stroke).append('"');
        if (!stroke.equals("none")) {
            b.append(" stroke-width=\"").append(n(width)).append('"');
        }
        b.append("/>");
        return this;
    }

    Svg circle(double cx, double cy, double r, String fill) {
        b.append("<circle cx=\"").append(n(cx)).append("\" cy=\"").append(n(cy)).append("\" r=\"").append(n(r))
                .append("\" fill=\"").append(fill).append("\"/>");
        return this;
    }

    /** Text; anchor is start, middle or end; cls a CSS class of the page (e.g. "tick", "label"). */
    Svg text(double x, double y, String text, String anchor, String cls) {
        b.append("<text x=\"").append(n(x)).append("\" y=\"").append(n(y)).append("\" text-anchor=\"")
                .append(anchor).append("\" class=\"").append(cls).append("\">").append(Html.esc(text))
                .append("</text>");
        return this;
    }

    /** Vertical text (an axis title), rotated about its anchor. */
    Svg verticalText(double x, double y, String text, String cls) {
        b.append("<text x=\"").append(n(x)).append("\" y=\"").append(n(y)).append("\" text-anchor=\"middle\" ")
                .append("transform=\"rotate(-90 ").append(n(x)).append(' ').append(n(y)).append(")\" class=\"")
                .append(cls).append("\">").append(Html.esc(text)).append("</text>");
        return this;
    }

    String close() {
        return b + "</svg>";
    }
}
