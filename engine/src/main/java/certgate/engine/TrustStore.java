package certgate.engine;

import certgate.engine.x509.ParsedCertificate;
import certgate.engine.x509.Sha256;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The locally stored CA certificates, by digest and by subject name key, each with the CA profiles it was loaded
 * under. Immutable: {@link #with} returns a new store. Certificates under one subject are kept in digest order,
 * so which one is tried first never depends on the order they were loaded in.
 */
final class TrustStore {
    static final TrustStore EMPTY = new TrustStore(Map.of(), Map.of());

    record Entry(ParsedCertificate certificate, Set<String> profiles, TrustedCertificate info) {
        Entry(ParsedCertificate certificate, Set<String> profiles) {
            this(certificate, profiles, new TrustedCertificate(certificate.subject().text(),
                    certificate.issuer().text(), certificate.serialHex(), certificate.sha256().hex(), profiles,
                    certificate.notBefore(), certificate.notAfter()));
        }
    }

    private final Map<Sha256, Entry> byDigest;
    private final Map<String, List<ParsedCertificate>> bySubject;

    private TrustStore(Map<Sha256, Entry> byDigest, Map<String, List<ParsedCertificate>> bySubject) {
        this.byDigest = byDigest;
        this.bySubject = bySubject;
    }

    TrustStore with(ParsedCertificate certificate, String profile) {
        Entry existing = byDigest.get(certificate.sha256());
        if (existing != null && existing.profiles().contains(profile)) {
            return this;
        }
        Set<String> profiles = new TreeSet<>(existing == null ? Set.of() : existing.profiles());
        profiles.add(profile);
        Map<Sha256, Entry> digests = new LinkedHashMap<>(byDigest);
        digests.put(certificate.sha256(), new Entry(certificate, Set.copyOf(profiles)));
        Map<String, List<ParsedCertificate>> subjects = new HashMap<>(bySubject);
        if (existing == null) {
            List<ParsedCertificate> same = new ArrayList<>(subjects.getOrDefault(certificate.subject().key(),
                    List.of()));
            same.add(certificate);
            same.sort((a, b) -> a.sha256().hex().compareTo(b.sha256().hex()));
            subjects.put(certificate.subject().key(), List.copyOf(same));
        }
        return new TrustStore(Map.copyOf(digests), Map.copyOf(subjects));
    }

    List<ParsedCertificate> withSubject(String nameKey) {
        return bySubject.getOrDefault(nameKey, List.of());
    }

    boolean contains(ParsedCertificate certificate) {
        return byDigest.containsKey(certificate.sha256());
    }

    Entry entry(ParsedCertificate certificate) {
        return byDigest.get(certificate.sha256());
    }

    int size() {
        return byDigest.size();
    }

    List<Entry> entries() {
        List<Entry> entries = new ArrayList<>(byDigest.values());
        entries.sort((a, b) -> a.certificate().sha256().hex().compareTo(b.certificate().sha256().hex()));
        return entries;
    }
}
