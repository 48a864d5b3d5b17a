package io.paddock.node.inspect;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Properties;

/** What Paddock reports as its ZooKeeper version (srvr, mntr, envi and their AdminServer commands). */
public final class ServerVersion {
    /** The ZooKeeper version it is compatible with, Paddock's own version, and its real build time. */
    public static final String FULL = version();

    private ServerVersion() {
    }

    /** "3.9.5-paddock-VERSION, built on yyyy-MM-dd HH:mm UTC", from the properties Maven filters at build time. */
    private static String version() {
        Properties p = new Properties();
        try (InputStream in = ServerVersion.class.getResourceAsStream("/io/paddock/node/paddock-build.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // fall through to the defaults below
        }
        String version = filtered(p.getProperty("paddock.version"));
        String built = filtered(p.getProperty("build.time"));
        if (built == null) {
            // not built by Maven (an IDE, say): the time the classes were compiled is the next best thing
            built = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC).format(classesModified());
        }
        return "3.9.5-paddock-" + (version == null ? "dev" : version) + ", built on " + built + " UTC";
    }

    private static String filtered(String value) {
        return value == null || value.isBlank() || value.contains("${") ? null : value.trim();
    }

    private static Instant classesModified() {
        try {
            var src = ServerVersion.class.getProtectionDomain().getCodeSource();
            if (src != null) {
                return Files.getLastModifiedTime(Path.of(src.getLocation().toURI())).toInstant();
            }
        } catch (Exception e) {
            // no usable code source
        }
        return Instant.now();
    }
}
