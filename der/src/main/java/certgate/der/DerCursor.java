package certgate.der;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.HexFormat;

/**
 * A strict DER cursor over one byte array (or read-only buffer), shared by every hand-written reader in certgate
 * (certificates, CRLs, PEM files). It allocates nothing per element: {@link #header} and {@link #expect} leave the
 * element's tag and bounds in fields, the caller keeps the enclosing ends in local variables, and the caller's
 * {@link DerFailure} makes an exception only when a rule is broken. That is what lets a CRL of a million entries
 * be read without an object per entry, and a certificate in a few microseconds.
 *
 * <p>The rules (X.690 DER, as BouncyCastle 1.87 enforces them when it parses, plus what its DER re-encoding would
 * normalise):
 * <ul>
 *   <li>lengths are definite, in their shortest form, at most 4 octets, and within the element that encloses
 *       them;</li>
 *   <li>a tag number above 30 uses the shortest multi-octet form, at most 4 octets (only {@link #header} and a
 *       {@link Walk#FRAMING} walk accept one; a {@link Walk#STRICT} walk refuses multi-octet tags);</li>
 *   <li>BOOLEAN is one octet, 0x00 or 0xff; INTEGER and ENUMERATED have no redundant leading octet; BIT STRING has
 *       its unused-bits octet, at most 7 unused bits, and those bits zero; NULL is empty; an OBJECT IDENTIFIER has
 *       no sub-identifier led by 0x80, ends on a complete one and has at most {@link #MAX_OID_CONTENTS} octets;</li>
 *   <li>a structure walk goes at most {@link #MAX_DEPTH} levels deep, so hostile nesting costs one linear pass.</li>
 * </ul>
 */
public final class DerCursor<E extends Exception> {
    /** Deeper than any certificate, CRL, Name or extension value needs; shallow enough to stop nesting bombs. */
    public static final int MAX_DEPTH = 32;

    /** BouncyCastle refuses longer OBJECT IDENTIFIER contents ("exceeded OID contents length limit"). */
    public static final int MAX_OID_CONTENTS = 4096;

    /** What a structure walk ({@link #checkStructure}) holds the elements to, beyond their lengths and depth. */
    public enum Walk {
        /**
         * Framing only, for a value BouncyCastle reads next: tag numbers above 30 in their shortest form are
         * allowed, a constructed BIT STRING or OCTET STRING (BER) is not; contents are left to BouncyCastle.
         */
        FRAMING,
        /**
         * Framing with single-octet tags, SEQUENCE and SET the only constructed universal types, no
         * end-of-contents octets, and the content rules of BOOLEAN, INTEGER, ENUMERATED, BIT STRING, NULL and
         * OBJECT IDENTIFIER.
         */
        STRICT
    }

    // One of the two is set: an array (a certificate, a PEM file: read directly, the hot path of a decision), or a
    // read-only buffer (a blob's view of a CRL, which the reader must not be able to change). Positions are
    // absolute indices from 0; the buffer's own position is never used.
    private final byte[] array;
    private final ByteBuffer buffer;
    private final DerFailure<E> failure;
    /** Where the next element starts. */
    private int pos;
    /** Of the element {@link #header} or {@link #expect} read last: its first tag octet, its start, content, end. */
    private int tag;
    private int start;
    private int content;
    private int end;

    public DerCursor(byte[] buf, int pos, DerFailure<E> failure) {
        this.array = buf;
        this.buffer = null;
        this.pos = pos;
        this.failure = failure;
    }

    /**
     * A cursor over {@code buf}'s indices 0 to its limit (its position is ignored), for bytes the reader may not
     * own, a blob's view say: the cursor only reads them.
     */
    public DerCursor(ByteBuffer buf, int pos, DerFailure<E> failure) {
        this.array = null;
        this.buffer = buf.isReadOnly() ? buf : buf.asReadOnlyBuffer();
        this.pos = pos;
        this.failure = failure;
    }

    private byte octet(int index) {
        return array != null ? array[index] : buffer.get(index);
    }

    /** Where the next element starts. */
    public int pos() {
        return pos;
    }

    public void seek(int position) {
        pos = position;
    }

    /** The first tag octet of the element read last. */
    public int tag() {
        return tag;
    }

    /** Where the element read last starts (its tag). */
    public int start() {
        return start;
    }

    /** Where the content of the element read last starts. */
    public int content() {
        return content;
    }

    /** Where the element read last ends (exclusive). */
    public int end() {
        return end;
    }

    /** Whether an element starts at the cursor before {@code limit} and has tag {@code expected}. */
    public boolean at(int expected, int limit) {
        return pos < limit && (octet(pos) & 0xff) == expected;
    }

    /** The tag at the cursor, or -1 when the cursor is at {@code limit}. */
    public int peek(int limit) {
        return pos < limit ? octet(pos) & 0xff : -1;
    }

    /** Reads the header of any element ending by {@code limit}; leaves the cursor at its content. */
    public void header(int limit, String what) throws E {
        start = pos;
        if (pos >= limit) {
            throw missing(what, pos);
        }
        tag = octet(pos++) & 0xff;
        if ((tag & 0x1f) == 0x1f) {
            highTagNumber(limit, what);
        }
        length(limit, what);
    }

    /** Reads the header of an element that must have tag {@code expected}; returns its end. */
    public int expect(int expected, int limit, String what) throws E {
        if (pos >= limit) {
            throw missing(what, pos);
        }
        int found = octet(pos) & 0xff;
        if (found != expected) {
            throw fail(label(what, "expected tag " + hex(expected) + " but found " + hex(found)), pos);
        }
        start = pos++;
        tag = found;
        length(limit, what);
        return end;
    }

    /** Moves the cursor to the end of the element read last. */
    public void skip() {
        pos = end;
    }

    /** The cursor must be exactly at {@code limit}: nothing else inside the enclosing element. */
    public void expectEnd(int limit, String what) throws E {
        if (pos != limit) {
            throw fail(what + " has an unexpected element " + hex(octet(pos) & 0xff) + " before its end", pos);
        }
    }

    private void length(int limit, String what) throws E {
        if (pos >= limit) {
            throw fail(label(what, "truncated before its length"), pos);
        }
        int first = octet(pos++) & 0xff;
        long length;
        if (first < 0x80) {
            length = first;
        } else if (first == 0x80) {
            throw fail(label(what, "indefinite length is BER, not DER"), start);
        } else {
            int count = first & 0x7f;
            if (count > 4) {
                throw fail(label(what, "a length field of " + count + " octets is too long (at most 4)"), start);
            }
            if (limit - pos < count) {
                throw fail(label(what, "truncated inside its length"), start);
            }
            if (octet(pos) == 0) {
                throw fail(label(what, "length with a leading zero octet is not minimal DER (not the shortest "
                        + "form)"), start);
            }
            length = 0;
            for (int i = 0; i < count; i++) {
                length = (length << 8) | (octet(pos++) & 0xff);
            }
            if (length < 0x80) {
                throw fail(label(what, "long-form length " + length + " is not minimal DER (not the shortest "
                        + "form)"), start);
            }
        }
        if (length > limit - pos) {
            throw fail(label(what, "length " + length + " runs past the end of its enclosing element ("
                    + (limit - pos) + " bytes left)"), start);
        }
        content = pos;
        end = pos + (int) length;
    }

    /** Skips a multi-octet tag number: shortest form, at most 4 octets, a number that needs it (31 or more). */
    private void highTagNumber(int limit, String what) throws E {
        int value = 0;
        for (int count = 0; ; count++) {
            if (pos >= limit) {
                throw fail(label(what, "truncated tag number"), pos);
            }
            int octet = octet(pos++) & 0xff;
            if (count == 0 && octet == 0x80) {
                throw fail(label(what, "tag number with a leading zero group is not DER"), pos - 1);
            }
            if (count >= 4) {
                throw fail(label(what, "tag number too large"), pos - 1);
            }
            value = (value << 7) | (octet & 0x7f);
            if ((octet & 0x80) == 0) {
                break;
            }
        }
        if (value < 0x1f) {
            throw fail(label(what, "tag number " + value + " must use the short form in DER"), pos - 1);
        }
    }

    // Content rules, on the element read last.

    /** INTEGER (or ENUMERATED): at least one octet, no redundant leading 0x00 or 0xff. */
    public void checkInteger(String what) throws E {
        int length = end - content;
        if (length == 0) {
            throw fail(label(what, "empty INTEGER"), start);
        }
        if (length > 1 && octet(content) == (octet(content + 1) >> 7)) {
            throw fail(label(what, "INTEGER with a redundant leading octet is not minimal DER"), start);
        }
    }

    /** A whole INTEGER or ENUMERATED (by {@code expected}) that must fit an int; leaves the cursor after it. */
    public int smallInteger(int expected, int limit, String what) throws E {
        expect(expected, limit, what);
        checkInteger(what);
        if (end - content > 4) {
            throw fail(label(what, "value of " + (end - content) + " octets is out of range"), start);
        }
        int value = octet(content);
        for (int i = content + 1; i < end; i++) {
            value = (value << 8) | (octet(i) & 0xff);
        }
        pos = end;
        return value;
    }

    public BigInteger integerValue() {
        if (array != null) {
            return new BigInteger(array, content, end - content);
        }
        byte[] magnitude = new byte[end - content];
        buffer.get(content, magnitude);
        return new BigInteger(magnitude);
    }

    /** BOOLEAN: one octet, 0x00 or 0xff (DER); returns its value. */
    public boolean checkBoolean(String what) throws E {
        if (end - content != 1) {
            throw fail(label(what, "BOOLEAN must have exactly one octet"), start);
        }
        int value = octet(content) & 0xff;
        if (value != 0 && value != 0xff) {
            throw fail(label(what, "BOOLEAN " + hex(value) + " is not DER (0x00 or 0xff only)"), start);
        }
        return value != 0;
    }

    public void checkNull(String what) throws E {
        if (end != content) {
            throw fail(label(what, "NULL with content"), start);
        }
    }

    /** OBJECT IDENTIFIER: non-empty, no 0x80 leading a sub-identifier, last octet ends one, not too long. */
    public void checkOid(String what) throws E {
        int length = end - content;
        if (length == 0) {
            throw fail(label(what, "empty OBJECT IDENTIFIER"), start);
        }
        if (length > MAX_OID_CONTENTS) {
            throw fail(label(what, "OBJECT IDENTIFIER of " + length + " octets is too long"), start);
        }
        boolean subStart = true;
        for (int i = content; i < end; i++) {
            int octet = octet(i) & 0xff;
            if (subStart && octet == 0x80) {
                throw fail(label(what, "OBJECT IDENTIFIER sub-identifier starts with 0x80 (not DER)"), start);
            }
            subStart = octet < 0x80;
        }
        if (!subStart) {
            throw fail(label(what, "OBJECT IDENTIFIER ends inside a sub-identifier"), start);
        }
    }

    /**
     * BIT STRING: the unused-bits octet present, at most 7, zero when there are no content octets, and the unused
     * bits themselves zero (DER). Returns the number of unused bits.
     */
    public int checkBitString(String what) throws E {
        int length = end - content;
        if (length == 0) {
            throw fail(label(what, "BIT STRING without its unused-bits octet"), start);
        }
        int unused = octet(content) & 0xff;
        if (unused > 7) {
            throw fail(label(what, "BIT STRING with " + unused + " unused bits (at most 7)"), start);
        }
        if (length == 1 && unused != 0) {
            throw fail(label(what, "empty BIT STRING with " + unused + " unused bits"), start);
        }
        if (unused != 0 && (octet(end - 1) & ((1 << unused) - 1)) != 0) {
            throw fail(label(what, "BIT STRING unused bits are not zero (not DER)"), start);
        }
        return unused;
    }

    // The structure walk.

    /**
     * Checks that [from, to) is a sequence of DER elements, recursively, held to {@code walk}'s rules; {@code
     * depth} is the nesting of the elements in the range, so that a part checked on its own meets the same bound
     * as inside its container. Leaves the cursor at {@code to}.
     */
    public void checkStructure(int from, int to, int depth, Walk walk, String what) throws E {
        checkStructure(from, to, depth, walk, what, ElementRule.none());
    }

    /** As {@link #checkStructure(int, int, int, Walk, String)}, with the caller's rule for primitive elements. */
    public void checkStructure(int from, int to, int depth, Walk walk, String what, ElementRule<E> rule) throws E {
        pos = from;
        while (pos < to) {
            boolean strict = walk == Walk.STRICT;
            if (strict && (octet(pos) & 0x1f) == 0x1f) {
                throw fail(label(what, "multi-octet tag " + hex(octet(pos) & 0xff) + " is not used in X.509"),
                        pos);
            }
            header(to, what);
            int elementEnd = end;
            if (DerTag.constructed(tag)) {
                if (DerTag.universal(tag) && (strict ? tag != DerTag.SEQUENCE && tag != DerTag.SET
                        : tag == (0x20 | DerTag.BIT_STRING) || tag == (0x20 | DerTag.OCTET_STRING))) {
                    throw fail(label(what, "constructed encoding of universal type " + hex(tag & 0xdf)
                            + " is BER, not DER"), start);
                }
                if (depth >= MAX_DEPTH) {
                    throw fail(label(what, "nested deeper than " + MAX_DEPTH + " levels"), start);
                }
                checkStructure(content, elementEnd, depth + 1, walk, what, rule);
            } else if (strict && DerTag.universal(tag)) {
                checkPrimitive(what);
                rule.check(this, what);
            }
            pos = elementEnd;
        }
    }

    /** The content rules of the element read last, a universal primitive one. */
    private void checkPrimitive(String what) throws E {
        switch (tag) {
            case DerTag.END_OF_CONTENTS -> throw fail(label(what, "end-of-contents octets (BER) are not DER"), start);
            case DerTag.BOOLEAN -> checkBoolean(what);
            case DerTag.INTEGER, DerTag.ENUMERATED -> checkInteger(what);
            case DerTag.OID -> checkOid(what);
            case DerTag.NULL -> checkNull(what);
            case DerTag.BIT_STRING -> checkBitString(what);
            default -> {
                // Strings and times: their readers check their content.
            }
        }
    }

    // Times.

    /**
     * The UTCTime (YYMMDDHHMMSSZ, RFC 5280 4.1.2.5.1: YY >= 50 is 19YY) or GeneralizedTime (YYYYMMDDHHMMSSZ, no
     * fractions) at the cursor, as epoch seconds in the proleptic Gregorian calendar; leaves the cursor after it,
     * and {@link #tag()} says which of the two it was.
     */
    public long time(int limit, String what) throws E {
        int found = peek(limit);
        int yearDigits;
        if (found == DerTag.UTC_TIME) {
            yearDigits = 2;
        } else if (found == DerTag.GENERALIZED_TIME) {
            yearDigits = 4;
        } else if (found < 0) {
            throw missing(what, pos);
        } else {
            throw fail(what + " is neither UTCTime nor GeneralizedTime (tag " + hex(found) + ")", pos);
        }
        expect(found, limit, what);
        pos = end;
        if (end - content != yearDigits + 11 || octet(end - 1) != 'Z') {
            throw fail(what + " '" + ascii(content, end) + "' is not in the form "
                    + (yearDigits == 2 ? "YYMMDDHHMMSSZ" : "YYYYMMDDHHMMSSZ"), start);
        }
        for (int i = content; i < end - 1; i++) {
            if (octet(i) < '0' || octet(i) > '9') {
                throw fail(what + " '" + ascii(content, end) + "' has a non-digit", start);
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
        // The checks of java.time.LocalDateTime.of.
        if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59
                || second > 59) {
            throw fail(what + " '" + ascii(content, end) + "' is not a valid date and time", start);
        }
        return daysFromCivil(year, month, day) * 86_400L + hour * 3_600L + minute * 60L + second;
    }

    /** The year of the time {@link #time} read last. */
    public int timeYear() {
        if (tag == DerTag.GENERALIZED_TIME) {
            return digits(content, 4);
        }
        int year = digits(content, 2);
        return year + (year >= 50 ? 1900 : 2000);
    }

    private int digits(int at, int count) {
        int value = 0;
        for (int i = at; i < at + count; i++) {
            value = value * 10 + (octet(i) - '0');
        }
        return value;
    }

    private String ascii(int from, int to) {
        char[] chars = new char[to - from];
        for (int i = from; i < to; i++) {
            int c = octet(i) & 0xff;
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
    public static long daysFromCivil(int year, int month, int day) {
        int y = month <= 2 ? year - 1 : year;
        int era = (y >= 0 ? y : y - 399) / 400;
        int yearOfEra = y - era * 400;
        int dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
        int dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
        return era * 146_097L + dayOfEra - 719_468L;
    }

    // OIDs.

    /** The dotted form of the OID content in [from, to), exactly as BouncyCastle writes it. */
    public static String oidText(byte[] b, int from, int to) {
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

    // Failures.

    /** The caller's exception for {@code message} at {@code offset}. */
    public E fail(String message, int offset) {
        return failure.at(message, offset);
    }

    private E missing(String what, int offset) {
        return fail((what.isEmpty() ? "an element" : what) + " is missing (its enclosing element ends here)", offset);
    }

    /** "what: detail", or the detail alone for a caller that names the part itself. */
    private static String label(String what, String detail) {
        return what.isEmpty() ? detail : what + ": " + detail;
    }

    /** A tag octet as 0xNN. */
    public static String hex(int tag) {
        return "0x" + HexFormat.of().toHexDigits((byte) tag);
    }
}
