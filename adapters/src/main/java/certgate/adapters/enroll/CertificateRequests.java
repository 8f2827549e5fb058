package certgate.adapters.enroll;

import certgate.adapters.pem.BouncyCastle;
import certgate.adapters.pem.Pem;
import certgate.adapters.pem.PkiFileException;
import certgate.adapters.pem.PkiFiles;
import certgate.dsl.dn.DistinguishedName;
import certgate.eventstore.Blob;
import certgate.eventstore.IkeIdentity;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.pkcs.Attribute;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * PKCS#10 certificate requests (RFC 2986), the p10 file a gateway sends its CA: the subject DN, the public key,
 * and an extensionRequest attribute (PKCS#9) holding the subjectAltName the certificate is to carry, signed with
 * the key. As Junos requires, a request names at least one IP address, FQDN or U-FQDN (e-mail address): they
 * are the IKE IDs the gateway presents, which a peer finds in the certificate's subjectAltName.
 */
public final class CertificateRequests {
    /** The rule a request without subjectAltName breaks, in Junos's words. */
    public static final String AT_LEAST_ONE_NAME = "you must define at least one IP address, FQDN, or U-FQDN/e-mail"
            + " address when you generate a certificate request";

    private CertificateRequests() {
    }

    /** A request: its DER, and the subject and subjectAltNames it holds (names in normal form). */
    public record Request(byte[] der, DistinguishedName subject, List<IkeIdentity> subjectAltNames,
                          byte[] subjectPublicKeyInfo, boolean signatureVerifies) {
        public Request {
            der = der.clone();
            Objects.requireNonNull(subject, "subject");
            subjectAltNames = List.copyOf(subjectAltNames);
            subjectPublicKeyInfo = subjectPublicKeyInfo.clone();
        }

        /** The SHA-256 of the DER, hex. */
        public String sha256() {
            return GatewayKey.sha256Hex(der);
        }

        /** RFC 7468 PEM, label CERTIFICATE REQUEST (as OpenSSL writes it). */
        public byte[] pem() {
            return Pem.encode("CERTIFICATE REQUEST", der);
        }
    }

    /**
     * Builds and signs a request for {@code key}.
     *
     * @param subjectAltNames IP, FQDN and U-FQDN values, already checked with the policy language's syntax
     * @throws EnrollException when the subject is empty or no subjectAltName is given
     */
    public static Request build(GatewayKey key, DistinguishedName subject, List<IkeIdentity> subjectAltNames)
            throws EnrollException {
        if (subject.isEmpty()) {
            throw new EnrollException("--subject is empty: a request names its subject, \"CN=gw1, O=Example\"");
        }
        if (subjectAltNames.isEmpty()) {
            throw new EnrollException("no --san given: " + AT_LEAST_ONE_NAME + " (--san fqdn:NAME, --san ip:ADDRESS"
                    + " or --san ufqdn:MAILBOX)");
        }
        List<GeneralName> names = new ArrayList<>();
        for (IkeIdentity name : subjectAltNames) {
            try {
                GeneralName general = Names.toGeneralName(name);
                if (!names.contains(general)) {
                    names.add(general);
                }
            } catch (IllegalArgumentException e) {
                throw new EnrollException("--san " + name + ": " + e.getMessage());
            }
        }
        try {
            ExtensionsGenerator extensions = new ExtensionsGenerator();
            extensions.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(names.toArray(GeneralName[]::new)));
            ContentSigner signer = new JcaContentSignerBuilder(key.signatureAlgorithm()).build(key.privateKey());
            PKCS10CertificationRequest request = new JcaPKCS10CertificationRequestBuilder(Names.toX500(subject),
                    key.publicKey())
                    .addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, extensions.generate())
                    .build(signer);
            return parse("the request just built", request.getEncoded());
        } catch (IOException | OperatorCreationException e) {
            throw new IllegalStateException("cannot sign a request with a " + key.spec().name() + " key: "
                    + e.getMessage(), e);
        }
    }

    /** Reads a request file's content (PEM or DER), named {@code name} in messages; checks its signature. */
    public static Request parse(String name, byte[] content) throws EnrollException {
        byte[] der;
        try {
            List<Blob> objects = PkiFiles.decode(name, content, PkiFiles.Kind.CERTIFICATE_REQUEST);
            if (objects.size() != 1) {
                throw new EnrollException(name + ": holds " + objects.size() + " PEM blocks, expected one"
                        + " certificate request");
            }
            der = objects.get(0).bytes();
            PkiFiles.check(name, der, PkiFiles.Kind.CERTIFICATE_REQUEST);
        } catch (PkiFileException e) {
            throw new EnrollException(e.getMessage(), e);
        }
        try {
            PKCS10CertificationRequest request = new PKCS10CertificationRequest(der);
            List<IkeIdentity> names = new ArrayList<>();
            for (Attribute attribute : request.getAttributes(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest)) {
                for (ASN1Encodable value : attribute.getAttrValues()) {
                    GeneralNames general = GeneralNames.fromExtensions(Extensions.getInstance(value),
                            Extension.subjectAlternativeName);
                    if (general != null) {
                        for (GeneralName one : general.getNames()) {
                            Names.fromGeneralName(one).ifPresent(names::add);
                        }
                    }
                }
            }
            boolean verifies = request.isSignatureValid(new JcaContentVerifierProviderBuilder()
                    .setProvider(BouncyCastle.PROVIDER).build(request.getSubjectPublicKeyInfo()));
            return new Request(der, Names.fromX500(request.getSubject()), names,
                    request.getSubjectPublicKeyInfo().getEncoded(), verifies);
        } catch (IOException | OperatorCreationException | PKCSException | RuntimeException e) {
            throw new EnrollException(name + ": not a PKCS#10 certificate request: " + e.getMessage(), e);
        }
    }
}
