package certgate.dsl.policy;

import java.util.Arrays;
import java.util.Optional;

/**
 * An IPv4 or IPv6 address parsed from its literal text only (never DNS, unlike {@code InetAddress.getByName}).
 * IPv4 is four decimal octets without leading zeros; IPv6 is RFC 4291 text without a zone. An IPv4-mapped
 * IPv6 address is the IPv4 address, as {@code InetAddress} treats it. Equal when the bytes are equal.
 */
public final class IpAddress {
    private final byte[] bytes;

    private IpAddress(byte[] bytes) {
        this.bytes = bytes;
    }

    public static Optional<IpAddress> parse(String text) {
        if (text.indexOf(':') >= 0) {
            return v6(text).map(IpAddress::unmapped);
        }
        return v4(text).map(IpAddress::new);
    }

    /** 4 or 16 bytes, a copy. */
    public byte[] bytes() {
        return bytes.clone();
    }

    public boolean isV4() {
        return bytes.length == 4;
    }

    private static IpAddress unmapped(byte[] v6) {
        for (int i = 0; i < 10; i++) {
            if (v6[i] != 0) {
                return new IpAddress(v6);
            }
        }
        if (v6[10] == (byte) 0xff && v6[11] == (byte) 0xff) {
            return new IpAddress(Arrays.copyOfRange(v6, 12, 16));
        }
        return new IpAddress(v6);
    }

    private static Optional<byte[]> v4(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return Optional.empty();
        }
        byte[] out = new byte[4];
        for (int i = 0; i < 4; i++) {
            String part = parts[i];
            if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(c -> c >= '0' && c <= '9')
                    || (part.length() > 1 && part.charAt(0) == '0')) {
                return Optional.empty();
            }
            int value = Integer.parseInt(part);
            if (value > 255) {
                return Optional.empty();
            }
            out[i] = (byte) value;
        }
        return Optional.of(out);
    }

    private static Optional<byte[]> v6(String text) {
        int gap = text.indexOf("::");
        if (gap >= 0 && text.indexOf("::", gap + 1) >= 0) {
            return Optional.empty();
        }
        String head = gap >= 0 ? text.substring(0, gap) : text;
        String tail = gap >= 0 ? text.substring(gap + 2) : "";
        Optional<int[]> before = groups(head, gap < 0);
        Optional<int[]> after = groups(tail, true);
        if (before.isEmpty() || after.isEmpty()) {
            return Optional.empty();
        }
        int[] b = before.get();
        int[] a = after.get();
        if (gap < 0 && (b.length != 8 || a.length != 0)) {
            return Optional.empty();
        }
        if (gap >= 0 && b.length + a.length > 7) {
            return Optional.empty();
        }
        byte[] out = new byte[16];
        for (int i = 0; i < b.length; i++) {
            out[2 * i] = (byte) (b[i] >> 8);
            out[2 * i + 1] = (byte) b[i];
        }
        for (int i = 0; i < a.length; i++) {
            int at = 8 - a.length + i;
            out[2 * at] = (byte) (a[i] >> 8);
            out[2 * at + 1] = (byte) a[i];
        }
        return Optional.of(out);
    }

    /** Colon-separated 16-bit groups; the last may be a dotted IPv4 (two groups) when {@code mayEndInV4}. */
    private static Optional<int[]> groups(String text, boolean mayEndInV4) {
        if (text.isEmpty()) {
            return Optional.of(new int[0]);
        }
        String[] parts = text.split(":", -1);
        int count = parts.length;
        boolean endsInV4 = parts[count - 1].indexOf('.') >= 0;
        if (endsInV4 && !mayEndInV4) {
            return Optional.empty();
        }
        int[] out = new int[endsInV4 ? count + 1 : count];
        for (int i = 0; i < count; i++) {
            String part = parts[i];
            if (i == count - 1 && endsInV4) {
                Optional<byte[]> v4 = v4(part);
                if (v4.isEmpty()) {
                    return Optional.empty();
                }
                byte[] q = v4.get();
                out[i] = ((q[0] & 0xff) << 8) | (q[1] & 0xff);
                out[i + 1] = ((q[2] & 0xff) << 8) | (q[3] & 0xff);
                continue;
            }
            if (part.isEmpty() || part.length() > 4 || !part.chars().allMatch(IpAddress::isHex)) {
                return Optional.empty();
            }
            out[i] = Integer.parseInt(part, 16);
        }
        return Optional.of(out);
    }

    private static boolean isHex(int c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof IpAddress that && Arrays.equals(bytes, that.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    /** Dotted quad, or RFC 5952 text (lower case, the longest run of two or more zero groups as "::"). */
    @Override
    public String toString() {
        if (isV4()) {
            return (bytes[0] & 0xff) + "." + (bytes[1] & 0xff) + "." + (bytes[2] & 0xff) + "." + (bytes[3] & 0xff);
        }
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((bytes[2 * i] & 0xff) << 8) | (bytes[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; i++) {
            int length = 0;
            while (i + length < 8 && groups[i + length] == 0) {
                length++;
            }
            if (length > bestLength) {
                bestStart = i;
                bestLength = length;
            }
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                out.append("::");
                i += bestLength - 1;
                continue;
            }
            if (out.length() > 0 && out.charAt(out.length() - 1) != ':') {
                out.append(':');
            }
            out.append(Integer.toHexString(groups[i]));
        }
        return out.toString();
    }
}
