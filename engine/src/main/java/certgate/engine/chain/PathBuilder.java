package certgate.engine.chain;

import certgate.engine.x509.ParsedCertificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Builds candidate certification paths from a certificate to a locally stored (trusted) certificate,
 * depth first: issuers are certificates whose subject is the certificate's issuer (RFC 4518 comparison) and
 * whose subjectKeyIdentifier does not contradict its authorityKeyIdentifier; trusted issuers are tried before
 * untrusted ones, and key-identifier matches before the rest. A path never holds one certificate twice, nor
 * two with the same subject and key (RFC 4158 loops). Each complete path goes to a {@link Visitor}, which
 * validates it and may stop the search at the first good one; through a trusted certificate that is not a
 * root the search goes on upward, since a full-validation path or a valid alternative may lie beyond it.
 *
 * <p>The work is bounded: at most {@link #EDGE_BUDGET} candidate edges are tried per search and paths are at
 * most {@link #MAX_PATH_LENGTH} certificates long, so cross-certificate meshes, loops and long chains of
 * look-alike CAs end in bounded time however they are arranged.
 */
public final class PathBuilder {
    public static final int EDGE_BUDGET = 4_096;
    public static final int MAX_PATH_LENGTH = 24;

    /** Where issuers are looked for. */
    public interface Pool {
        /** Locally stored certificates whose subject is {@code certificate}'s issuer. */
        List<ParsedCertificate> trustedIssuers(ParsedCertificate certificate);

        /** Untrusted (peer-sent) certificates whose subject is {@code certificate}'s issuer. */
        List<ParsedCertificate> untrustedIssuers(ParsedCertificate certificate);

        boolean isTrusted(ParsedCertificate certificate);
    }

    /** Receives each complete path, start first and trusted certificate last; returns true to stop. */
    @FunctionalInterface
    public interface Visitor {
        boolean visit(List<ParsedCertificate> path);
    }

    /**
     * As {@link Visitor}, also told what {@link #search} will return if the search stops at this path, so that a
     * caller can record a search and later replay its outcome without searching.
     */
    @FunctionalInterface
    public interface CountingVisitor {
        boolean visit(List<ParsedCertificate> path, Summary ifStoppedHere);
    }

    /** What a search did: candidate edges tried, complete paths found, and whether the budget ran out. */
    public record Summary(int edgesTried, int pathsFound, boolean budgetExhausted, boolean stopped) {
    }

    private final Pool pool;
    private final CountingVisitor visitor;
    private final List<ParsedCertificate> path = new ArrayList<>();
    private int edges;
    private int paths;
    private boolean stopped;

    private PathBuilder(Pool pool, CountingVisitor visitor) {
        this.pool = pool;
        this.visitor = visitor;
    }

    /**
     * Searches paths from {@code start}. When {@code start} is itself trusted and {@code startMayEnd}, the
     * one-certificate path is offered first (a CRL signer that is a trust anchor).
     */
    public static Summary search(ParsedCertificate start, Pool pool, boolean startMayEnd, Visitor visitor) {
        return search(start, pool, startMayEnd, (CountingVisitor) (path, ifStoppedHere) -> visitor.visit(path));
    }

    /** As {@link #search(ParsedCertificate, Pool, boolean, Visitor)}, telling the visitor the counts so far. */
    public static Summary search(ParsedCertificate start, Pool pool, boolean startMayEnd, CountingVisitor visitor) {
        PathBuilder builder = new PathBuilder(pool, visitor);
        builder.path.add(start);
        if (startMayEnd && pool.isTrusted(start)) {
            builder.paths++;
            builder.stopped = builder.visit();
        }
        if (!builder.stopped) {
            builder.extend();
        }
        return new Summary(builder.edges, builder.paths, builder.edges >= EDGE_BUDGET, builder.stopped);
    }

    private void extend() {
        ParsedCertificate current = path.get(path.size() - 1);
        if (path.size() >= MAX_PATH_LENGTH) {
            return;
        }
        for (boolean trusted : new boolean[] {true, false}) {
            List<ParsedCertificate> candidates = trusted ? pool.trustedIssuers(current)
                    : pool.untrustedIssuers(current);
            for (ParsedCertificate candidate : ordered(current, candidates)) {
                if (stopped || edges >= EDGE_BUDGET) {
                    return;
                }
                edges++;
                if (!acceptable(candidate)) {
                    continue;
                }
                path.add(candidate);
                if (trusted) {
                    paths++;
                    stopped = visit();
                }
                if (!stopped && !(trusted && candidate.selfIssued())) {
                    extend();
                }
                path.remove(path.size() - 1);
            }
        }
    }

    /** Offers the current path; once stopped, nothing more is counted, so the summary is the one returned. */
    private boolean visit() {
        return visitor.visit(List.copyOf(path), new Summary(edges, paths, edges >= EDGE_BUDGET, true));
    }

    /** Key-identifier matches first; a candidate whose SKI contradicts the AKI is no issuer at all. */
    private static List<ParsedCertificate> ordered(ParsedCertificate subject, List<ParsedCertificate> candidates) {
        Optional<String> aki = subject.authorityKeyId();
        if (aki.isEmpty() || allMatch(aki.get(), candidates)) {
            return candidates;
        }
        List<ParsedCertificate> matching = new ArrayList<>(candidates.size());
        List<ParsedCertificate> unknown = new ArrayList<>();
        for (ParsedCertificate candidate : candidates) {
            Optional<String> ski = candidate.subjectKeyId();
            if (ski.isEmpty()) {
                unknown.add(candidate);
            } else if (ski.get().equals(aki.get())) {
                matching.add(candidate);
            }
        }
        matching.addAll(unknown);
        return matching;
    }

    /** The usual case (every candidate's SKI is the AKI) needs no reordering, so no new lists per step. */
    private static boolean allMatch(String aki, List<ParsedCertificate> candidates) {
        for (ParsedCertificate candidate : candidates) {
            Optional<String> ski = candidate.subjectKeyId();
            if (ski.isEmpty() || !ski.get().equals(aki)) {
                return false;
            }
        }
        return true;
    }

    private boolean acceptable(ParsedCertificate candidate) {
        for (ParsedCertificate member : path) {
            if (member.equals(candidate)
                    || (member.sameKeyAs(candidate) && member.subject().sameAs(candidate.subject()))) {
                return false;
            }
        }
        return true;
    }
}
