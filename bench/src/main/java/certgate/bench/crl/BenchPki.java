package certgate.bench.crl;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.SplittableRandom;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1UTCTime;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERTaggedObject;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The benchmark's inputs: a root, an intermediate and an issuing CA (RSA-2048, SHA-256), peer certificates
 * issued by the issuing CA (a dNSName each), an empty CRL from the root and from the intermediate, and a large
 * CRL from the issuing CA. Every {@code revokedEvery}-th peer is on the large CRL, so all validators must also
 * say no sometimes. The large CRL is written byte by byte, not with BouncyCastle's builder (which holds an
 * object per entry), so a million entries take a second or two.
 */
public final class BenchPki {
    static final AlgorithmIdentifier SHA256_RSA =
            new AlgorithmIdentifier(PKCSObjectIdentifiers.sha256WithRSAEncryption, DERNull.INSTANCE);

    public final Instant at;
    public final X509Certificate root;
    public final X509Certificate intermediate;
    public final X509Certificate issuing;
    final List<X509Certificate> peers;
    public final List<byte[]> peerDers;
    public final boolean[] revoked;
    public final byte[] rootCrl;
    public final byte[] intermediateCrl;
    public final byte[] issuingCrl;
    public final int crlEntries;
    private final byte[] revokedList;
    private final PrivateKey issuingKey;

    private BenchPki(Instant at, X509Certificate root, X509Certificate intermediate, X509Certificate issuing,
                     List<X509Certificate> peers, boolean[] revoked, byte[] rootCrl, byte[] intermediateCrl,
                     byte[] revokedList, PrivateKey issuingKey, int crlEntries) {
        this.at = at;
        this.root = root;
        this.intermediate = intermediate;
        this.issuing = issuing;
        this.peers = List.copyOf(peers);
        this.peerDers = peers.stream().map(BenchPki::encoded).toList();
        this.revoked = revoked;
        this.rootCrl = rootCrl;
        this.intermediateCrl = intermediateCrl;
        this.revokedList = revokedList;
        this.issuingKey = issuingKey;
        this.issuingCrl = issuingCrlNumbered(1_000);
        this.crlEntries = crlEntries;
    }

    /**
     * The issuing CA's CRL again, with another cRLNumber: the same entries in different bytes. The JDK's
     * CertificateFactory caches CRLs by their bytes, so each timed load needs bytes it has not seen.
     */
    byte[] issuingCrlNumbered(int crlNumber) {
        try {
            return signedCrl(issuing, issuingKey, at, revokedList, crlNumber);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign the benchmark CRL: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String peerName(int index) {
        return "peer-" + index + ".example.net";
    }

    public static BenchPki build(int peerCount, int crlEntries, int revokedEvery, Progress progress) {
        try {
            Instant at = Instant.parse("2025-06-01T12:00:00Z");
            Instant notBefore = at.minusSeconds(30L * 86_400);
            Instant notAfter = at.plusSeconds(3L * 365 * 86_400);
            progress.step("generating RSA-2048 keys");
            KeyPair rootKey = rsa();
            KeyPair intermediateKey = rsa();
            KeyPair issuingKey = rsa();
            KeyPair[] peerKeys = {rsa(), rsa()};

            progress.step("issuing the CA certificates");
            X500Name rootName = new X500Name("CN=Bench Root CA, O=certgate bench, C=US");
            X500Name intermediateName = new X500Name("CN=Bench Intermediate CA, O=certgate bench, C=US");
            X500Name issuingName = new X500Name("CN=Bench Issuing CA, O=certgate bench, C=US");
            X509Certificate root = ca(rootName, rootKey, rootName, rootKey, null, notBefore, notAfter, 2);
            X509Certificate intermediate = ca(intermediateName, intermediateKey, rootName, rootKey, root, notBefore,
                    notAfter, 1);
            X509Certificate issuing = ca(issuingName, issuingKey, intermediateName, intermediateKey, intermediate,
                    notBefore, notAfter, 0);

            SplittableRandom random = new SplittableRandom(20250601L);
            List<X509Certificate> peers = new ArrayList<>(peerCount);
            boolean[] revoked = new boolean[peerCount];
            List<BigInteger> revokedSerials = new ArrayList<>();
            ContentSigner issuingSigner = signer(issuingKey.getPrivate());
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            for (int i = 0; i < peerCount; i++) {
                if (i % 100 == 0) {
                    progress.count("issuing peer certificates", i, peerCount);
                }
                BigInteger serial = serial(random);
                KeyPair peerKey = peerKeys[i % peerKeys.length];
                X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuing, serial,
                        Date.from(notBefore), Date.from(notAfter),
                        new X500Name("CN=" + peerName(i) + ", O=certgate bench, C=US"), peerKey.getPublic());
                builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
                builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
                builder.addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(new GeneralName(GeneralName.dNSName, peerName(i))));
                builder.addExtension(Extension.authorityKeyIdentifier, false,
                        utils.createAuthorityKeyIdentifier(issuing));
                peers.add(certificate(builder.build(issuingSigner)));
                if (revokedEvery > 0 && i % revokedEvery == revokedEvery - 1) {
                    revoked[i] = true;
                    revokedSerials.add(serial);
                }
            }
            progress.done("issuing peer certificates", peerCount);

            byte[] rootCrl = emptyCrl(root, rootKey, at);
            byte[] intermediateCrl = emptyCrl(intermediate, intermediateKey, at);
            progress.step("writing the issuing CA's CRL of " + crlEntries + " entries");
            byte[] revokedList = revokedEntries(at, crlEntries, revokedSerials, random);
            return new BenchPki(at, root, intermediate, issuing, peers, revoked, rootCrl, intermediateCrl,
                    revokedList, issuingKey.getPrivate(), crlEntries + revokedSerials.size());
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("cannot build the benchmark PKI: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A random positive 16-byte serial, as CAs make them (17 content bytes when the top bit is set). */
    private static BigInteger serial(SplittableRandom random) {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        bytes[0] |= 0x01;
        return new BigInteger(1, bytes);
    }

    private static X509Certificate ca(X500Name subject, KeyPair key, X500Name issuerName, KeyPair issuerKey,
                                      X509Certificate issuer, Instant notBefore, Instant notAfter, int pathLength)
            throws GeneralSecurityException, OperatorCreationException, IOException {
        JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuerName,
                BigInteger.valueOf(subject.hashCode() & 0x7fffffffL), Date.from(notBefore), Date.from(notAfter),
                subject, key.getPublic());
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(pathLength));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        builder.addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(key.getPublic()));
        if (issuer != null) {
            builder.addExtension(Extension.authorityKeyIdentifier, false, utils.createAuthorityKeyIdentifier(issuer));
        }
        return certificate(builder.build(signer(issuerKey.getPrivate())));
    }

    private static byte[] emptyCrl(X509Certificate issuer, KeyPair key, Instant at)
            throws GeneralSecurityException, OperatorCreationException, IOException {
        X509v2CRLBuilder builder = new X509v2CRLBuilder(X500Name.getInstance(issuer.getSubjectX500Principal()
                .getEncoded()), Date.from(at.minusSeconds(3_600)));
        builder.setNextUpdate(Date.from(at.plusSeconds(7L * 86_400)));
        builder.addExtension(Extension.authorityKeyIdentifier, false,
                new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(issuer));
        builder.addExtension(Extension.cRLNumber, false, new ASN1Integer(1));
        return builder.build(signer(key.getPrivate())).getEncoded();
    }

    /**
     * The content of revokedCertificates: {@code count} random 16-byte serials revoked in the year before
     * {@code at}, half with a reasonCode, and {@code alsoRevoked} spread evenly among them. Written as DER
     * directly.
     */
    static byte[] revokedEntries(Instant at, int count, List<BigInteger> alsoRevoked, SplittableRandom random) {
        int total = count + alsoRevoked.size();
        DerOut entries = new DerOut(total * 52 + 64);
        int extras = alsoRevoked.size();
        int nextExtra = 0;
        long yearAgo = at.getEpochSecond() - 365L * 86_400;
        byte[] time = new byte[13];
        for (int i = 0; i < total; i++) {
            // the extra serials sit at evenly spaced places among the random ones
            boolean extra = nextExtra < extras && i == (int) ((2L * nextExtra + 1) * total / (2L * extras));
            BigInteger serial = extra ? alsoRevoked.get(nextExtra++) : serial(random);
            byte[] content = serial.toByteArray();
            utcTime(yearAgo + random.nextLong(365L * 86_400 - 7_200), time);
            int reason = random.nextBoolean() ? random.nextInt(6) : -1;
            int length = 2 + content.length + 15 + (reason >= 0 ? 14 : 0);
            entries.tag(0x30, length);
            entries.tag(0x02, content.length);
            entries.bytes(content);
            entries.tag(0x17, 13);
            entries.bytes(time);
            if (reason >= 0) {
                entries.bytes(new byte[] {0x30, 0x0c, 0x30, 0x0a, 0x06, 0x03, 0x55, 0x1d, 0x15, 0x04, 0x03, 0x0a,
                    0x01, (byte) reason});
            }
        }
        return entries.toByteArray();
    }

    /** A v2 CRL by {@code issuer} around the revoked entries, with AKI and cRLNumber, signed SHA256withRSA. */
    static byte[] signedCrl(X509Certificate issuer, PrivateKey key, Instant at, byte[] revokedList, int crlNumber)
            throws GeneralSecurityException, IOException {
        Extensions extensions = new Extensions(new Extension[] {
            new Extension(Extension.authorityKeyIdentifier, false,
                    new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(issuer).getEncoded(ASN1Encoding.DER)),
            new Extension(Extension.cRLNumber, false, new ASN1Integer(crlNumber).getEncoded(ASN1Encoding.DER))});
        byte[] head = concat(
                der(new ASN1Integer(1)), der(SHA256_RSA), issuer.getSubjectX500Principal().getEncoded(),
                der(new ASN1UTCTime(Date.from(at.minusSeconds(3_600)))),
                der(new ASN1UTCTime(Date.from(at.plusSeconds(7L * 86_400)))));
        byte[] tail = der(new DERTaggedObject(true, 0, extensions));

        DerOut tbs = new DerOut(revokedList.length + head.length + tail.length + 32);
        int revokedHeader = DerOut.headerLength(revokedList.length);
        tbs.tag(0x30, head.length + revokedHeader + revokedList.length + tail.length);
        tbs.bytes(head);
        tbs.tag(0x30, revokedList.length);
        tbs.bytes(revokedList);
        tbs.bytes(tail);
        byte[] tbsBytes = tbs.toByteArray();

        Signature signer = Signature.getInstance("SHA256withRSA");
        signer.initSign(key);
        signer.update(tbsBytes);
        byte[] signature = signer.sign();
        byte[] algorithm = der(SHA256_RSA);
        int bitStringLength = signature.length + 1;
        int contentLength = tbsBytes.length + algorithm.length + DerOut.headerLength(bitStringLength)
                + bitStringLength;
        DerOut out = new DerOut(contentLength + 8);
        out.tag(0x30, contentLength);
        out.bytes(tbsBytes);
        out.bytes(algorithm);
        out.tag(0x03, bitStringLength);
        out.bytes(new byte[] {0});
        out.bytes(signature);
        return out.toByteArray();
    }

    private static void utcTime(long epochSecond, byte[] out) {
        LocalDateTime time = LocalDateTime.ofEpochSecond(epochSecond, 0, ZoneOffset.UTC);
        int[] fields = {time.getYear() % 100, time.getMonthValue(), time.getDayOfMonth(), time.getHour(),
            time.getMinute(), time.getSecond()};
        for (int i = 0; i < fields.length; i++) {
            out[2 * i] = (byte) ('0' + fields[i] / 10);
            out[2 * i + 1] = (byte) ('0' + fields[i] % 10);
        }
        out[12] = 'Z';
    }

    private static KeyPair rsa() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048, new SecureRandom());
        return generator.generateKeyPair();
    }

    private static ContentSigner signer(PrivateKey key) throws OperatorCreationException {
        return new JcaContentSignerBuilder("SHA256withRSA").build(key);
    }

    private static X509Certificate certificate(X509CertificateHolder holder) throws GeneralSecurityException {
        return new JcaX509CertificateConverter().getCertificate(holder);
    }

    public static byte[] encoded(X509Certificate certificate) {
        try {
            return certificate.getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] der(ASN1Encodable value) throws IOException {
        return value.toASN1Primitive().getEncoded(ASN1Encoding.DER);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    /** A growable DER output buffer. */
    static final class DerOut {
        private byte[] buffer;
        private int size;

        DerOut(int capacity) {
            buffer = new byte[Math.max(16, capacity)];
        }

        void tag(int tag, int length) {
            ensure(6);
            buffer[size++] = (byte) tag;
            if (length < 0x80) {
                buffer[size++] = (byte) length;
            } else {
                int count = (39 - Integer.numberOfLeadingZeros(length)) / 8;
                buffer[size++] = (byte) (0x80 | count);
                for (int shift = (count - 1) * 8; shift >= 0; shift -= 8) {
                    buffer[size++] = (byte) (length >>> shift);
                }
            }
        }

        static int headerLength(int length) {
            return length < 0x80 ? 2 : 2 + (39 - Integer.numberOfLeadingZeros(length)) / 8;
        }

        void bytes(byte[] bytes) {
            ensure(bytes.length);
            System.arraycopy(bytes, 0, buffer, size, bytes.length);
            size += bytes.length;
        }

        private void ensure(int more) {
            if (size + more > buffer.length) {
                buffer = Arrays.copyOf(buffer, Math.max(size + more, buffer.length + (buffer.length >> 1)));
            }
        }

        byte[] toByteArray() {
            return size == buffer.length ? buffer : Arrays.copyOf(buffer, size);
        }
    }

    /** Progress lines on stderr during long work. */
    public interface Progress {
        void step(String what);

        void count(String what, int done, int total);

        void done(String what, int total);

        /** Each step as a "[bench]" line on {@code err}, counts rewritten in place on one line. */
        static Progress to(PrintStream err) {
            return new Progress() {
                @Override
                public void step(String what) {
                    err.println("[bench] " + what);
                }

                @Override
                public void count(String what, int done, int total) {
                    err.print("\r[bench] " + what + " " + done + "/" + total);
                }

                @Override
                public void done(String what, int total) {
                    err.println("\r[bench] " + what + " " + total + "/" + total);
                }
            };
        }

        static Progress none() {
            return new Progress() {
                @Override
                public void step(String what) {
                }

                @Override
                public void count(String what, int done, int total) {
                }

                @Override
                public void done(String what, int total) {
                }
            };
        }
    }
}
