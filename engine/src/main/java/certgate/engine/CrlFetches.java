package certgate.engine;

import certgate.eventstore.CrlFetchFailed;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the log says about fetching each CA's CRL, by the CA's subject text: when it was last checked (fetched or
 * found unchanged), the last failure, and each URL tried with its latest outcome, in the order first tried. State
 * like any other: built only from the fetch events, so a replay without the network traces the same sources.
 * Immutable; {@link #with} returns the next value.
 */
final class CrlFetches {
    static final CrlFetches NONE = new CrlFetches(Map.of());
    /** The most URLs remembered per CA: the certificates' CDPs, 3 profile URLs and the default CDP. */
    private static final int MAX_URLS = 16;

    /** One URL's latest outcome, for the trace. */
    record Attempt(String url, Instant at, String outcome) {
    }

    record OfIssuer(Optional<Instant> lastChecked, Optional<CrlFetchFailed> lastFailure, List<Attempt> attempts,
                    List<CrlNeed.Previous> previous) {
        static final OfIssuer NONE = new OfIssuer(Optional.empty(), Optional.empty(), List.of(), List.of());

        OfIssuer with(Attempt attempt, Optional<CrlNeed.Previous> success, Optional<CrlFetchFailed> failure) {
            List<Attempt> next = new ArrayList<>(attempts.size() + 1);
            boolean replaced = false;
            for (Attempt known : attempts) {
                if (known.url().equals(attempt.url())) {
                    next.add(attempt);
                    replaced = true;
                } else {
                    next.add(known);
                }
            }
            if (!replaced) {
                next.add(attempt);
                if (next.size() > MAX_URLS) {
                    next.remove(0);
                }
            }
            Optional<Instant> checked = success.isPresent()
                    && lastChecked.map(t -> t.isBefore(attempt.at())).orElse(true) ? Optional.of(attempt.at())
                    : lastChecked;
            List<CrlNeed.Previous> validators = previous;
            if (success.isPresent()) {
                List<CrlNeed.Previous> updated = new ArrayList<>();
                updated.add(success.get());
                previous.stream().filter(p -> !p.url().equals(attempt.url())).limit(MAX_URLS - 1)
                        .forEach(updated::add);
                validators = List.copyOf(updated);
            }
            return new OfIssuer(checked, failure.isPresent() ? failure : lastFailure, List.copyOf(next), validators);
        }
    }

    private final Map<String, OfIssuer> byIssuer;

    private CrlFetches(Map<String, OfIssuer> byIssuer) {
        this.byIssuer = byIssuer;
    }

    /** The state by issuer, for a snapshot. */
    Map<String, OfIssuer> byIssuer() {
        return byIssuer;
    }

    /** The state a snapshot recorded. */
    static CrlFetches restored(Map<String, OfIssuer> byIssuer) {
        return byIssuer.isEmpty() ? NONE : new CrlFetches(Map.copyOf(byIssuer));
    }

    OfIssuer of(String issuer) {
        return byIssuer.getOrDefault(issuer, OfIssuer.NONE);
    }

    boolean isEmpty() {
        return byIssuer.isEmpty();
    }

    CrlFetches with(String issuer, Attempt attempt, Optional<CrlNeed.Previous> success,
                    Optional<CrlFetchFailed> failure) {
        Map<String, OfIssuer> next = new HashMap<>(byIssuer);
        next.put(issuer, of(issuer).with(attempt, success, failure));
        return new CrlFetches(Map.copyOf(next));
    }
}
