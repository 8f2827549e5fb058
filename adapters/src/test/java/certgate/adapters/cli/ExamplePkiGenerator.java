package certgate.adapters.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.ECNamedCurveTable;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.jce.spec.ECNamedCurveParameterSpec;
import org.bouncycastle.jce.spec.ECPrivateKeySpec;
import org.bouncycastle.jce.spec.ECPublicKeySpec;
import org.bouncycastle.operator.ContentSigner;

/**
 * Makes the example PKI shipped in {@code policies/examples/pki}: a root CA, an issuing CA (with its private key,
 * for examples that issue a certificate), a good and a revoked gateway certificate, and a CRL from each CA, all ECDSA P-256 and valid into 2046. Deterministic: keys come
 * from fixed labels and signatures are RFC 6979 deterministic ECDSA, so running it again writes the same bytes
 * (and {@link ExamplePkiTest} checks that the shipped files are exactly what it makes). The keys are therefore
 * public knowledge: this PKI is for examples only.
 *
 * <p>Run: {@code java -cp <test classpath> certgate.adapters.cli.ExamplePkiGenerator policies/examples/pki}
 * (the README in that directory gives the full command).
 */
public final class ExamplePkiGenerator {
    static final Instant NOT_BEFORE = Instant.parse("2026-01-01T00:00:00Z");
    static final Instant CA_NOT_AFTER = Instant.parse("2046-12-31T23:59:59Z");
    static final Instant PEER_NOT_AFTER = Instant.parse("2046-06-30T23:59:59Z");
    static final Instant REVOKED_AT = Instant.parse("2026-03-01T00:00:00Z");
    static final BigInteger REVOKED_SERIAL = BigInteger.valueOf(0x1002);
    static final String ISSUING_CA_KEY = "issuing-ca.EXAMPLE-ONLY.key";

    private static final BouncyCastleProvider BC = new BouncyCastleProvider();
    private static final ECNamedCurveParameterSpec P256 = ECNamedCurveTable.getParameterSpec("P-256");

    private ExamplePkiGenerator() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: ExamplePkiGenerator DIRECTORY");
            System.exit(2);
        }
        Path directory = Path.of(args[0]);
        Files.createDirectories(directory);
        for (Map.Entry<String, byte[]> file : files().entrySet()) {
            try (OutputStream out = Files.newOutputStream(directory.resolve(file.getKey()))) {
                out.write(file.getValue());
            }
            System.out.println("wrote " + directory.resolve(file.getKey()));
        }
    }

    /** File name to content, in a stable order. */
    public static Map<String, byte[]> files() {
        try {
            KeyPair rootKey = key("root-ca");
            KeyPair issuingKey = key("issuing-ca");
            X500Name root = name("Example Root CA", null);
            X500Name issuing = name("Example Issuing CA", null);

            X509CertificateHolder rootCert = certificate(root, rootKey, root, rootKey, BigInteger.ONE,
                    CA_NOT_AFTER, caExtensions(null), null);
            X509CertificateHolder issuingCert = certificate(issuing, issuingKey, root, rootKey, BigInteger.TWO,
                    CA_NOT_AFTER, caExtensions(0), rootKey);
            X509CertificateHolder good = peer("gw1.example.net", BigInteger.valueOf(0x1001), issuing, issuingKey);
            X509CertificateHolder revoked = peer("gw2.example.net", REVOKED_SERIAL, issuing, issuingKey);

            Map<String, byte[]> files = new LinkedHashMap<>();
            files.put("root-ca.pem", pem("CERTIFICATE", rootCert.getEncoded()));
            files.put("issuing-ca.pem", pem("CERTIFICATE", issuingCert.getEncoded()));
            files.put("gw-good.pem", pem("CERTIFICATE", good.getEncoded()));
            files.put("gw-revoked.pem", pem("CERTIFICATE", revoked.getEncoded()));
            files.put("issuing-ca.crl", pem("X509 CRL", crl(issuing, issuingKey, REVOKED_SERIAL)));
            files.put("root-ca.crl", pem("X509 CRL", crl(root, rootKey, null)));
            // The issuing CA's key, which the README's walk of the gateway's own certificate signs with (openssl
            // x509 -req -CAkey): public knowledge like every key here, and named so that nobody takes it for more.
            files.put(ISSUING_CA_KEY, pem("PRIVATE KEY", issuingKey.getPrivate().getEncoded()));
            return files;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build the example PKI", e);
        }
    }

    private static X509CertificateHolder peer(String fqdn, BigInteger serial, X500Name issuer, KeyPair issuerKey)
            throws GeneralSecurityException, IOException {
        KeyPair key = key(fqdn);
        Extras extras = (builder, utils) -> {
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            builder.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(new GeneralName(GeneralName.dNSName, fqdn)));
        };
        return certificate(name(fqdn, "VPN"), key, issuer, issuerKey, serial, PEER_NOT_AFTER, extras, issuerKey);
    }

    private interface Extras {
        void add(X509v3CertificateBuilder builder, JcaX509ExtensionUtils utils) throws IOException;
    }

    private static Extras caExtensions(Integer pathLength) {
        return (builder, utils) -> {
            builder.addExtension(Extension.basicConstraints, true,
                    pathLength == null ? new BasicConstraints(true) : new BasicConstraints(pathLength));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        };
    }

    private static X509CertificateHolder certificate(X500Name subject, KeyPair subjectKey, X500Name issuer,
            KeyPair signerKey, BigInteger serial, Instant notAfter, Extras extras, KeyPair authorityKey)
            throws GeneralSecurityException, IOException {
        JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer, serial, Date.from(NOT_BEFORE),
                Date.from(notAfter), subject, subjectKey.getPublic());
        builder.addExtension(Extension.subjectKeyIdentifier, false,
                utils.createSubjectKeyIdentifier(subjectKey.getPublic()));
        if (authorityKey != null) {
            builder.addExtension(Extension.authorityKeyIdentifier, false,
                    utils.createAuthorityKeyIdentifier(authorityKey.getPublic()));
        }
        extras.add(builder, utils);
        return builder.build(new DeterministicSigner(signerKey.getPrivate()));
    }

    private static byte[] crl(X500Name issuer, KeyPair issuerKey, BigInteger revokedSerial)
            throws GeneralSecurityException, IOException {
        X509v2CRLBuilder builder = new X509v2CRLBuilder(issuer, Date.from(NOT_BEFORE));
        builder.setNextUpdate(Date.from(PEER_NOT_AFTER));
        if (revokedSerial != null) {
            builder.addCRLEntry(revokedSerial, Date.from(REVOKED_AT), CRLReason.keyCompromise);
        }
        builder.addExtension(Extension.authorityKeyIdentifier, false,
                new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(issuerKey.getPublic()));
        builder.addExtension(Extension.cRLNumber, false, new CRLNumber(BigInteger.ONE));
        return builder.build(new DeterministicSigner(issuerKey.getPrivate())).getEncoded();
    }

    /** RFC 4514 reads most specific first; the DER holds C first, so the builder adds C first. */
    private static X500Name name(String commonName, String organizationalUnit) {
        X500NameBuilder builder = new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.C, "US")
                .addRDN(BCStyle.O, "Example");
        if (organizationalUnit != null) {
            builder.addRDN(BCStyle.OU, organizationalUnit);
        }
        return builder.addRDN(BCStyle.CN, commonName).build();
    }

    /** A P-256 key derived from a label: reproducible, and so not secret. */
    static KeyPair key(String label) throws GeneralSecurityException {
        byte[] seed = MessageDigest.getInstance("SHA-256")
                .digest(("certgate example pki: " + label).getBytes(StandardCharsets.UTF_8));
        BigInteger d = new BigInteger(1, seed).mod(P256.getN().subtract(BigInteger.ONE)).add(BigInteger.ONE);
        KeyFactory factory = KeyFactory.getInstance("EC", BC);
        return new KeyPair(
                factory.generatePublic(new ECPublicKeySpec(P256.getG().multiply(d).normalize(), P256)),
                factory.generatePrivate(new ECPrivateKeySpec(d, P256)));
    }

    public static byte[] pem(String label, byte[] der) {
        String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
        return ("-----BEGIN " + label + "-----\n" + body + "\n-----END " + label + "-----\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    /** ecdsa-with-SHA256 with RFC 6979 nonces (BouncyCastle's SHA256withECDDSA), so output is reproducible. */
    private static final class DeterministicSigner implements ContentSigner {
        private final Signature signature;
        private final OutputStream stream;

        DeterministicSigner(PrivateKey key) throws GeneralSecurityException {
            signature = Signature.getInstance("SHA256withECDDSA", BC);
            signature.initSign(key);
            stream = new OutputStream() {
                @Override
                public void write(int b) throws IOException {
                    write(new byte[] {(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] bytes, int offset, int length) throws IOException {
                    try {
                        signature.update(bytes, offset, length);
                    } catch (GeneralSecurityException e) {
                        throw new IOException(e);
                    }
                }
            };
        }

        @Override
        public AlgorithmIdentifier getAlgorithmIdentifier() {
            return new AlgorithmIdentifier(new ASN1ObjectIdentifier(X9ObjectIdentifiers.ecdsa_with_SHA256.getId()));
        }

        @Override
        public OutputStream getOutputStream() {
            return stream;
        }

        @Override
        public byte[] getSignature() {
            try {
                return signature.sign();
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("signing failed", e);
            }
        }
    }
}
