package certgate.engine.architecture;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The classes a compiled class refers to, read from its constant pool (JVMS 4.4): every CONSTANT_Class entry, and
 * every class named in a descriptor or generic signature (the UTF-8 entries that are not string literals: field
 * and method descriptors, NameAndType and MethodType descriptors, Signature attributes, annotation types). Enough
 * for package dependencies; a class named only inside a string literal (reflection) is not a dependency.
 */
public record ClassFile(String name, Set<String> references) {
    private static final int MAGIC = 0xCAFEBABE;
    /** A class name inside a descriptor or signature: {@code Lpkg/Name;} or {@code Lpkg/Name<...>;}. */
    private static final Pattern DESCRIBED = Pattern.compile("L((?:[\\w$]+/)+[\\w$]+)[;<.]");

    public ClassFile {
        references = Set.copyOf(references);
    }

    /** The package of {@code className} ({@code a.b.C$D} is in {@code a.b}); the unnamed package is "". */
    public static String packageOf(String className) {
        int dot = className.lastIndexOf('.');
        return dot < 0 ? "" : className.substring(0, dot);
    }

    public String packageName() {
        return packageOf(name);
    }

    /** Reads the class file {@code bytes}. */
    public static ClassFile read(byte[] bytes) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
        if (in.readInt() != MAGIC) {
            throw new IOException("not a class file (no 0xCAFEBABE)");
        }
        in.readUnsignedShort();
        in.readUnsignedShort();
        int count = in.readUnsignedShort();
        String[] utf8 = new String[count];
        int[] classNameIndex = new int[count];
        Set<Integer> stringLiterals = new HashSet<>();
        for (int i = 1; i < count; i++) {
            int tag = in.readUnsignedByte();
            switch (tag) {
                case 1 -> utf8[i] = in.readUTF();
                case 7 -> classNameIndex[i] = in.readUnsignedShort();
                case 8 -> stringLiterals.add(in.readUnsignedShort());
                case 16, 19, 20 -> in.readUnsignedShort();
                case 15 -> {
                    in.readUnsignedByte();
                    in.readUnsignedShort();
                }
                case 3, 4, 9, 10, 11, 12, 17, 18 -> in.readInt();
                case 5, 6 -> {
                    in.readLong();
                    i++;
                }
                default -> throw new IOException("unknown constant pool tag " + tag + " at entry " + i);
            }
        }
        in.readUnsignedShort();
        int thisClass = in.readUnsignedShort();
        String name = binaryName(utf8[classNameIndex[thisClass]]);
        Set<String> references = new TreeSet<>();
        for (int i = 1; i < count; i++) {
            if (classNameIndex[i] != 0) {
                String internal = utf8[classNameIndex[i]];
                if (internal.startsWith("[")) {
                    described(internal, references);
                } else {
                    references.add(binaryName(internal));
                }
            } else if (utf8[i] != null && !stringLiterals.contains(i)) {
                described(utf8[i], references);
            }
        }
        references.remove(name);
        return new ClassFile(name, references);
    }

    private static void described(String text, Set<String> references) {
        Matcher matcher = DESCRIBED.matcher(text);
        while (matcher.find()) {
            references.add(binaryName(matcher.group(1)));
        }
    }

    private static String binaryName(String internal) {
        return internal.replace('/', '.');
    }

    /** For tests: a class with the given references, as if read. */
    public static ClassFile of(String name, String... references) {
        return new ClassFile(name, Set.of(references));
    }

    /** For messages. */
    @Override
    public String toString() {
        return name + " -> " + references;
    }

}
