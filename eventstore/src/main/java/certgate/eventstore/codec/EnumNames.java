package certgate.eventstore.codec;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/** An enum's constants with their names as bytes, so a name in a payload is matched without making a String. */
final class EnumNames<E extends Enum<E>> {
    private final E[] constants;
    private final byte[][] names;

    EnumNames(Class<E> type) {
        this.constants = type.getEnumConstants();
        this.names = new byte[constants.length][];
        for (int i = 0; i < constants.length; i++) {
            names[i] = constants[i].name().getBytes(StandardCharsets.US_ASCII);
        }
    }

    E find(byte[] buf, int offset, int length) {
        for (int i = 0; i < names.length; i++) {
            byte[] name = names[i];
            if (name.length == length && Arrays.equals(name, 0, length, buf, offset, offset + length)) {
                return constants[i];
            }
        }
        return null;
    }

    String allNames() {
        return List.of(constants).toString();
    }
}
