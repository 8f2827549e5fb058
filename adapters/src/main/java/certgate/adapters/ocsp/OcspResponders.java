package certgate.adapters.ocsp;

import certgate.adapters.enroll.EnrollException;
import certgate.adapters.enroll.GatewayKey;
import certgate.adapters.enroll.KeyPairs;
import certgate.adapters.pem.KeyFiles;
import certgate.adapters.pem.PkiFileException;
import certgate.adapters.pem.PkiFiles;
import certgate.engine.Engine;
import certgate.engine.TrustedCertificate;
import certgate.eventstore.Blob;
import java.io.IOException;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.CertException;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.OCSPException;
import org.bouncycastle.cert.ocsp.RespID;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

/**
 * The delegated responders certgate's OCSP endpoint signs with: one per CA, each given as a certificate and a
 * private key file ({@code serve --ocsp-cert FILE --ocsp-key FILE}, repeatable in pairs). Everything is checked
 * once, at start, against the state the service opens with, and a pair that would make clients reject every
 * answer is refused with the reason rather than served: a key file that group or others may read, a certificate
 * without id-kp-OCSPSigning, not issued (name and signature) by a loaded CA, expired or not yet valid, or not
 * matching its key, and a second responder for the same CA.
 *
 * <pre>{@code
 * OcspResponders responders = OcspResponders.load(OcspResponders.pairs(certs, keys), state.state(), now);
 * server.createContext("/ocsp", new OcspHandler(state, responders, clock));
 * }</pre>
 */
public final class OcspResponders {
    /** One {@code --ocsp-cert FILE --ocsp-key FILE} pair. */
    public record Files(Path certificate, Path key) {
        public Files {
            Objects.requireNonNull(certificate, "certificate");
            Objects.requireNonNull(key, "key");
        }
    }

    private final Map<String, Responder> byCa;
    private final List<Responder> inOrder;

    private OcspResponders(Map<String, Responder> byCa) {
        this.byCa = Map.copyOf(byCa);
        this.inOrder = List.copyOf(byCa.values());
    }

    /** The values of {@code --ocsp-cert} and {@code --ocsp-key}, in the order given, paired one to one. */
    public static List<Files> pairs(List<String> certificates, List<String> keys) throws ResponderException {
        if (certificates.size() != keys.size()) {
            throw new ResponderException("--ocsp-cert and --ocsp-key come in pairs: " + certificates.size()
                    + " certificate(s) and " + keys.size() + " key(s) given");
        }
        List<Files> pairs = new ArrayList<>();
        for (int i = 0; i < certificates.size(); i++) {
            pairs.add(new Files(Path.of(certificates.get(i)), Path.of(keys.get(i))));
        }
        return List.copyOf(pairs);
    }

    /**
     * Loads and checks every pair against {@code state} (the CA certificates it holds) at {@code now}.
     *
     * @throws ResponderException naming the file and the reason, for the first pair refused
     */
    public static OcspResponders load(List<Files> pairs, Engine state, Instant now) throws ResponderException {
        if (pairs.isEmpty()) {
            throw new ResponderException("no OCSP responder given (--ocsp-cert FILE --ocsp-key FILE)");
        }
        Map<String, Responder> byCa = new LinkedHashMap<>();
        for (Files pair : pairs) {
            Responder responder = load(pair, state, now);
            Responder earlier = byCa.putIfAbsent(responder.caSha256(), responder);
            if (earlier != null) {
                throw new ResponderException(pair.certificate() + ": a second OCSP responder for CA '"
                        + responder.caSubject() + "' (one responder per CA)");
            }
        }
        return new OcspResponders(byCa);
    }

    private static Responder load(Files pair, Engine state, Instant now) throws ResponderException {
        Optional<String> open = KeyFiles.openToOthers(pair.key());
        if (open.isPresent()) {
            throw new ResponderException(pair.key() + ": the OCSP responder's private key is accessible by group or"
                    + " others (permissions " + open.get() + "); it must be readable by its owner only: chmod 600 "
                    + pair.key());
        }
        X509CertificateHolder certificate = certificate(pair.certificate());
        String name = pair.certificate() + " ('" + certificate.getSubject() + "')";
        ExtendedKeyUsage usage = ExtendedKeyUsage.fromExtensions(certificate.getExtensions());
        if (usage == null || !usage.hasKeyPurposeId(KeyPurposeId.id_kp_OCSPSigning)) {
            throw new ResponderException(name + ": not an OCSP responder certificate: its extendedKeyUsage lacks"
                    + " id-kp-OCSPSigning (1.3.6.1.5.5.7.3.9)");
        }
        if (!certificate.isValidOn(Date.from(now))) {
            throw new ResponderException(name + ": not valid now (" + certificate.getNotBefore().toInstant()
                    + " to " + certificate.getNotAfter().toInstant() + ")");
        }
        TrustedCertificate ca = issuer(certificate, state).orElseThrow(() -> new ResponderException(name
                + ": not issued by a loaded CA (no CA certificate in the store has the name '"
                + certificate.getIssuer() + "' and a key that verifies its signature); load the CA first"));
        GatewayKey key;
        try {
            key = KeyPairs.read(pair.key(), Optional.empty());
        } catch (EnrollException e) {
            throw new ResponderException(e.getMessage(), e);
        }
        if (!Arrays.equals(key.subjectPublicKeyInfo(), encoded(certificate))) {
            throw new ResponderException(pair.key() + ": not the private key of " + name);
        }
        try {
            RespID id = new RespID(certificate.getSubjectPublicKeyInfo(),
                    new JcaDigestCalculatorProviderBuilder().build().get(CertificateID.HASH_SHA1));
            return new Responder(ca.sha256(), ca.subject(), certificate, key.privateKey(), key.signatureAlgorithm(),
                    id);
        } catch (OperatorCreationException | OCSPException e) {
            throw new ResponderException(name + ": cannot name the responder by its key: " + e.getMessage(), e);
        }
    }

    private static X509CertificateHolder certificate(Path file) throws ResponderException {
        List<Blob> blobs;
        try {
            blobs = PkiFiles.certificates(file);
        } catch (PkiFileException e) {
            throw new ResponderException(e.getMessage(), e);
        }
        if (blobs.size() != 1) {
            throw new ResponderException(file + ": holds " + blobs.size() + " certificates; an OCSP responder"
                    + " certificate file holds one");
        }
        try {
            return new X509CertificateHolder(blobs.get(0).bytes());
        } catch (IOException | RuntimeException e) {
            throw new ResponderException(file + ": not a certificate BouncyCastle can read: " + e.getMessage(), e);
        }
    }

    private static byte[] encoded(X509CertificateHolder certificate) {
        try {
            return certificate.getSubjectPublicKeyInfo().getEncoded();
        } catch (IOException e) {
            throw new IllegalStateException("re-encoding a parsed key failed", e);
        }
    }

    /** The loaded CA whose name is the certificate's issuer and whose key verifies its signature. */
    private static Optional<TrustedCertificate> issuer(X509CertificateHolder certificate, Engine state) {
        for (TrustedCertificate candidate : state.trustedCertificates()) {
            Optional<byte[]> der = state.trustedCertificateBytes(candidate.sha256());
            if (der.isEmpty()) {
                continue;
            }
            try {
                X509CertificateHolder ca = new X509CertificateHolder(der.get());
                if (ca.getSubject().equals(certificate.getIssuer())
                        && certificate.isSignatureValid(new JcaContentVerifierProviderBuilder().build(ca))) {
                    return Optional.of(candidate);
                }
            } catch (IOException | CertException | OperatorCreationException | CertificateException
                    | RuntimeException e) {
                // A CA certificate BouncyCastle cannot use is not this responder's issuer.
            }
        }
        return Optional.empty();
    }

    /** The responder of the CA certificate with SHA-256 {@code caSha256}, if one was given. */
    Optional<Responder> forCa(String caSha256) {
        return Optional.ofNullable(byCa.get(caSha256));
    }

    /** The responder that signs answers about no CA it serves: the first pair given. */
    Responder fallback() {
        return inOrder.get(0);
    }

    /** One line per responder, for the service's start-up message: its certificate's subject and its CA. */
    public List<String> describe() {
        return inOrder.stream().map(r -> "OCSP responder '" + r.certificate().getSubject() + "' for CA '"
                + r.caSubject() + "' (sha256 " + r.caSha256() + ")").toList();
    }
}
