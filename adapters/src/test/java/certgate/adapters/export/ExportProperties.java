package certgate.adapters.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import certgate.dsl.dn.ContainerRule;
import certgate.dsl.dn.DistinguishedName;
import certgate.dsl.dn.DnAttribute;
import certgate.dsl.dn.DnRule;
import certgate.dsl.dn.Rdn;
import certgate.dsl.dn.WildcardRule;
import certgate.dsl.policy.Authentication;
import certgate.dsl.policy.Gateway;
import certgate.dsl.policy.RemoteIdentity;
import certgate.testkit.Property;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The exports over random policies and stores: they never throw, the same input gives the same bytes, every
 * gateway is either exported or named in a note, and a DN identity charon would match is one the policy matches
 * (charon's RDN matching modelled as strongSwan documents it, values compared without case, which is at least as
 * loose as charon). A wildcard rule under relaxed matching is exact: charon matches what the policy matches.
 */
class ExportProperties {
    private static final Pattern CONNECTION = Pattern.compile(
            "        # gateway (\\S+), CA profile \\S+\\n(?:.*\\n)*?            id = \"([^\"]*)\"\\n");

    @Test
    void exports_never_throw_and_the_same_input_gives_the_same_bytes() {
        Property.forAll(ExportCase.cases()).tries(300).check(c -> {
            StrongSwanExport.Result first = StrongSwanExport.export(c.policy(), c.store(), c.urls());
            StrongSwanExport.Result second = StrongSwanExport.export(c.policy(), c.store(), c.urls());
            assertEquals(first.files(), second.files());
            assertEquals(first.notes(), second.notes());
            assertEquals(JunosExport.export(c.policy(), c.urls()), JunosExport.export(c.policy(), c.urls()));

            String conf = first.files().get("swanctl.conf");
            for (Gateway gateway : c.policy().gateways()) {
                boolean exported = conf.contains("        # gateway " + gateway.name() + ", CA profile");
                boolean leftOut = first.notes().stream().anyMatch(n -> n.startsWith("gateway " + gateway.name()
                        + ": left out"));
                assertTrue(exported != leftOut, gateway + " exported " + exported + ", left out " + leftOut
                        + "\n" + conf);
                if (gateway.authentication() == Authentication.PRE_SHARED_KEY) {
                    assertFalse(exported, gateway.toString());
                }
            }
            assertEquals(first.connections(), CONNECTION.matcher(conf).results().count(), conf);
            assertTrue(conf.chars().allMatch(ch -> ch == '\n' || ch >= 0x20 && ch < 0x7f), conf);
        });
    }

    @Test
    void a_dn_identity_charon_would_match_is_one_the_policy_matches() {
        AtomicLong charonMatches = new AtomicLong();
        AtomicLong subjects = new AtomicLong();
        Property.forAll(ExportCase.cases()).tries(300).check(c -> {
            StrongSwanExport.Result result = StrongSwanExport.export(c.policy(), c.store(), c.urls());
            boolean relaxed = result.files().get(StrongSwanExport.CHARON_SETTINGS).contains("rdn_matching = relaxed");
            Matcher connection = CONNECTION.matcher(result.files().get("swanctl.conf"));
            SplittableRandom random = new SplittableRandom(result.files().hashCode());
            while (connection.find()) {
                Gateway gateway = c.policy().gateway(connection.group(1)).orElseThrow();
                if (!(gateway.remoteIdentity() instanceof RemoteIdentity.Dn dn)) {
                    continue;
                }
                List<DnAttribute> id = parse(connection.group(2));
                for (int i = 0; i < 40; i++) {
                    DistinguishedName subject = subjectNear(dn.rule(), random);
                    boolean charon = relaxed ? relaxedMatch(id, subject) : strictMatch(id, subject);
                    subjects.incrementAndGet();
                    if (charon) {
                        charonMatches.incrementAndGet();
                        assertTrue(dn.rule().matches(subject), "charon (" + (relaxed ? "relaxed" : "strict")
                                + ") matches '" + connection.group(2) + "' to " + subject + ", which "
                                + dn.rule() + " refuses");
                    } else if (relaxed && dn.rule() instanceof WildcardRule) {
                        assertFalse(dn.rule().matches(subject), "relaxed '" + connection.group(2) + "' refuses "
                                + subject + ", which " + dn.rule() + " matches");
                    }
                }
            }
        });
        assertTrue(charonMatches.get() > subjects.get() / 20, charonMatches + " of " + subjects
                + " subjects matched: the property tests little");
    }

    /** A remote.id as written: "K=V, K=V" in ASN.1 order, keywords back to OIDs. */
    private static List<DnAttribute> parse(String id) {
        Map<String, String> oids = StrongSwanIds.KEYWORDS.entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getValue, Map.Entry::getKey));
        List<DnAttribute> out = new ArrayList<>();
        for (String part : id.split(", ")) {
            int eq = part.indexOf('=');
            out.add(new DnAttribute(oids.get(part.substring(0, eq)), part.substring(eq + 1)));
        }
        return out;
    }

    /** Subject attributes in ASN.1 order (RFC 4514 text reversed), multi-valued RDNs flattened, as charon sees. */
    private static List<DnAttribute> asn1Order(DistinguishedName subject) {
        List<DnAttribute> out = new ArrayList<>();
        List<Rdn> rdns = new ArrayList<>(subject.rdns());
        Collections.reverse(rdns);
        rdns.forEach(rdn -> out.addAll(rdn.attributes()));
        return out;
    }

    private static boolean valueMatches(DnAttribute pattern, DnAttribute candidate) {
        return pattern.oid().equals(candidate.oid()) && (pattern.value().equals("*")
                || pattern.value().toLowerCase(Locale.ROOT).equals(candidate.value().toLowerCase(Locale.ROOT)));
    }

    /** strict: the same number of RDNs, in order, each of the same type, values equal or '*'. */
    static boolean strictMatch(List<DnAttribute> id, DistinguishedName subject) {
        List<DnAttribute> attributes = asn1Order(subject);
        if (attributes.size() != id.size()) {
            return false;
        }
        for (int i = 0; i < id.size(); i++) {
            if (!valueMatches(id.get(i), attributes.get(i))) {
                return false;
            }
        }
        return true;
    }

    /** relaxed: each RDN of the identity matched by an RDN of the subject, in any order; other RDNs ignored. */
    static boolean relaxedMatch(List<DnAttribute> id, DistinguishedName subject) {
        List<DnAttribute> attributes = asn1Order(subject);
        return id.stream().allMatch(wanted -> attributes.stream().anyMatch(a -> valueMatches(wanted, a)));
    }

    /** A subject made from the rule's own RDNs, often changed: values cased, extra RDNs, order, one dropped. */
    static DistinguishedName subjectNear(DnRule rule, SplittableRandom random) {
        List<Rdn> rdns = new ArrayList<>();
        for (Rdn rdn : rule.pattern().rdns()) {
            List<DnAttribute> attributes = new ArrayList<>();
            for (DnAttribute attribute : rdn.attributes()) {
                String value = attribute.value().equals("*") && random.nextInt(4) > 0
                        ? "v" + random.nextInt(3) : attribute.value();
                if (random.nextInt(4) == 0) {
                    value = value.toUpperCase(Locale.ROOT);
                }
                if (random.nextInt(12) == 0) {
                    value = value + "x";
                }
                attributes.add(new DnAttribute(attribute.oid(), value));
            }
            if (rule instanceof WildcardRule) {
                attributes.forEach(a -> rdns.add(new Rdn(List.of(a))));
            } else {
                rdns.add(new Rdn(attributes));
            }
        }
        int extra = random.nextInt(3);
        for (int i = 0; i < extra; i++) {
            String[] attribute = ExportCase.ATTRIBUTES[random.nextInt(ExportCase.ATTRIBUTES.length)];
            rdns.add(random.nextBoolean() ? 0 : rdns.size(), Rdn.of(attribute[0], attribute[1]));
        }
        if (random.nextInt(4) == 0) {
            Collections.shuffle(rdns, new java.util.Random(random.nextLong()));
        }
        if (random.nextInt(8) == 0 && rdns.size() > 1) {
            rdns.remove(random.nextInt(rdns.size()));
        }
        return new DistinguishedName(rdns);
    }
}
