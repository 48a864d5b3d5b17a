package io.paddock.protocol.jute;

/**
 * A record of ZooKeeper's jute schema. Each implementation writes its fields in schema order
 * and has a static {@code read(JuteInput)} that reads them back.
 */
public interface JuteRecord {
    void write(JuteOutput out);

    /** This record alone, serialized. */
    default byte[] toBytes() {
        JuteOutput out = new JuteOutput();
        write(out);
        return out.toByteArray();
    }
}
