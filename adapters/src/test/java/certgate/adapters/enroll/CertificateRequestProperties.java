package certgate.adapters.enroll;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import certgate.dsl.dn.DistinguishedName;
import certgate.dsl.dn.DnAttribute;
import certgate.dsl.dn.Rdn;
import certgate.dsl.policy.IpAddress;
import certgate.eventstore.IkeIdentity;
import certgate.testkit.Gen;
import certgate.testkit.Gens;
import certgate.testkit.Property;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.pkcs.Attribute;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Requests for random subjects and subjectAltName sets, read back with BouncyCastle alone: the same subject
 * (RFC 4514 text the policy language parses, values with escapes, accents and multi-valued RDNs), the same names
 * in normal form, and a signature that verifies with the request's own key, for every key type.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class CertificateRequestProperties {
    private static final List<GatewayKey> KEYS = List.of(
            KeyPairs.generate(new KeySpec(KeySpec.Algorithm.RSA, 2048)),
            KeyPairs.generate(new KeySpec(KeySpec.Algorithm.EC, 256)),
            KeyPairs.generate(new KeySpec(KeySpec.Algorithm.EC, 384)),
            KeyPairs.generate(new KeySpec(KeySpec.Algorithm.ED25519, 256)));
    private static final BouncyCastleProvider BC = new BouncyCastleProvider();
    private static final List<String> TYPES = List.of("2.5.4.3", "2.5.4.11", "2.5.4.10", "2.5.4.7", "2.5.4.8",
            "2.5.4.6", "0.9.2342.19200300.100.1.25", "1.2.840.113549.1.9.1", "2.5.4.5", "1.3.6.1.4.1.99999.1");

    record Sample(GatewayKey key, String subject, List<IkeIdentity> names) {
        @Override
        public String toString() {
            return key.spec().name() + " subject=" + subject + " names=" + names;
        }
    }

    private static final Gen<String> VALUES = random -> {
        String alphabet = "abcXYZ019 ,+\"\\<>;#=-_.é漢😀";
        StringBuilder value = new StringBuilder();
        int length = 1 + random.nextInt(12);
        for (int i = 0; i < length; i++) {
            value.appendCodePoint(alphabet.codePointAt(alphabet.offsetByCodePoints(0,
                    random.nextInt(alphabet.codePointCount(0, alphabet.length())))));
        }
        return value.toString();
    };

    private static final Gen<String> SUBJECTS = random -> {
        List<Rdn> rdns = new ArrayList<>();
        for (int i = 1 + random.nextInt(5); i > 0; i--) {
            List<DnAttribute> attributes = new ArrayList<>();
            for (int j = random.nextInt(6) == 0 ? 2 : 1; j > 0; j--) {
                String type = TYPES.get(random.nextInt(TYPES.size()));
                String value = type.equals("2.5.4.6") ? "US" : VALUES.generate(random);
                attributes.add(new DnAttribute(type, value));
            }
            rdns.add(new Rdn(attributes));
        }
        return new DistinguishedName(rdns).toString();
    };

    private static String label(SplittableRandom random) {
        return Gens.strings("abcdefghijklmnopqrstuvwxyz0123456789", 1, 10).generate(random);
    }

    private static final Gen<IkeIdentity> NAMES = random -> switch (random.nextInt(4)) {
        case 0 -> new IkeIdentity(IkeIdentity.Type.FQDN, label(random) + "." + label(random).toUpperCase(Locale.ROOT)
                + (random.nextBoolean() ? "." : ""));
        case 1 -> new IkeIdentity(IkeIdentity.Type.IP, random.nextInt(256) + "." + random.nextInt(256) + "."
                + random.nextInt(256) + "." + random.nextInt(256));
        case 2 -> new IkeIdentity(IkeIdentity.Type.IP, "2001:db8:" + Integer.toHexString(random.nextInt(65536))
                + "::" + Integer.toHexString(1 + random.nextInt(65535)));
        default -> new IkeIdentity(IkeIdentity.Type.UFQDN, label(random) + ".x+y@" + label(random) + ".example");
    };

    private static final Gen<Sample> SAMPLES = random -> new Sample(KEYS.get(random.nextInt(KEYS.size())),
            SUBJECTS.generate(random), Gens.listOf(NAMES, 1, 5).generate(random));

    @Test
    void a_request_reads_back_to_its_subject_and_names_and_its_signature_verifies() {
        Property.forAll(SAMPLES).tries(150).check(sample -> {
            try {
                DistinguishedName subject = DistinguishedName.parse(sample.subject());
                CertificateRequests.Request built = CertificateRequests.build(sample.key(), subject,
                        sample.names());
                PKCS10CertificationRequest request = new PKCS10CertificationRequest(built.der());

                assertTrue(request.isSignatureValid(new JcaContentVerifierProviderBuilder().setProvider(BC)
                        .build(request.getSubjectPublicKeyInfo())), "signature");
                assertEquals(sample.key().fingerprint(), GatewayKey.sha256Hex(
                        request.getSubjectPublicKeyInfo().getEncoded()));
                assertEquals(attributes(subject), attributes(request.getSubject()), "subject");
                assertEquals(expectedNames(sample.names()), namesOf(request));
                // A multi-valued RDN is a DER SET OF: its attributes come back in DER order, the same set.
                assertTrue(subject.sameAs(built.subject()), () -> "read back as " + built.subject());
            } catch (Exception e) {
                throw new AssertionError(sample + ": " + e, e);
            }
        });
    }

    /** Per RDN, most specific first, the set of "oid=value" it holds: the subject as the policy language has it. */
    private static List<Set<String>> attributes(DistinguishedName dn) {
        List<Set<String>> out = new ArrayList<>();
        for (Rdn rdn : dn.rdns()) {
            Set<String> values = new HashSet<>();
            rdn.attributes().forEach(attribute -> values.add(attribute.oid() + "=" + attribute.value()));
            out.add(values);
        }
        return out;
    }

    /** The same, read from the X.500 Name with BouncyCastle (RDNs there are most general first). */
    private static List<Set<String>> attributes(X500Name name) {
        List<Set<String>> out = new ArrayList<>();
        RDN[] rdns = name.getRDNs();
        for (int i = rdns.length - 1; i >= 0; i--) {
            Set<String> values = new HashSet<>();
            for (AttributeTypeAndValue value : rdns[i].getTypesAndValues()) {
                values.add(value.getType().getId() + "=" + ((ASN1String) value.getValue()).getString());
            }
            out.add(values);
        }
        return out;
    }

    /** The names as a CA would read them: FQDNs in lower case without a trailing dot, IPs as bytes, in order. */
    private static Set<String> expectedNames(List<IkeIdentity> names) {
        Set<String> out = new LinkedHashSet<>();
        for (IkeIdentity name : names) {
            out.add(switch (name.type()) {
                case FQDN -> "dns:" + name.value().toLowerCase(Locale.ROOT).replaceFirst("\\.$", "");
                case IP -> "ip:" + hex(IpAddress.parse(name.value()).orElseThrow().bytes());
                case UFQDN -> "email:" + name.value().substring(0, name.value().lastIndexOf('@') + 1)
                        + name.value().substring(name.value().lastIndexOf('@') + 1).toLowerCase(Locale.ROOT);
                case DN -> throw new AssertionError("no DN is generated");
            });
        }
        return out;
    }

    private static Set<String> namesOf(PKCS10CertificationRequest request) {
        Set<String> out = new LinkedHashSet<>();
        for (Attribute attribute : request.getAttributes(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest)) {
            GeneralNames names = GeneralNames.fromExtensions(Extensions.getInstance(attribute.getAttrValues()
                    .getObjectAt(0)), Extension.subjectAlternativeName);
            for (GeneralName name : names.getNames()) {
                out.add(switch (name.getTagNo()) {
                    case GeneralName.dNSName -> "dns:" + ((ASN1String) name.getName()).getString();
                    case GeneralName.iPAddress -> "ip:" + hex(ASN1OctetString.getInstance(name.getName())
                            .getOctets());
                    case GeneralName.rfc822Name -> "email:" + ((ASN1String) name.getName()).getString();
                    default -> "other:" + name;
                });
            }
        }
        return out;
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
