package certgate.engine.revocation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509CRLEntryHolder;
import org.bouncycastle.cert.X509CRLHolder;

/**
 * What BouncyCastle's {@link X509CRLHolder} reads from the same bytes, in the terms of {@link CrlIndex}: the
 * oracle the tests compare the index with. certificateIssuer carry-over (RFC 5280 5.3.3) is applied here from
 * each entry's raw extensions, since BouncyCastle applies it only when the CRL says it is indirect.
 */
record CrlReference(int version, X500Name issuer, Instant thisUpdate, Optional<Instant> nextUpdate,
                    AlgorithmIdentifier signatureAlgorithm, boolean algorithmsMatch, byte[] signature,
                    Extensions extensions, List<RevokedEntry> entries, boolean unrecognizedCritical) {

    private static final Set<ASN1ObjectIdentifier> RECOGNIZED = Set.of(Extension.reasonCode,
            Extension.invalidityDate, Extension.certificateIssuer, Extension.instructionCode);

    /** Reads {@code der} with BouncyCastle, every entry included; throws when BouncyCastle refuses any part. */
    static CrlReference of(byte[] der) throws Exception {
        X509CRLHolder holder = new X509CRLHolder(der);
        var list = holder.toASN1Structure();
        Optional<GeneralNames> currentIssuer = Optional.empty();
        List<RevokedEntry> entries = new ArrayList<>();
        boolean unrecognizedCritical = false;
        for (Object item : holder.getRevokedCertificates()) {
            X509CRLEntryHolder entry = (X509CRLEntryHolder) item;
            Optional<Integer> reason = Optional.empty();
            Extensions extensions = entry.getExtensions();
            if (extensions != null) {
                Extension reasonCode = extensions.getExtension(Extension.reasonCode);
                if (reasonCode != null) {
                    reason = Optional.of(CRLReason.getInstance(reasonCode.getParsedValue()).getValue().intValue());
                }
                Extension certificateIssuer = extensions.getExtension(Extension.certificateIssuer);
                if (certificateIssuer != null) {
                    currentIssuer = Optional.of(GeneralNames.getInstance(certificateIssuer.getParsedValue()));
                }
                for (ASN1ObjectIdentifier oid : extensions.getCriticalExtensionOIDs()) {
                    unrecognizedCritical |= !RECOGNIZED.contains(oid);
                }
            }
            entries.add(new RevokedEntry(entry.getSerialNumber(),
                    Instant.ofEpochMilli(entry.getRevocationDate().getTime()), reason, currentIssuer));
        }
        Extensions extensions = holder.getExtensions() == null
                ? Extensions.getInstance(new DERSequence()) : holder.getExtensions();
        return new CrlReference(list.getTBSCertList().getVersionNumber(), holder.getIssuer(),
                Instant.ofEpochMilli(holder.getThisUpdate().getTime()),
                Optional.ofNullable(holder.getNextUpdate()).map(date -> Instant.ofEpochMilli(date.getTime())),
                list.getSignatureAlgorithm(), list.getSignatureAlgorithm().equals(list.getTBSCertList().getSignature()),
                list.getSignature().getPadBits() == 0 ? list.getSignature().getOctets() : new byte[0], extensions,
                List.copyOf(entries), unrecognizedCritical);
    }

    /** Asserts the index says what BouncyCastle says, for every listed serial and for near misses of each. */
    void assertAgrees(CrlIndex index) {
        assertEquals(version, index.version(), "version");
        assertEquals(issuer, index.issuer(), "issuer");
        assertEquals(thisUpdate, index.thisUpdate(), "thisUpdate");
        assertEquals(nextUpdate, index.nextUpdate(), "nextUpdate");
        assertEquals(signatureAlgorithm, index.signatureAlgorithm(), "signatureAlgorithm");
        assertEquals(algorithmsMatch, index.innerAndOuterAlgorithmsMatch(), "innerAndOuterAlgorithmsMatch");
        assertArrayEquals(signature, index.signatureValue(), "signatureValue");
        assertEquals(extensions, index.extensions(), "extensions");
        assertEquals(entries.size(), index.size(), "size");
        assertEquals(unrecognizedCritical, index.hasUnrecognizedCriticalEntryExtension(),
                "hasUnrecognizedCriticalEntryExtension");
        for (BigInteger probe : probes(entries.stream().map(RevokedEntry::serial).toList())) {
            assertEquals(expectedFor(probe), index.entriesFor(probe), "entriesFor(" + probe.toString(16) + ")");
        }
    }

    List<RevokedEntry> expectedFor(BigInteger serial) {
        return entries.stream().filter(entry -> entry.serial().equals(serial)).toList();
    }

    /** Every serial, and its neighbours, negation and shifts: serials the CRL may or may not list. */
    static Collection<BigInteger> probes(List<BigInteger> serials) {
        Set<BigInteger> probes = new LinkedHashSet<>();
        probes.add(BigInteger.ZERO);
        probes.add(BigInteger.ONE);
        probes.add(BigInteger.ONE.negate());
        for (BigInteger serial : serials) {
            probes.add(serial);
            probes.add(serial.add(BigInteger.ONE));
            probes.add(serial.subtract(BigInteger.ONE));
            probes.add(serial.negate());
            probes.add(serial.shiftLeft(8));
            probes.add(serial.shiftRight(8));
            probes.add(serial.flipBit(0));
        }
        return probes;
    }
}
