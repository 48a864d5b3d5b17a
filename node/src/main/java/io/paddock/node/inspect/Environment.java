package io.paddock.node.inspect;

import java.io.IOException;
import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The properties envi and the AdminServer's environment list, in ZooKeeper's order. */
public final class Environment {
    private static final List<String> PROPERTIES = List.of("java.version", "java.vendor", "java.home", "java.class.path",
        "java.library.path", "java.io.tmpdir", "java.compiler", "os.name", "os.arch", "os.version", "user.name",
        "user.home", "user.dir");

    private Environment() {
    }

    /** Each property's value, "&lt;NA&gt;" when unset, and the JVM's memory in MB. */
    public static Map<String, String> list() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("zookeeper.version", ServerVersion.FULL);
        String host;
        try {
            host = InetAddress.getLocalHost().getCanonicalHostName();
        } catch (IOException e) {
            host = "<NA>";
        }
        m.put("host.name", host);
        for (String p : PROPERTIES) {
            String v = System.getProperty(p);
            m.put(p, v == null ? "<NA>" : v);
        }
        Runtime rt = Runtime.getRuntime();
        long mb = 1024 * 1024;
        m.put("os.memory.free", rt.freeMemory() / mb + "MB");
        m.put("os.memory.max", rt.maxMemory() / mb + "MB");
        m.put("os.memory.total", rt.totalMemory() / mb + "MB");
        return m;
    }
}
