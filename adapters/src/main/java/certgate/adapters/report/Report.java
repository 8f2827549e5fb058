package certgate.adapters.report;

import certgate.adapters.enroll.EnrollException;
import certgate.adapters.enroll.LocalCertificates;
import certgate.adapters.policy.PolicySource;
import certgate.adapters.store.History;
import certgate.adapters.store.Replay;
import certgate.dsl.dn.DistinguishedName;
import certgate.dsl.dn.DnSyntaxException;
import certgate.dsl.policy.CaProfile;
import certgate.dsl.policy.CompiledPolicy;
import certgate.engine.LoadedCrl;
import certgate.engine.TrustedCertificate;
import certgate.eventstore.Reason;
import certgate.eventstore.RecordedEvent;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * {@code certgate report}'s page: one self-contained HTML file, drawn from a store's {@link History}. Nothing on
 * it loads anything: the style sheet is inline, the charts are inline SVG written by {@link Svg}, there is no
 * script, and a Content-Security-Policy of {@code default-src 'none'} makes a browser refuse any load that text
 * from the log could smuggle in. Everything from the log goes through {@link Html#escape}.
 *
 * <p>The markup is XHTML (well-formed XML, no xmlns, HTML5 doctype), so that it is read the same way by a browser
 * and by an XML parser, which is how the tests check it. Elements that tests count carry a class naming what they
 * show ({@code bar-accept}, {@code reason-bar}, {@code crl-chart}, {@code crl-load}, {@code policy-mark},
 * {@code cert-bar}).
 */
public final class Report {
    /** The most rejection reasons the chart shows; the rest are summed in the table's last line. */
    static final int TOP_REASONS = 10;
    /** Local certificates expiring within this many days are flagged. */
    static final long EXPIRING_DAYS = 30;

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);
    private static final int CHART_WIDTH = 1100;

    /** How decisions are grouped along the time axis: by hour for a few days, by day, by week beyond. */
    enum Bucket {
        HOUR(Duration.ofHours(1), "hour"), DAY(Duration.ofDays(1), "day"), WEEK(Duration.ofDays(7), "week");

        final Duration length;
        final String word;

        Bucket(Duration length, String word) {
            this.length = length;
            this.word = word;
        }

        static Bucket forSpan(Duration span) {
            if (span.compareTo(Duration.ofDays(3)) <= 0) {
                return HOUR;
            }
            return span.compareTo(Duration.ofDays(120)) <= 0 ? DAY : WEEK;
        }

        Instant floor(Instant at) {
            long seconds = length.getSeconds();
            return Instant.ofEpochSecond(Math.floorDiv(at.getEpochSecond(), seconds) * seconds);
        }
    }

    private final History history;
    private final String store;
    private final Instant now;
    private final Instant start;
    private final Instant end;
    private final Bucket bucket;
    private final StringBuilder out = new StringBuilder(64 * 1024);

    private Report(History history, String store, Instant now) {
        this.history = history;
        this.store = store;
        this.now = now;
        Instant first = history.from().or(history::firstDecision)
                .or(() -> history.replay().last().map(RecordedEvent::appendedAt)).orElse(now);
        Instant last = history.until().or(history::lastDecision)
                .or(() -> history.replay().lastAppendedAt()).orElse(now);
        if (last.isBefore(first)) {
            last = first;
        }
        this.bucket = Bucket.forSpan(Duration.between(first, last));
        this.start = bucket.floor(first);
        Instant lastBucket = bucket.floor(last).plus(bucket.length);
        this.end = lastBucket.isAfter(start) ? lastBucket : start.plus(bucket.length);
    }

    /**
     * The page for {@code history} of the store {@code store} (as the user named it); {@code now} is the time the
     * local certificates' days to expiry and the CRLs' freshness are judged at, and the page says so.
     */
    public static String html(History history, String store, Instant now) {
        return new Report(history, store, now).render();
    }

    private String render() {
        out.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n")
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; ")
                .append("style-src 'unsafe-inline'; img-src data:\"/>\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n<title>");
        Html.append(out, "certgate report: " + store);
        out.append("</title>\n<style>\n").append(Style.CSS).append("</style>\n</head>\n<body>\n<main>\n");
        header();
        tiles();
        decisionsOverTime();
        out.append("<div class=\"columns\">\n");
        rejectionReasons();
        gateways();
        out.append("</div>\n");
        crls();
        policies();
        localCertificates();
        log();
        out.append("<footer>Drawn by certgate from the event log alone; every number here can be rebuilt with ")
                .append("<code>certgate replay</code> and <code>certgate audit</code>.</footer>\n")
                .append("</main>\n</body>\n</html>\n");
        return out.toString();
    }

    private void header() {
        out.append("<header>\n<h1>certgate report</h1>\n<p class=\"meta\">store <code>");
        Html.append(out, store);
        out.append("</code> &#183; decisions from ").append(when(start)).append(" to ").append(when(end))
                .append(" &#183; ").append(history.replay().events()).append(" events in the log &#183; judged at ")
                .append(when(now)).append("</p>\n</header>\n");
    }

    private void tiles() {
        long decided = history.decided();
        long rejected = history.rejected();
        // Per issuer, the newest CRL is the one in force; the engine keeps an older one beside it.
        Map<String, LoadedCrl> newest = new TreeMap<>();
        for (LoadedCrl crl : history.replay().engine().crls()) {
            newest.merge(crl.issuer(), crl, (a, b) -> b.thisUpdate().isAfter(a.thisUpdate()) ? b : a);
        }
        long stale = newest.values().stream().filter(crl -> !crl.freshAt(now)).count();
        long expiring = localCertificates(history.replay()).stream().filter(c -> c.described().isPresent()
                && c.described().get().daysToExpiry(now) < EXPIRING_DAYS).count();
        out.append("<section class=\"tiles\">\n");
        tile("decisions", String.valueOf(decided), history.outsideWindow() > 0
                ? history.outsideWindow() + " more outside the window" : "in the window", "");
        tile("accepted", String.valueOf(history.accepted()), percent(history.accepted(), decided), "good");
        tile("rejected", String.valueOf(rejected), percent(rejected, decided), rejected > 0 ? "bad" : "");
        tile("gateways", String.valueOf(history.gateways().size()), "with decisions in the window", "");
        tile("trusted CAs", String.valueOf(history.replay().engine().trustedCertificates().size()),
                "at the end of the log", "");
        tile("CAs with a CRL", String.valueOf(newest.size()), newest.isEmpty() ? "no CRL loaded" : stale == 0
                ? "all fresh" : stale + " stale", stale > 0 ? "bad" : "");
        tile("local certificates", String.valueOf(history.replay().localCertificates().size()),
                expiring == 0 ? "none expiring within " + EXPIRING_DAYS + " days"
                        : expiring + " expiring within " + EXPIRING_DAYS + " days", expiring > 0 ? "bad" : "");
        out.append("</section>\n");
    }

    private void tile(String what, String figure, String note, String tone) {
        out.append("<div class=\"tile").append(tone.isEmpty() ? "" : " " + tone).append("\"><div class=\"figure\">")
                .append(Html.escape(figure)).append("</div><div class=\"what\">").append(Html.escape(what))
                .append("</div><div class=\"note\">").append(Html.escape(note)).append("</div></div>\n");
    }

    private void decisionsOverTime() {
        out.append("<section>\n<h2>Decisions per ").append(bucket.word).append(", by verdict</h2>\n");
        if (history.decided() == 0) {
            out.append("<p class=\"empty\">No decision in the window.</p>\n</section>\n");
            return;
        }
        Map<Instant, long[]> buckets = new LinkedHashMap<>();
        history.perHour().forEach((hour, counts) -> {
            long[] sum = buckets.computeIfAbsent(bucket.floor(hour), b -> new long[2]);
            sum[0] += counts[0];
            sum[1] += counts[1];
        });
        long step = niceStep(buckets.values().stream().mapToLong(c -> c[0] + c[1]).max().orElse(1));
        long most = step * (long) Math.ceil(buckets.values().stream().mapToLong(c -> c[0] + c[1]).max().orElse(1)
                / (double) step);
        int height = 260;
        double top = 24;
        double bottom = height - 34;
        double left = 56;
        TimeAxis axis = new TimeAxis(start, end, left, CHART_WIDTH - left - 16);
        Svg svg = Svg.open(out, "chart decisions-chart", CHART_WIDTH, height, "decisions per " + bucket.word
                + " by verdict");
        countGrid(svg, axis, top, bottom, most, step);
        double slot = axis.x(start.plus(bucket.length)) - axis.x(start);
        double barWidth = Math.max(1, slot * 0.8);
        for (Map.Entry<Instant, long[]> entry : buckets.entrySet()) {
            double x = axis.x(entry.getKey()) + (slot - barWidth) / 2;
            long accepted = entry.getValue()[0];
            long rejected = entry.getValue()[1];
            double acceptHeight = (bottom - top) * accepted / most;
            double rejectHeight = (bottom - top) * rejected / most;
            String when = bucketLabel(entry.getKey());
            if (accepted > 0) {
                svg.rect(x, bottom - acceptHeight, barWidth, acceptHeight, "bar-accept",
                        when + ": " + accepted + " accepted");
            }
            if (rejected > 0) {
                svg.rect(x, bottom - acceptHeight - rejectHeight, barWidth, rejectHeight, "bar-reject",
                        when + ": " + rejected + " rejected");
            }
        }
        policyMarks(svg, axis, top, bottom);
        timeTicks(svg, axis, bottom);
        svg.close();
        out.append("<p class=\"legend\"><span class=\"key accept\"></span>accepted <span class=\"key reject\"></span>")
                .append("rejected <span class=\"key policy\"></span>policy activated</p>\n</section>\n");
    }

    private void countGrid(Svg svg, TimeAxis axis, double top, double bottom, long most, long step) {
        for (long value = 0; value <= most; value += step) {
            double y = bottom - (bottom - top) * value / most;
            svg.line(axis.left(), y, axis.left() + axis.width(), y, "grid", "");
            svg.text(axis.left() - 6, y + 4, "axis", "end", String.valueOf(value));
        }
    }

    /** A round step (1, 2 or 5 times a power of ten) that divides 0..{@code most} into at most five. */
    static long niceStep(long most) {
        long power = 1;
        while (true) {
            for (long factor : new long[] {1, 2, 5}) {
                if (most <= 5 * factor * power) {
                    return factor * power;
                }
            }
            power *= 10;
        }
    }

    /** A round step of age (an hour, 2h, 3h, 6h, 12h, a day, 2d, a week, 30d, 90d, a year) for five ticks. */
    static Duration niceStep(Duration most) {
        for (Duration step : List.of(Duration.ofMinutes(15), Duration.ofMinutes(30), Duration.ofHours(1),
                Duration.ofHours(2), Duration.ofHours(3), Duration.ofHours(6), Duration.ofHours(12),
                Duration.ofDays(1), Duration.ofDays(2), Duration.ofDays(7), Duration.ofDays(14), Duration.ofDays(30),
                Duration.ofDays(90), Duration.ofDays(180), Duration.ofDays(365))) {
            if (most.compareTo(step.multipliedBy(5)) <= 0) {
                return step;
            }
        }
        return Duration.ofDays(365L * (most.toDays() / (365L * 5) + 1));
    }

    private void timeTicks(Svg svg, TimeAxis axis, double bottom) {
        for (Instant tick : axis.ticks(8)) {
            double x = axis.x(tick);
            svg.line(x, bottom, x, bottom + 5, "tick", "");
            svg.text(x, bottom + 18, "axis", "middle", axis.label(tick));
        }
        svg.line(axis.left(), bottom, axis.left() + axis.width(), bottom, "baseline", "");
    }

    /** A vertical line at each policy activation within the axis. */
    private void policyMarks(Svg svg, TimeAxis axis, double top, double bottom) {
        for (History.PolicyMark mark : history.policies()) {
            if (mark.activated() && axis.contains(mark.appendedAt())) {
                double x = axis.x(mark.appendedAt());
                svg.line(x, top - 8, x, bottom, "policy-mark", "policy " + PolicySource.shortRevision(mark.revision())
                        + " activated " + when(mark.appendedAt()) + " (sequence " + mark.sequence() + ")");
                svg.text(x + 3, top - 10, "mark-label", "start", PolicySource.shortRevision(mark.revision()));
            }
        }
    }

    private void rejectionReasons() {
        out.append("<section>\n<h2>Top rejection reasons</h2>\n");
        Map<Reason, Long> reasons = history.rejections();
        if (reasons.isEmpty()) {
            out.append("<p class=\"empty\">No rejection in the window.</p>\n</section>\n");
            return;
        }
        List<Map.Entry<Reason, Long>> sorted = new ArrayList<>(reasons.entrySet());
        sorted.sort(Map.Entry.<Reason, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
        List<Map.Entry<Reason, Long>> shown = sorted.subList(0, Math.min(TOP_REASONS, sorted.size()));
        long most = shown.get(0).getValue();
        int row = 26;
        int width = 540;
        double labelWidth = 220;
        Svg svg = Svg.open(out, "chart reasons-chart", width, row * shown.size() + 8, "rejections by reason");
        for (int i = 0; i < shown.size(); i++) {
            Map.Entry<Reason, Long> entry = shown.get(i);
            double y = 4 + i * row;
            double barWidth = (width - labelWidth - 60) * entry.getValue() / (double) most;
            svg.text(labelWidth - 8, y + 16, "label", "end", entry.getKey().name());
            svg.rect(labelWidth, y + 3, barWidth, row - 8, "reason-bar", entry.getKey().name() + ": "
                    + entry.getValue() + " rejected (" + percent(entry.getValue(), history.rejected()) + ")");
            svg.text(labelWidth + barWidth + 6, y + 16, "value", "start", String.valueOf(entry.getValue()));
        }
        svg.close();
        if (sorted.size() > shown.size()) {
            long rest = sorted.subList(shown.size(), sorted.size()).stream().mapToLong(Map.Entry::getValue).sum();
            out.append("<p class=\"note\">").append(sorted.size() - shown.size()).append(" more reason(s): ")
                    .append(rest).append(" rejection(s)</p>\n");
        }
        out.append("</section>\n");
    }

    private void gateways() {
        out.append("<section>\n<h2>Per gateway</h2>\n");
        List<History.GatewayCount> gateways = new ArrayList<>(history.gateways());
        if (gateways.isEmpty()) {
            out.append("<p class=\"empty\">No decision in the window.</p>\n</section>\n");
            return;
        }
        gateways.sort(Comparator.comparingLong(History.GatewayCount::total).reversed()
                .thenComparing(History.GatewayCount::gateway));
        out.append("<table class=\"gateways\">\n<thead><tr><th>gateway</th><th class=\"num\">total</th>")
                .append("<th class=\"num\">accept</th><th class=\"num\">reject</th><th class=\"num\">reject %")
                .append("</th><th>top rejection</th></tr></thead>\n<tbody>\n");
        for (History.GatewayCount gateway : gateways) {
            out.append("<tr class=\"gateway-row\"><td>");
            Html.append(out, gateway.gateway());
            out.append("</td><td class=\"num\">").append(gateway.total()).append("</td><td class=\"num\">")
                    .append(gateway.accepted()).append("</td><td class=\"num\">").append(gateway.rejected())
                    .append("</td><td class=\"num\">").append(percent(gateway.rejected(), gateway.total()))
                    .append("</td><td>").append(gateway.topRejection().map(Reason::name).orElse("&#8212;"))
                    .append("</td></tr>\n");
        }
        out.append("</tbody>\n</table>\n");
        if (gateways.stream().anyMatch(g -> g.gateway().equals(History.NO_GATEWAY))) {
            out.append("<p class=\"note\">").append(Html.escape(History.NO_GATEWAY)).append(": decisions made")
                    .append(" without a policy, or for which the policy had no gateway.</p>\n");
        }
        out.append("</section>\n");
    }

    /** One chart per CRL issuer: the age of the CRL in force over the window, against its nextUpdate. */
    private void crls() {
        out.append("<section>\n<h2>CRL freshness per CA</h2>\n");
        Map<String, List<History.CrlLoad>> byIssuer = new LinkedHashMap<>();
        for (History.CrlLoad load : history.crlLoads()) {
            byIssuer.computeIfAbsent(load.crl().issuer(), issuer -> new ArrayList<>()).add(load);
        }
        if (byIssuer.isEmpty()) {
            out.append("<p class=\"empty\">No CRL was loaded.</p>\n</section>\n");
            return;
        }
        out.append("<p class=\"legend\"><span class=\"key age\"></span>age of the CRL in force ")
                .append("<span class=\"key stale\"></span>past its nextUpdate <span class=\"key next\"></span>")
                .append("its nextUpdate <span class=\"key refresh\"></span>the policy's refresh-interval ")
                .append("<span class=\"key load\"></span>a CRL loaded</p>\n");
        Optional<CompiledPolicy> policy = history.replay().engine().activePolicy();
        byIssuer.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(entry -> crlChart(entry.getKey(), entry.getValue(), policy));
        out.append("</section>\n");
    }

    private void crlChart(String issuer, List<History.CrlLoad> loads, Optional<CompiledPolicy> policy) {
        Optional<Duration> refresh = policy.flatMap(p -> refreshInterval(p, issuer));
        // The CRLs in force over the window: each from its load (or the window's start) to the next one's load.
        List<History.CrlLoad> inForce = loads.stream().filter(History.CrlLoad::inForce).toList();
        List<Span> spans = new ArrayList<>();
        for (int i = 0; i < inForce.size(); i++) {
            Instant from = inForce.get(i).appendedAt();
            Instant to = i + 1 < inForce.size() ? inForce.get(i + 1).appendedAt() : end;
            if (to.isAfter(start) && from.isBefore(end)) {
                spans.add(new Span(inForce.get(i), from.isBefore(start) ? start : from, to.isAfter(end) ? end : to));
            }
        }
        Duration most = refresh.orElse(Duration.ZERO);
        for (Span span : spans) {
            most = max(most, Duration.between(span.load().crl().thisUpdate(), span.to()));
            Optional<Instant> next = span.load().crl().nextUpdate();
            if (next.isPresent()) {
                most = max(most, Duration.between(span.load().crl().thisUpdate(), next.get()));
            }
        }
        if (most.isZero() || most.isNegative()) {
            most = Duration.ofHours(1);
        }
        Duration step = niceStep(most.plus(most.dividedBy(20)));
        most = step.multipliedBy(most.plus(most.dividedBy(20)).toSeconds() / step.toSeconds() + 1);
        boolean inDays = step.compareTo(Duration.ofDays(1)) >= 0;
        out.append("<h3>");
        Html.append(out, issuer);
        out.append("</h3>\n");
        int height = 190;
        double top = 14;
        double bottom = height - 30;
        double left = 56;
        TimeAxis axis = new TimeAxis(start, end, left, CHART_WIDTH - left - 16);
        Svg svg = Svg.open(out, "chart crl-chart", CHART_WIDTH, height, "age of the CRL of " + issuer);
        Duration scale = most;
        java.util.function.Function<Duration, Double> y = age -> bottom - (bottom - top)
                * Math.max(0, Math.min(1, age.toMillis() / (double) scale.toMillis()));
        for (Duration tick = Duration.ZERO; tick.compareTo(most) <= 0; tick = tick.plus(step)) {
            svg.line(axis.left(), y.apply(tick), axis.left() + axis.width(), y.apply(tick), "grid", "");
            svg.text(axis.left() - 6, y.apply(tick) + 4, "axis", "end", inDays
                    ? format(tick.toMinutes() / 1440.0) + "d" : format(tick.toMinutes() / 60.0) + "h");
        }
        if (refresh.isPresent()) {
            svg.line(axis.left(), y.apply(refresh.get()), axis.left() + axis.width(), y.apply(refresh.get()),
                    "crl-refresh", "refresh-interval " + refresh.get().toString().substring(2).toLowerCase(Locale.ROOT)
                            + " (the active policy's CA profile)");
        }
        for (Span span : spans) {
            LoadedCrl crl = span.load().crl();
            Optional<Instant> next = crl.nextUpdate();
            String about = "CRL thisUpdate " + when(crl.thisUpdate()) + ", nextUpdate "
                    + next.map(Report::when).orElse("none") + ", " + crl.entries() + " entries, from " + crl.source();
            Instant staleFrom = next.filter(n -> n.isBefore(span.to())).map(n -> n.isAfter(span.from()) ? n
                    : span.from()).orElse(span.to());
            if (staleFrom.isAfter(span.from())) {
                svg.polyline(List.of(axis.x(span.from()), y.apply(Duration.between(crl.thisUpdate(), span.from())),
                        axis.x(staleFrom), y.apply(Duration.between(crl.thisUpdate(), staleFrom))), "crl-age", about);
            }
            if (span.to().isAfter(staleFrom)) {
                svg.polyline(List.of(axis.x(staleFrom), y.apply(Duration.between(crl.thisUpdate(), staleFrom)),
                        axis.x(span.to()), y.apply(Duration.between(crl.thisUpdate(), span.to()))), "crl-age stale",
                        about + ": stale from " + when(staleFrom));
            }
            if (next.isPresent()) {
                Duration validFor = Duration.between(crl.thisUpdate(), next.get());
                svg.line(axis.x(span.from()), y.apply(validFor), axis.x(span.to()), y.apply(validFor),
                        "crl-next-update", "nextUpdate " + when(next.get()));
            }
        }
        for (History.CrlLoad load : loads) {
            if (axis.contains(load.appendedAt())) {
                svg.circle(axis.x(load.appendedAt()), y.apply(max(Duration.ZERO,
                        Duration.between(load.crl().thisUpdate(), load.appendedAt()))), 3.5, "crl-load",
                        "loaded " + when(load.appendedAt()) + " (sequence " + load.sequence() + ") from "
                                + load.crl().source() + (load.inForce() ? "" : "; a newer CRL was already held"));
            }
        }
        policyMarks(svg, axis, top + 8, bottom);
        timeTicks(svg, axis, bottom);
        svg.close();
    }

    private record Span(History.CrlLoad load, Instant from, Instant to) {
    }

    /**
     * The refresh-interval the policy sets for CRLs of {@code issuer}: the shortest of the CA profiles whose
     * ca-identity is that issuer, or that name none; empty when none sets one.
     */
    static Optional<Duration> refreshInterval(CompiledPolicy policy, String issuer) {
        DistinguishedName name;
        try {
            name = DistinguishedName.parse(issuer);
        } catch (DnSyntaxException e) {
            return Optional.empty();
        }
        Optional<Duration> shortest = Optional.empty();
        for (CaProfile profile : policy.caProfiles()) {
            Duration interval = profile.revocationCheck().refreshInterval();
            boolean applies = profile.caIdentity().map(identity -> identity.sameAs(name)).orElse(true);
            if (applies && !interval.isZero() && shortest.map(s -> interval.compareTo(s) < 0).orElse(true)) {
                shortest = Optional.of(interval);
            }
        }
        return shortest;
    }

    private void policies() {
        out.append("<section>\n<h2>Policy revisions</h2>\n");
        List<History.PolicyMark> marks = history.policies();
        if (marks.isEmpty()) {
            out.append("<p class=\"empty\">No policy in the log: decisions were made under command-line options.")
                    .append("</p>\n</section>\n");
            return;
        }
        // The last activation is the policy in force, when the engine could compile it.
        Optional<History.PolicyMark> inForce = marks.stream().filter(History.PolicyMark::activated)
                .reduce((earlier, later) -> later).filter(last -> history.replay().engine().activePolicy()
                        .map(CompiledPolicy::revision).equals(Optional.of(last.revision())));
        out.append("<table class=\"policies\">\n<thead><tr><th>appended</th><th>sequence</th><th>revision</th>")
                .append("<th>source</th><th>kind</th></tr></thead>\n<tbody>\n");
        for (History.PolicyMark mark : marks) {
            String source = history.replay().engine().policy(mark.revision()).map(CompiledPolicy::sourceName)
                    .orElse("(does not compile)");
            out.append("<tr class=\"policy-row\"><td>").append(when(mark.appendedAt()))
                    .append("</td><td class=\"num\">").append(mark.sequence()).append("</td><td><code title=\"")
                    .append(Html.escape(mark.revision())).append("\">")
                    .append(Html.escape(PolicySource.shortRevision(mark.revision()))).append("</code></td><td>");
            Html.append(out, source);
            out.append("</td><td>").append(mark.activated() ? "activated" : "recorded for one request")
                    .append(inForce.equals(Optional.of(mark)) ? " (in force)" : "").append("</td></tr>\n");
        }
        out.append("</tbody>\n</table>\n</section>\n");
    }

    private record Local(Replay.LocalCertificate loaded, Optional<LocalCertificates.Described> described) {
    }

    private static List<Local> localCertificates(Replay replay) {
        List<Local> all = new ArrayList<>();
        for (Replay.LocalCertificate loaded : replay.localCertificates()) {
            Optional<LocalCertificates.Described> described;
            try {
                described = Optional.of(LocalCertificates.describe(loaded.event().certificate()));
            } catch (EnrollException e) {
                described = Optional.empty();
            }
            all.add(new Local(loaded, described));
        }
        return all;
    }

    private void localCertificates() {
        out.append("<section>\n<h2>Local certificates and their expiry</h2>\n");
        List<Local> locals = new ArrayList<>(localCertificates(history.replay()));
        if (locals.isEmpty()) {
            out.append("<p class=\"empty\">No local certificate was loaded.</p>\n</section>\n");
            return;
        }
        locals.sort(Comparator.comparing((Local l) -> l.described().map(LocalCertificates.Described::notAfter)
                .orElse(Instant.MIN)));
        List<Local> readable = locals.stream().filter(l -> l.described().isPresent()).toList();
        if (!readable.isEmpty()) {
            long longest = Math.max(EXPIRING_DAYS, readable.stream()
                    .mapToLong(l -> l.described().get().daysToExpiry(now)).max().orElse(EXPIRING_DAYS));
            int row = 24;
            int width = CHART_WIDTH;
            double labelWidth = 420;
            Svg svg = Svg.open(out, "chart certs-chart", width, row * readable.size() + 8,
                    "days to expiry of the local certificates");
            for (int i = 0; i < readable.size(); i++) {
                LocalCertificates.Described d = readable.get(i).described().get();
                long days = d.daysToExpiry(now);
                double y = 4 + i * row;
                double barWidth = days <= 0 ? 3 : (width - labelWidth - 120) * days / (double) longest;
                String tone = days < 0 ? "expired" : days < EXPIRING_DAYS ? "soon" : days < 90 ? "later" : "fine";
                svg.text(labelWidth - 8, y + 15, "label", "end", ellipsis(d.subject(), 60));
                svg.rect(labelWidth, y + 3, barWidth, row - 8, "cert-bar " + tone, d.subject() + ": notAfter "
                        + when(d.notAfter()));
                svg.text(labelWidth + barWidth + 6, y + 15, "value", "start", days < 0 ? "expired"
                        : days + " day" + (days == 1 ? "" : "s"));
            }
            svg.close();
        }
        out.append("<table class=\"certs\">\n<thead><tr><th>subject</th><th>gateway</th><th>issuer</th>")
                .append("<th>serial</th><th>notAfter</th><th class=\"num\">days left</th></tr></thead>\n<tbody>\n");
        for (Local local : locals) {
            String gateway = local.loaded().event().gateway().orElse("(none)");
            if (local.described().isEmpty()) {
                out.append("<tr class=\"cert-row\"><td colspan=\"6\">unreadable certificate sha256 ")
                        .append(local.loaded().event().certificate().sha256Hex(), 0, 16).append(" at sequence ")
                        .append(local.loaded().recorded().sequence()).append("</td></tr>\n");
                continue;
            }
            LocalCertificates.Described d = local.described().get();
            long days = d.daysToExpiry(now);
            out.append("<tr class=\"cert-row").append(days < EXPIRING_DAYS ? " flagged" : "").append("\"><td>");
            Html.append(out, d.subject());
            out.append("</td><td>");
            Html.append(out, gateway);
            out.append("</td><td>");
            Html.append(out, d.issuer());
            out.append("</td><td><code>").append(Html.escape(d.serialHex())).append("</code></td><td>")
                    .append(when(d.notAfter())).append("</td><td class=\"num\">")
                    .append(now.isAfter(d.notAfter()) ? "expired" : String.valueOf(days)).append("</td></tr>\n");
        }
        out.append("</tbody>\n</table>\n</section>\n");
    }

    private void log() {
        out.append("<section>\n<h2>Log head and latest checkpoint</h2>\n<dl class=\"facts\">\n");
        Optional<RecordedEvent> last = history.replay().last();
        fact("head", last.map(e -> "sequence " + e.sequence() + ", appended " + when(e.appendedAt()))
                .orElse("the log is empty"));
        history.storedHead().ifPresent(head -> fact("head hash", head + " (as the last record states it)"));
        fact("events", String.valueOf(history.replay().events()));
        Optional<History.Checkpoint> checkpoint = history.latestCheckpoint();
        if (checkpoint.isEmpty()) {
            fact("latest checkpoint", "none: 'certgate checkpoint --key KEY' signs the head, so that a copy kept"
                    + " elsewhere proves the log was not rewritten");
        } else {
            var signed = checkpoint.get().event();
            long after = last.map(e -> e.sequence() - signed.sequence()).orElse(0L);
            fact("latest checkpoint", "sequence " + signed.sequence() + ", signed " + when(checkpoint.get()
                    .appendedAt()) + "; " + after + " event(s) recorded after it");
            fact("checkpoint head", signed.head());
            fact("signing key", "sha256 " + signed.keyFingerprint());
        }
        List<TrustedCertificate> cas = history.replay().engine().trustedCertificates();
        fact("trusted CA certificates", cas.isEmpty() ? "none" : String.join("; ", cas.stream()
                .map(TrustedCertificate::subject).sorted().toList()));
        out.append("</dl>\n<p class=\"note\">This page does not prove the log unaltered: ")
                .append("<code>certgate log verify</code> recomputes the hash chain, and ")
                .append("<code>certgate log verify --checkpoint LINE --pubkey KEY.pub</code> checks it against a ")
                .append("checkpoint kept elsewhere.</p>\n</section>\n");
    }

    private void fact(String term, String value) {
        out.append("<dt>").append(Html.escape(term)).append("</dt><dd>");
        Html.append(out, value);
        out.append("</dd>\n");
    }

    private String bucketLabel(Instant at) {
        return switch (bucket) {
            case HOUR -> when(at).substring(0, 16) + " UTC";
            case DAY -> when(at).substring(0, 10);
            case WEEK -> "week of " + when(at).substring(0, 10);
        };
    }

    static String when(Instant at) {
        return WHEN.format(at.truncatedTo(ChronoUnit.SECONDS));
    }

    private static String percent(long part, long whole) {
        return whole == 0 ? "0%" : String.format(Locale.ROOT, "%.1f%%", 100.0 * part / whole);
    }

    private static String format(double value) {
        return value == Math.rint(value) ? String.valueOf((long) value) : String.format(Locale.ROOT, "%.1f", value);
    }

    private static String ellipsis(String text, int most) {
        return text.length() <= most ? text : text.substring(0, most - 1) + "\u2026";
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
