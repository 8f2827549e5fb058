package certgate.adapters.serve;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * The service's counters and histograms, written in the Prometheus text exposition format (version 0.0.4):
 * every name starts with {@code certgate_}, counters end in {@code _total}, durations are histograms in seconds.
 * Updates are lock-free ({@link LongAdder}); a scrape reads each cell once, so a scrape taken under load may see
 * a histogram's count and sum from slightly different instants, as every Prometheus client library does.
 */
final class Metrics {
    /** Upper bounds, in seconds: 100 microseconds to 10 seconds, about three per decade. */
    static final double[] BUCKETS = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
            0.25, 0.5, 1, 2.5, 5, 10};

    /** A metric family: its name, help and type, and its series by label set. */
    private record Family(String name, String help, String type, Map<Labels, Object> series) {
    }

    /** Label names and values, in order; rendered escaped. */
    record Labels(List<String> pairs) {
        static final Labels NONE = new Labels(List.of());

        static Labels of(String... namesAndValues) {
            return new Labels(List.of(namesAndValues));
        }

        String render(String extraName, String extraValue) {
            List<String> all = new ArrayList<>(pairs);
            if (extraName != null) {
                all.add(extraName);
                all.add(extraValue);
            }
            if (all.isEmpty()) {
                return "";
            }
            StringBuilder out = new StringBuilder("{");
            for (int i = 0; i < all.size(); i += 2) {
                if (i > 0) {
                    out.append(',');
                }
                out.append(all.get(i)).append("=\"").append(escape(all.get(i + 1))).append('"');
            }
            return out.append('}').toString();
        }

        private static String escape(String value) {
            return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
        }
    }

    /** A histogram of durations: cumulative buckets, sum and count. */
    static final class Histogram {
        private final LongAdder[] counts = new LongAdder[BUCKETS.length];
        private final LongAdder count = new LongAdder();
        private final LongAdder sumNanos = new LongAdder();

        Histogram() {
            for (int i = 0; i < counts.length; i++) {
                counts[i] = new LongAdder();
            }
        }

        void observe(long nanos) {
            double seconds = nanos / 1e9;
            for (int i = 0; i < BUCKETS.length; i++) {
                if (seconds <= BUCKETS[i]) {
                    counts[i].increment();
                    break;
                }
            }
            count.increment();
            sumNanos.add(nanos);
        }

        void observe(Duration duration) {
            observe(duration.toNanos());
        }

        long count() {
            return count.sum();
        }
    }

    private final Map<String, Family> families = new ConcurrentHashMap<>();
    private final Map<String, Supplier<Map<Labels, Double>>> gauges = new ConcurrentHashMap<>();
    private final Map<String, String> gaugeHelp = new ConcurrentHashMap<>();

    /** The counter {@code name} with {@code labels}, created at first use. */
    LongAdder counter(String name, String help, Labels labels) {
        return (LongAdder) family(name, help, "counter").series().computeIfAbsent(labels, l -> new LongAdder());
    }

    /** The histogram {@code name} with {@code labels}, created at first use. */
    Histogram histogram(String name, String help, Labels labels) {
        return (Histogram) family(name, help, "histogram").series().computeIfAbsent(labels, l -> new Histogram());
    }

    /** A gauge whose series are read at each scrape. */
    void gauge(String name, String help, Supplier<Map<Labels, Double>> values) {
        gauges.put(name, values);
        gaugeHelp.put(name, help);
    }

    private Family family(String name, String help, String type) {
        Family family = families.computeIfAbsent(name, n -> new Family(n, help, type, new ConcurrentHashMap<>()));
        if (!family.type().equals(type)) {
            throw new IllegalArgumentException("metric " + name + " is a " + family.type() + ", not a " + type);
        }
        return family;
    }

    /** Every family, sorted by name, in the text format. */
    String scrape() {
        StringBuilder out = new StringBuilder(4096);
        List<String> names = new ArrayList<>(families.keySet());
        names.addAll(gauges.keySet());
        names.sort(Comparator.naturalOrder());
        for (String name : names) {
            Family family = families.get(name);
            if (family == null) {
                writeGauge(out, name);
            } else {
                writeFamily(out, family);
            }
        }
        return out.toString();
    }

    private void writeGauge(StringBuilder out, String name) {
        out.append("# HELP ").append(name).append(' ').append(gaugeHelp.get(name)).append('\n');
        out.append("# TYPE ").append(name).append(" gauge\n");
        gauges.get(name).get().forEach((labels, value) ->
                out.append(name).append(labels.render(null, null)).append(' ').append(number(value)).append('\n'));
    }

    private static void writeFamily(StringBuilder out, Family family) {
        out.append("# HELP ").append(family.name()).append(' ').append(family.help()).append('\n');
        out.append("# TYPE ").append(family.name()).append(' ').append(family.type()).append('\n');
        List<Map.Entry<Labels, Object>> series = new ArrayList<>(family.series().entrySet());
        series.sort(Comparator.comparing(e -> e.getKey().pairs().toString()));
        for (Map.Entry<Labels, Object> entry : series) {
            Labels labels = entry.getKey();
            if (entry.getValue() instanceof LongAdder counter) {
                out.append(family.name()).append(labels.render(null, null)).append(' ').append(counter.sum())
                        .append('\n');
            } else {
                Histogram histogram = (Histogram) entry.getValue();
                long cumulative = 0;
                for (int i = 0; i < BUCKETS.length; i++) {
                    cumulative += histogram.counts[i].sum();
                    out.append(family.name()).append("_bucket").append(labels.render("le", number(BUCKETS[i])))
                            .append(' ').append(cumulative).append('\n');
                }
                long count = histogram.count.sum();
                out.append(family.name()).append("_bucket").append(labels.render("le", "+Inf")).append(' ')
                        .append(count).append('\n');
                out.append(family.name()).append("_sum").append(labels.render(null, null)).append(' ')
                        .append(number(histogram.sumNanos.sum() / 1e9)).append('\n');
                out.append(family.name()).append("_count").append(labels.render(null, null)).append(' ')
                        .append(count).append('\n');
            }
        }
    }

    private static String number(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        return String.format(Locale.ROOT, "%s", value);
    }
}
