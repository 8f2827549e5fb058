package certgate.adapters.ocsp;

import certgate.engine.Engine;
import certgate.engine.LoadedCrl;
import certgate.engine.TrustedCertificate;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.oiw.OIWObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;

/**
 * The CAs of one engine state as an OCSP responder looks them up: by the hash algorithm of a CertID and the
 * hashes of the issuer's name (its DER subject) and key (the BIT STRING of its SubjectPublicKeyInfo, RFC 6960
 * 4.1.1), for SHA-1 and SHA-256. Built once per state (an {@link Engine} never changes), with each CA's CRL in
 * force and a fingerprint of all its CRLs, so a request costs hash-map lookups.
 */
final class IssuerIndex {
    /** The hash algorithms of the CertIDs answered; any other gets {@code unknown}. */
    static final List<ASN1ObjectIdentifier> ALGORITHMS = List.of(OIWObjectIdentifiers.idSHA1,
            NISTObjectIdentifiers.id_sha256);

    /** A loaded CA: its SHA-256, subject, the CRL in force and the digests of all its CRLs (which change together). */
    record Ca(String sha256, String subject, Optional<LoadedCrl> crlInForce, String crls) {
    }

    /** What a CertID names an issuer by. */
    record Key(String algorithm, ByteBuffer nameHash, ByteBuffer keyHash) {
        static Key of(ASN1ObjectIdentifier algorithm, byte[] nameHash, byte[] keyHash) {
            return new Key(algorithm.getId(), ByteBuffer.wrap(nameHash.clone()), ByteBuffer.wrap(keyHash.clone()));
        }
    }

    private final Engine state;
    private final Map<Key, Ca> byKey;

    private IssuerIndex(Engine state, Map<Key, Ca> byKey) {
        this.state = state;
        this.byKey = byKey;
    }

    static IssuerIndex of(Engine state) {
        List<LoadedCrl> crls = state.crls();
        Map<Key, Ca> byKey = new HashMap<>();
        for (TrustedCertificate trusted : state.trustedCertificates()) {
            Optional<byte[]> der = state.trustedCertificateBytes(trusted.sha256());
            X509CertificateHolder certificate;
            try {
                certificate = new X509CertificateHolder(der.orElseThrow());
            } catch (IOException | RuntimeException e) {
                continue; // a CA certificate BouncyCastle cannot read is one no client can name either
            }
            StringBuilder digests = new StringBuilder();
            crls.stream().filter(crl -> crl.issuer().equals(trusted.subject()))
                    .forEach(crl -> digests.append(crl.sha256()).append(' '));
            Ca ca = new Ca(trusted.sha256(), trusted.subject(), state.crlInForce(trusted.sha256()),
                    digests.toString());
            byte[] name;
            try {
                name = certificate.getSubject().getEncoded(ASN1Encoding.DER);
            } catch (IOException e) {
                continue;
            }
            byte[] key = certificate.getSubjectPublicKeyInfo().getPublicKeyData().getBytes();
            for (ASN1ObjectIdentifier algorithm : ALGORITHMS) {
                // Two CA certificates with one name and key (a re-issued CA) answer alike; the first one counts.
                byKey.putIfAbsent(Key.of(algorithm, digest(algorithm, name), digest(algorithm, key)), ca);
            }
        }
        return new IssuerIndex(state, Map.copyOf(byKey));
    }

    /** Whether this index was built from {@code other}, the very same state. */
    boolean isOf(Engine other) {
        return state == other;
    }

    Engine state() {
        return state;
    }

    Optional<Ca> find(Key key) {
        return Optional.ofNullable(byKey.get(key));
    }

    private static byte[] digest(ASN1ObjectIdentifier algorithm, byte[] bytes) {
        String name = algorithm.equals(OIWObjectIdentifiers.idSHA1) ? "SHA-1" : "SHA-256";
        try {
            return MessageDigest.getInstance(name).digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has " + name, e);
        }
    }
}
