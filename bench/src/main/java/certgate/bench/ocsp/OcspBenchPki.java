package certgate.bench.ocsp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.OCSPException;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.operator.DigestCalculator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

/**
 * The PKI both responders answer for: an EC P-256 CA, its delegated OCSP responder (id-kp-OCSPSigning), a CRL
 * revoking every {@code revokedEvery}-th of {@code serials} serials, and one OCSP request (SHA-1 CertID, no nonce)
 * per serial. Written as the files each side reads: PEM certificates and an owner-only PKCS#8 key, the CRL for
 * certgate, and OpenSSL's {@code index.txt} with the same serials valid or revoked.
 */
record OcspBenchPki(X509CertificateHolder ca, X509CertificateHolder responder, PrivateKey responderKey, byte[] crl,
                    List<BigInteger> serials, List<Boolean> revoked, List<byte[]> requests) {
    private static final DateTimeFormatter INDEX_TIME = DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    static OcspBenchPki build(int serialCount, int revokedEvery, Instant now) {
        try {
            KeyPair caKey = ec();
            KeyPair responderKey = ec();
            X500Name caName = new X500Name("CN=Bench OCSP CA, O=certgate bench");
            Date from = Date.from(now.minusSeconds(86_400));
            Date to = Date.from(now.plusSeconds(365L * 86_400));
            X509v3CertificateBuilder caBuilder = new JcaX509v3CertificateBuilder(caName, BigInteger.ONE, from, to,
                    caName, caKey.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            X509CertificateHolder ca = caBuilder.build(new JcaContentSignerBuilder("SHA256withECDSA")
                    .build(caKey.getPrivate()));
            X509CertificateHolder responder = new JcaX509v3CertificateBuilder(caName, BigInteger.TWO, from, to,
                    new X500Name("CN=Bench OCSP Responder, O=certgate bench"), responderKey.getPublic())
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                    .addExtension(Extension.extendedKeyUsage, false,
                            new ExtendedKeyUsage(KeyPurposeId.id_kp_OCSPSigning))
                    .build(new JcaContentSignerBuilder("SHA256withECDSA").build(caKey.getPrivate()));
            X509v2CRLBuilder crlBuilder = new X509v2CRLBuilder(caName, Date.from(now.minusSeconds(3_600)));
            crlBuilder.setNextUpdate(Date.from(now.plusSeconds(7L * 86_400)));
            crlBuilder.addExtension(Extension.cRLNumber, false, new CRLNumber(BigInteger.ONE));
            List<BigInteger> serials = new ArrayList<>();
            List<Boolean> revoked = new ArrayList<>();
            List<byte[]> requests = new ArrayList<>();
            DigestCalculator sha1 = new JcaDigestCalculatorProviderBuilder().build().get(CertificateID.HASH_SHA1);
            for (int i = 0; i < serialCount; i++) {
                BigInteger serial = BigInteger.valueOf(0x1000_0000L + 7919L * i);
                boolean isRevoked = revokedEvery > 0 && i % revokedEvery == 0;
                serials.add(serial);
                revoked.add(isRevoked);
                if (isRevoked) {
                    crlBuilder.addCRLEntry(serial, Date.from(now.minusSeconds(86_400)), CRLReason.keyCompromise);
                }
                requests.add(new OCSPReqBuilder().addRequest(new CertificateID(sha1, ca, serial)).build()
                        .getEncoded());
            }
            X509CRLHolder crl = crlBuilder.build(new JcaContentSignerBuilder("SHA256withECDSA")
                    .build(caKey.getPrivate()));
            return new OcspBenchPki(ca, responder, responderKey.getPrivate(), crl.getEncoded(), List.copyOf(serials),
                    List.copyOf(revoked), List.copyOf(requests));
        } catch (GeneralSecurityException | OperatorCreationException | OCSPException | IOException e) {
            throw new IllegalStateException("building the benchmark PKI failed: " + e, e);
        }
    }

    /** Writes ca.pem, responder.pem, responder.key (owner-only), ca.crl and OpenSSL's index.txt into {@code dir}. */
    void write(Path dir, Instant now) {
        try {
            Files.writeString(dir.resolve("ca.pem"), pem("CERTIFICATE", ca.getEncoded()));
            Files.writeString(dir.resolve("responder.pem"), pem("CERTIFICATE", responder.getEncoded()));
            Path key = Files.createFile(dir.resolve("responder.key"), PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rw-------")));
            Files.writeString(key, pem("PRIVATE KEY", responderKey.getEncoded()));
            Files.write(dir.resolve("ca.crl"), crl);
            StringBuilder index = new StringBuilder();
            String expires = INDEX_TIME.format(now.plusSeconds(365L * 86_400));
            String revokedAt = INDEX_TIME.format(now.minusSeconds(86_400));
            for (int i = 0; i < serials.size(); i++) {
                String hex = serials.get(i).toString(16).toUpperCase(Locale.ROOT);
                hex = hex.length() % 2 == 1 ? "0" + hex : hex;
                index.append(revoked.get(i) ? "R" : "V").append('\t').append(expires).append('\t')
                        .append(revoked.get(i) ? revokedAt + ",keyCompromise" : "").append('\t').append(hex)
                        .append("\tunknown\t/CN=peer-").append(i).append('\n');
            }
            Files.writeString(dir.resolve("index.txt"), index.toString());
            Files.writeString(dir.resolve("index.txt.attr"), "unique_subject = no\n");
        } catch (IOException e) {
            throw new UncheckedIOException("writing the benchmark PKI to " + dir + " failed: " + e.getMessage(), e);
        }
    }

    private static String pem(String label, byte[] der) {
        return "-----BEGIN " + label + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + label + "-----\n";
    }

    private static KeyPair ec() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }
}
