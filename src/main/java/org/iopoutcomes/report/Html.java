package org.iopoutcomes.report;

/** Escaping of text for HTML and inline SVG: every piece of text on the page goes through here. */
public final class Html {
    private Html() {}

    /** The text with {@code & < > " '} escaped, safe in element content and in quoted attributes. */
    public static String esc(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
