package io.paddock.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class BytePartsTest {
    private static byte[] counting(int from, int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (from + i);
        }
        return bytes;
    }

    @Test
    void bytesAddedPieceByPieceFillWholePartsInOrderAndTheLastOneIsCutToWhatItHolds() {
        ByteParts parts = new ByteParts(4);
        byte[] source = counting(0, 20);
        parts.add(source, 0, 3);
        parts.add(source, 3, 6); // crosses two parts
        parts.add(source, 9, 0);
        parts.add(source, 9, 2);

        List<byte[]> done = parts.done();

        assertThat(done).extracting(p -> p.length).containsExactly(4, 4, 3);
        assertThat(ByteParts.join(done)).isEqualTo(counting(0, 11));
    }

    @Test
    void noBytesMakeNoPart() {
        assertThat(new ByteParts(8).done()).isEmpty();
        assertThat(ByteParts.recut(List.of(new byte[0]), 8)).isEmpty();
        assertThat(ByteParts.join(List.of())).isEmpty();
    }

    @Test
    void recutKeepsTheBytesInOrderWhateverTheOldPartsWere() {
        List<byte[]> old = List.of(counting(0, 5), new byte[0], counting(5, 1), counting(6, 9));

        List<byte[]> cut = ByteParts.recut(old, 6);

        assertThat(cut).extracting(p -> p.length).containsExactly(6, 6, 3);
        assertThat(ByteParts.join(cut)).isEqualTo(counting(0, 15));
    }

    @Test
    void aPartOfNoBytesIsRefused() {
        assertThatThrownBy(() -> new ByteParts(0)).hasMessageContaining("at least one byte");
    }
}
