package certgate.engine.architecture;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The classes of a module and what they refer to, read from its compiled class files, with the package-to-package
 * dependencies among the packages of the module (references to other modules' packages are kept on the classes,
 * not in the package graph).
 */
public final class DependencyGraph {
    private final Map<String, ClassFile> classes;
    private final Map<String, Set<String>> packageEdges;

    private DependencyGraph(Map<String, ClassFile> classes) {
        this.classes = classes;
        Set<String> packages = new TreeSet<>();
        classes.values().forEach(c -> packages.add(c.packageName()));
        Map<String, Set<String>> edges = new TreeMap<>();
        packages.forEach(p -> edges.put(p, new TreeSet<>()));
        for (ClassFile c : classes.values()) {
            for (String reference : c.references()) {
                String target = ClassFile.packageOf(reference);
                if (packages.contains(target) && !target.equals(c.packageName())) {
                    edges.get(c.packageName()).add(target);
                }
            }
        }
        this.packageEdges = edges;
    }

    /** Every {@code .class} file under {@code directory} (a module's {@code target/classes}). */
    public static DependencyGraph read(Path directory) {
        if (!Files.isDirectory(directory)) {
            throw new IllegalArgumentException(directory + " is not a directory of compiled classes");
        }
        List<ClassFile> read = new ArrayList<>();
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                if (!file.getFileName().toString().equals("module-info.class")) {
                    read.add(ClassFile.read(Files.readAllBytes(file)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading the classes under " + directory, e);
        }
        return of(read);
    }

    /** The directory of compiled classes that {@code type} was loaded from. */
    public static Path classesOf(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    public static DependencyGraph of(List<ClassFile> classes) {
        Map<String, ClassFile> map = new TreeMap<>();
        classes.forEach(c -> map.put(c.name(), c));
        return new DependencyGraph(map);
    }

    public Set<String> classNames() {
        return classes.keySet();
    }

    public Map<String, Set<String>> packageEdges() {
        return packageEdges;
    }

    /** A reference that a rule forbids: which class, and what it refers to. */
    public record Reference(String from, String to) {
        @Override
        public String toString() {
            return from + " -> " + to;
        }
    }

    /** The references from classes that {@code from} selects to classes that {@code forbidden} selects. */
    public List<Reference> references(Predicate<String> from, Predicate<String> forbidden) {
        List<Reference> found = new ArrayList<>();
        for (ClassFile c : classes.values()) {
            if (from.test(c.name())) {
                c.references().stream().filter(forbidden).forEach(to -> found.add(new Reference(c.name(), to)));
            }
        }
        return found;
    }

    /**
     * The package cycles, one per strongly connected group of packages that depend on one another, each as a path
     * that comes back to its start ({@code a -> b -> a}), with one class reference per step as evidence.
     */
    public List<String> cycles() {
        List<String> cycles = new ArrayList<>();
        for (Set<String> group : stronglyConnected()) {
            if (group.size() > 1) {
                String start = group.iterator().next();
                List<String> path = pathWithin(group, start);
                StringBuilder text = new StringBuilder(String.join(" -> ", path));
                for (int i = 0; i + 1 < path.size(); i++) {
                    text.append("\n    ").append(evidence(path.get(i), path.get(i + 1)));
                }
                cycles.add(text.toString());
            }
        }
        return cycles;
    }

    private String evidence(String fromPackage, String toPackage) {
        for (ClassFile c : classes.values()) {
            if (c.packageName().equals(fromPackage)) {
                for (String reference : c.references()) {
                    if (ClassFile.packageOf(reference).equals(toPackage)) {
                        return c.name() + " -> " + reference;
                    }
                }
            }
        }
        return fromPackage + " -> " + toPackage;
    }

    /** A shortest path from {@code start} back to itself inside {@code group} (breadth first). */
    private List<String> pathWithin(Set<String> group, String start) {
        Map<String, String> previous = new HashMap<>();
        Deque<String> queue = new ArrayDeque<>();
        queue.add(start);
        while (!queue.isEmpty()) {
            String node = queue.poll();
            for (String next : packageEdges.get(node)) {
                if (!group.contains(next)) {
                    continue;
                }
                if (next.equals(start)) {
                    List<String> path = new ArrayList<>();
                    path.add(start);
                    for (String at = node; !at.equals(start); at = previous.get(at)) {
                        path.add(1, at);
                    }
                    path.add(start);
                    return path;
                }
                if (!previous.containsKey(next)) {
                    previous.put(next, node);
                    queue.add(next);
                }
            }
        }
        throw new IllegalStateException(start + " is on no cycle of " + group);
    }

    /** Tarjan's strongly connected components of the package graph. */
    private List<Set<String>> stronglyConnected() {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        Set<String> onStack = new TreeSet<>();
        List<Set<String>> groups = new ArrayList<>();
        int[] counter = {0};
        for (String node : packageEdges.keySet()) {
            if (!index.containsKey(node)) {
                connect(node, index, low, stack, onStack, groups, counter);
            }
        }
        return groups;
    }

    private void connect(String node, Map<String, Integer> index, Map<String, Integer> low, Deque<String> stack,
                         Set<String> onStack, List<Set<String>> groups, int[] counter) {
        index.put(node, counter[0]);
        low.put(node, counter[0]);
        counter[0]++;
        stack.push(node);
        onStack.add(node);
        for (String next : packageEdges.get(node)) {
            if (!index.containsKey(next)) {
                connect(next, index, low, stack, onStack, groups, counter);
                low.put(node, Math.min(low.get(node), low.get(next)));
            } else if (onStack.contains(next)) {
                low.put(node, Math.min(low.get(node), index.get(next)));
            }
        }
        if (low.get(node).equals(index.get(node))) {
            Set<String> group = new TreeSet<>();
            String member;
            do {
                member = stack.pop();
                onStack.remove(member);
                group.add(member);
            } while (!member.equals(node));
            groups.add(group);
        }
    }

    /** The class {@code name}, if it is one of the graph's. */
    public Optional<ClassFile> classFile(String name) {
        return Optional.ofNullable(classes.get(name));
    }
}
