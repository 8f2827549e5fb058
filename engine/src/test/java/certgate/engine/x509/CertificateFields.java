package certgate.engine.x509;

import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * What a certificate reading yields, as plain comparable values: the differential property compares the hand
 * reader's {@link ParsedCertificate} with the BouncyCastle oracle ({@link CertificateOracle}) through this.
 * Names are compared by their text, their comparison keys and their DN model; byte values as hex.
 */
record CertificateFields(int version, BigInteger serial, String serialHex, NameFields subject, NameFields issuer,
                         String subjectX500, String issuerX500, Instant notBefore, Instant notAfter,
                         String signatureAlgorithmId, String signatureAlgorithm, boolean signatureAlgorithmsMatch,
                         String tbs, String signature, Optional<String> signatureProblem, String publicKeyInfo,
                         Optional<ParsedCertificate.Basic> basic, boolean hasKeyUsage, int keyUsage,
                         Optional<String> subjectKeyId, Optional<String> authorityKeyId, boolean sanPresent,
                         String altNames, Optional<String> nameConstraints, Optional<String> crlDistributionPoints,
                         Optional<List<String>> extendedKeyUsage, boolean extendedKeyUsageCritical,
                         List<String> unknownCriticalExtensions, List<String> profileProblems,
                         Optional<String> serialProblem, List<String> subjectEmails) {

    /** A name as its users see it: RFC 4514 text, the DN model's string, RDN keys, and its encoding. */
    record NameFields(String text, String dn, List<String> rdnKeys, boolean empty) {
        static NameFields of(Names.Name name) {
            return new NameFields(name.text(), name.dn().rdns().toString(), name.rdnKeys(), name.isEmpty());
        }
    }

    static CertificateFields of(ParsedCertificate certificate) throws Exception {
        int keyUsage = 0;
        for (int bit = 0; bit < 32; bit++) {
            if (certificate.keyUsageAllows(1 << bit)) {
                keyUsage |= 1 << bit;
            }
        }
        byte[] tbs = new byte[certificate.tbs().remaining()];
        certificate.tbs().get(tbs);
        return new CertificateFields(certificate.version(), certificate.serial(), certificate.serialHex(),
                NameFields.of(certificate.subject()), NameFields.of(certificate.issuer()),
                hex(certificate.subjectX500().getEncoded()), hex(certificate.issuerX500().getEncoded()),
                certificate.notBefore(), certificate.notAfter(), hex(certificate.signatureAlgorithmId().getEncoded()),
                String.valueOf(certificate.signatureAlgorithm()), certificate.signatureAlgorithmsMatch(), hex(tbs),
                hex(certificate.signature()), certificate.signatureProblem(),
                hex(certificate.publicKeyInfo().getEncoded()), certificate.basicConstraints(),
                certificate.hasKeyUsage(), keyUsage, certificate.subjectKeyId(), certificate.authorityKeyId(),
                certificate.hasSubjectAltName(), altNames(certificate.altNames()),
                certificate.nameConstraints().map(c -> altNames(c.permitted()) + " / " + altNames(c.excluded())
                        + " / " + c.critical()),
                certificate.crlDistributionPoints().map(CertificateFields::encoded),
                certificate.extendedKeyUsage(), certificate.extendedKeyUsageCritical(),
                certificate.unknownCriticalExtensions(), certificate.profileProblems(), certificate.serialProblem(),
                certificate.subjectEmails());
    }

    static String altNames(AltNames names) {
        List<String> directories = new ArrayList<>();
        for (Names.Name name : names.directoryNames()) {
            directories.add(NameFields.of(name).toString());
        }
        return altNames(names.dnsNames(), names.ipAddresses(), names.emails(), directories, names.uris(),
                names.otherForms().stream().sorted().toList());
    }

    static String altNames(List<String> dns, List<byte[]> ips, List<String> emails, List<String> directories,
                           List<String> uris, List<Integer> otherForms) {
        return "dns=" + dns + " ip=" + ips.stream().map(CertificateFields::hex).toList() + " email=" + emails
                + " dir=" + directories + " uri=" + uris + " other=" + otherForms;
    }

    static String encoded(org.bouncycastle.asn1.ASN1Object object) {
        try {
            return hex(object.getEncoded());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
