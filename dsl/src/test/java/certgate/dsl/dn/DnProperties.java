package certgate.dsl.dn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import certgate.testkit.Gen;
import certgate.testkit.Gens;
import certgate.testkit.Property;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DnProperties {

    @Test
    void parse_of_to_string_gives_back_the_same_dn() {
        Property.forAll(DnGen.anyDn()).tries(300).check(name -> {
            try {
                assertEquals(name, DistinguishedName.parse(name.toString()));
            } catch (DnSyntaxException e) {
                throw new AssertionError(e);
            }
        });
    }

    @Test
    void an_attribute_type_is_an_oid_exactly_when_the_rfc_4512_numericoid_grammar_says_so() {
        java.util.regex.Pattern numericoid = java.util.regex.Pattern.compile("(0|[1-9][0-9]*)(\\.(0|[1-9][0-9]*))+");
        Property.forAll(Gens.strings("0123456789..", 0, 12)).tries(2_000).check(text ->
                assertEquals(numericoid.matcher(text).matches(), AttributeTypes.isOid(text), text));
    }

    @Test
    void damaged_dn_text_parses_or_fails_with_a_column_inside_the_text() {
        byte[] valid = "CN=Doe\\, John+UID=jd, OU=\\ sales, O=#0C03616263, 2.5.4.97=x, C=US"
                .getBytes(StandardCharsets.UTF_8);
        Property.forAll(Gens.damaged(valid)).tries(500).check(bytes -> {
            String text = new String(bytes, StandardCharsets.UTF_8);
            try {
                DistinguishedName.parse(text);
            } catch (DnSyntaxException e) {
                assertTrue(e.column() >= 0 && e.column() <= text.length(), e.getMessage());
            }
        });
    }

    @Test
    void wildcard_ignores_the_order_of_rdns_and_attributes_it_does_not_name() {
        Gen<DistinguishedName> subjects = DnGen.smallDn(1, 6);
        Property.forAll(random -> List.of(subjects.generate(random), subjects.generate(random),
                random.nextLong())).check(values -> {
                    DistinguishedName subject = (DistinguishedName) values.get(0);
                    DistinguishedName noise = (DistinguishedName) values.get(1);
                    WildcardRule rule = new WildcardRule(firstOfEachType(subject));
                    assertTrue(rule.matches(subject), rule + " vs " + subject);
                    List<Rdn> shuffled = new ArrayList<>(subject.rdns());
                    shuffled.addAll(noise.rdns());
                    Collections.shuffle(shuffled, new Random((Long) values.get(2)));
                    assertTrue(rule.matches(new DistinguishedName(shuffled)), rule + " vs " + shuffled);
                });
    }

    @Test
    void wildcard_gives_the_same_answer_for_every_order_of_the_subject() {
        Gen<DistinguishedName> subjects = DnGen.smallDn(0, 6);
        Gen<DistinguishedName> rules = DnGen.smallDn(1, 3);
        Property.forAll(random -> List.of(subjects.generate(random), rules.generate(random), random.nextLong()))
                .tries(300).check(values -> {
                    DistinguishedName subject = (DistinguishedName) values.get(0);
                    DistinguishedName pattern = firstOfEachType((DistinguishedName) values.get(1));
                    WildcardRule rule = new WildcardRule(pattern);
                    List<Rdn> shuffled = new ArrayList<>(subject.rdns());
                    Collections.shuffle(shuffled, new Random((Long) values.get(2)));
                    assertEquals(rule.matches(subject), rule.matches(new DistinguishedName(shuffled)),
                            rule + " vs " + subject + " / " + shuffled);
                });
    }

    @Test
    void container_matches_exactly_when_the_pattern_is_a_contiguous_run_of_the_subject() {
        Gen<DistinguishedName> subjects = DnGen.smallDn(0, 6);
        Gen<DistinguishedName> patterns = DnGen.smallDn(1, 3);
        Property.forAll(random -> {
            DistinguishedName subject = subjects.generate(random);
            // Half the time, cut the pattern out of the subject and re-case it, so that matches are common.
            if (subject.rdns().size() > 0 && random.nextBoolean()) {
                int from = random.nextInt(subject.rdns().size());
                int to = from + 1 + random.nextInt(subject.rdns().size() - from);
                return List.of(subject, recase(new DistinguishedName(subject.rdns().subList(from, to))));
            }
            return List.of(subject, patterns.generate(random));
        }).tries(500).check(pair -> {
            DistinguishedName subject = pair.get(0);
            DistinguishedName pattern = pair.get(1);
            assertEquals(bruteForceContains(subject, pattern), new ContainerRule(pattern).matches(subject),
                    pattern + " in " + subject);
        });
    }

    /** Reference: the canonical RDN strings of the pattern occur as a sublist of the subject's. */
    private static boolean bruteForceContains(DistinguishedName subject, DistinguishedName pattern) {
        List<List<String>> s = canonical(subject);
        List<List<String>> p = canonical(pattern);
        for (int i = 0; i < s.size(); i++) {
            for (int j = i; j <= s.size(); j++) {
                if (s.subList(i, j).equals(p)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Each RDN as the sorted multiset of its attributes, values trimmed, spaces collapsed, lower case. */
    private static List<List<String>> canonical(DistinguishedName name) {
        return name.rdns().stream().map(rdn -> rdn.attributes().stream()
                .map(a -> a.oid() + "=" + a.value().trim().replaceAll(" +", " ").toLowerCase(Locale.ROOT))
                .sorted().toList()).toList();
    }

    private static DistinguishedName recase(DistinguishedName name) {
        return new DistinguishedName(name.rdns().stream().map(rdn -> new Rdn(rdn.attributes().stream()
                .map(a -> new DnAttribute(a.oid(), " " + a.value().toUpperCase(Locale.ROOT)))
                .toList())).toList());
    }

    /** A wildcard pattern: the first attribute of each type in the name, one per RDN. */
    private static DistinguishedName firstOfEachType(DistinguishedName name) {
        Set<String> seen = new HashSet<>();
        List<Rdn> rdns = new ArrayList<>();
        for (Rdn rdn : name.rdns()) {
            for (DnAttribute attribute : rdn.attributes()) {
                if (seen.add(attribute.oid())) {
                    rdns.add(new Rdn(List.of(attribute)));
                }
            }
        }
        return new DistinguishedName(rdns);
    }
}
