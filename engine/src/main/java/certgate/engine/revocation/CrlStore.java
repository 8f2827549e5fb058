package certgate.engine.revocation;

import certgate.engine.x509.Sha256;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The CRLs of the engine's state, by issuer name, newest first. Immutable: {@link #with} returns a new store.
 *
 * <p>Per issuer and scope (the issuingDistributionPoint, complete or delta) only the {@link #KEEP_PER_SCOPE}
 * newest CRLs are kept: a refreshed CRL makes the one before it history, and a CRL of a million entries must
 * not be held once per refresh. Two are kept, not one, so that a newer CRL that turns out unusable (a bad
 * signature, say) does not hide the last good one. Which CRLs are kept depends only on their content, never on
 * the order they were loaded in.
 */
public final class CrlStore {
    static final int KEEP_PER_SCOPE = 2;
    private static final CrlStore EMPTY = new CrlStore(Map.of(), 0);

    private final Map<String, List<StoredCrl>> byIssuer;
    private final int size;
    private final Sha256 fingerprint;

    private CrlStore(Map<String, List<StoredCrl>> byIssuer, int size) {
        this.byIssuer = byIssuer;
        this.size = size;
        List<String> digests = new ArrayList<>(size);
        byIssuer.values().forEach(crls -> crls.forEach(crl -> digests.add(crl.sha256().hex())));
        digests.sort(null);
        this.fingerprint = Sha256.of(String.join(",", digests).getBytes(StandardCharsets.US_ASCII));
    }

    public static CrlStore empty() {
        return EMPTY;
    }

    /** The store with {@code crl} added (unchanged when a CRL with the same digest is already there). */
    public CrlStore with(StoredCrl crl) {
        List<StoredCrl> current = byIssuer.getOrDefault(crl.issuer().key(), List.of());
        if (current.stream().anyMatch(existing -> existing.sha256().equals(crl.sha256()))) {
            return this;
        }
        List<StoredCrl> next = new ArrayList<>(current);
        next.add(crl);
        next.sort(StoredCrl::newerFirst);
        Map<String, Integer> perScope = new HashMap<>();
        next.removeIf(candidate -> perScope.merge(candidate.scopeKey(), 1, Integer::sum) > KEEP_PER_SCOPE);
        Map<String, List<StoredCrl>> map = new HashMap<>(byIssuer);
        map.put(crl.issuer().key(), List.copyOf(next));
        return new CrlStore(Map.copyOf(map), size - current.size() + next.size());
    }

    /** CRLs whose issuer has the name key {@code issuerKey}, newest first. */
    public List<StoredCrl> issuedBy(String issuerKey) {
        return byIssuer.getOrDefault(issuerKey, List.of());
    }

    /** Every CRL, grouped by issuer, newest first within an issuer. */
    public List<StoredCrl> all() {
        List<StoredCrl> all = new ArrayList<>(size);
        byIssuer.values().forEach(all::addAll);
        all.sort((a, b) -> {
            int byIssuerText = a.issuer().text().compareTo(b.issuer().text());
            return byIssuerText != 0 ? byIssuerText : StoredCrl.newerFirst(a, b);
        });
        return all;
    }

    public int size() {
        return size;
    }

    /** SHA-256 over the digests of the CRLs held: two stores with equal fingerprints hold the same CRLs. */
    public Sha256 fingerprint() {
        return fingerprint;
    }
}
