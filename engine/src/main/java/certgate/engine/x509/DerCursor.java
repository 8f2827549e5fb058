package certgate.engine.x509;

import java.math.BigInteger;
import java.util.HexFormat;

/**
 * A strict DER cursor over one byte array, for certificates: definite lengths in their shortest form, every
 * length checked against the end of the element that encloses it, and the content rules of X.690 DER for the
 * primitive types certgate reads by hand (BOOLEAN, INTEGER, BIT STRING, NULL, OBJECT IDENTIFIER). It allocates
 * nothing per element: {@link #header} leaves the element's tag and bounds in fields, and the caller keeps the
 * enclosing ends in local variables.
 *
 * <p>The content rules are the ones BouncyCastle 1.87 enforces when it parses (malformed INTEGER, OID, NULL,
 * BOOLEAN length, BIT STRING pad bits) plus the ones its DER re-encoding normalised, which the old whole-certificate
 * re-encode check turned into rejections (BOOLEAN other than 0x00/0xff, non-zero BIT STRING padding bits).
 */
final class DerCursor {
    static final int BOOLEAN = 0x01;
    static final int INTEGER = 0x02;
    static final int BIT_STRING = 0x03;
    static final int OCTET_STRING = 0x04;
    static final int NULL = 0x05;
    static final int OID = 0x06;
    static final int UTC_TIME = 0x17;
    static final int GENERALIZED_TIME = 0x18;
    static final int SEQUENCE = 0x30;
    static final int SET = 0x31;

    /** BouncyCastle refuses longer OBJECT IDENTIFIER contents ("exceeded OID contents length limit"). */
    static final int MAX_OID_CONTENTS = 4096;

    private final byte[] buf;
    /** Where the next element starts. */
    int pos;
    /** Of the element {@link #header} read last: its first tag octet, where it starts, its content, its end. */
    int tag;
    int start;
    int content;
    int end;

    DerCursor(byte[] buf, int pos) {
        this.buf = buf;
        this.pos = pos;
    }

    /** Whether an element starts at the cursor before {@code limit} and has tag {@code expected}. */
    boolean at(int expected, int limit) {
        return pos < limit && (buf[pos] & 0xff) == expected;
    }

    /** The tag at the cursor, or -1 when the cursor is at {@code limit}. */
    int peek(int limit) {
        return pos < limit ? buf[pos] & 0xff : -1;
    }

    /** Reads the header of any element ending by {@code limit}; leaves the cursor at its content. */
    void header(int limit, String what) throws CertificateFormatException {
        start = pos;
        if (pos >= limit) {
            throw fail(what + " is missing (its enclosing element ends here)", pos);
        }
        tag = buf[pos++] & 0xff;
        if ((tag & 0x1f) == 0x1f) {
            highTagNumber(limit, what);
        }
        length(limit, what);
    }

    /** Reads the header of an element that must have tag {@code expected}; returns its end. */
    int expect(int expected, int limit, String what) throws CertificateFormatException {
        if (pos >= limit) {
            throw fail(what + " is missing (its enclosing element ends here)", pos);
        }
        int found = buf[pos] & 0xff;
        if (found != expected) {
            throw fail(what + ": expected tag " + hex(expected) + " but found " + hex(found), pos);
        }
        start = pos++;
        tag = found;
        length(limit, what);
        return end;
    }

    /** Moves the cursor to the end of the element {@link #header} read last. */
    void skip() {
        pos = end;
    }

    /** The cursor must be exactly at {@code limit}: nothing else inside the enclosing element. */
    void expectEnd(int limit, String what) throws CertificateFormatException {
        if (pos != limit) {
            throw fail(what + " has an unexpected element " + hex(buf[pos] & 0xff) + " before its end", pos);
        }
    }

    private void length(int limit, String what) throws CertificateFormatException {
        if (pos >= limit) {
            throw fail(what + ": truncated before its length", pos);
        }
        int first = buf[pos++] & 0xff;
        long length;
        if (first < 0x80) {
            length = first;
        } else if (first == 0x80) {
            throw fail(what + ": indefinite length is BER, not DER", start);
        } else {
            int count = first & 0x7f;
            if (count > 4) {
                throw fail(what + ": a length of " + count + " octets", start);
            }
            if (limit - pos < count) {
                throw fail(what + ": truncated inside its length", start);
            }
            if (buf[pos] == 0) {
                throw fail(what + ": length with a leading zero octet is not DER", start);
            }
            length = 0;
            for (int i = 0; i < count; i++) {
                length = (length << 8) | (buf[pos++] & 0xff);
            }
            if (length < 0x80) {
                throw fail(what + ": long-form length " + length + " is not DER", start);
            }
        }
        if (length > limit - pos) {
            throw fail(what + ": length " + length + " runs past the end of its enclosing element ("
                    + (limit - pos) + " bytes left)", start);
        }
        content = pos;
        end = pos + (int) length;
    }

    /** Skips a multi-octet tag number with {@link Der}'s rules (shortest form, at most 4 octets, at least 31). */
    private void highTagNumber(int limit, String what) throws CertificateFormatException {
        int value = 0;
        for (int count = 0; ; count++) {
            if (pos >= limit) {
                throw fail(what + ": truncated tag number", pos);
            }
            int octet = buf[pos++] & 0xff;
            if (count == 0 && octet == 0x80) {
                throw fail(what + ": tag number with a leading zero group is not DER", pos - 1);
            }
            if (count >= 4) {
                throw fail(what + ": tag number too large", pos - 1);
            }
            value = (value << 7) | (octet & 0x7f);
            if ((octet & 0x80) == 0) {
                break;
            }
        }
        if (value < 0x1f) {
            throw fail(what + ": tag number " + value + " must use the short form in DER", pos - 1);
        }
    }

    // Content rules, on the element {@link #header} or {@link #expect} read last.

    /** INTEGER: at least one octet, no redundant leading 0x00 or 0xff. */
    void checkInteger(String what) throws CertificateFormatException {
        int length = end - content;
        if (length == 0) {
            throw fail(what + ": empty INTEGER", start);
        }
        if (length > 1 && buf[content] == (buf[content + 1] >> 7)) {
            throw fail(what + ": INTEGER with a redundant leading octet is not DER", start);
        }
    }

    /** A whole INTEGER that must fit an int (the version). */
    int smallInteger(int limit, String what) throws CertificateFormatException {
        expect(INTEGER, limit, what);
        checkInteger(what);
        if (end - content > 4) {
            throw fail(what + ": value of " + (end - content) + " octets is out of range", start);
        }
        int value = buf[content];
        for (int i = content + 1; i < end; i++) {
            value = (value << 8) | (buf[i] & 0xff);
        }
        pos = end;
        return value;
    }

    BigInteger integerValue() {
        return new BigInteger(buf, content, end - content);
    }

    /** BOOLEAN: one octet, 0x00 or 0xff (DER); returns its value. */
    boolean checkBoolean(String what) throws CertificateFormatException {
        if (end - content != 1) {
            throw fail(what + ": BOOLEAN must have exactly one octet", start);
        }
        int value = buf[content] & 0xff;
        if (value != 0 && value != 0xff) {
            throw fail(what + ": BOOLEAN " + hex(value) + " is not DER (0x00 or 0xff only)", start);
        }
        return value != 0;
    }

    void checkNull(String what) throws CertificateFormatException {
        if (end != content) {
            throw fail(what + ": NULL with content", start);
        }
    }

    /** OBJECT IDENTIFIER: non-empty, no 0x80 leading a sub-identifier, last octet ends one, at most 4096 octets. */
    void checkOid(String what) throws CertificateFormatException {
        int length = end - content;
        if (length == 0) {
            throw fail(what + ": empty OBJECT IDENTIFIER", start);
        }
        if (length > MAX_OID_CONTENTS) {
            throw fail(what + ": OBJECT IDENTIFIER of " + length + " octets is too long", start);
        }
        boolean subStart = true;
        for (int i = content; i < end; i++) {
            int octet = buf[i] & 0xff;
            if (subStart && octet == 0x80) {
                throw fail(what + ": OBJECT IDENTIFIER sub-identifier starts with 0x80 (not DER)", start);
            }
            subStart = octet < 0x80;
        }
        if (!subStart) {
            throw fail(what + ": OBJECT IDENTIFIER ends inside a sub-identifier", start);
        }
    }

    /**
     * BIT STRING: the unused-bits octet present, at most 7, zero when there are no content octets, and the unused
     * bits themselves zero (DER). Returns the number of unused bits.
     */
    int checkBitString(String what) throws CertificateFormatException {
        int length = end - content;
        if (length == 0) {
            throw fail(what + ": BIT STRING without its unused-bits octet", start);
        }
        int unused = buf[content] & 0xff;
        if (unused > 7) {
            throw fail(what + ": BIT STRING with " + unused + " unused bits (at most 7)", start);
        }
        if (length == 1 && unused != 0) {
            throw fail(what + ": empty BIT STRING with " + unused + " unused bits", start);
        }
        if (unused != 0 && (buf[end - 1] & ((1 << unused) - 1)) != 0) {
            throw fail(what + ": BIT STRING unused bits are not zero (not DER)", start);
        }
        return unused;
    }

    /** The dotted form of the OID content in [from, to), exactly as BouncyCastle writes it. */
    static String oidText(byte[] b, int from, int to) {
        StringBuilder out = new StringBuilder(Math.max(16, (to - from) * 3));
        long value = 0;
        BigInteger big = null;
        boolean first = true;
        for (int i = from; i < to; i++) {
            int octet = b[i] & 0xff;
            if (value <= LONG_LIMIT) {
                value += octet & 0x7f;
                if ((octet & 0x80) == 0) {
                    if (first) {
                        if (value < 40) {
                            out.append('0');
                        } else if (value < 80) {
                            out.append('1');
                            value -= 40;
                        } else {
                            out.append('2');
                            value -= 80;
                        }
                        first = false;
                    }
                    out.append('.').append(value);
                    value = 0;
                } else {
                    value <<= 7;
                }
            } else {
                if (big == null) {
                    big = BigInteger.valueOf(value);
                }
                big = big.or(BigInteger.valueOf(octet & 0x7f));
                if ((octet & 0x80) == 0) {
                    if (first) {
                        out.append('2');
                        big = big.subtract(BigInteger.valueOf(80));
                        first = false;
                    }
                    out.append('.').append(big);
                    big = null;
                    value = 0;
                } else {
                    big = big.shiftLeft(7);
                }
            }
        }
        return out.toString();
    }

    private static final long LONG_LIMIT = (Long.MAX_VALUE >> 7) - 0x7f;

    /**
     * The UTCTime (YYMMDDHHMMSSZ, YY >= 50 is 19YY) or GeneralizedTime (YYYYMMDDHHMMSSZ) at the cursor as epoch
     * seconds, with the rules and messages of {@link ParsedCertificate#parseTime}.
     */
    long time(int limit, String field) throws CertificateFormatException {
        int found = peek(limit);
        int yearDigits;
        if (found == UTC_TIME) {
            yearDigits = 2;
        } else if (found == GENERALIZED_TIME) {
            yearDigits = 4;
        } else if (found < 0) {
            throw fail(field + " is missing", pos);
        } else {
            throw new CertificateFormatException(field + " is neither UTCTime nor GeneralizedTime (tag " + hex(found)
                    + " at byte offset " + pos + ")");
        }
        expect(found, limit, field);
        pos = end;
        int length = yearDigits + 11;
        if (end - content != length || buf[end - 1] != 'Z') {
            throw new CertificateFormatException(field + " '" + ascii(content, end) + "' is not in the form "
                    + (yearDigits == 2 ? "YYMMDDHHMMSSZ" : "YYYYMMDDHHMMSSZ"));
        }
        for (int i = content; i < end - 1; i++) {
            if (buf[i] < '0' || buf[i] > '9') {
                throw new CertificateFormatException(field + " '" + ascii(content, end) + "' has a non-digit");
            }
        }
        int year = digits(content, yearDigits);
        if (yearDigits == 2) {
            year += year >= 50 ? 1900 : 2000;
        }
        int at = content + yearDigits;
        int month = digits(at, 2);
        int day = digits(at + 2, 2);
        int hour = digits(at + 4, 2);
        int minute = digits(at + 6, 2);
        int second = digits(at + 8, 2);
        // The checks of LocalDateTime.of, which ParsedCertificate.parseTime uses.
        if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59
                || second > 59) {
            throw new CertificateFormatException(field + " '" + ascii(content, end)
                    + "' is not a valid date and time");
        }
        return daysFromCivil(year, month, day) * 86_400L + hour * 3_600L + minute * 60L + second;
    }

    private int digits(int at, int count) {
        int value = 0;
        for (int i = at; i < at + count; i++) {
            value = value * 10 + (buf[i] - '0');
        }
        return value;
    }

    private String ascii(int from, int to) {
        char[] chars = new char[to - from];
        for (int i = from; i < to; i++) {
            int c = buf[i] & 0xff;
            chars[i - from] = c < 0x80 ? (char) c : '\ufffd';
        }
        return new String(chars);
    }

    private static int daysInMonth(int year, int month) {
        return switch (month) {
            case 2 -> (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28;
            case 4, 6, 9, 11 -> 30;
            default -> 31;
        };
    }

    /** Days since 1970-01-01 in the proleptic Gregorian calendar (H. Hinnant's days_from_civil). */
    private static long daysFromCivil(int year, int month, int day) {
        int y = month <= 2 ? year - 1 : year;
        int era = (y >= 0 ? y : y - 399) / 400;
        int yearOfEra = y - era * 400;
        int dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
        int dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
        return era * 146_097L + dayOfEra - 719_468L;
    }

    static CertificateFormatException fail(String message, int offset) {
        return new CertificateFormatException(message + " (at byte offset " + offset + ")");
    }

    static String hex(int tag) {
        return "0x" + HexFormat.of().toHexDigits((byte) tag);
    }
}
