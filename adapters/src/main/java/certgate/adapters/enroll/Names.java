package certgate.adapters.enroll;

import certgate.dsl.dn.DistinguishedName;
import certgate.dsl.dn.DnAttribute;
import certgate.dsl.dn.Rdn;
import certgate.dsl.policy.HostName;
import certgate.dsl.policy.IpAddress;
import certgate.eventstore.IkeIdentity;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1PrintableString;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.DERIA5String;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERPrintableString;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.GeneralName;

/**
 * Between the policy language's names (an RFC 4514 {@link DistinguishedName}, IKE IDs checked with its syntax)
 * and their X.509 encodings: an X.500 Name (RDNs most general first, the reverse of RFC 4514 text) and
 * subjectAltName entries (iPAddress, dNSName, rfc822Name, RFC 5280 section 4.2.1.6).
 */
final class Names {
    private static final String COUNTRY = "2.5.4.6";
    private static final String SERIAL_NUMBER = "2.5.4.5";
    private static final String EMAIL = "1.2.840.113549.1.9.1";
    private static final String DOMAIN_COMPONENT = "0.9.2342.19200300.100.1.25";

    private Names() {
    }

    /**
     * The X.500 Name of {@code dn}. Values are UTF8String (RFC 5280 section 4.1.2.6), except countryName and
     * serialNumber (PrintableString, as their ASN.1 types require, when the value fits) and emailAddress and
     * domainComponent (IA5String).
     */
    static X500Name toX500(DistinguishedName dn) {
        List<RDN> rdns = new ArrayList<>();
        for (int i = dn.rdns().size() - 1; i >= 0; i--) {
            List<DnAttribute> attributes = dn.rdns().get(i).attributes();
            AttributeTypeAndValue[] values = new AttributeTypeAndValue[attributes.size()];
            for (int j = 0; j < values.length; j++) {
                DnAttribute attribute = attributes.get(j);
                values[j] = new AttributeTypeAndValue(new ASN1ObjectIdentifier(attribute.oid()),
                        value(attribute.oid(), attribute.value()));
            }
            rdns.add(new RDN(values));
        }
        return new X500Name(rdns.toArray(RDN[]::new));
    }

    private static ASN1Encodable value(String oid, String value) {
        if ((oid.equals(COUNTRY) || oid.equals(SERIAL_NUMBER)) && ASN1PrintableString.isPrintableString(value)) {
            return new DERPrintableString(value);
        }
        if ((oid.equals(EMAIL) || oid.equals(DOMAIN_COMPONENT)) && value.chars().allMatch(c -> c < 0x80)) {
            return new DERIA5String(value);
        }
        return new DERUTF8String(value);
    }

    /** The RFC 4514 reading of an X.500 Name: string values decoded, any other value as {@code #} and hex. */
    static DistinguishedName fromX500(X500Name name) {
        RDN[] rdns = name.getRDNs();
        List<Rdn> out = new ArrayList<>();
        for (int i = rdns.length - 1; i >= 0; i--) {
            List<DnAttribute> attributes = new ArrayList<>();
            for (AttributeTypeAndValue value : rdns[i].getTypesAndValues()) {
                attributes.add(new DnAttribute(value.getType().getId(), text(value.getValue())));
            }
            out.add(new Rdn(attributes));
        }
        return new DistinguishedName(out);
    }

    private static String text(ASN1Encodable value) {
        if (value instanceof ASN1String string) {
            return string.getString();
        }
        try {
            return "#" + HexFormat.of().formatHex(value.toASN1Primitive().getEncoded(ASN1Encoding.DER));
        } catch (IOException e) {
            return "#";
        }
    }

    /**
     * {@code name} in its normal form (an FQDN in lower case without a trailing dot, an e-mail address with its
     * domain so, an IP address as RFC 5952 or dotted-quad text) and as a subjectAltName entry.
     *
     * @throws IllegalArgumentException when the value is not of its type, or the type is DN
     */
    static GeneralName toGeneralName(IkeIdentity name) {
        return switch (name.type()) {
            case IP -> new GeneralName(GeneralName.iPAddress, new DEROctetString(IpAddress.parse(name.value())
                    .orElseThrow(() -> new IllegalArgumentException("not an IP address: " + name.value())).bytes()));
            case FQDN -> new GeneralName(GeneralName.dNSName, HostName.fqdn(name.value())
                    .orElseThrow(() -> new IllegalArgumentException("not a DNS name: " + name.value())));
            case UFQDN -> new GeneralName(GeneralName.rfc822Name, HostName.mailbox(name.value())
                    .orElseThrow(() -> new IllegalArgumentException("not an e-mail address: " + name.value()))
                    .toString());
            case DN -> throw new IllegalArgumentException("a DN is the subject, not a subjectAltName of a request");
        };
    }

    /** A subjectAltName entry as an IKE ID in normal form; empty for the kinds an IKE ID cannot be. */
    static Optional<IkeIdentity> fromGeneralName(GeneralName name) {
        switch (name.getTagNo()) {
            case GeneralName.iPAddress -> {
                byte[] bytes = ASN1OctetString.getInstance(name.getName()).getOctets();
                if (bytes.length != 4 && bytes.length != 16) {
                    return Optional.empty();
                }
                String text = bytes.length == 4 ? dotted(bytes) : colonHex(bytes);
                return IpAddress.parse(text).map(ip -> new IkeIdentity(IkeIdentity.Type.IP, ip.toString()));
            }
            case GeneralName.dNSName -> {
                return Optional.of(new IkeIdentity(IkeIdentity.Type.FQDN, ((ASN1String) name.getName()).getString()));
            }
            case GeneralName.rfc822Name -> {
                return Optional.of(new IkeIdentity(IkeIdentity.Type.UFQDN,
                        ((ASN1String) name.getName()).getString()));
            }
            default -> {
                return Optional.empty();
            }
        }
    }

    private static String dotted(byte[] bytes) {
        return (bytes[0] & 0xff) + "." + (bytes[1] & 0xff) + "." + (bytes[2] & 0xff) + "." + (bytes[3] & 0xff);
    }

    private static String colonHex(byte[] bytes) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < 16; i += 2) {
            if (i > 0) {
                out.append(':');
            }
            out.append(Integer.toHexString(((bytes[i] & 0xff) << 8) | (bytes[i + 1] & 0xff)));
        }
        return out.toString();
    }
}
