package certgate.adapters.report;

import static certgate.engine.testpki.TestPki.dns;

import certgate.adapters.checkpoint.CheckpointKeys;
import certgate.adapters.checkpoint.Checkpoints;
import certgate.adapters.pem.KeyFiles;
import certgate.dsl.policy.CompiledPolicy;
import certgate.engine.Engine;
import certgate.engine.PolicyDecisions;
import certgate.engine.testpki.TestCert;
import certgate.engine.testpki.TestPki;
import certgate.eventstore.CaCertificateLoaded;
import certgate.eventstore.CrlLoaded;
import certgate.eventstore.Event;
import certgate.eventstore.IkeIdentity;
import certgate.eventstore.LocalCertificateLoaded;
import certgate.eventstore.PolicyActivated;
import certgate.eventstore.ValidationDecided;
import certgate.eventstore.ValidationRequested;
import certgate.eventstore.ValidationSettings;
import certgate.eventstore.log.FileEventLog;
import certgate.engine.Decision;
import certgate.eventstore.Blob;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * A store as a few days of a small VPN fleet leave it, for the report's tests and its screenshot: two CAs (the
 * company's issuing CA under its root, a partner's root), a policy with three gateways activated at the start and
 * revised on the second day, CRLs refreshed every six hours (one refresh missed, so the issuing CA's CRL goes
 * stale for a while and its peers are refused CRL_UNAVAILABLE), a partner CRL that lapses once, two local
 * certificates (one expiring soon), and a signed checkpoint at the end. Requests come at a rate that follows the
 * working day, from good peers, a revoked one, an expired one, an intruder under an unknown CA and a peer whose
 * IKE ID no gateway has; each is bound and decided as {@code certgate validate} does, and recorded at its time.
 */
public final class ReportStore {
    public static final Instant START = Instant.parse("2025-03-03T00:00:00Z");
    static final String ISSUING_DN = "CN=Example Issuing CA, O=Example, C=US";
    static final String PARTNER_DN = "CN=Partner Root CA, O=Partner Corp, C=DE";

    public static final String POLICY = """
            version: 1
            pki:
              ca-profiles:
                - name: example
                  ca-identity: "CN=Example Issuing CA, O=Example, C=US"
                  revocation-check:
                    crl:
                      refresh-interval: 6h
                      on-download-failure: reject
                - name: partner
                  ca-identity: "CN=Partner Root CA, O=Partner Corp, C=DE"
                  revocation-check:
                    crl:
                      refresh-interval: 12h
                      on-download-failure: reject
            ike:
              gateways:
                - name: hq
                  ca-profile: example
                  remote-identity: { fqdn: hq.example.net }
                - name: branches
                  ca-profile: example
                  remote-identity: { dn: { wildcard: "O=Example, OU=Branches" } }
                - name: partners
                  ca-profile: partner
                  remote-identity: { dn: { wildcard: "O=Partner Corp" } }
            """;
    /** The revision of the second day: a lab gateway added after the others. */
    static final String POLICY_REVISED = POLICY + """
                - name: lab
                  ca-profile: example
                  remote-identity: { fqdn: lab.example.net }
            """;

    /** What was generated, with the times the report's window spans. */
    public record Generated(Path store, Instant start, Instant end, int decisions) {
    }

    private record Peer(TestCert certificate, IkeIdentity identity, int weight) {
    }

    private final SplittableRandom random;
    private final SettableClock clock = new SettableClock();
    private FileEventLog log;
    private Engine engine = Engine.empty();
    private int decisions;

    private ReportStore(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /** Writes the store into {@code dir} (which must not hold one): {@code days} days from {@link #START}. */
    public static Generated generate(Path dir, long seed, int days) {
        return new ReportStore(seed).write(dir, days);
    }

    private Generated write(Path dir, int days) {
        Instant end = START.plus(Duration.ofDays(days));
        TestPki root = TestPki.root("CN=Example Root CA, O=Example, C=US");
        TestPki issuing = root.intermediate(ISSUING_DN);
        TestPki partner = TestPki.root(PARTNER_DN);
        TestPki rogue = TestPki.root("CN=Example Issuing CA, O=Rogue, C=US");
        TestCert revoked = issuing.leaf("CN=branch-07, OU=Branches, O=Example, C=US");
        List<Peer> peers = new ArrayList<>();
        peers.add(new Peer(issuing.leaf("CN=hq.example.net, O=Example, C=US", dns("hq.example.net")),
                new IkeIdentity(IkeIdentity.Type.FQDN, "hq.example.net"), 30));
        for (int i = 1; i <= 6; i++) {
            String dn = "CN=branch-0" + i + ", OU=Branches, O=Example, C=US";
            peers.add(new Peer(issuing.leaf(dn), new IkeIdentity(IkeIdentity.Type.DN, dn), 8));
        }
        peers.add(new Peer(revoked, new IkeIdentity(IkeIdentity.Type.DN, revoked.subject()), 3));
        String expiredDn = "CN=branch-08, OU=Branches, O=Example, C=US";
        peers.add(new Peer(issuing.issue(TestPki.spec(expiredDn).notAfter(START.minus(Duration.ofDays(10)))),
                new IkeIdentity(IkeIdentity.Type.DN, expiredDn), 2));
        for (int i = 1; i <= 2; i++) {
            String dn = "CN=p" + i + ".partner.example, O=Partner Corp, C=DE";
            peers.add(new Peer(partner.leaf(dn), new IkeIdentity(IkeIdentity.Type.DN, dn), 6));
        }
        String intruder = "CN=branch-99, OU=Branches, O=Example, C=US";
        peers.add(new Peer(rogue.leaf(intruder), new IkeIdentity(IkeIdentity.Type.DN, intruder), 1));
        peers.add(new Peer(issuing.leaf("CN=old-vpn.example.net, O=Example, C=US", dns("old-vpn.example.net")),
                new IkeIdentity(IkeIdentity.Type.FQDN, "old-vpn.example.net"), 2));

        clock.now = START;
        log = FileEventLog.openForAppend(dir, clock);
        try {
            append(new CaCertificateLoaded("default", root.certificate().blob()));
            append(new CaCertificateLoaded("default", issuing.certificate().blob()));
            append(new CaCertificateLoaded("default", partner.certificate().blob()));
            append(new CrlLoaded(Blob.of(root.crl().thisUpdate(START.minus(Duration.ofDays(1)))
                    .nextUpdate(end.plus(Duration.ofDays(30))).build()), "file:example-root.crl"));
            append(new PolicyActivated(revision(POLICY), POLICY));
            append(new LocalCertificateLoaded(issuing.issue(TestPki.spec("CN=hq-gw.example.net, O=Example, C=US")
                    .san(dns("hq-gw.example.net")).validity(START.minus(Duration.ofDays(340)),
                            end.plus(Duration.ofDays(12)))).blob(), Optional.of("hq")));
            append(new LocalCertificateLoaded(issuing.issue(TestPki.spec("CN=hub.example.net, O=Example, C=US")
                    .san(dns("hub.example.net")).validity(START.minus(Duration.ofDays(30)),
                            end.plus(Duration.ofDays(300)))).blob(), Optional.of("branches")));
            Instant nextIssuingCrl = START;
            Instant nextPartnerCrl = START;
            int refresh = 0;
            for (Instant hour = START; hour.isBefore(end); hour = hour.plus(Duration.ofHours(1))) {
                List<Instant> times = new ArrayList<>();
                int requests = requestsIn(hour);
                for (int i = 0; i < requests; i++) {
                    times.add(hour.plusSeconds(random.nextInt(3_600)));
                }
                times.sort(null);
                for (Instant at : times) {
                    if (!at.isBefore(nextIssuingCrl)) {
                        clock.now = nextIssuingCrl;
                        // The eleventh refresh is missed: the CRL in force outlives its nextUpdate for a while.
                        if (refresh++ != 10) {
                            append(new CrlLoaded(Blob.of(issuing.crl().revoke(revoked.serial())
                                    .thisUpdate(nextIssuingCrl.minus(Duration.ofMinutes(5)))
                                    .nextUpdate(nextIssuingCrl.plus(Duration.ofHours(8))).number(refresh).build()),
                                    "file:example-issuing.crl"));
                        }
                        nextIssuingCrl = nextIssuingCrl.plus(Duration.ofHours(6));
                    }
                    if (!at.isBefore(nextPartnerCrl)) {
                        clock.now = nextPartnerCrl;
                        append(new CrlLoaded(Blob.of(partner.crl().thisUpdate(nextPartnerCrl.minus(Duration.ofHours(1)))
                                .nextUpdate(nextPartnerCrl.plus(Duration.ofHours(36))).build()),
                                "file:partner-root.crl"));
                        nextPartnerCrl = nextPartnerCrl.plus(Duration.ofHours(44));
                    }
                    if (at.isAfter(START.plus(Duration.ofHours(36))) && engine.activePolicy().map(p -> p.revision()
                            .equals(revision(POLICY))).orElse(false)) {
                        clock.now = START.plus(Duration.ofHours(36));
                        append(new PolicyActivated(revision(POLICY_REVISED), POLICY_REVISED));
                    }
                    clock.now = at;
                    decide(pick(peers), at);
                }
            }
            clock.now = end.minus(Duration.ofMinutes(1));
            append(checkpoint());
        } finally {
            log.close();
        }
        return new Generated(dir, START, end, decisions);
    }

    /** Fewer requests at night, most in working hours, a few random. */
    private int requestsIn(Instant hour) {
        int hourOfDay = hour.atZone(ZoneOffset.UTC).getHour();
        int base = hourOfDay >= 8 && hourOfDay < 18 ? 14 : hourOfDay >= 6 && hourOfDay < 21 ? 6 : 2;
        return base + random.nextInt(base / 2 + 2);
    }

    private Peer pick(List<Peer> peers) {
        int total = peers.stream().mapToInt(Peer::weight).sum();
        int ticket = random.nextInt(total);
        for (Peer peer : peers) {
            ticket -= peer.weight();
            if (ticket < 0) {
                return peer;
            }
        }
        throw new IllegalStateException("weights");
    }

    private void decide(Peer peer, Instant at) {
        String id = "req-" + (decisions + 1);
        ValidationRequested draft = new ValidationRequested(id, peer.certificate().blob(), List.of(),
                Optional.of(peer.identity()), at, ValidationSettings.DEFAULTS, Optional.empty(), Optional.empty());
        CompiledPolicy policy = engine.activePolicy().orElseThrow();
        ValidationRequested request = PolicyDecisions.bind(policy, draft);
        // validate appends the two a moment apart; one batch here, so that a store of days is written in seconds
        Decision decision = engine.decide(request);
        log.append(List.of(request, new ValidationDecided(id, decision.verdict(), decision.reason())));
        decisions++;
    }

    private void append(Event event) {
        log.append(event);
        engine = engine.apply(event);
    }

    private Event checkpoint() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");
            KeyPair pair = generator.generateKeyPair();
            CheckpointKeys.SigningKey key = new CheckpointKeys.SigningKey(pair.getPrivate(),
                    KeyFiles.fingerprint(pair.getPublic().getEncoded()));
            return Checkpoints.sign(key, log.nextSequence(), log.head());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static String revision(String source) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(source.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The append clock: set by the generator to each event's time. */
    private static final class SettableClock extends Clock {
        Instant now;

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException("UTC only");
        }
    }
}
