package io.paddock.protocol.compat;

import io.paddock.protocol.Perms;
import io.paddock.protocol.data.Acl;
import io.paddock.protocol.data.Id;
import io.paddock.protocol.data.Stat;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * Field values the compatibility tests feed to both codecs: nulls where jute allows them, empty
 * values, extremes, and non-ASCII UTF-8 (inside the Basic Multilingual Plane: see
 * {@link StringEncodingCompatibilityTest} for characters outside it).
 */
final class Samples {
    private Samples() {
    }

    static final String NON_ASCII_PATH = "/zoo/ünïcödé/日本語/Ωμέγα/naïve café/€";

    /** Every kind of ustring a path field can carry. */
    static Stream<String> strings() {
        return Stream.of(null, "", "/", "/a", "/app/locks/lock-0000000042", NON_ASCII_PATH, "/nul\u0000inside",
            "/" + "long-name-".repeat(500));
    }

    /** Every kind of buffer a data field can carry. */
    static List<byte[]> buffers() {
        byte[] allByteValues = new byte[256];
        for (int i = 0; i < 256; i++) {
            allByteValues[i] = (byte) i;
        }
        return Arrays.asList(null, new byte[0], new byte[] {0}, new byte[] {-1, 0, 127, -128},
            "ünïcödé".getBytes(StandardCharsets.UTF_8), allByteValues);
    }

    static final int[] INTS = {0, 1, -1, 42, 0x01020304, Integer.MIN_VALUE, Integer.MAX_VALUE};

    static final long[] LONGS = {0L, 1L, -1L, 0x0000_0005_0000_0007L, 0x0102030405060708L, Long.MIN_VALUE,
        Long.MAX_VALUE};

    static final boolean[] BOOLS = {false, true};

    static List<Stat> stats() {
        return List.of(
            new Stat(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
            new Stat(0x1_0000_0003L, 0x1_0000_0009L, 1_700_000_000_000L, 1_700_000_123_456L, 4, 7, 1,
                0x1234_5678_9abc_def0L, 11, 3, 0x1_0000_000aL),
            new Stat(Long.MIN_VALUE, Long.MAX_VALUE, -1L, Long.MIN_VALUE, Integer.MIN_VALUE, Integer.MAX_VALUE, -1,
                Long.MIN_VALUE, Integer.MAX_VALUE, Integer.MIN_VALUE, -1L));
    }

    static List<List<Acl>> aclLists() {
        return Arrays.asList(
            null,
            List.of(),
            Acl.OPEN_ACL_UNSAFE,
            Acl.READ_ACL_UNSAFE,
            List.of(new Acl(Perms.ALL, new Id("digest", "bob:Ae1ZkHGoIvU4PoJr4Hb0bFG1ZD4=")),
                new Acl(Perms.READ | Perms.WRITE, new Id("ip", "10.0.0.0/8")),
                new Acl(Perms.CREATE | Perms.DELETE, new Id("auth", "")),
                new Acl(Perms.ADMIN, new Id("sasl", "zöé@REALM.例え")),
                new Acl(0, new Id(null, null)),
                new Acl(-1, new Id("x509", "CN=" + "a".repeat(300)))));
    }

    static List<List<String>> stringLists() {
        List<String> many = IntStream.range(0, 1000).mapToObj(i -> String.format("child-%010d", i)).toList();
        return Arrays.asList(
            null,
            List.of(),
            List.of("a"),
            Arrays.asList("zookeeper", NON_ASCII_PATH, "", null, "/x/y"),
            many);
    }
}
