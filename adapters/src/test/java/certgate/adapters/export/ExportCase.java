package certgate.adapters.export;

import certgate.dsl.dn.ContainerRule;
import certgate.dsl.dn.DistinguishedName;
import certgate.dsl.dn.DnAttribute;
import certgate.dsl.dn.Rdn;
import certgate.dsl.dn.WildcardRule;
import certgate.dsl.policy.Authentication;
import certgate.dsl.policy.CaProfile;
import certgate.dsl.policy.CompiledPolicy;
import certgate.dsl.policy.Gateway;
import certgate.dsl.policy.HostName;
import certgate.dsl.policy.IpAddress;
import certgate.dsl.policy.OnDownloadFailure;
import certgate.dsl.policy.PathValidation;
import certgate.dsl.policy.PkiSettings;
import certgate.dsl.policy.RemoteIdentity;
import certgate.dsl.policy.RevocationCheck;
import certgate.dsl.policy.RevocationMode;
import certgate.engine.TrustedCertificate;
import certgate.eventstore.Blob;
import certgate.testkit.Gen;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Random inputs of the exports: a compiled policy (built from its records, as the compiler would hand it over,
 * with values from small pools that include what the gateways cannot express: literal asterisks, commas,
 * non-ASCII, attribute types strongSwan has no keyword for, multi-valued RDNs) and the store's credentials.
 */
record ExportCase(CompiledPolicy policy, StoreCredentials store, CertgateUrls urls) {
    static final String[][] ATTRIBUTES = {{"2.5.4.3", "gw1"}, {"2.5.4.3", "branch 7"}, {"2.5.4.11", "Branches"},
        {"2.5.4.11", "engr"}, {"2.5.4.11", "central"}, {"2.5.4.10", "Corp"}, {"2.5.4.10", "Juniper Networks"},
        {"2.5.4.6", "US"}, {"2.5.4.7", "Paris"}, {"0.9.2342.19200300.100.1.25", "example"},
        {"1.2.840.113549.1.9.1", "vpn@corp.example"}, {"2.5.4.97", "VAT-1"}, {"2.5.4.11", "*"}, {"2.5.4.3", "*"},
        {"2.5.4.4", "Smith"}, {"2.5.4.10", "A, B"}, {"2.5.4.11", "Zürich"}};
    private static final String[] HOSTS = {"vpn.example.net", "gw1.corp.example", "a.b.example"};
    private static final String[] IPS = {"192.0.2.1", "2001:db8::1", "10.0.0.1"};
    private static final String[] MAILS = {"vpn-admin@corp.example", "ops@example.net"};
    private static final String[] URLS = {"http://crl.example/ca.crl", "ldap://ldap.example/cn=CA,o=X?crl",
        "http://crl.example/a%20b.crl"};

    static Gen<ExportCase> cases() {
        return ExportCase::generate;
    }

    static ExportCase generate(SplittableRandom random) {
        List<CaProfile> profiles = new ArrayList<>();
        int profileCount = 1 + random.nextInt(3);
        for (int i = 0; i < profileCount; i++) {
            profiles.add(new CaProfile("p" + i, random.nextInt(3) == 0 ? Optional.empty()
                    : Optional.of(dn(random, 1 + random.nextInt(3), false)),
                    new RevocationCheck(random.nextInt(4) == 0 ? RevocationMode.DISABLE : RevocationMode.CRL,
                            random.nextBoolean() ? List.of() : List.of(URI.create(pick(random, URLS))),
                            List.of(Duration.ZERO, Duration.ofMinutes(90), Duration.ofHours(24),
                                    Duration.ofDays(400)).get(random.nextInt(4)),
                            random.nextBoolean() ? OnDownloadFailure.REJECT : OnDownloadFailure.ACCEPT, Optional.empty())));
        }
        List<Gateway> gateways = new ArrayList<>();
        int gatewayCount = 1 + random.nextInt(5);
        for (int i = 0; i < gatewayCount; i++) {
            String name = random.nextInt(6) == 0 ? (random.nextBoolean() ? "gw.x" : "gw_x") : "gw-" + i;
            if (gateways.stream().anyMatch(g -> g.name().equals(name))) {
                continue;
            }
            boolean psk = random.nextInt(5) == 0;
            RemoteIdentity identity = identity(random, psk);
            gateways.add(new Gateway(name, psk ? Authentication.PRE_SHARED_KEY : Authentication.CERTIFICATE,
                    psk ? Optional.empty() : Optional.of(profiles.get(random.nextInt(profiles.size()))), identity));
        }
        PkiSettings pki = new PkiSettings(random.nextBoolean() ? PathValidation.PARTIAL : PathValidation.FULL,
                1 + random.nextInt(16), Duration.ZERO, random.nextBoolean(),
                random.nextBoolean() ? Optional.empty() : Optional.of(URI.create(pick(random, URLS))));
        CompiledPolicy policy = new CompiledPolicy("dir/policy-" + random.nextInt(3) + ".yaml",
                HexFormat.of().formatHex(bytes(random, 32)), pki, profiles, gateways);
        StoreCredentials store = random.nextInt(4) == 0 ? StoreCredentials.NONE : store(random, profiles);
        CertgateUrls urls = CertgateUrls.of(random.nextBoolean() ? Optional.empty()
                : Optional.of("http://certgate.example:8080/"), random.nextBoolean() ? Optional.empty()
                : Optional.of("http://certgate.example:8080/ocsp"));
        return new ExportCase(policy, store, urls);
    }

    private static StoreCredentials store(SplittableRandom random, List<CaProfile> profiles) {
        List<StoreCredentials.Ca> cas = new ArrayList<>();
        int count = random.nextInt(4);
        for (int i = 0; i < count; i++) {
            CaProfile profile = profiles.get(random.nextInt(profiles.size()));
            String subject = profile.caIdentity().filter(x -> random.nextInt(4) > 0).map(Object::toString)
                    .orElseGet(() -> "CN=CA " + random.nextInt(3) + ", O=Corp");
            Set<String> loadedUnder = new LinkedHashSet<>();
            loadedUnder.add(random.nextBoolean() ? "default" : profile.name());
            byte[] der = bytes(random, 40 + random.nextInt(40));
            Blob blob = Blob.of(der);
            cas.add(new StoreCredentials.Ca(new TrustedCertificate(subject, random.nextBoolean() ? subject
                    : "CN=Root, O=Corp", "0" + i, blob.sha256Hex(), loadedUnder, Instant.EPOCH,
                    Instant.parse("2100-01-01T00:00:00Z")), blob));
        }
        List<StoreCredentials.Local> locals = new ArrayList<>();
        int localCount = random.nextInt(3);
        for (int i = 0; i < localCount; i++) {
            locals.add(new StoreCredentials.Local(random.nextBoolean() ? Optional.empty()
                    : Optional.of("gw-" + random.nextInt(3)), Blob.of(bytes(random, 50))));
        }
        return new StoreCredentials(true, cas, locals);
    }

    private static RemoteIdentity identity(SplittableRandom random, boolean psk) {
        int kind = random.nextInt(psk ? 3 : 6);
        return switch (kind) {
            case 0 -> new RemoteIdentity.Ip(IpAddress.parse(pick(random, IPS)).orElseThrow());
            case 1 -> new RemoteIdentity.Fqdn(pick(random, HOSTS));
            case 2 -> new RemoteIdentity.Ufqdn(HostName.mailbox(pick(random, MAILS)).orElseThrow());
            case 3, 4 -> new RemoteIdentity.Dn(new WildcardRule(dn(random, 1 + random.nextInt(4), true)));
            default -> new RemoteIdentity.Dn(new ContainerRule(containerPattern(random)));
        };
    }

    /** A DN of up to {@code size} single-valued RDNs; {@code distinctTypes} as a wildcard rule needs. */
    static DistinguishedName dn(SplittableRandom random, int size, boolean distinctTypes) {
        List<Rdn> rdns = new ArrayList<>();
        Set<String> types = new LinkedHashSet<>();
        for (int i = 0; i < size; i++) {
            String[] attribute = ATTRIBUTES[random.nextInt(ATTRIBUTES.length)];
            if (distinctTypes && !types.add(attribute[0])) {
                continue;
            }
            rdns.add(Rdn.of(attribute[0], attribute[1]));
        }
        if (rdns.isEmpty()) {
            rdns.add(Rdn.of("2.5.4.10", "Corp"));
        }
        return new DistinguishedName(rdns);
    }

    private static DistinguishedName containerPattern(SplittableRandom random) {
        DistinguishedName base = dn(random, 1 + random.nextInt(4), false);
        if (random.nextInt(5) > 0) {
            return base;
        }
        List<Rdn> rdns = new ArrayList<>(base.rdns());
        rdns.set(0, new Rdn(List.of(new DnAttribute("2.5.4.3", "x"), new DnAttribute("0.9.2342.19200300.100.1.1",
                "y"))));
        return new DistinguishedName(rdns);
    }

    private static String pick(SplittableRandom random, String[] pool) {
        return pool[random.nextInt(pool.length)];
    }

    private static byte[] bytes(SplittableRandom random, int length) {
        byte[] out = new byte[length];
        random.nextBytes(out);
        return out;
    }
}
