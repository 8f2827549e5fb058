package certgate.engine.x509;

import certgate.der.Der;
import certgate.der.DerCursor;
import certgate.der.DerTag;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1IA5String;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;

/**
 * The names of a GeneralNames value sorted by form, as identity matching and name constraints use them. Values
 * are kept as written (no case folding) so each check applies its own rule. {@code otherForms} holds the tags of
 * forms certgate does not interpret (otherName 0, x400Address 3, ediPartyName 5, registeredID 8).
 */
public record AltNames(List<String> dnsNames, List<byte[]> ipAddresses, List<String> emails,
                       List<Names.Name> directoryNames, List<String> uris, Set<Integer> otherForms) {

    public static final AltNames NONE = new AltNames(List.of(), List.of(), List.of(), List.of(), List.of(), Set.of());

    public AltNames {
        dnsNames = List.copyOf(dnsNames);
        ipAddresses = List.copyOf(ipAddresses);
        emails = List.copyOf(emails);
        directoryNames = List.copyOf(directoryNames);
        uris = List.copyOf(uris);
        otherForms = Set.copyOf(otherForms);
    }

    public int size() {
        return dnsNames.size() + ipAddresses.size() + emails.size() + directoryNames.size() + uris.size()
                + otherForms.size();
    }

    public boolean isEmpty() {
        return size() == 0;
    }

    /** Sorts {@code names} by form; a value of the wrong ASN.1 type for its form is an error. */
    static AltNames of(GeneralNames names) {
        List<String> dns = new ArrayList<>();
        List<byte[]> ips = new ArrayList<>();
        List<String> emails = new ArrayList<>();
        List<Names.Name> directories = new ArrayList<>();
        List<String> uris = new ArrayList<>();
        Set<Integer> other = new TreeSet<>();
        for (GeneralName name : names.getNames()) {
            switch (name.getTagNo()) {
                case GeneralName.dNSName -> dns.add(ASN1IA5String.getInstance(name.getName()).getString());
                case GeneralName.rfc822Name -> emails.add(ASN1IA5String.getInstance(name.getName()).getString());
                case GeneralName.uniformResourceIdentifier ->
                        uris.add(ASN1IA5String.getInstance(name.getName()).getString());
                case GeneralName.iPAddress -> ips.add(ASN1OctetString.getInstance(name.getName()).getOctets());
                case GeneralName.directoryName -> directories.add(Names.of(X500Name.getInstance(name.getName())));
                default -> other.add(name.getTagNo());
            }
        }
        return new AltNames(dns, ips, emails, directories, uris, other);
    }

    /**
     * Reads the content [from, to) of a GeneralNames (SEQUENCE OF GeneralName; {@code depth} is the depth of its
     * elements) in the canonical DER form only: IA5String forms and iPAddress primitive, directoryName an explicit
     * Name, registeredID a well-formed OID. otherName, x400Address and ediPartyName go to BouncyCastle, whose
     * re-encoding of each must give back its bytes. The result is empty exactly when there is no name.
     */
    static AltNames read(byte[] der, int from, int to, int depth, String what) throws CertificateFormatException {
        try {
            return readNames(der, from, to, depth);
        } catch (CertificateFormatException e) {
            throw new CertificateFormatException(what + ": " + e.getMessage());
        }
    }

    private static AltNames readNames(byte[] der, int from, int to, int depth) throws CertificateFormatException {
        List<String> dns = List.of();
        List<byte[]> ips = List.of();
        List<String> emails = List.of();
        List<Names.Name> directories = List.of();
        List<String> uris = List.of();
        Set<Integer> other = Set.of();
        DerCursor<CertificateFormatException> in = new DerCursor<>(der, from, CertificateFormatException::at);
        while (in.pos() < to) {
            in.header(to, "name");
            int tag = in.tag();
            switch (tag) {
                case 0x81, 0x82, 0x86 -> {
                    String value = new String(der, in.content(), in.end() - in.content(), StandardCharsets.ISO_8859_1);
                    if (tag == 0x82) {
                        dns = add(dns, value);
                    } else if (tag == 0x81) {
                        emails = add(emails, value);
                    } else {
                        uris = add(uris, value);
                    }
                }
                case 0x87 -> ips = add(ips, Arrays.copyOfRange(der, in.content(), in.end()));
                case 0x88 -> {
                    in.checkOid("registeredID");
                    other = addForm(other, 8);
                }
                case 0xa4 -> {
                    int end = in.end();
                    DerCursor<CertificateFormatException> inner = new DerCursor<>(der, in.content(),
                            CertificateFormatException::at);
                    inner.expect(DerTag.SEQUENCE, end, "directoryName");
                    inner.skip();
                    inner.expectEnd(end, "directoryName");
                    directories = add(directories, Names.read(der, in.content(), end, depth + 1, "directoryName"));
                }
                case 0xa0, 0xa3, 0xa5 -> {
                    viaBouncyCastle(der, in.start(), in.end(), depth);
                    other = addForm(other, tag & 0x1f);
                }
                default -> throw CertificateFormatException.at(DerCursor.hex(tag)
                        + " is not a GeneralName in its DER form", in.start());
            }
            in.skip();
        }
        if (dns.isEmpty() && ips.isEmpty() && emails.isEmpty() && directories.isEmpty() && uris.isEmpty()
                && other.isEmpty()) {
            return NONE;
        }
        return new AltNames(dns, ips, emails, directories, uris, other);
    }

    private static void viaBouncyCastle(byte[] der, int start, int end, int depth)
            throws CertificateFormatException {
        Optional<String> problem = Der.problem(der, start, end - start, depth);
        if (problem.isPresent()) {
            throw new CertificateFormatException("name is not DER: " + problem.get());
        }
        byte[] bytes = Arrays.copyOfRange(der, start, end);
        try {
            GeneralName name = GeneralName.getInstance(ASN1Primitive.fromByteArray(bytes));
            if (!Arrays.equals(name.getEncoded(ASN1Encoding.DER), bytes)) {
                throw CertificateFormatException.at("name is not in its canonical DER encoding", start);
            }
        } catch (IOException | RuntimeException e) {
            throw CertificateFormatException.at("name cannot be read: " + e.getMessage(), start);
        }
    }

    private static <T> List<T> add(List<T> list, T value) {
        List<T> out = list.isEmpty() ? new ArrayList<>(2) : list;
        out.add(value);
        return out;
    }

    private static Set<Integer> addForm(Set<Integer> forms, int form) {
        Set<Integer> out = forms.isEmpty() ? new TreeSet<>() : forms;
        out.add(form);
        return out;
    }
}
