package certgate.engine.identity;

import java.util.Optional;

/**
 * IP address literals to bytes, by hand: {@code InetAddress.getByName} would resolve anything that is not a
 * literal through DNS, and the engine never touches the network. IPv4 is four decimal octets without leading
 * zeros; IPv6 is RFC 4291 text (with {@code ::} and an embedded IPv4 tail), without a zone.
 */
public final class IpLiterals {
    private IpLiterals() {
    }

    public static Optional<byte[]> parse(String text) {
        if (text.indexOf(':') >= 0) {
            return ipv6(text);
        }
        return ipv4(text);
    }

    static Optional<byte[]> ipv4(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return Optional.empty();
        }
        byte[] out = new byte[4];
        for (int i = 0; i < 4; i++) {
            String part = parts[i];
            if (part.isEmpty() || part.length() > 3 || (part.length() > 1 && part.charAt(0) == '0')) {
                return Optional.empty();
            }
            int value = 0;
            for (char c : part.toCharArray()) {
                if (c < '0' || c > '9') {
                    return Optional.empty();
                }
                value = value * 10 + (c - '0');
            }
            if (value > 255) {
                return Optional.empty();
            }
            out[i] = (byte) value;
        }
        return Optional.of(out);
    }

    static Optional<byte[]> ipv6(String text) {
        if (text.length() > 45) {
            return Optional.empty();
        }
        String head = text;
        int lastColon = text.lastIndexOf(':');
        if (text.indexOf('.', lastColon) >= 0) {
            Optional<byte[]> v4 = ipv4(text.substring(lastColon + 1));
            if (v4.isEmpty()) {
                return Optional.empty();
            }
            byte[] tail = v4.get();
            head = text.substring(0, lastColon + 1) + Integer.toHexString(((tail[0] & 0xff) << 8) | (tail[1] & 0xff))
                    + ":" + Integer.toHexString(((tail[2] & 0xff) << 8) | (tail[3] & 0xff));
        }
        int groupsWanted = 8;
        int doubleColon = head.indexOf("::");
        if (doubleColon >= 0 && head.indexOf("::", doubleColon + 1) >= 0) {
            return Optional.empty();
        }
        String[] left;
        String[] right;
        if (doubleColon >= 0) {
            left = split(head.substring(0, doubleColon));
            right = split(head.substring(doubleColon + 2));
            if (left == null || right == null || left.length + right.length > groupsWanted - 1) {
                return Optional.empty();
            }
        } else {
            left = split(head);
            right = new String[0];
            if (left == null || left.length != groupsWanted) {
                return Optional.empty();
            }
        }
        byte[] out = new byte[16];
        for (int i = 0; i < left.length; i++) {
            if (!group(left[i], out, i)) {
                return Optional.empty();
            }
        }
        for (int i = 0; i < right.length; i++) {
            if (!group(right[i], out, groupsWanted - right.length + i)) {
                return Optional.empty();
            }
        }
        return Optional.of(out);
    }

    private static String[] split(String groups) {
        if (groups.isEmpty()) {
            return new String[0];
        }
        String[] parts = groups.split(":", -1);
        for (String part : parts) {
            if (part.isEmpty()) {
                return null;
            }
        }
        return parts;
    }

    private static boolean group(String text, byte[] out, int index) {
        if (text.isEmpty() || text.length() > 4) {
            return false;
        }
        int value = 0;
        for (char c : text.toCharArray()) {
            int digit = Character.digit(c, 16);
            if (digit < 0) {
                return false;
            }
            value = value * 16 + digit;
        }
        out[2 * index] = (byte) (value >> 8);
        out[2 * index + 1] = (byte) value;
        return true;
    }
}
