package certgate.engine;

import certgate.dsl.policy.RevocationCheck;
import certgate.engine.CrlNeed.CrlSource;
import certgate.engine.revocation.CrlStore;
import certgate.engine.revocation.StoredCrl;
import certgate.engine.x509.ParsedCertificate;
import certgate.eventstore.Blob;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1IA5String;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;

/**
 * Where the CRLs a validated path needs come from, and whether the state's are fresh: the query behind
 * {@link Engine#crlNeeds} and {@link Engine#caCrls}.
 *
 * <p>The order is Junos's: the CRL distribution points of the certificate whose issuer's CRL is needed, then the
 * CA profile's URLs (for the CA the profile trusts: the path's anchor), then the policy's default CDP. A
 * certificate's CDP is read only from a path whose every signature verified (the caller passes only such a path):
 * following the CDP of a certificate not yet verified would let anyone make the gateway fetch from a server of
 * his choosing (strongSwan's CVE-2022-40617).
 *
 * <p>A CRL is due when its nextUpdate has passed or the refresh interval has elapsed since it was last fetched
 * (or found unchanged), whichever comes first; a CRL loaded by hand was never fetched, so only its nextUpdate
 * counts. Only nextUpdate, not the clock skew, makes it due: the skew is a tolerance for deciding, not a reason
 * to fetch late.
 */
final class CrlPlanner {
    /** The profile settings and default CDP that apply, when the request is decided under a policy. */
    record Setting(Optional<RevocationCheck> profile, Optional<URI> defaultCdp, Duration clockSkew) {
        static final Setting NONE = new Setting(Optional.empty(), Optional.empty(), Duration.ZERO);

        Duration refreshInterval() {
            return profile.map(RevocationCheck::refreshInterval).orElse(Duration.ZERO);
        }
    }

    private CrlPlanner() {
    }

    /** One need per CA whose CRL the path uses (every certificate but the anchor has its issuer's), in path order. */
    static List<CrlNeed> forPath(List<ParsedCertificate> path, Setting setting, Instant at, CrlStore crls,
                                 CrlFetches fetches) {
        Map<String, List<CrlSource>> sources = new LinkedHashMap<>();
        Map<String, ParsedCertificate> issuers = new LinkedHashMap<>();
        for (int i = 0; i + 1 < path.size(); i++) {
            ParsedCertificate issuer = path.get(i + 1);
            String name = issuer.subject().text();
            issuers.putIfAbsent(name, issuer);
            List<CrlSource> forIssuer = sources.computeIfAbsent(name, n -> new ArrayList<>());
            for (URI url : distributionPoints(path.get(i))) {
                add(forIssuer, new CrlSource(url, CrlSource.Origin.CERTIFICATE_CDP));
            }
        }
        List<CrlNeed> needs = new ArrayList<>();
        ParsedCertificate anchor = path.get(path.size() - 1);
        for (Map.Entry<String, List<CrlSource>> entry : sources.entrySet()) {
            List<CrlSource> ordered = new ArrayList<>(entry.getValue());
            if (issuers.get(entry.getKey()).equals(anchor)) {
                setting.profile().ifPresent(p -> p.crlUrls().forEach(url ->
                        add(ordered, new CrlSource(url, CrlSource.Origin.PROFILE))));
            }
            setting.defaultCdp().ifPresent(url -> add(ordered, new CrlSource(url, CrlSource.Origin.DEFAULT_CDP)));
            needs.add(need(issuers.get(entry.getKey()), ordered, setting.refreshInterval(), setting.clockSkew(), at,
                    crls, fetches));
        }
        return needs;
    }

    /** The need of one CA, with the sources given, judged at {@code at}. */
    static CrlNeed need(ParsedCertificate ca, List<CrlSource> sources, Duration refreshInterval, Duration clockSkew,
                        Instant at, CrlStore crls, CrlFetches fetches) {
        String issuer = ca.subject().text();
        Optional<StoredCrl> inForce = inForce(crls, ca);
        CrlFetches.OfIssuer fetched = fetches.of(issuer);
        Optional<Instant> refreshAt = refreshInterval.isZero() ? Optional.empty()
                : fetched.lastChecked().map(t -> t.plus(refreshInterval));
        Optional<Instant> nextUpdate = inForce.flatMap(StoredCrl::nextUpdate);
        Optional<Instant> nextDue = earliest(nextUpdate, refreshAt);
        CrlNeed.Status status;
        String why;
        if (inForce.isEmpty()) {
            status = CrlNeed.Status.MISSING;
            why = "no CRL of '" + issuer + "' is held";
        } else if (nextUpdate.isEmpty()) {
            status = CrlNeed.Status.DUE;
            why = "its CRL has no nextUpdate";
        } else if (at.isAfter(nextUpdate.get())) {
            status = CrlNeed.Status.DUE;
            why = "its CRL's nextUpdate " + nextUpdate.get() + " has passed";
        } else if (refreshAt.isPresent() && !at.isBefore(refreshAt.get())) {
            status = CrlNeed.Status.DUE;
            why = "refresh-interval " + refreshInterval + " has elapsed since the fetch at "
                    + fetched.lastChecked().get();
        } else {
            status = CrlNeed.Status.FRESH;
            why = "its CRL is current until " + nextDue.orElseThrow();
        }
        return new CrlNeed(issuer, Blob.of(ca.der()), status, why, inForce.map(CrlLookup::describe),
                fetched.lastChecked(), nextDue, fetched.lastFailure(), sources, fetched.previous(), clockSkew);
    }

    /** The newest CRL of the CA that speaks for all its certificates, else the newest of any scope. */
    private static Optional<StoredCrl> inForce(CrlStore crls, ParsedCertificate ca) {
        List<StoredCrl> held = crls.issuedBy(ca.subject().key());
        for (StoredCrl crl : held) {
            if (!crl.delta() && crl.issuingDistributionPoint().isEmpty()) {
                return Optional.of(crl);
            }
        }
        return held.stream().filter(crl -> !crl.delta()).findFirst();
    }

    private static Optional<Instant> earliest(Optional<Instant> a, Optional<Instant> b) {
        if (a.isEmpty()) {
            return b;
        }
        if (b.isEmpty()) {
            return a;
        }
        return Optional.of(a.get().isBefore(b.get()) ? a.get() : b.get());
    }

    private static void add(List<CrlSource> sources, CrlSource source) {
        if (sources.stream().noneMatch(known -> known.url().equals(source.url()))) {
            sources.add(source);
        }
    }

    /**
     * The URIs of the certificate's distribution points that name the CRL of its issuer (those with a cRLIssuer
     * point at an indirect CRL of another CA, which certgate does not fetch). Every scheme is listed: the adapter
     * refuses what it may not fetch, and records that it did.
     */
    static List<URI> distributionPoints(ParsedCertificate certificate) {
        List<URI> urls = new ArrayList<>();
        if (certificate.crlDistributionPoints().isEmpty()) {
            return urls;
        }
        for (DistributionPoint point : certificate.crlDistributionPoints().get().getDistributionPoints()) {
            DistributionPointName name = point.getDistributionPoint();
            if (point.getCRLIssuer() != null || name == null || name.getType() != DistributionPointName.FULL_NAME) {
                continue;
            }
            for (GeneralName general : GeneralNames.getInstance(name.getName()).getNames()) {
                if (general.getTagNo() != GeneralName.uniformResourceIdentifier) {
                    continue;
                }
                try {
                    urls.add(new URI(ASN1IA5String.getInstance(general.getName()).getString()));
                } catch (URISyntaxException | IllegalArgumentException e) {
                    // Not a URI at all: nothing to fetch from.
                }
            }
        }
        return urls;
    }
}
