package certgate.engine;

import certgate.engine.chain.PathBuilder;
import certgate.engine.trace.TraceStep;
import certgate.engine.x509.ParsedCertificate;
import certgate.engine.x509.VerificationCache;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * What a {@link Decider} remembers of a peer's path search, in the engine's verification cache (kept with the
 * peer's parsed certificate): the key that fixes a search and what the searches under it found.
 */
final class SearchMemo {
    private SearchMemo() {
    }

    /**
     * The inputs that fix the path search for a peer: its chain and the trust it was searched under. The order of
     * the search does not depend on the time or the settings, so the same inputs give the same paths, in the same
     * order, after the same number of candidate edges.
     */
    record SearchKey(TrustStore trust, Predicate<TrustedCertificate> trusted, ParsedCertificate peer,
                     List<ParsedCertificate> chain) implements VerificationCache.Key<Searched> {
    }

    /**
     * What earlier searches with one {@link SearchKey} found, so that a repeated peer is decided without
     * searching: the first path when it was accepted outright (with its CHAIN step and path listing, both
     * time-free), and the paths in the order the search offered them.
     */
    record Searched(Optional<FirstPath> accepted, Optional<Enumeration> enumeration) {
    }

    /** The first path with the CHAIN step and path listing of its accepted decision. */
    record FirstPath(List<ParsedCertificate> path, TraceStep chainStep, List<PathCertificate> listing) {
    }

    /**
     * Complete paths in the order the search offered them, with the summary the search returns if it stops right
     * after each; {@code ended} is the summary of a search that offered them all and found no more.
     */
    record Enumeration(List<List<ParsedCertificate>> paths, List<PathBuilder.Summary> stoppedAfter,
                       Optional<PathBuilder.Summary> ended, List<PrintedPath> printed) {
        boolean coversAtLeast(Enumeration other) {
            return ended.isPresent() || paths.size() >= other.paths.size();
        }
    }

    /** A path as the trace prints it and as the decision lists it: both time-free, so recorded with the paths. */
    record PrintedPath(String text, List<PathCertificate> listing) {
    }

    /** What earlier searches under {@code key} found, or null. */
    static Searched known(VerificationCache cache, SearchKey key) {
        return cache.remember(key.peer(), key, () -> null);
    }

    /** Remembers {@code searched} under {@code key}, replacing what was there. */
    static void record(VerificationCache cache, SearchKey key, Searched searched) {
        cache.forget(key.peer(), key);
        cache.remember(key.peer(), key, () -> searched);
    }
}
