package certgate.engine.revocation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1GeneralizedTime;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1UTCTime;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERTaggedObject;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;

/**
 * Encodes CRLs for tests from a plain description, with BouncyCastle's ASN.1 classes (not its CRL builder), so a
 * test can ask for what the builder never writes: v1 CRLs, GeneralizedTime before 2050, unknown critical entry
 * extensions. Signed with one P-256 key made once (fast; the index does not verify signatures).
 */
final class CrlFixture {
    static final AlgorithmIdentifier ECDSA_SHA256 = new AlgorithmIdentifier(X9ObjectIdentifiers.ecdsa_with_SHA256);
    private static final DateTimeFormatter UTC_TIME =
            DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter GENERALIZED_TIME =
            DateTimeFormatter.ofPattern("yyyyMMddHHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final KeyPair KEY = ecKey();

    private CrlFixture() {
    }

    /** One revoked certificate as a test describes it. */
    record EntrySpec(BigInteger serial, Instant date, boolean generalizedTime, Optional<Integer> reason,
                     Optional<GeneralNames> certificateIssuer, List<Extension> otherExtensions) {
        static EntrySpec of(BigInteger serial, Instant date) {
            return new EntrySpec(serial, date, false, Optional.empty(), Optional.empty(), List.of());
        }

        EntrySpec withReason(int code) {
            return new EntrySpec(serial, date, generalizedTime, Optional.of(code), certificateIssuer,
                    otherExtensions);
        }

        EntrySpec withIssuer(GeneralNames names) {
            return new EntrySpec(serial, date, generalizedTime, reason, Optional.of(names), otherExtensions);
        }

        EntrySpec withExtension(Extension extension) {
            List<Extension> more = new ArrayList<>(otherExtensions);
            more.add(extension);
            return new EntrySpec(serial, date, generalizedTime, reason, certificateIssuer, more);
        }

        EntrySpec withGeneralizedTime() {
            return new EntrySpec(serial, date, true, reason, certificateIssuer, otherExtensions);
        }

        boolean hasExtensions() {
            return reason.isPresent() || certificateIssuer.isPresent() || !otherExtensions.isEmpty();
        }
    }

    /** A whole CRL as a test describes it; {@code version} 1 leaves the version field out. */
    record CrlSpec(int version, X500Name issuer, Instant thisUpdate, Optional<Instant> nextUpdate,
                   boolean generalizedTimes, List<EntrySpec> entries, List<Extension> extensions) {
        static CrlSpec v2(String issuer, Instant thisUpdate, List<EntrySpec> entries) {
            return new CrlSpec(2, new X500Name(issuer), thisUpdate, Optional.of(thisUpdate.plusSeconds(86_400)),
                    false, entries, List.of());
        }

        CrlSpec withExtension(Extension extension) {
            List<Extension> more = new ArrayList<>(extensions);
            more.add(extension);
            return new CrlSpec(version, issuer, thisUpdate, nextUpdate, generalizedTimes, entries, more);
        }
    }

    static byte[] encode(CrlSpec spec) {
        ASN1EncodableVector tbs = new ASN1EncodableVector();
        if (spec.version() == 2) {
            tbs.add(new ASN1Integer(1));
        }
        tbs.add(ECDSA_SHA256);
        tbs.add(spec.issuer());
        tbs.add(time(spec.thisUpdate(), spec.generalizedTimes()));
        spec.nextUpdate().ifPresent(next -> tbs.add(time(next, spec.generalizedTimes())));
        if (!spec.entries().isEmpty()) {
            ASN1EncodableVector entries = new ASN1EncodableVector();
            for (EntrySpec entry : spec.entries()) {
                entries.add(entry(entry));
            }
            tbs.add(new DERSequence(entries));
        }
        if (!spec.extensions().isEmpty()) {
            tbs.add(new DERTaggedObject(true, 0, new Extensions(spec.extensions().toArray(new Extension[0]))));
        }
        return sign(new DERSequence(tbs));
    }

    /** A valid v2 TBSCertList without entries: version, signature, issuer CN=CA, thisUpdate, nextUpdate. */
    static ASN1Sequence templateTbs() {
        Instant thisUpdate = Instant.parse("2024-03-01T12:00:00Z");
        return new DERSequence(new ASN1Encodable[] {new ASN1Integer(1), ECDSA_SHA256, new X500Name("CN=CA"),
                time(thisUpdate, false), time(thisUpdate.plusSeconds(86_400), false)});
    }

    /** Signs a TBSCertList and wraps it into a CertificateList. */
    static byte[] sign(ASN1Encodable tbsCertList) {
        try {
            byte[] tbs = tbsCertList.toASN1Primitive().getEncoded(ASN1Encoding.DER);
            Signature signer = Signature.getInstance("SHA256withECDSA");
            signer.initSign(KEY.getPrivate());
            signer.update(tbs);
            return new DERSequence(new ASN1Encodable[] {tbsCertList, ECDSA_SHA256, new DERBitString(signer.sign())})
                    .getEncoded(ASN1Encoding.DER);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static DERSequence entry(EntrySpec entry) {
        ASN1EncodableVector fields = new ASN1EncodableVector();
        fields.add(new ASN1Integer(entry.serial()));
        fields.add(time(entry.date(), entry.generalizedTime()));
        if (entry.hasExtensions()) {
            List<Extension> extensions = new ArrayList<>();
            entry.reason().ifPresent(code -> extensions.add(extension(Extension.reasonCode, false,
                    CRLReason.lookup(code))));
            entry.certificateIssuer().ifPresent(names -> extensions.add(extension(Extension.certificateIssuer,
                    true, names)));
            extensions.addAll(entry.otherExtensions());
            fields.add(new Extensions(extensions.toArray(new Extension[0])));
        }
        return new DERSequence(fields);
    }

    static Extension extension(ASN1ObjectIdentifier oid, boolean critical, ASN1Encodable value) {
        try {
            return new Extension(oid, critical, value.toASN1Primitive().getEncoded(ASN1Encoding.DER));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** UTCTime for 1950-2049 unless GeneralizedTime is asked for; GeneralizedTime outside (RFC 5280 4.1.2.5). */
    static ASN1Encodable time(Instant instant, boolean generalized) {
        int year = instant.atZone(ZoneOffset.UTC).getYear();
        if (!generalized && year >= 1950 && year <= 2049) {
            return new ASN1UTCTime(UTC_TIME.format(instant));
        }
        return new ASN1GeneralizedTime(GENERALIZED_TIME.format(instant));
    }

    private static KeyPair ecKey() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
