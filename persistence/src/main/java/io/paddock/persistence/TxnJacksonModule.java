package io.paddock.persistence;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import io.paddock.protocol.txn.Txn;
import io.paddock.protocol.txn.TxnCodec;
import java.io.IOException;

/**
 * Makes Pekko's Jackson serializers write a {@link Txn} as one binary value in
 * {@link TxnCodec}'s jute encoding, in journal events and peer messages alike. Registered in
 * reference.conf ({@code pekko.serialization.jackson.jackson-modules}).
 */
public final class TxnJacksonModule extends SimpleModule {
    private static final long serialVersionUID = 1L;

    public TxnJacksonModule() {
        super("paddock-txn");
        addSerializer(Txn.class, new TxnSerializer());
        addDeserializer(Txn.class, new TxnDeserializer());
    }

    private static final class TxnSerializer extends StdSerializer<Txn> {
        TxnSerializer() {
            super(Txn.class);
        }

        @Override
        public void serialize(Txn txn, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeBinary(TxnCodec.encode(txn));
        }
    }

    private static final class TxnDeserializer extends StdDeserializer<Txn> {
        TxnDeserializer() {
            super(Txn.class);
        }

        @Override
        public Txn deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            return TxnCodec.decode(p.getBinaryValue());
        }
    }
}
