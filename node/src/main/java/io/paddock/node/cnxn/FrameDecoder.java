package io.paddock.node.cnxn;

import io.paddock.protocol.OpCode;
import io.paddock.protocol.proto.Requests;
import java.util.ArrayDeque;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.FlowShape;
import org.apache.pekko.stream.Inlet;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.stage.AbstractInHandler;
import org.apache.pekko.stream.stage.AbstractOutHandler;
import org.apache.pekko.stream.stage.GraphStage;
import org.apache.pekko.stream.stage.GraphStageLogic;
import org.apache.pekko.util.ByteString;

/**
 * Cuts ZooKeeper's length-prefixed packets from TCP chunks, all the whole packets of a chunk
 * in one step. If the first four bytes of a connection spell a known four-letter word they are
 * that word, not a length, and everything after them is ignored (the output side answers and
 * closes; completing the input here would abort the connection before the answer is sent).
 *
 * <p>A length below zero or above {@code maxPacket} fails the stage, which drops the connection
 * (the session survives), as ZooKeeper does. A request after the ConnectRequest that is too short
 * for a RequestHeader or carries an opcode Paddock does not know is passed on (the connection
 * answers UNIMPLEMENTED or nothing, then closes) and, like a four-letter word, ends the reading of
 * the connection: nothing sent after it is executed.
 */
final class FrameDecoder extends GraphStage<FlowShape<ByteString, Frame>> {
    private final Inlet<ByteString> in = Inlet.create("FrameDecoder.in");
    private final Outlet<Frame> out = Outlet.create("FrameDecoder.out");
    private final FlowShape<ByteString, Frame> shape = FlowShape.of(in, out);
    private final int maxPacket;

    FrameDecoder(int maxPacket) {
        this.maxPacket = maxPacket;
    }

    @Override
    public FlowShape<ByteString, Frame> shape() {
        return shape;
    }

    @Override
    public GraphStageLogic createLogic(Attributes attrs) {
        return new GraphStageLogic(shape) {
            private ByteString buffer = ByteString.emptyByteString();
            private final ArrayDeque<Frame> ready = new ArrayDeque<>();
            private boolean first = true;
            /** Whether the first packet (the ConnectRequest, which has no RequestHeader) has been cut. */
            private boolean connectCut;
            /** A four-letter word or a fatal request was cut: ignore the rest of the input. */
            private boolean discarding;

            {
                setHandler(in, new AbstractInHandler() {
                    @Override
                    public void onPush() {
                        ByteString chunk = grab(in);
                        if (discarding) {
                            // the connection is answered and closed from the output side; ignore the rest
                            pull(in);
                            return;
                        }
                        buffer = buffer.concat(chunk);
                        try {
                            cut();
                        } catch (FrameTooLargeException e) {
                            // not thrown: a client's bad length is not a server error worth a stack trace
                            failStage(e);
                            return;
                        }
                        if (ready.isEmpty()) {
                            pull(in);
                        } else if (isAvailable(out)) {
                            push(out, ready.poll());
                        }
                    }

                    @Override
                    public void onUpstreamFinish() {
                        if (ready.isEmpty()) {
                            completeStage();
                        }
                    }
                });
                setHandler(out, new AbstractOutHandler() {
                    @Override
                    public void onPull() {
                        if (!ready.isEmpty()) {
                            push(out, ready.poll());
                        }
                        if (ready.isEmpty()) {
                            if (isClosed(in)) {
                                completeStage();
                            } else if (!hasBeenPulled(in)) {
                                pull(in);
                            }
                        }
                    }
                });
            }

            private void cut() {
                while (!discarding && buffer.size() >= 4) {
                    int len = (buffer.apply(0) & 0xff) << 24 | (buffer.apply(1) & 0xff) << 16
                        | (buffer.apply(2) & 0xff) << 8 | (buffer.apply(3) & 0xff);
                    if (first) {
                        first = false;
                        String word = FourLetterWords.wordOf(len);
                        if (word != null) {
                            discarding = true;
                            buffer = ByteString.emptyByteString();
                            ready.add(new Frame.FourLetterWord(word));
                            return;
                        }
                    }
                    if (len < 0 || len > maxPacket) {
                        throw new FrameTooLargeException(len, maxPacket);
                    }
                    if (buffer.size() < 4 + len) {
                        return;
                    }
                    byte[] packet = new byte[len];
                    buffer.slice(4, 4 + len).copyToArray(packet, 0, len);
                    buffer = buffer.drop(4 + len);
                    // the first packet is the ConnectRequest, which has no RequestHeader
                    boolean request = connectCut;
                    connectCut = true;
                    ready.add(new Frame.Packet(packet, request && opcode(packet) == OpCode.PING));
                    if (request && !Requests.isKnown(opcode(packet))) {
                        discarding = true;
                        buffer = ByteString.emptyByteString();
                    }
                }
            }
        };
    }

    /**
     * The opcode of a request packet (after the ConnectRequest), or {@link Integer#MIN_VALUE}, no
     * opcode, when it is too short for a RequestHeader {xid, type}. Nothing is read after a
     * request the connection will not take (too short, or an unknown opcode), so no later request
     * can run once the connection is to close.
     */
    private static int opcode(byte[] packet) {
        if (packet.length < 8) {
            return Integer.MIN_VALUE;
        }
        return (packet[4] & 0xff) << 24 | (packet[5] & 0xff) << 16 | (packet[6] & 0xff) << 8 | (packet[7] & 0xff);
    }
}
