package io.paddock.protocol.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.paddock.protocol.data.Stat;
import io.paddock.protocol.jute.JuteInput;
import io.paddock.protocol.jute.JuteRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A structural guard next to the byte tests: every jute record in {@code io.paddock.protocol.proto}
 * and {@code io.paddock.protocol.data}, including ones added later, has the same fields with the
 * same names, kinds and order as ZooKeeper's generated class of the same name, and a static
 * {@code read(JuteInput)}.
 */
class SchemaParityTest {

    /** Paddock-only components that say whether an optional trailing field is on the wire. */
    private static final Set<String> PRESENCE_FLAGS = Set.of("readOnlySent", "writeReadOnly");

    /** Framing records with no jute schema of their own (ZooKeeper writes them by hand too). */
    private static final Set<String> HAND_FRAMED = Set.of("MultiRequest", "MultiResponse");

    /** Paddock's name where it differs from ZooKeeper's. */
    private static final Map<String, String> ZK_NAMES = Map.of("Acl", "ACL");

    static Stream<Class<?>> paddockRecords() {
        List<Class<?>> out = new ArrayList<>();
        out.addAll(recordsIn("io.paddock.protocol.proto"));
        out.addAll(recordsIn("io.paddock.protocol.data"));
        return out.stream();
    }

    @ParameterizedTest
    @MethodSource("paddockRecords")
    void sameFieldsInTheSameOrderAsZooKeeper(Class<?> paddock) throws Exception {
        assertTrue(JuteRecord.class.isAssignableFrom(paddock), paddock + " is a JuteRecord");
        var read = paddock.getMethod("read", JuteInput.class);
        assertTrue(Modifier.isStatic(read.getModifiers()) && read.getReturnType() == paddock,
            paddock.getSimpleName() + " has static read(JuteInput)");
        if (HAND_FRAMED.contains(paddock.getSimpleName())) {
            return;
        }

        Class<?> zk = zooKeeperCounterpart(paddock);
        List<String> zkFields = new ArrayList<>();
        for (Field f : zk.getDeclaredFields()) {
            if (!Modifier.isStatic(f.getModifiers())) {
                zkFields.add(f.getName() + ":" + kind(f.getType()));
            }
        }
        List<String> paddockFields = new ArrayList<>();
        for (RecordComponent c : paddock.getRecordComponents()) {
            if (!PRESENCE_FLAGS.contains(c.getName())) {
                paddockFields.add(c.getName() + ":" + kind(c.getType()));
            }
        }
        assertEquals(zkFields, paddockFields, paddock.getSimpleName() + " against " + zk.getName());
    }

    @Test
    void everyZooKeeperClientRecordHasAPaddockCounterpart() {
        Set<String> paddock = new TreeSet<>();
        paddockRecords().forEach(c -> paddock.add(ZK_NAMES.getOrDefault(c.getSimpleName(), c.getSimpleName())));
        Set<String> missing = new TreeSet<>();
        for (String pkg : List.of("org.apache.zookeeper.proto", "org.apache.zookeeper.data")) {
            for (String name : classNamesIn(pkg, org.apache.zookeeper.proto.RequestHeader.class)) {
                if (!paddock.contains(name)) {
                    missing.add(name);
                }
            }
        }
        // SASL is not supported; maxChildren quotas are a removed API; StatPersisted is on-disk only
        assertEquals(new TreeSet<>(List.of("GetMaxChildrenRequest", "GetMaxChildrenResponse", "GetSASLRequest",
            "SetMaxChildrenRequest", "SetSASLRequest", "SetSASLResponse", "StatPersisted")), missing);
    }

    private static Class<?> zooKeeperCounterpart(Class<?> paddock) throws ClassNotFoundException {
        String pkg = paddock.getPackageName().endsWith(".data") ? "org.apache.zookeeper.data"
            : "org.apache.zookeeper.proto";
        String name = ZK_NAMES.getOrDefault(paddock.getSimpleName(), paddock.getSimpleName());
        return Class.forName(pkg + "." + name);
    }

    /** A field's jute kind: primitives and String/byte[]/List as they are, records by simple name. */
    private static String kind(Class<?> type) {
        if (type.isPrimitive() || type == String.class || type == byte[].class || type == List.class) {
            return type.getSimpleName();
        }
        return ZK_NAMES.getOrDefault(type.getSimpleName(), type.getSimpleName());
    }

    private static List<Class<?>> recordsIn(String pkg) {
        List<Class<?>> out = new ArrayList<>();
        for (String name : classNamesIn(pkg, Stat.class)) {
            try {
                Class<?> c = Class.forName(pkg + "." + name);
                if (c.isRecord() && JuteRecord.class.isAssignableFrom(c)) {
                    out.add(c);
                }
            } catch (ClassNotFoundException e) {
                throw new AssertionError(e);
            }
        }
        assertTrue(out.size() > 3, "found the records of " + pkg);
        return out;
    }

    /** Top-level class names of a package, from a directory or a jar on the class path. */
    private static List<String> classNamesIn(String pkg, Class<?> anchor) {
        String dir = pkg.replace('.', '/');
        URL url = anchor.getClassLoader().getResource(dir);
        if (url == null) {
            throw new AssertionError("package " + pkg + " not on the class path");
        }
        List<String> entries = new ArrayList<>();
        try {
            if (url.getProtocol().equals("jar")) {
                JarURLConnection connection = (JarURLConnection) url.openConnection();
                try (JarFile jar = connection.getJarFile()) {
                    Collections.list(jar.entries()).forEach(e -> {
                        String n = e.getName();
                        if (n.startsWith(dir + "/") && n.indexOf('/', dir.length() + 1) < 0) {
                            entries.add(n.substring(dir.length() + 1));
                        }
                    });
                }
            } else {
                try (Stream<Path> files = Files.list(Path.of(url.toURI()))) {
                    files.forEach(p -> entries.add(p.getFileName().toString()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new AssertionError(e);
        }
        return entries.stream()
            .filter(n -> n.endsWith(".class") && !n.contains("$"))
            .map(n -> n.substring(0, n.length() - ".class".length()))
            .sorted()
            .toList();
    }

    @Test
    void theScanFindsEveryHandWrittenRecord() {
        List<String> names = paddockRecords().map(Class::getSimpleName).sorted().toList();
        assertTrue(names.containsAll(Arrays.asList("ConnectRequest", "MultiResponse", "WhoAmIResponse", "Acl", "Stat")),
            names.toString());
        assertEquals(47, names.size(), names.toString());
    }
}
