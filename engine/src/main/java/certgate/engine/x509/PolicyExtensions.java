package certgate.engine.x509;

import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1TaggedObject;
import org.bouncycastle.asn1.BERTags;

/**
 * The certificate policy extensions of one certificate (RFC 5280 4.2.1.4, 4.2.1.5, 4.2.1.11, 4.2.1.14), read
 * when path validation first asks for them: most certificates carry none, and a peer's certificatePolicies is
 * only needed when a path reaches policy processing. The reader has already checked the values are DER; what
 * is checked here is their structure. A value of the wrong structure does not make the certificate unreadable
 * (it still reads as it did before these extensions were interpreted) but is reported as {@link #problem()},
 * which path validation refuses. Policy qualifiers are not kept: RFC 5280 6.1 lets a validator ignore them.
 *
 * @param policies              the policy OIDs of certificatePolicies in order, when the extension is present
 * @param mappings              policyMappings (issuerDomainPolicy to subjectDomainPolicy), empty when absent
 * @param requireExplicitPolicy policyConstraints requireExplicitPolicy (SkipCerts, at most Integer.MAX_VALUE)
 * @param inhibitPolicyMapping  policyConstraints inhibitPolicyMapping
 * @param inhibitAnyPolicy      inhibitAnyPolicy
 * @param problem               what is wrong with one of the values, if anything
 */
public record PolicyExtensions(Optional<List<String>> policies, List<Mapping> mappings,
                               OptionalInt requireExplicitPolicy, OptionalInt inhibitPolicyMapping,
                               OptionalInt inhibitAnyPolicy, Optional<String> problem) {
    public static final String ANY_POLICY = "2.5.29.32.0";

    /** A certificate without policy extensions. */
    public static final PolicyExtensions NONE = new PolicyExtensions(Optional.empty(), List.of(), OptionalInt.empty(),
            OptionalInt.empty(), OptionalInt.empty(), Optional.empty());

    /** One policyMappings entry: the issuer's policy is considered equivalent to the subject's. */
    public record Mapping(String issuerDomainPolicy, String subjectDomainPolicy) {
    }

    public PolicyExtensions {
        policies = policies.map(List::copyOf);
        mappings = List.copyOf(mappings);
    }

    /** Where each extension's value lies in a certificate's DER ([from, to), -1 when absent). */
    record Ranges(int policiesFrom, int policiesTo, int mappingsFrom, int mappingsTo, int constraintsFrom,
                  int constraintsTo, int inhibitFrom, int inhibitTo) {
        static final Ranges ABSENT = new Ranges(-1, -1, -1, -1, -1, -1, -1, -1);

        boolean absent() {
            return policiesFrom < 0 && mappingsFrom < 0 && constraintsFrom < 0 && inhibitFrom < 0;
        }
    }

    static PolicyExtensions read(byte[] der, Ranges ranges) {
        if (ranges.absent()) {
            return NONE;
        }
        Optional<List<String>> policies = Optional.empty();
        List<Mapping> mappings = List.of();
        OptionalInt requireExplicitPolicy = OptionalInt.empty();
        OptionalInt inhibitPolicyMapping = OptionalInt.empty();
        OptionalInt inhibitAnyPolicy = OptionalInt.empty();
        String what = "certificatePolicies";
        try {
            if (ranges.policiesFrom() >= 0) {
                policies = Optional.of(policies(value(der, ranges.policiesFrom(), ranges.policiesTo())));
            }
            what = "policyMappings";
            if (ranges.mappingsFrom() >= 0) {
                mappings = mappings(value(der, ranges.mappingsFrom(), ranges.mappingsTo()));
            }
            what = "policyConstraints";
            if (ranges.constraintsFrom() >= 0) {
                ASN1Sequence sequence = sequence(value(der, ranges.constraintsFrom(), ranges.constraintsTo()));
                if (sequence.size() == 0) {
                    throw new IllegalArgumentException("it is empty (RFC 5280 4.2.1.11)");
                }
                int tag = -1;
                for (ASN1Encodable element : sequence) {
                    ASN1TaggedObject tagged = ASN1TaggedObject.getInstance(element, BERTags.CONTEXT_SPECIFIC);
                    if (tagged.getTagNo() <= tag || tagged.getTagNo() > 1) {
                        throw new IllegalArgumentException("unexpected element [" + tagged.getTagNo() + "]");
                    }
                    tag = tagged.getTagNo();
                    int skip = skipCerts(ASN1Integer.getInstance(tagged, false));
                    if (tag == 0) {
                        requireExplicitPolicy = OptionalInt.of(skip);
                    } else {
                        inhibitPolicyMapping = OptionalInt.of(skip);
                    }
                }
            }
            what = "inhibitAnyPolicy";
            if (ranges.inhibitFrom() >= 0) {
                inhibitAnyPolicy = OptionalInt.of(skipCerts(ASN1Integer.getInstance(
                        value(der, ranges.inhibitFrom(), ranges.inhibitTo()))));
            }
        } catch (IllegalArgumentException | IllegalStateException | ClassCastException | IOException e) {
            return new PolicyExtensions(Optional.empty(), List.of(), OptionalInt.empty(), OptionalInt.empty(),
                    OptionalInt.empty(), Optional.of(what + " is malformed: " + e.getMessage()));
        }
        return new PolicyExtensions(policies, mappings, requireExplicitPolicy, inhibitPolicyMapping,
                inhibitAnyPolicy, Optional.empty());
    }

    /** certificatePolicies ::= SEQUENCE SIZE (1..MAX) OF SEQUENCE { policyIdentifier, policyQualifiers OPTIONAL } */
    private static List<String> policies(ASN1Primitive value) {
        ASN1Sequence sequence = sequence(value);
        if (sequence.size() == 0) {
            throw new IllegalArgumentException("it lists no policy");
        }
        Set<String> oids = new LinkedHashSet<>();
        for (ASN1Encodable element : sequence) {
            ASN1Sequence information = sequence(element.toASN1Primitive());
            if (information.size() < 1 || information.size() > 2) {
                throw new IllegalArgumentException("a PolicyInformation has " + information.size() + " elements");
            }
            String oid = ASN1ObjectIdentifier.getInstance(information.getObjectAt(0)).getId();
            if (information.size() == 2 && sequence(information.getObjectAt(1).toASN1Primitive()).size() == 0) {
                throw new IllegalArgumentException("policy " + oid + " has an empty list of qualifiers");
            }
            if (!oids.add(oid)) {
                throw new IllegalArgumentException("policy " + oid + " appears twice (RFC 5280 4.2.1.4)");
            }
        }
        return List.copyOf(oids);
    }

    /** PolicyMappings ::= SEQUENCE SIZE (1..MAX) OF SEQUENCE { issuerDomainPolicy, subjectDomainPolicy } */
    private static List<Mapping> mappings(ASN1Primitive value) {
        ASN1Sequence sequence = sequence(value);
        if (sequence.size() == 0) {
            throw new IllegalArgumentException("it maps no policy");
        }
        List<Mapping> mappings = new ArrayList<>(sequence.size());
        for (ASN1Encodable element : sequence) {
            ASN1Sequence pair = sequence(element.toASN1Primitive());
            if (pair.size() != 2) {
                throw new IllegalArgumentException("a mapping has " + pair.size() + " elements");
            }
            mappings.add(new Mapping(ASN1ObjectIdentifier.getInstance(pair.getObjectAt(0)).getId(),
                    ASN1ObjectIdentifier.getInstance(pair.getObjectAt(1)).getId()));
        }
        return mappings;
    }

    private static ASN1Sequence sequence(ASN1Primitive value) {
        if (!(value instanceof ASN1Sequence sequence)) {
            throw new IllegalArgumentException("a SEQUENCE was expected");
        }
        return sequence;
    }

    /** SkipCerts ::= INTEGER (0..MAX); a count beyond any path is as good as the largest int. */
    private static int skipCerts(ASN1Integer integer) {
        BigInteger value = integer.getValue();
        if (value.signum() < 0) {
            throw new IllegalArgumentException("a negative SkipCerts " + value);
        }
        return value.bitLength() > 31 ? Integer.MAX_VALUE : value.intValueExact();
    }

    private static ASN1Primitive value(byte[] der, int from, int to) throws IOException {
        return ASN1Primitive.fromByteArray(Arrays.copyOfRange(der, from, to));
    }
}
