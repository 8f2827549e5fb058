package certgate.adapters.report;

import certgate.eventstore.CrlLoaded;
import certgate.eventstore.PolicyActivated;
import certgate.eventstore.Reason;
import certgate.eventstore.RecordedEvent;
import certgate.eventstore.ValidationDecided;
import certgate.eventstore.ValidationRequested;
import certgate.eventstore.Verdict;
import certgate.eventstore.log.LogReader;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The counts a report of a whole store must show, tallied straight from the log's events by the test (no
 * {@code Replay}, no {@code History}): decisions per hour by verdict, the reasons of rejections, the CRL sources,
 * the times of CRL loads and policy activations.
 */
public record LogTally(Map<Instant, long[]> perHour, Set<Reason> rejectionReasons, Set<String> crlSources,
                       List<Instant> crlLoads, List<Instant> activations, long decisions) {

    public static LogTally of(Path store) {
        Map<String, Instant> requested = new HashMap<>();
        Map<Instant, long[]> perHour = new TreeMap<>();
        Set<Reason> reasons = new TreeSet<>();
        Set<String> sources = new TreeSet<>();
        List<Instant> crlLoads = new ArrayList<>();
        List<Instant> activations = new ArrayList<>();
        long[] decisions = {0};
        try (LogReader reader = LogReader.open(store)) {
            reader.poll((RecordedEvent recorded) -> {
                if (recorded.event() instanceof ValidationRequested request) {
                    requested.put(request.requestId(), recorded.appendedAt());
                } else if (recorded.event() instanceof ValidationDecided decided) {
                    Instant hour = requested.remove(decided.requestId()).truncatedTo(ChronoUnit.HOURS);
                    long[] counts = perHour.computeIfAbsent(hour, h -> new long[2]);
                    counts[decided.verdict() == Verdict.ACCEPT ? 0 : 1]++;
                    if (decided.verdict() == Verdict.REJECT) {
                        reasons.add(decided.reason());
                    }
                    decisions[0]++;
                } else if (recorded.event() instanceof CrlLoaded crl) {
                    sources.add(crl.source());
                    crlLoads.add(recorded.appendedAt());
                } else if (recorded.event() instanceof PolicyActivated) {
                    activations.add(recorded.appendedAt());
                }
            });
        }
        return new LogTally(perHour, reasons, sources, crlLoads, activations, decisions[0]);
    }

    /** Hours with at least one decision of {@code verdict}. */
    public long hoursWith(Verdict verdict) {
        int index = verdict == Verdict.ACCEPT ? 0 : 1;
        return perHour.values().stream().filter(counts -> counts[index] > 0).count();
    }
}
