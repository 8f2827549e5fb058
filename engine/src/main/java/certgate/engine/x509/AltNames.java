package certgate.engine.x509;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.bouncycastle.asn1.ASN1IA5String;
import org.bouncycastle.asn1.ASN1OctetString;
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
}
