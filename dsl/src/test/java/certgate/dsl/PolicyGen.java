package certgate.dsl;

import certgate.dsl.dn.DistinguishedName;
import certgate.dsl.dn.DnAttribute;
import certgate.dsl.dn.Rdn;
import certgate.dsl.policy.IdentityType;
import certgate.dsl.policy.Keyword;
import certgate.dsl.policy.LocalIdentity;
import certgate.testkit.Gen;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Random valid policies, as a {@link Y} tree plus what they should compile to. Values come from small pools,
 * so that generated gateways often overlap (and unreachable-gateway warnings get exercised too).
 */
final class PolicyGen {
    private static final String[] HOSTS = {"vpn.example.net", "gw1.corp.example", "hq-vpn.corp.example",
        "a.b.example"};
    private static final String[] IPS = {"192.0.2.1", "198.51.100.7", "2001:db8::1", "2001:db8:0:0:0:0:0:2",
        "10.0.0.1"};
    private static final String[] MAILS = {"vpn-admin@corp.example", "ops@example.net", "a.b+vpn@example.net"};
    private static final String[][] ATTRIBUTES = {{"CN", "gw1"}, {"CN", "branch 7"}, {"OU", "Branches"},
        {"OU", "engr"}, {"OU", "central"}, {"O", "Corp"}, {"O", "Juniper Networks"}, {"C", "US"}, {"L", "Paris"},
        {"DC", "example"}, {"E", "vpn@corp.example"}, {"2.5.4.97", "VAT-1"}, {"OU", "*"}, {"CN", "*"}};

    private PolicyGen() {
    }

    /** A generated policy: its tree and the facts a correct compiler must report back. */
    record Generated(Y.M tree, List<String> profileNames, List<String> gatewayNames, List<String> identityKinds,
                     List<String> localIdentities) {
        String text() {
            return Y.render(tree);
        }

        @Override
        public String toString() {
            return "\n" + text();
        }
    }

    static Gen<Generated> policies() {
        return PolicyGen::policy;
    }

    static Generated policy(SplittableRandom random) {
        List<String> profileNames = new ArrayList<>();
        List<Object> pki = new ArrayList<>();
        boolean hasPki = random.nextInt(5) > 0;
        if (hasPki) {
            if (random.nextBoolean()) {
                pki.add("path-validation");
                pki.add(new Y.S(random.nextBoolean() ? "partial" : "full"));
            }
            if (random.nextBoolean()) {
                pki.add("max-ca-levels");
                pki.add(new Y.S(String.valueOf(1 + random.nextInt(16))));
            }
            if (random.nextBoolean()) {
                pki.add("clock-skew");
                pki.add(new Y.S(duration(random, 24 * 3600)));
            }
            if (random.nextBoolean()) {
                pki.add("allow-sha1-signatures");
                pki.add(new Y.S(random.nextBoolean() ? "true" : "false"));
            }
            if (random.nextBoolean()) {
                pki.add("default-cdp");
                pki.add(url(random));
            }
            int count = 1 + random.nextInt(4);
            List<Y> profiles = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String name = "profile-" + i;
                profileNames.add(name);
                profiles.add(profile(random, name));
            }
            pki.add("ca-profiles");
            pki.add(new Y.L(profiles));
        }
        List<String> gatewayNames = new ArrayList<>();
        List<String> kinds = new ArrayList<>();
        List<String> localIdentities = new ArrayList<>();
        List<Y> gateways = new ArrayList<>();
        int count = 1 + random.nextInt(6);
        for (int i = 0; i < count; i++) {
            String name = "gw_" + i;
            gatewayNames.add(name);
            boolean psk = profileNames.isEmpty() || random.nextInt(5) == 0;
            List<Object> gateway = new ArrayList<>(List.of("name", new Y.S(name)));
            if (psk) {
                gateway.add("authentication");
                gateway.add(new Y.S("pre-shared-key"));
            } else {
                if (random.nextBoolean()) {
                    gateway.add("authentication");
                    gateway.add(new Y.S("certificate"));
                }
                gateway.add("ca-profile");
                gateway.add(new Y.S(profileNames.get(random.nextInt(profileNames.size()))));
            }
            String kind = new String[] {"ip", "fqdn", "ufqdn", "dn"}[random.nextInt(psk ? 3 : 4)];
            kinds.add(kind);
            gateway.add("remote-identity");
            gateway.add(Y.M.of(random.nextInt(3) == 0, kind, identity(random, kind)));
            localIdentities.add(localParts(random, psk, gateway));
            gateways.add(Y.M.of(random.nextInt(6) == 0, gateway.toArray()));
        }
        List<Object> root = new ArrayList<>(List.of("version", new Y.S("1")));
        if (hasPki) {
            root.add("pki");
            root.add(Y.M.of(false, pki.toArray()));
        }
        root.add("ike");
        root.add(Y.M.of(false, "gateways", new Y.L(gateways)));
        return new Generated(Y.M.of(false, root.toArray()), profileNames, gatewayNames, kinds, localIdentities);
    }

    /**
     * Adds, sometimes, a local-identity and a local-certificate to {@code gateway}; returns the local identity as
     * {@code TYPE:VALUE} in normal form, or "" for none. A certificate named by subject has the dn identity's
     * subject, when the identity is a dn.
     */
    private static String localParts(SplittableRandom random, boolean psk, List<Object> gateway) {
        String identity = "";
        Optional<String> subject = Optional.empty();
        if (random.nextInt(3) == 0) {
            String kind = new String[] {"ip", "fqdn", "ufqdn", "dn"}[random.nextInt(psk ? 3 : 4)];
            String value = switch (kind) {
                case "ip" -> IPS[random.nextInt(IPS.length)];
                case "fqdn" -> HOSTS[random.nextInt(HOSTS.length)];
                case "ufqdn" -> MAILS[random.nextInt(MAILS.length)];
                default -> dn(random, false).toString();
            };
            gateway.add("local-identity");
            gateway.add(Y.M.of(random.nextBoolean(), kind, Y.S.quoted(value)));
            identity = LocalIdentity.of(Keyword.parse(IdentityType.class, kind).orElseThrow(), value).orElseThrow()
                    .toString();
            subject = kind.equals("dn") ? Optional.of(value) : Optional.empty();
        }
        if (!psk && random.nextInt(4) == 0) {
            gateway.add("local-certificate");
            if (random.nextBoolean()) {
                String name = subject.orElseGet(() -> dn(random, false).toString());
                gateway.add(Y.M.of(random.nextBoolean(), "subject", Y.S.quoted(name)));
            } else {
                StringBuilder hex = new StringBuilder();
                random.ints(32, 0, 256).forEach(b -> hex.append(String.format("%02X", b)));
                gateway.add(Y.M.of(random.nextBoolean(), "sha256", new Y.S(random.nextBoolean() ? hex.toString()
                        : hex.toString().replaceAll("(..)(?!$)", "$1:"))));
            }
        }
        return identity;
    }

    private static Y profile(SplittableRandom random, String name) {
        List<Object> profile = new ArrayList<>(List.of("name", new Y.S(name)));
        if (random.nextBoolean()) {
            profile.add("ca-identity");
            profile.add(Y.S.quoted(dn(random, false).toString()));
        }
        if (random.nextBoolean()) {
            List<Object> check = new ArrayList<>();
            if (random.nextBoolean()) {
                check.add("mode");
                check.add(new Y.S(random.nextInt(4) == 0 ? "disable" : "crl"));
            }
            if (random.nextBoolean()) {
                List<Object> crl = new ArrayList<>();
                if (random.nextBoolean()) {
                    crl.add("url");
                    if (random.nextBoolean()) {
                        crl.add(url(random));
                    } else {
                        List<Y> urls = new ArrayList<>();
                        for (int i = 1 + random.nextInt(3); i > 0; i--) {
                            urls.add(url(random));
                        }
                        crl.add(new Y.L(urls));
                    }
                }
                if (random.nextBoolean()) {
                    crl.add("refresh-interval");
                    crl.add(new Y.S(duration(random, 365 * 86_400)));
                }
                if (random.nextBoolean()) {
                    crl.add("on-download-failure");
                    crl.add(new Y.S(random.nextBoolean() ? "reject" : "accept"));
                }
                check.add("crl");
                check.add(Y.M.of(random.nextBoolean(), crl.toArray()));
            }
            profile.add("revocation-check");
            profile.add(Y.M.of(random.nextInt(3) == 0, check.toArray()));
        }
        return Y.M.of(false, profile.toArray());
    }

    private static Y identity(SplittableRandom random, String kind) {
        return switch (kind) {
            case "ip" -> Y.S.quoted(IPS[random.nextInt(IPS.length)]);
            case "fqdn" -> new Y.S(HOSTS[random.nextInt(HOSTS.length)]);
            case "ufqdn" -> new Y.S(MAILS[random.nextInt(MAILS.length)]);
            default -> {
                boolean wildcard = random.nextBoolean();
                yield Y.M.of(random.nextBoolean(), wildcard ? "wildcard" : "container",
                        Y.S.quoted(dn(random, wildcard).toString()));
            }
        };
    }

    /** A DN from the pool; for a wildcard, each attribute type at most once. */
    static DistinguishedName dn(SplittableRandom random, boolean uniqueTypes) {
        int count = 1 + random.nextInt(4);
        List<Rdn> rdns = new ArrayList<>();
        Set<String> types = new LinkedHashSet<>();
        for (int i = 0; i < count; i++) {
            String[] attribute = ATTRIBUTES[random.nextInt(ATTRIBUTES.length)];
            if (uniqueTypes && !types.add(attribute[0])) {
                continue;
            }
            if (!uniqueTypes && attribute[1].equals("*")) {
                continue;
            }
            rdns.add(new Rdn(List.of(attribute(attribute))));
        }
        if (rdns.isEmpty()) {
            rdns.add(new Rdn(List.of(attribute(ATTRIBUTES[0]))));
        }
        return new DistinguishedName(rdns);
    }

    private static DnAttribute attribute(String[] typeAndValue) {
        try {
            return DistinguishedName.parse(typeAndValue[0] + "=x").rdns().get(0).attributes().get(0).oid()
                    .transform(oid -> new DnAttribute(oid, typeAndValue[1]));
        } catch (certgate.dsl.dn.DnSyntaxException e) {
            throw new AssertionError(e);
        }
    }

    private static String duration(SplittableRandom random, long maxSeconds) {
        if (random.nextInt(5) == 0) {
            return "0";
        }
        String[] units = {"s", "m", "h", "d"};
        long[] seconds = {1, 60, 3600, 86_400};
        int unit = random.nextInt(4);
        long max = Math.max(1, maxSeconds / seconds[unit]);
        return (1 + random.nextLong(max)) + units[unit];
    }

    private static Y url(SplittableRandom random) {
        return random.nextBoolean()
                ? new Y.S((random.nextBoolean() ? "http" : "https") + "://crl.example.net/ca-" + random.nextInt(100)
                        + ".crl")
                : Y.S.quoted("ldap://ldap.example.net/cn=CA%20" + random.nextInt(100)
                        + ",o=Corp?certificateRevocationList;binary");
    }
}
