package io.paddock.protocol.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.paddock.protocol.AddWatchMode;
import io.paddock.protocol.CreateMode;
import io.paddock.protocol.ErrorCode;
import io.paddock.protocol.EventType;
import io.paddock.protocol.KeeperState;
import io.paddock.protocol.OpCode;
import io.paddock.protocol.Perms;
import io.paddock.protocol.WatcherType;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.ToIntFunction;
import java.util.stream.Collectors;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.junit.jupiter.api.Test;

/**
 * The numbers that travel inside the records (opcodes, error codes, event types, states, create
 * flags, permission bits, watch modes) against ZooKeeper's own constants. Names are compared
 * without case and underscores, so {@code GET_DATA} matches {@code getData}.
 */
class ConstantsCompatibilityTest {

    private static String normalized(String name) {
        return name.replace("_", "").toUpperCase(Locale.ROOT);
    }

    private static Map<String, Integer> intConstants(Class<?> holder) {
        Map<String, Integer> out = new TreeMap<>();
        for (Field f : holder.getDeclaredFields()) {
            int m = f.getModifiers();
            if (Modifier.isStatic(m) && Modifier.isPublic(m) && f.getType() == int.class) {
                try {
                    out.put(normalized(f.getName()), f.getInt(null));
                } catch (IllegalAccessException e) {
                    throw new AssertionError(e);
                }
            }
        }
        return out;
    }

    private static <E extends Enum<E>> Map<String, Integer> enumCodes(Class<E> type, ToIntFunction<E> code,
                                                                       boolean skipDeprecated) {
        Map<String, Integer> out = new TreeMap<>();
        for (E e : type.getEnumConstants()) {
            if (skipDeprecated && isDeprecated(type, e)) {
                continue;
            }
            out.put(normalized(e.name()), code.applyAsInt(e));
        }
        return out;
    }

    private static boolean isDeprecated(Class<?> type, Enum<?> constant) {
        try {
            return type.getField(constant.name()).isAnnotationPresent(Deprecated.class);
        } catch (NoSuchFieldException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void opCodes() {
        assertEquals(intConstants(ZooDefs.OpCode.class), intConstants(OpCode.class));
        for (Field f : ZooDefs.OpCode.class.getFields()) {
            int value = intConstants(ZooDefs.OpCode.class).get(normalized(f.getName()));
            assertEquals(f.getName(), OpCode.name(value), "OpCode.name uses ZooKeeper's spelling");
        }
    }

    @Test
    void errorCodes() {
        assertEquals(enumCodes(KeeperException.Code.class, KeeperException.Code::intValue, false),
            enumCodes(ErrorCode.class, ErrorCode::code, false));
    }

    @Test
    void perms() {
        assertEquals(intConstants(ZooDefs.Perms.class), intConstants(Perms.class));
    }

    @Test
    void createModes() {
        assertEquals(enumCodes(org.apache.zookeeper.CreateMode.class, org.apache.zookeeper.CreateMode::toFlag, false),
            enumCodes(CreateMode.class, CreateMode::flag, false));
        for (CreateMode mode : CreateMode.values()) {
            var zk = org.apache.zookeeper.CreateMode.valueOf(mode.name());
            assertEquals(zk.isEphemeral(), mode.isEphemeral(), mode + " ephemeral");
            assertEquals(zk.isSequential(), mode.isSequential(), mode + " sequential");
            assertEquals(zk.isContainer(), mode.isContainer(), mode + " container");
            assertEquals(zk.isTTL(), mode.isTtl(), mode + " ttl");
        }
    }

    @Test
    void eventTypes() {
        assertEquals(enumCodes(Watcher.Event.EventType.class, Watcher.Event.EventType::getIntValue, false),
            enumCodes(EventType.class, EventType::code, false));
    }

    @Test
    void keeperStatesWithoutZooKeepersDeprecatedOnes() {
        // Unknown (-1) and NoSyncConnected (1) are deprecated and never sent by a 3.x server
        assertEquals(Set.of("UNKNOWN", "NOSYNCCONNECTED"), Arrays.stream(Watcher.Event.KeeperState.values())
            .filter(s -> isDeprecated(Watcher.Event.KeeperState.class, s))
            .map(s -> normalized(s.name())).collect(Collectors.toSet()));
        assertEquals(enumCodes(Watcher.Event.KeeperState.class, Watcher.Event.KeeperState::getIntValue, true),
            enumCodes(KeeperState.class, KeeperState::code, false));
    }

    @Test
    void watcherTypes() {
        assertEquals(enumCodes(Watcher.WatcherType.class, Watcher.WatcherType::getIntValue, false),
            enumCodes(WatcherType.class, WatcherType::code, false));
    }

    @Test
    void addWatchModes() {
        assertEquals(enumCodes(org.apache.zookeeper.AddWatchMode.class, org.apache.zookeeper.AddWatchMode::getMode, false),
            enumCodes(AddWatchMode.class, AddWatchMode::code, false));
    }
}
