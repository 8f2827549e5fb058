package certgate.adapters.ocsp;

import certgate.der.Der;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.ocsp.OCSPRequest;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.OCSPReq;
import org.bouncycastle.cert.ocsp.Req;

/**
 * An OCSP request (RFC 6960 4.1) as the responder answers it: the CertIDs asked about and the nonce to echo. The
 * bytes are checked as one well-framed DER element by certgate's own walk before BouncyCastle parses them (which
 * bounds nesting and length), and must be DER exactly; anything else, an empty or oversized list of CertIDs, or a
 * nonce outside RFC 8954's 1..32 octets, is {@link Malformed}: the client gets {@code malformedRequest}.
 */
record OcspRequest(List<CertificateID> certIds, Optional<Extension> nonce) {
    /** Far more than any request needs (a CertID takes about 80 bytes). */
    static final int MAX_BYTES = 16 * 1024;
    /** The most CertIDs answered in one request; clients ask about one certificate at a time. */
    static final int MAX_CERT_IDS = 32;
    /** RFC 8954 2.1: a nonce has 1..32 octets, and a request with a longer or empty one is malformed. */
    static final int MAX_NONCE_BYTES = 32;

    OcspRequest {
        certIds = List.copyOf(certIds);
    }

    /** Why a request is malformed, for the service's log; the client is told only {@code malformedRequest}. */
    static final class Malformed extends Exception {
        private static final long serialVersionUID = 1L;

        Malformed(String message) {
            super(message, null, false, false);
        }
    }

    static OcspRequest parse(byte[] der) throws Malformed {
        if (der.length == 0) {
            throw new Malformed("empty request");
        }
        if (der.length > MAX_BYTES) {
            throw new Malformed("request of more than " + MAX_BYTES + " bytes");
        }
        Optional<String> framing = Der.problem(der);
        if (framing.isPresent()) {
            throw new Malformed("not one DER element: " + framing.get());
        }
        try {
            ASN1Primitive parsed = ASN1Primitive.fromByteArray(der);
            if (!Arrays.equals(parsed.getEncoded(ASN1Encoding.DER), der)) {
                throw new Malformed("not DER (its DER encoding differs)");
            }
            OCSPReq request = new OCSPReq(OCSPRequest.getInstance(parsed));
            Req[] requests = request.getRequestList();
            if (requests.length == 0 || requests.length > MAX_CERT_IDS) {
                throw new Malformed(requests.length + " CertIDs (1.." + MAX_CERT_IDS + " answered)");
            }
            List<CertificateID> ids = Arrays.stream(requests).map(Req::getCertID).toList();
            for (CertificateID id : ids) {
                // Touch every field now, so that a CertID BouncyCastle cannot decode fails here, not mid-answer.
                id.getHashAlgOID();
                id.getIssuerNameHash();
                id.getIssuerKeyHash();
                id.getSerialNumber();
            }
            Extension nonce = request.getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce);
            if (nonce != null) {
                int length = nonceLength(nonce.getExtnValue().getOctets());
                if (length < 1 || length > MAX_NONCE_BYTES) {
                    throw new Malformed("a nonce of " + length + " octets (RFC 8954: 1.." + MAX_NONCE_BYTES + ")");
                }
            }
            return new OcspRequest(ids, Optional.ofNullable(nonce));
        } catch (IOException | RuntimeException e) {
            throw new Malformed("not an OCSPRequest: " + e.getMessage());
        }
    }

    /**
     * The length of the nonce in an extnValue: RFC 8954 wraps it in an OCTET STRING of its own; a client that puts
     * the bare value there (RFC 2560 left it open) has that value's length checked instead.
     */
    private static int nonceLength(byte[] extnValue) {
        if (extnValue.length > 0 && extnValue[0] == 0x04 && Der.problem(extnValue).isEmpty()) {
            return ASN1OctetString.getInstance(extnValue).getOctets().length;
        }
        return extnValue.length;
    }
}
