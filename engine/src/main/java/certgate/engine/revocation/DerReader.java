package certgate.engine.revocation;

import java.util.HexFormat;

/**
 * A strict DER cursor over one byte array: definite lengths only, minimal length encodings, single-byte tags,
 * every length checked against the limit of the element that encloses it. It allocates nothing per element, so
 * the CRL parser can walk a million entries with it; the caller keeps the enclosing limits in local variables.
 */
final class DerReader {
    static final int BOOLEAN = 0x01;
    static final int INTEGER = 0x02;
    static final int BIT_STRING = 0x03;
    static final int OCTET_STRING = 0x04;
    static final int NULL = 0x05;
    static final int OID = 0x06;
    static final int ENUMERATED = 0x0a;
    static final int UTC_TIME = 0x17;
    static final int GENERALIZED_TIME = 0x18;
    static final int SEQUENCE = 0x30;
    static final int SET = 0x31;
    static final int CONTEXT_0 = 0xa0;

    /** Deeper than any Name, GeneralNames or AlgorithmIdentifier a CA writes; bounds recursion on hostile input. */
    static final int MAX_DEPTH = 32;

    private final byte[] buf;
    private int pos;

    DerReader(byte[] buf, int pos) {
        this.buf = buf;
        this.pos = pos;
    }

    int position() {
        return pos;
    }

    void seek(int position) {
        pos = position;
    }

    /** The tag at the cursor, or -1 when the cursor is at {@code limit}. */
    int peekTag(int limit) {
        return pos < limit ? buf[pos] & 0xff : -1;
    }

    /**
     * Reads the header of an element that must have tag {@code tag} and end by {@code limit}; returns its content
     * length and leaves the cursor at the content.
     */
    int header(int tag, int limit, String what) throws CrlFormatException {
        int start = pos;
        if (pos >= limit) {
            throw fail(what + " is missing (its enclosing element ends here)", pos);
        }
        int found = buf[pos] & 0xff;
        if (found != tag) {
            throw fail(what + ": expected tag " + hex(tag) + " but found " + hex(found), pos);
        }
        pos++;
        return length(limit, what, start);
    }

    /** Reads a length at the cursor for the element whose header started at {@code start}. */
    int length(int limit, String what, int start) throws CrlFormatException {
        if (pos >= limit) {
            throw fail(what + ": truncated before its length", pos);
        }
        int first = buf[pos++] & 0xff;
        int length;
        if (first < 0x80) {
            length = first;
        } else if (first == 0x80) {
            throw fail(what + ": indefinite length (BER) is not DER", start);
        } else {
            int count = first & 0x7f;
            if (count > 4) {
                throw fail(what + ": a length of " + count + " bytes is too long", start);
            }
            if (limit - pos < count) {
                throw fail(what + ": truncated inside its length", start);
            }
            if (buf[pos] == 0) {
                throw fail(what + ": length has a leading zero byte (not minimal DER)", start);
            }
            long value = 0;
            for (int i = 0; i < count; i++) {
                value = (value << 8) | (buf[pos++] & 0xff);
            }
            if (value < 0x80) {
                throw fail(what + ": length " + value + " in long form (not minimal DER)", start);
            }
            if (value > Integer.MAX_VALUE) {
                throw fail(what + ": length " + value + " is too large", start);
            }
            length = (int) value;
        }
        if (length > limit - pos) {
            throw fail(what + ": length " + length + " runs past the end of its enclosing element ("
                    + (limit - pos) + " bytes left)", start);
        }
        return length;
    }

    /** Moves the cursor over {@code length} bytes of content already bounds-checked by {@link #header}. */
    void skip(int length) {
        pos += length;
    }

    /** Checks that the cursor is exactly at {@code end}: no trailing element inside the enclosing one. */
    void expectEnd(int end, String what) throws CrlFormatException {
        if (pos != end) {
            throw fail(what + ": unexpected element " + hex(buf[pos] & 0xff) + " before its end", pos);
        }
    }

    /** Reads a whole INTEGER or ENUMERATED content as an int; it must be minimal and fit. */
    int smallInteger(int tag, int limit, String what) throws CrlFormatException {
        int start = pos;
        int length = header(tag, limit, what);
        checkInteger(pos, length, what, start);
        if (length > 4) {
            throw fail(what + ": value of " + length + " bytes is out of range", start);
        }
        int value = buf[pos];
        for (int i = 1; i < length; i++) {
            value = (value << 8) | (buf[pos + i] & 0xff);
        }
        pos += length;
        return value;
    }

    /** INTEGER/ENUMERATED content rules: at least one byte, no redundant leading 0x00 or 0xff. */
    void checkInteger(int at, int length, String what, int start) throws CrlFormatException {
        if (length == 0) {
            throw fail(what + ": empty INTEGER", start);
        }
        if (length > 1) {
            int b0 = buf[at];
            int b1 = buf[at + 1];
            if ((b0 == 0 && b1 >= 0) || (b0 == -1 && b1 < 0)) {
                throw fail(what + ": INTEGER has a redundant leading byte (not minimal DER)", start);
            }
        }
    }

    /** OBJECT IDENTIFIER content rules: non-empty, no 0x80 padding in a sub-identifier, last byte terminates. */
    void checkOid(int at, int length, String what, int start) throws CrlFormatException {
        if (length == 0) {
            throw fail(what + ": empty OBJECT IDENTIFIER", start);
        }
        boolean subStart = true;
        for (int i = at; i < at + length; i++) {
            int b = buf[i] & 0xff;
            if (subStart && b == 0x80) {
                throw fail(what + ": OBJECT IDENTIFIER sub-identifier padded with 0x80", start);
            }
            subStart = b < 0x80;
        }
        if ((buf[at + length - 1] & 0x80) != 0) {
            throw fail(what + ": OBJECT IDENTIFIER ends inside a sub-identifier", start);
        }
    }

    /**
     * Checks that [from, to) is a sequence of strict DER elements, recursively (up to {@link #MAX_DEPTH}):
     * definite minimal lengths, only SEQUENCE and SET constructed among universal types (constructed strings
     * are BER), canonical BOOLEAN, minimal INTEGER/ENUMERATED, well-formed OIDs, NULL and BIT STRING rules.
     * Run over the small parts before BouncyCastle reads them, so it never sees BER or unbounded nesting.
     */
    void checkStructure(int from, int to, int depth, String what) throws CrlFormatException {
        int p = from;
        while (p < to) {
            pos = p;
            int tag = buf[pos++] & 0xff;
            if ((tag & 0x1f) == 0x1f) {
                throw fail(what + ": multi-byte tag " + hex(tag) + " is not used in X.509", p);
            }
            int length = length(to, what, p);
            int content = pos;
            boolean constructed = (tag & 0x20) != 0;
            boolean universal = (tag & 0xc0) == 0;
            if (constructed) {
                if (universal && tag != SEQUENCE && tag != SET) {
                    throw fail(what + ": constructed encoding of universal type " + hex(tag) + " is BER, not DER", p);
                }
                if (depth >= MAX_DEPTH) {
                    throw fail(what + ": nested deeper than " + MAX_DEPTH + " levels", p);
                }
                checkStructure(content, content + length, depth + 1, what);
            } else if (universal) {
                checkPrimitive(tag, content, length, what, p);
            }
            p = content + length;
        }
        pos = to;
    }

    private void checkPrimitive(int tag, int at, int length, String what, int start) throws CrlFormatException {
        switch (tag) {
            case 0x00 -> throw fail(what + ": end-of-contents marker (BER) is not DER", start);
            case BOOLEAN -> {
                if (length != 1 || (buf[at] != 0 && buf[at] != -1)) {
                    throw fail(what + ": BOOLEAN must be one byte 0x00 or 0xff in DER", start);
                }
            }
            case INTEGER, ENUMERATED -> checkInteger(at, length, what, start);
            case OID -> checkOid(at, length, what, start);
            case NULL -> {
                if (length != 0) {
                    throw fail(what + ": NULL with content", start);
                }
            }
            case BIT_STRING -> checkBitString(at, length, what, start);
            default -> {
                // Strings and times: their content is read by BouncyCastle, which checks it.
            }
        }
    }

    void checkBitString(int at, int length, String what, int start) throws CrlFormatException {
        if (length == 0) {
            throw fail(what + ": BIT STRING without its unused-bits byte", start);
        }
        int unused = buf[at] & 0xff;
        if (unused > 7 || (length == 1 && unused != 0)) {
            throw fail(what + ": BIT STRING with " + unused + " unused bits", start);
        }
        if (unused != 0 && (buf[at + length - 1] & ((1 << unused) - 1)) != 0) {
            throw fail(what + ": BIT STRING unused bits are not zero (not DER)", start);
        }
    }

    /**
     * Reads a UTCTime (YYMMDDHHMMSSZ, RFC 5280: YY >= 50 is 19YY) or GeneralizedTime (YYYYMMDDHHMMSSZ, no
     * fractions) and returns its epoch second. GeneralizedTime years before 1950 are refused: no CRL was issued
     * then, and the proleptic calendar would disagree with other readers about them.
     */
    long time(int limit, String what) throws CrlFormatException {
        int start = pos;
        int tag = peekTag(limit);
        if (tag == UTC_TIME) {
            int length = header(UTC_TIME, limit, what);
            if (length != 13) {
                throw fail(what + ": UTCTime must be YYMMDDHHMMSSZ (13 characters), has " + length, start);
            }
            int yy = twoDigits(pos, what, start);
            return dateTime(yy >= 50 ? 1900 + yy : 2000 + yy, pos + 2, what, start);
        }
        if (tag == GENERALIZED_TIME) {
            int length = header(GENERALIZED_TIME, limit, what);
            if (length != 15) {
                throw fail(what + ": GeneralizedTime must be YYYYMMDDHHMMSSZ (15 characters), has " + length,
                        start);
            }
            int year = twoDigits(pos, what, start) * 100 + twoDigits(pos + 2, what, start);
            if (year < 1950) {
                throw fail(what + ": GeneralizedTime year " + year + " is before 1950", start);
            }
            return dateTime(year, pos + 4, what, start);
        }
        if (tag < 0) {
            throw fail(what + " is missing (its enclosing element ends here)", start);
        }
        throw fail(what + ": expected UTCTime (0x17) or GeneralizedTime (0x18) but found " + hex(tag), start);
    }

    private long dateTime(int year, int at, String what, int start) throws CrlFormatException {
        int month = twoDigits(at, what, start);
        int day = twoDigits(at + 2, what, start);
        int hour = twoDigits(at + 4, what, start);
        int minute = twoDigits(at + 6, what, start);
        int second = twoDigits(at + 8, what, start);
        if (buf[at + 10] != 'Z') {
            throw fail(what + ": time must end with Z (UTC)", start);
        }
        if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59
                || second > 59) {
            throw fail(what + ": not a valid date and time", start);
        }
        pos = at + 11;
        return daysFromCivil(year, month, day) * 86_400L + hour * 3_600L + minute * 60L + second;
    }

    private int twoDigits(int at, String what, int start) throws CrlFormatException {
        int tens = buf[at] - '0';
        int units = buf[at + 1] - '0';
        if (tens < 0 || tens > 9 || units < 0 || units > 9) {
            throw fail(what + ": time has a non-digit where a digit belongs", start);
        }
        return tens * 10 + units;
    }

    private static int daysInMonth(int year, int month) {
        return switch (month) {
            case 2 -> (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28;
            case 4, 6, 9, 11 -> 30;
            default -> 31;
        };
    }

    /** Days since 1970-01-01 in the proleptic Gregorian calendar (H. Hinnant's days_from_civil). */
    static long daysFromCivil(int year, int month, int day) {
        int y = month <= 2 ? year - 1 : year;
        int era = (y >= 0 ? y : y - 399) / 400;
        int yearOfEra = y - era * 400;
        int dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
        int dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
        return era * 146_097L + dayOfEra - 719_468L;
    }

    static CrlFormatException fail(String message, int offset) {
        return new CrlFormatException(message, offset);
    }

    static String hex(int tag) {
        return "0x" + HexFormat.of().toHexDigits((byte) tag);
    }
}
