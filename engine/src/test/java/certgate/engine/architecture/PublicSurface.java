package certgate.engine.architecture;

import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The engine's public surface: the API package {@code certgate.engine} and its leaf package of values
 * {@code certgate.engine.trace}. Everything else under {@code certgate.engine.} is internal: adapters do not
 * refer to it, and no public signature of the surface mentions it, nor a BouncyCastle type.
 */
public final class PublicSurface {
    public static final Set<String> API_PACKAGES = Set.of("certgate.engine", "certgate.engine.trace");
    private static final Pattern TYPE_NAME = Pattern.compile("[\\w$.]+");

    private PublicSurface() {
    }

    /** Whether {@code className} is an engine class outside the public surface. */
    public static boolean isEngineInternal(String className) {
        return className.startsWith("certgate.engine.") && !API_PACKAGES.contains(ClassFile.packageOf(className));
    }

    /** Whether {@code typeName} may not appear in a public signature of the surface. */
    public static boolean forbiddenInSignatures(String typeName) {
        return typeName.startsWith("org.bouncycastle.") || isEngineInternal(typeName);
    }

    /**
     * Every public member signature (and supertype) of the public, accessible types among {@code classNames} that
     * mentions a forbidden type, one line each: the type, the member, and the type it mentions.
     */
    public static List<String> leaks(Collection<String> classNames) {
        List<String> leaks = new ArrayList<>();
        for (String name : classNames) {
            Class<?> type;
            try {
                type = Class.forName(name, false, PublicSurface.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException("cannot load " + name, e);
            }
            if (accessible(type)) {
                leaks.addAll(leaks(type));
            }
        }
        return leaks;
    }

    private static boolean accessible(Class<?> type) {
        for (Class<?> c = type; c != null; c = c.getEnclosingClass()) {
            if (!Modifier.isPublic(c.getModifiers()) || c.isAnonymousClass() || c.isSynthetic()) {
                return false;
            }
        }
        return true;
    }

    static List<String> leaks(Class<?> type) {
        List<String> leaks = new ArrayList<>();
        String owner = type.getName();
        if (type.getGenericSuperclass() != null) {
            check(owner, "extends", type.getGenericSuperclass(), leaks);
        }
        for (Type supertype : type.getGenericInterfaces()) {
            check(owner, "implements", supertype, leaks);
        }
        for (Constructor<?> constructor : type.getDeclaredConstructors()) {
            if (visible(constructor)) {
                check(owner, "constructor", constructor.getGenericParameterTypes(), leaks);
                check(owner, "constructor throws", constructor.getGenericExceptionTypes(), leaks);
            }
        }
        for (Method method : type.getDeclaredMethods()) {
            if (visible(method) && !method.isSynthetic()) {
                check(owner, method.getName() + "()", new Type[] {method.getGenericReturnType()}, leaks);
                check(owner, method.getName() + "(...)", method.getGenericParameterTypes(), leaks);
                check(owner, method.getName() + " throws", method.getGenericExceptionTypes(), leaks);
            }
        }
        for (Field field : type.getDeclaredFields()) {
            if (visible(field)) {
                check(owner, field.getName(), new Type[] {field.getGenericType()}, leaks);
            }
        }
        if (type.isRecord()) {
            for (RecordComponent component : type.getRecordComponents()) {
                check(owner, component.getName(), new Type[] {component.getGenericType()}, leaks);
            }
        }
        return leaks;
    }

    private static boolean visible(Member member) {
        int modifiers = member.getModifiers();
        return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
    }

    private static void check(String owner, String where, Type type, List<String> leaks) {
        check(owner, where, new Type[] {type}, leaks);
    }

    private static void check(String owner, String where, Type[] types, List<String> leaks) {
        for (Type type : types) {
            Matcher matcher = TYPE_NAME.matcher(type.getTypeName());
            while (matcher.find()) {
                if (forbiddenInSignatures(matcher.group())) {
                    leaks.add(owner + " " + where + " mentions " + matcher.group());
                }
            }
        }
    }
}
