package certgate.adapters.pem;

import certgate.adapters.pem.Der.DerException;
import certgate.adapters.pem.Der.Tlv;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The small X.509 structures a CRL is made of, checked for shape on DER already walked by {@link Der}. */
final class Structures {

    private Structures() {
    }

    /** AlgorithmIdentifier ::= SEQUENCE { algorithm OBJECT IDENTIFIER, parameters ANY OPTIONAL }. */
    static void algorithmIdentifier(byte[] der, Tlv sequence, String field) throws DerException {
        requireTag(sequence, Der.SEQUENCE, field);
        Tlv algorithm = Der.header(der, sequence.contentStart(), sequence.end());
        oid(der, algorithm, field + ".algorithm");
        if (algorithm.end() < sequence.end()) {
            Tlv parameters = Der.header(der, algorithm.end(), sequence.end());
            if (parameters.end() != sequence.end()) {
                throw new DerException(field + " has more than algorithm and parameters", parameters.end());
            }
        }
    }

    /** Name ::= SEQUENCE OF SET OF SEQUENCE { type OBJECT IDENTIFIER, value ANY }. */
    static void name(byte[] der, Tlv sequence, String field) throws DerException {
        requireTag(sequence, Der.SEQUENCE, field);
        for (Tlv rdn : Der.children(der, sequence)) {
            requireTag(rdn, Der.SET, field + " RDN");
            if (rdn.contentLength() == 0) {
                throw new DerException(field + " has an empty RDN", rdn.start());
            }
            for (Tlv attribute : Der.children(der, rdn)) {
                requireTag(attribute, Der.SEQUENCE, field + " attribute");
                Tlv type = Der.header(der, attribute.contentStart(), attribute.end());
                oid(der, type, field + " attribute type");
                Tlv value = Der.header(der, type.end(), attribute.end());
                if (value.end() != attribute.end()) {
                    throw new DerException(field + " attribute has more than a type and a value", value.end());
                }
            }
        }
    }

    /** Extensions ::= SEQUENCE SIZE (1..MAX) OF SEQUENCE { extnID, critical BOOLEAN DEFAULT FALSE, extnValue }. */
    static void extensions(byte[] der, Tlv sequence, String field) throws DerException {
        requireTag(sequence, Der.SEQUENCE, field);
        if (sequence.contentLength() == 0) {
            throw new DerException(field + " is empty (it must hold at least one extension)", sequence.start());
        }
        List<Tlv> seen = new ArrayList<>();
        for (Tlv extension : Der.children(der, sequence)) {
            requireTag(extension, Der.SEQUENCE, field + " entry");
            Tlv id = Der.header(der, extension.contentStart(), extension.end());
            oid(der, id, field + " extnID");
            for (Tlv earlier : seen) {
                if (Arrays.equals(der, earlier.contentStart(), earlier.end(), der, id.contentStart(), id.end())) {
                    throw new DerException(field + " holds the same extension twice (RFC 5280 4.2)", id.start());
                }
            }
            seen.add(id);
            Tlv next = Der.header(der, id.end(), extension.end());
            if (next.tag() == Der.BOOLEAN) {
                // DER: a DEFAULT FALSE is left out, so a present critical flag is TRUE, encoded 0xff.
                if (next.contentLength() != 1 || (der[next.contentStart()] & 0xff) != 0xff) {
                    throw new DerException(field + " critical flag is not a DER TRUE", next.start());
                }
                next = Der.header(der, next.end(), extension.end());
            }
            requireTag(next, Der.OCTET_STRING, field + " extnValue");
            if (next.end() != extension.end()) {
                throw new DerException(field + " entry has content after extnValue", next.end());
            }
        }
    }

    /** A signature BIT STRING, with DER's rules for its unused bits. */
    static void bitString(byte[] der, Tlv bits, String field) throws DerException {
        requireTag(bits, Der.BIT_STRING, field);
        Der.on(der, bits).checkBitString(field);
    }

    static void oid(byte[] der, Tlv oid, String field) throws DerException {
        requireTag(oid, Der.OBJECT_IDENTIFIER, field);
        Der.on(der, oid).checkOid(field);
    }

    private static void requireTag(Tlv tlv, int tag, String field) throws DerException {
        if (tlv.tag() != tag) {
            throw new DerException(field + " has tag 0x" + Integer.toHexString(tlv.tag()) + ", expected 0x"
                    + Integer.toHexString(tag), tlv.start());
        }
    }
}
