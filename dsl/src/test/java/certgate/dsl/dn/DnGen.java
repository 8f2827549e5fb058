package certgate.dsl.dn;

import certgate.testkit.Gen;
import certgate.testkit.Gens;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Generators of DNs: nasty values for round trips, and small alphabets so that rules often match. */
public final class DnGen {
    static final List<String> TYPES = List.of("2.5.4.3", "2.5.4.11", "2.5.4.10", "2.5.4.6",
            "0.9.2342.19200300.100.1.25", "1.2.840.113549.1.9.1", "2.5.4.97");
    private static final String NASTY = "aZ09 ,+\"\\<>;#=*\u00e9\u65e5\u00df\t\0-_.";

    private DnGen() {
    }

    /** Any value: specials, edge spaces, '#' first, NUL, non-ASCII, empty. */
    public static Gen<String> nastyValues() {
        return Gens.frequency(Gens.strings(NASTY, 0, 12), Gens.strings("ab \u00c9\uD834\uDD1E", 1, 6),
                Gens.oneOf("", " ", "#", "*", "  lead", "trail  ", "#0c03616263"));
    }

    /** DNs with any types (also multi-valued RDNs) and nasty values. */
    public static Gen<DistinguishedName> anyDn() {
        return dns(nastyValues(), TYPES, 0, 6);
    }

    /** Values over {a, A, b, B, space}: distinct strings often prepare to equal values. */
    public static Gen<String> smallValues() {
        return Gens.strings("aAbB ", 1, 3).map(s -> s.isBlank() ? "a" + s : s);
    }

    /** DNs over few types and small values, so that containers and wildcards often match by chance. */
    public static Gen<DistinguishedName> smallDn(int minRdns, int maxRdns) {
        return dns(smallValues(), List.of("2.5.4.3", "2.5.4.11", "2.5.4.10"), minRdns, maxRdns);
    }

    static Gen<DistinguishedName> dns(Gen<String> values, List<String> types, int min, int max) {
        return random -> {
            int count = min + random.nextInt(max - min + 1);
            List<Rdn> rdns = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                rdns.add(rdn(random, values, types));
            }
            return new DistinguishedName(rdns);
        };
    }

    private static Rdn rdn(SplittableRandom random, Gen<String> values, List<String> types) {
        int size = random.nextInt(6) == 0 ? 2 : 1;
        List<DnAttribute> attributes = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            attributes.add(new DnAttribute(types.get(random.nextInt(types.size())), values.generate(random)));
        }
        return new Rdn(attributes);
    }
}
