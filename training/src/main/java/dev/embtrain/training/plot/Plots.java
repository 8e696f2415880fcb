package dev.embtrain.training.plot;

import dev.embtrain.training.export.AtomicFiles;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.geom.Ellipse2D;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Writes the PNG charts a person looks at after a run: metric curves per epoch, and a map of
 * an embedding table on its first two principal components with chosen rows labelled
 * (fastai's plot of the movies with the highest and lowest bias, in chapter 8 of its book).
 *
 * <p>Charts are drawn with XChart into an in-memory image, with AWT in headless mode, so they
 * render on a server or CI machine without a display. Each file is written through a temporary
 * file in the same directory and then moved into place, so a viewer never shows half a PNG.
 */
public final class Plots {

    static {
        // Set before any AWT class loads: with a stale DISPLAY (an ssh session, a CI runner)
        // AWT would otherwise try to reach an X server and fail; an explicit setting wins.
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    static final int CURVES_WIDTH = 800;
    static final int CURVES_HEIGHT = 500;
    static final int MAP_WIDTH = 1000;
    static final int MAP_HEIGHT = 800;

    private static final Color GREY = new Color(150, 150, 150, 140);
    private static final Color HIGHLIGHT = new Color(214, 39, 40);
    private static final Color LABEL = new Color(40, 40, 40);
    /** Marker diameters in pixels: the crowd small and translucent, the labelled rows large. */
    private static final double CROWD_DOT = 5;
    private static final double HIGHLIGHT_DOT = 10;

    private Plots() {}

    /**
     * Draws one line per series against the epochs, e.g. {@code train_loss} and
     * {@code valid_mse}, with a legend and axis titles (800 x 500). Series are drawn and listed
     * in the map's iteration order; pass a {@link java.util.LinkedHashMap} to choose it.
     * A {@code NaN} value is a missing point and leaves a gap in its line.
     *
     * @param series each series' values, one per epoch, in the order of {@code epochs}
     * @return {@code file}
     * @throws IllegalArgumentException if there are no epochs or no series, a series' length
     *     differs from the number of epochs, or a value is infinite
     */
    public static Path metricCurves(Path file, String title, List<Integer> epochs, Map<String, double[]> series,
            String yLabel) throws IOException {
        if (epochs == null || epochs.isEmpty()) {
            throw new IllegalArgumentException("metricCurves needs at least one epoch, found " + epochs);
        }
        if (series == null || series.isEmpty()) {
            throw new IllegalArgumentException("metricCurves needs at least one series, found " + series);
        }
        double[] x = new double[epochs.size()];
        for (int i = 0; i < x.length; i++) {
            Integer epoch = epochs.get(i);
            if (epoch == null) {
                throw new IllegalArgumentException("epochs[" + i + "] is null");
            }
            x[i] = epoch;
        }
        for (Map.Entry<String, double[]> entry : series.entrySet()) {
            double[] y = entry.getValue();
            if (y == null || y.length != x.length) {
                throw new IllegalArgumentException("series " + entry.getKey() + " has "
                        + (y == null ? "no values" : y.length + " values") + " for " + x.length + " epochs");
            }
            for (int i = 0; i < y.length; i++) {
                if (Double.isInfinite(y[i])) {
                    throw new IllegalArgumentException("series " + entry.getKey() + " is " + y[i] + " at epoch "
                            + epochs.get(i) + "; pass NaN for a missing value");
                }
            }
        }

        XYChart chart = new XYChart(CURVES_WIDTH, CURVES_HEIGHT);
        chart.setTitle(title);
        chart.setXAxisTitle("epoch");
        chart.setYAxisTitle(yLabel);
        XYStyler styler = chart.getStyler();
        style(styler);
        styler.setLegendPosition(Styler.LegendPosition.InsideNE);
        styler.setMarkerSize(7);
        // Epochs are whole numbers; XChart would otherwise label ticks 1.5, 2.5, ...
        chart.setCustomXAxisTickLabelsFormatter(
                v -> v == Math.rint(v) ? String.format(Locale.ROOT, "%d", (long) Math.rint(v)) : "");
        for (Map.Entry<String, double[]> entry : series.entrySet()) {
            XYSeries s = chart.addSeries(entry.getKey(), x, entry.getValue().clone());
            s.setMarker(SeriesMarkers.CIRCLE);
            s.setLineWidth(2f);
        }
        return writePng(chart, file);
    }

    /**
     * Draws a learning-rate range test: the smoothed loss against the rate on a logarithmic axis,
     * with the suggested rate marked (800 x 500).
     *
     * @param file the PNG
     * @param title the title
     * @param rates the rate of each step, rising
     * @param losses the smoothed loss of each step
     * @param suggested the suggested rate
     * @return {@code file}
     * @throws IOException when the file cannot be written
     */
    public static Path learningRateFinder(Path file, String title, double[] rates, double[] losses, double suggested)
            throws IOException {
        if (rates.length == 0 || rates.length != losses.length) {
            throw new IllegalArgumentException(rates.length + " rates for " + losses.length + " losses");
        }
        XYChart chart = new XYChart(CURVES_WIDTH, CURVES_HEIGHT);
        chart.setTitle(title);
        chart.setXAxisTitle("learning rate (log scale)");
        chart.setYAxisTitle("training loss (smoothed)");
        XYStyler styler = chart.getStyler();
        style(styler);
        styler.setXAxisLogarithmic(true);
        styler.setLegendPosition(Styler.LegendPosition.InsideNW);
        XYSeries s = chart.addSeries("loss", rates.clone(), losses.clone());
        s.setMarker(SeriesMarkers.NONE);
        s.setLineWidth(2f);
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double l : losses) {
            lo = Math.min(lo, l);
            hi = Math.max(hi, l);
        }
        XYSeries mark = chart.addSeries(String.format(Locale.ROOT, "suggested %.2e", suggested),
                new double[] {suggested, suggested}, new double[] {lo, hi});
        mark.setMarker(SeriesMarkers.NONE);
        mark.setLineColor(HIGHLIGHT);
        return writePng(chart, file);
    }

    /**
     * Draws every row of {@code vectors} (N x D) as a small grey dot at its coordinates on the
     * first two principal components, and the rows in {@code highlight} as large coloured dots
     * labelled with {@code labels} (1000 x 800). The axis titles give each component's share
     * of the total variance. The PCA is fitted on all rows given; leave out rows such as the
     * unknown row 0 before calling, or they pull the axes towards themselves.
     *
     * @param labels one label per row; only those of highlighted rows are drawn
     * @param highlight indices of the rows to label, e.g. from {@link #extremes}
     * @return {@code file}
     * @throws IllegalArgumentException if there are fewer than 2 rows or rows narrower than 2,
     *     the labels do not match the rows, or a highlighted index is out of range
     */
    public static Path embeddingMap(Path file, String title, float[][] vectors, List<String> labels,
            Set<Integer> highlight) throws IOException {
        if (vectors == null || vectors.length < 2) {
            throw new IllegalArgumentException(
                    "embeddingMap needs at least 2 rows, found " + (vectors == null ? "null" : vectors.length));
        }
        if (labels == null || labels.size() != vectors.length) {
            throw new IllegalArgumentException("embeddingMap needs one label per row: " + vectors.length + " rows, "
                    + (labels == null ? "no labels" : labels.size() + " labels"));
        }
        if (highlight == null) {
            throw new IllegalArgumentException("highlight is null; pass Set.of() to label no rows");
        }
        for (Integer index : highlight) {
            if (index == null || index < 0 || index >= vectors.length) {
                throw new IllegalArgumentException(
                        "highlight index " + index + " is outside the rows [0, " + vectors.length + ")");
            }
            if (labels.get(index) == null) {
                throw new IllegalArgumentException("the label of highlighted row " + index + " is null");
            }
        }
        if (vectors[0] != null && vectors[0].length < 2) {
            throw new IllegalArgumentException(
                    "embeddingMap needs rows at least 2 wide for two components, found " + vectors[0].length);
        }
        Pca.Result pca = Pca.fit(vectors, 2);
        double total = totalVariance(vectors, pca.mean());

        int n = vectors.length;
        double[] x = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = pca.projected()[i][0];
            y[i] = pca.projected()[i][1];
        }
        // Highlighted rows in index order, so the drawing does not depend on the set's order.
        List<Integer> chosen = new ArrayList<>(highlight);
        Collections.sort(chosen);

        XYChart chart = new XYChart(MAP_WIDTH, MAP_HEIGHT);
        chart.setTitle(title);
        chart.setXAxisTitle(axisTitle(1, pca.explainedVariance()[0], total));
        chart.setYAxisTitle(axisTitle(2, pca.explainedVariance()[1], total));
        XYStyler styler = chart.getStyler();
        style(styler);
        styler.setLegendPosition(Styler.LegendPosition.OutsideS);
        styler.setLegendLayout(Styler.LegendLayout.Horizontal);
        styler.setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        styler.setAnnotationTextFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        styler.setAnnotationTextFontColor(LABEL);

        // Room beyond the outermost dots, or the labels of the extreme rows (which are
        // often the outermost) are cut off at the plot's edge.
        double xRange = range(x);
        double yRange = range(y);
        if (xRange > 0 && yRange > 0) {
            styler.setXAxisMin(min(x) - 0.12 * xRange);
            styler.setXAxisMax(max(x) + 0.12 * xRange);
            styler.setYAxisMin(min(y) - 0.04 * yRange);
            styler.setYAxisMax(max(y) + 0.06 * yRange);
        }

        XYSeries all = chart.addSeries(String.format(Locale.ROOT, "all %,d rows", n), x, y);
        all.setMarker(new Dot(CROWD_DOT));
        all.setMarkerColor(GREY);
        all.setLineStyle(SeriesLines.NONE);
        if (!chosen.isEmpty()) {
            double[] hx = new double[chosen.size()];
            double[] hy = new double[chosen.size()];
            for (int i = 0; i < hx.length; i++) {
                hx[i] = x[chosen.get(i)];
                hy[i] = y[chosen.get(i)];
            }
            XYSeries marked = chart.addSeries(String.format(Locale.ROOT, "%,d labelled", hx.length), hx, hy);
            marked.setMarker(new Dot(HIGHLIGHT_DOT));
            marked.setMarkerColor(HIGHLIGHT);
            marked.setLineStyle(SeriesLines.NONE);
            // AnnotationText centres its text on the point; lift it clear of the dot by a
            // share of the y range, since annotations are placed in data coordinates.
            double lift = 0.018 * yRange;
            for (int i = 0; i < hx.length; i++) {
                chart.addAnnotation(new AnnotationText(labels.get(chosen.get(i)), hx[i], hy[i] + lift, false));
            }
        }
        return writePng(chart, file);
    }

    /**
     * Picks the indices of the {@code n} lowest and the {@code n} highest values, e.g. the
     * items with the lowest and highest learned bias. Equal values are taken in index order.
     * The result lists the lowest first (ascending), then the highest (descending); where
     * fewer than {@code 2n} values are eligible the two groups overlap and an index appears
     * once.
     *
     * @param exclude indices never picked, e.g. {@code Set.of(0)} for the unknown row
     * @throws IllegalArgumentException if {@code n} is negative, a value not excluded is NaN,
     *     or an excluded index is outside the array
     */
    public static Set<Integer> extremes(float[] values, int n, Set<Integer> exclude) {
        if (values == null) {
            throw new IllegalArgumentException("values is null");
        }
        if (n < 0) {
            throw new IllegalArgumentException("n must be >= 0, found " + n);
        }
        if (exclude == null) {
            throw new IllegalArgumentException("exclude is null; pass Set.of() to exclude nothing");
        }
        for (Integer index : exclude) {
            if (index == null || index < 0 || index >= values.length) {
                throw new IllegalArgumentException(
                        "exclude index " + index + " is outside the values [0, " + values.length + ")");
            }
        }
        List<Integer> eligible = new ArrayList<>(values.length);
        for (int i = 0; i < values.length; i++) {
            if (exclude.contains(i)) {
                continue;
            }
            if (Float.isNaN(values[i])) {
                throw new IllegalArgumentException("values[" + i + "] is NaN; exclude it or fix the values");
            }
            eligible.add(i);
        }
        Comparator<Integer> byValue = (a, b) -> Float.compare(values[a], values[b]);
        Comparator<Integer> byIndex = Comparator.naturalOrder();
        List<Integer> ascending = new ArrayList<>(eligible);
        ascending.sort(byValue.thenComparing(byIndex));
        List<Integer> descending = new ArrayList<>(eligible);
        descending.sort(byValue.reversed().thenComparing(byIndex));

        int take = Math.min(n, eligible.size());
        Set<Integer> picked = new LinkedHashSet<>();
        picked.addAll(ascending.subList(0, take));
        picked.addAll(descending.subList(0, take));
        return Collections.unmodifiableSet(picked);
    }

    private static void style(XYStyler styler) {
        styler.setAntiAlias(true);
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setPlotBackgroundColor(Color.WHITE);
        styler.setPlotBorderVisible(true);
        styler.setPlotGridLinesColor(new Color(225, 225, 225));
        styler.setLegendBorderColor(new Color(200, 200, 200));
        styler.setChartTitleBoxVisible(false);
        styler.setChartPadding(12);
    }

    private static String axisTitle(int component, double variance, double total) {
        double share = total > 0 ? 100.0 * variance / total : 0.0;
        return String.format(Locale.ROOT, "principal component %d (%.1f%% of variance)", component, share);
    }

    /** The sum of the column variances: the trace of the covariance, which PCA's variances share out. */
    private static double totalVariance(float[][] rows, double[] mean) {
        double sum = 0.0;
        for (float[] row : rows) {
            for (int j = 0; j < mean.length; j++) {
                double c = row[j] - mean[j];
                sum += c * c;
            }
        }
        return sum / (rows.length - 1);
    }

    private static double range(double[] values) {
        return max(values) - min(values);
    }

    private static double min(double[] values) {
        return Arrays.stream(values).min().orElse(0.0);
    }

    private static double max(double[] values) {
        return Arrays.stream(values).max().orElse(0.0);
    }

    /**
     * A filled circle of a fixed diameter: XChart sizes every series' markers alike, and the
     * map needs the highlighted rows to stand out from the crowd.
     */
    private static final class Dot extends Marker {
        private final double diameter;

        Dot(double diameter) {
            this.diameter = diameter;
        }

        @Override
        public void paint(Graphics2D g, double xOffset, double yOffset, int markerSize) {
            g.setStroke(new BasicStroke(0f));
            g.fill(new Ellipse2D.Double(xOffset - diameter / 2, yOffset - diameter / 2, diameter, diameter));
        }
    }

    /**
     * Encodes the chart as PNG into a temporary file beside {@code file}, then moves it over
     * {@code file}; creates missing parent directories.
     */
    static Path writePng(XYChart chart, Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        AtomicFiles.write(file, out -> BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG));
        return file;
    }

}
