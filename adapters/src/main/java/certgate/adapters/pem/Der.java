package certgate.adapters.pem;

import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * A strict, allocation-light walk over DER: definite lengths in their shortest form, children that exactly fill
 * their parent, no BER-only constructed strings, bounded nesting. It checks the shape that certgate relies on
 * before an event is recorded; the meaning of the fields is the engine's business.
 */
final class Der {
    static final int SEQUENCE = 0x30;
    static final int SET = 0x31;
    static final int BOOLEAN = 0x01;
    static final int INTEGER = 0x02;
    static final int BIT_STRING = 0x03;
    static final int OCTET_STRING = 0x04;
    static final int NULL = 0x05;
    static final int OBJECT_IDENTIFIER = 0x06;
    static final int ENUMERATED = 0x0a;
    static final int UTF8_STRING = 0x0c;
    static final int NUMERIC_STRING = 0x12;
    static final int PRINTABLE_STRING = 0x13;
    static final int T61_STRING = 0x14;
    static final int VIDEOTEX_STRING = 0x15;
    static final int IA5_STRING = 0x16;
    static final int GRAPHIC_STRING = 0x19;
    static final int VISIBLE_STRING = 0x1a;
    static final int GENERAL_STRING = 0x1b;
    static final int UNIVERSAL_STRING = 0x1c;
    static final int BMP_STRING = 0x1e;
    static final int UTC_TIME = 0x17;
    static final int GENERALIZED_TIME = 0x18;
    static final int CONTEXT_0_CONSTRUCTED = 0xa0;

    private static final int MAX_DEPTH = 32;

    private Der() {
    }

    /** One element: its tag, where its header starts, where its content starts and ends (exclusive). */
    record Tlv(int tag, int start, int contentStart, int end) {
        boolean constructed() {
            return (tag & 0x20) != 0;
        }

        int contentLength() {
            return end - contentStart;
        }
    }

    /** A DER rule broken at a byte offset. */
    static final class DerException extends Exception {
        private static final long serialVersionUID = 1L;

        private final int offset;

        DerException(String message, int offset) {
            super(message + " at byte offset " + offset);
            this.offset = offset;
        }

        int offset() {
            return offset;
        }
    }

    /**
     * Reads the element at {@code offset}, checks its whole subtree, and requires that it ends exactly at
     * {@code limit}: a single object with nothing after it.
     */
    static Tlv single(byte[] in, int offset, int limit, String what) throws DerException {
        Tlv tlv = header(in, offset, limit);
        checkTree(in, tlv, 0);
        if (tlv.end() != limit) {
            throw new DerException((limit - tlv.end()) + " bytes of trailing data after the " + what, tlv.end());
        }
        return tlv;
    }

    /** The children of a constructed element, in order (their subtrees already checked by {@link #single}). */
    static List<Tlv> children(byte[] in, Tlv parent) throws DerException {
        List<Tlv> children = new ArrayList<>();
        int at = parent.contentStart();
        while (at < parent.end()) {
            Tlv child = header(in, at, parent.end());
            children.add(child);
            at = child.end();
        }
        return children;
    }

    /** Checks that a UTCTime is YYMMDDHHMMSSZ and a GeneralizedTime YYYYMMDDHHMMSSZ, as RFC 5280 requires. */
    static void checkTime(byte[] in, Tlv time, String field) throws DerException {
        int digits = switch (time.tag()) {
            case UTC_TIME -> 12;
            case GENERALIZED_TIME -> 14;
            default -> throw new DerException(field + " is not a UTCTime or GeneralizedTime (tag 0x"
                    + Integer.toHexString(time.tag()) + ")", time.start());
        };
        if (time.contentLength() != digits + 1 || in[time.end() - 1] != 'Z') {
            String form = digits == 12 ? "YYMMDDHHMMSSZ" : "YYYYMMDDHHMMSSZ";
            throw new DerException(field + " is not in the form " + form, time.start());
        }
        for (int i = time.contentStart(); i < time.end() - 1; i++) {
            if (in[i] < '0' || in[i] > '9') {
                throw new DerException(field + " has a non-digit", i);
            }
        }
        int at = time.contentStart();
        int year = digits == 12 ? twoDigits(in, at) : twoDigits(in, at) * 100 + twoDigits(in, at + 2);
        if (digits == 12) {
            year += year >= 50 ? 1900 : 2000; // RFC 5280 4.1.2.5.1
        }
        int rest = at + digits - 10;
        try {
            LocalDateTime.of(year, twoDigits(in, rest), twoDigits(in, rest + 2), twoDigits(in, rest + 4),
                    twoDigits(in, rest + 6), twoDigits(in, rest + 8));
        } catch (DateTimeException e) {
            throw new DerException(field + " is not a real date and time (" + e.getMessage() + ")", time.start());
        }
    }

    private static int twoDigits(byte[] in, int at) {
        return (in[at] - '0') * 10 + (in[at + 1] - '0');
    }

    /**
     * The content rules of the universal primitive types X.509 uses, so that a damaged byte cannot turn, say, a
     * name's string into a malformed time that only a later parser trips over.
     */
    static void checkPrimitive(byte[] in, Tlv tlv) throws DerException {
        int length = tlv.contentLength();
        switch (tlv.tag()) {
            case BOOLEAN -> {
                int value = length == 1 ? in[tlv.contentStart()] & 0xff : -1;
                if (value != 0x00 && value != 0xff) {
                    throw new DerException("BOOLEAN is not one byte 0x00 or 0xff", tlv.start());
                }
            }
            case INTEGER, ENUMERATED -> {
                if (length == 0) {
                    throw new DerException("INTEGER with no content", tlv.start());
                }
                if (length > 1) {
                    int first = in[tlv.contentStart()] & 0xff;
                    int second = in[tlv.contentStart() + 1] & 0x80;
                    if ((first == 0x00 && second == 0) || (first == 0xff && second != 0)) {
                        throw new DerException("INTEGER not in its shortest form", tlv.start());
                    }
                }
            }
            case BIT_STRING -> {
                int unused = length == 0 ? -1 : in[tlv.contentStart()] & 0xff;
                if (unused < 0 || unused > 7 || (length == 1 && unused != 0)) {
                    throw new DerException("BIT STRING with a bad unused-bits count", tlv.start());
                }
            }
            case NULL -> {
                if (length != 0) {
                    throw new DerException("NULL with content", tlv.start());
                }
            }
            case OBJECT_IDENTIFIER -> checkOid(in, tlv);
            case UTC_TIME, GENERALIZED_TIME -> checkTime(in, tlv, "a time");
            case BMP_STRING -> {
                if (length % 2 != 0) {
                    throw new DerException("BMPString of odd length", tlv.start());
                }
            }
            case UNIVERSAL_STRING -> {
                if (length % 4 != 0) {
                    throw new DerException("UniversalString whose length is not a multiple of 4", tlv.start());
                }
            }
            case OCTET_STRING, UTF8_STRING, NUMERIC_STRING, PRINTABLE_STRING, T61_STRING, VIDEOTEX_STRING,
                    IA5_STRING, GRAPHIC_STRING, VISIBLE_STRING, GENERAL_STRING -> {
                // bytes without rules certgate depends on
            }
            default -> {
                if ((tlv.tag() & 0xc0) == 0) {
                    throw new DerException("universal type " + tlv.tag() + " is not used in certificates or CRLs",
                            tlv.start());
                }
            }
        }
    }

    /** An OBJECT IDENTIFIER: non-empty, base-128 sub-identifiers in shortest form, the last one complete. */
    static void checkOid(byte[] in, Tlv oid) throws DerException {
        if (oid.contentLength() == 0) {
            throw new DerException("empty OBJECT IDENTIFIER", oid.start());
        }
        boolean startOfSubidentifier = true;
        for (int i = oid.contentStart(); i < oid.end(); i++) {
            int b = in[i] & 0xff;
            if (startOfSubidentifier && b == 0x80) {
                throw new DerException("OBJECT IDENTIFIER with a sub-identifier in a longer form than needed", i);
            }
            startOfSubidentifier = (b & 0x80) == 0;
        }
        if (!startOfSubidentifier) {
            throw new DerException("OBJECT IDENTIFIER that ends in the middle of a sub-identifier", oid.end());
        }
    }

    static Tlv header(byte[] in, int offset, int limit) throws DerException {
        if (offset >= limit) {
            throw new DerException("expected an element, found the end of the data", offset);
        }
        int tag = in[offset] & 0xff;
        if ((tag & 0x1f) == 0x1f) {
            throw new DerException("high-tag-number form (tag byte 0x" + Integer.toHexString(tag)
                    + ") is not used in certificates or CRLs", offset);
        }
        if (tag == 0) {
            throw new DerException("tag 0 (BER end-of-contents) is not DER", offset);
        }
        boolean universal = (tag & 0xc0) == 0;
        if (universal && (tag & 0x20) != 0 && tag != 0x30 && tag != 0x31) {
            throw new DerException("constructed encoding of universal type " + (tag & 0x1f) + " is BER, not DER",
                    offset);
        }
        if (offset + 1 >= limit) {
            throw new DerException("length missing after the tag", offset + 1);
        }
        int first = in[offset + 1] & 0xff;
        long length;
        int contentStart;
        if (first < 0x80) {
            length = first;
            contentStart = offset + 2;
        } else if (first == 0x80) {
            throw new DerException("indefinite length is BER, not DER", offset + 1);
        } else {
            int count = first & 0x7f;
            if (count > 4) {
                throw new DerException("length field of " + count + " bytes", offset + 1);
            }
            if (offset + 2 + count > limit) {
                throw new DerException("length field runs past the end of the data", offset + 1);
            }
            if (in[offset + 2] == 0) {
                throw new DerException("length has a leading zero byte (not the shortest form)", offset + 1);
            }
            length = 0;
            for (int i = 0; i < count; i++) {
                length = (length << 8) | (in[offset + 2 + i] & 0xff);
            }
            if (length < 0x80) {
                throw new DerException("length " + length + " in long form (not the shortest form)", offset + 1);
            }
            contentStart = offset + 2 + count;
        }
        if (length > limit - contentStart) {
            throw new DerException("length " + length + " runs past the end of its container ("
                    + (limit - contentStart) + " bytes left)", offset);
        }
        return new Tlv(tag, offset, contentStart, contentStart + (int) length);
    }

    private static void checkTree(byte[] in, Tlv tlv, int depth) throws DerException {
        if (!tlv.constructed()) {
            checkPrimitive(in, tlv);
            return;
        }
        if (depth >= MAX_DEPTH) {
            throw new DerException("nesting deeper than " + MAX_DEPTH + " levels", tlv.start());
        }
        int at = tlv.contentStart();
        while (at < tlv.end()) {
            Tlv child = header(in, at, tlv.end());
            checkTree(in, child, depth + 1);
            at = child.end();
        }
    }
}
