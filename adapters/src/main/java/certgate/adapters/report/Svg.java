package certgate.adapters.report;

import java.util.List;
import java.util.Locale;

/**
 * A small writer of inline SVG, enough for the report's charts: rectangles, lines, polylines, circles and text,
 * each with a class (the page's style sheet colours them, and tests count them) and an optional tooltip
 * ({@code <title>}). Everything it writes from outside goes through {@link Html#escape}; coordinates are written
 * with one decimal, in a fixed locale.
 */
final class Svg {
    private final StringBuilder out;

    private Svg(StringBuilder out) {
        this.out = out;
    }

    /** Opens an {@code <svg>} of {@code width} x {@code height} user units that scales to its container. */
    static Svg open(StringBuilder out, String cssClass, int width, int height, String label) {
        out.append("<svg class=\"").append(Html.escape(cssClass)).append("\" viewBox=\"0 0 ").append(width)
                .append(' ').append(height).append("\" width=\"").append(width).append("\" height=\"").append(height)
                .append("\" role=\"img\" aria-label=\"").append(Html.escape(label)).append("\">");
        return new Svg(out);
    }

    void close() {
        out.append("</svg>\n");
    }

    void rect(double x, double y, double width, double height, String cssClass, String tooltip) {
        out.append("<rect class=\"").append(Html.escape(cssClass)).append("\" x=\"").append(n(x)).append("\" y=\"")
                .append(n(y)).append("\" width=\"").append(n(Math.max(width, 0))).append("\" height=\"")
                .append(n(Math.max(height, 0))).append('"');
        closeShape("rect", tooltip);
    }

    void line(double x1, double y1, double x2, double y2, String cssClass, String tooltip) {
        out.append("<line class=\"").append(Html.escape(cssClass)).append("\" x1=\"").append(n(x1))
                .append("\" y1=\"").append(n(y1)).append("\" x2=\"").append(n(x2)).append("\" y2=\"").append(n(y2))
                .append('"');
        closeShape("line", tooltip);
    }

    /** A polyline through {@code points}, given as x, y, x, y... */
    void polyline(List<Double> points, String cssClass, String tooltip) {
        out.append("<polyline class=\"").append(Html.escape(cssClass)).append("\" points=\"");
        for (int i = 0; i + 1 < points.size(); i += 2) {
            if (i > 0) {
                out.append(' ');
            }
            out.append(n(points.get(i))).append(',').append(n(points.get(i + 1)));
        }
        out.append('"');
        closeShape("polyline", tooltip);
    }

    void circle(double cx, double cy, double r, String cssClass, String tooltip) {
        out.append("<circle class=\"").append(Html.escape(cssClass)).append("\" cx=\"").append(n(cx))
                .append("\" cy=\"").append(n(cy)).append("\" r=\"").append(n(r)).append('"');
        closeShape("circle", tooltip);
    }

    /** Text at ({@code x}, {@code y}); {@code anchor} is start, middle or end. */
    void text(double x, double y, String cssClass, String anchor, String text) {
        out.append("<text class=\"").append(Html.escape(cssClass)).append("\" x=\"").append(n(x)).append("\" y=\"")
                .append(n(y)).append("\" text-anchor=\"").append(anchor).append("\">");
        Html.append(out, text);
        out.append("</text>");
    }

    private void closeShape(String element, String tooltip) {
        if (tooltip.isEmpty()) {
            out.append("/>");
            return;
        }
        out.append("><title>");
        Html.append(out, tooltip);
        out.append("</title></").append(element).append('>');
    }

    private static String n(double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("not a coordinate: " + value);
        }
        return String.format(Locale.ROOT, "%.1f", value);
    }
}
