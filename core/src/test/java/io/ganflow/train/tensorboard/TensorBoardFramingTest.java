package io.ganflow.train.tensorboard;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** TFRecord framing, CRC-32C and the protobuf encoding, against bytes worked out by hand. */
class TensorBoardFramingTest {
    private static final byte[] DIGITS = "123456789".getBytes(StandardCharsets.US_ASCII);

    @Test
    void crc32cMatchesTheCheckValueAndTheMaskIsARotationPlusAConstant() {
        // the check value of CRC-32C (RFC 3720, B.4): CRC of the ASCII digits 1 to 9
        assertEquals(0xE3069283, TfRecord.crc32c(DIGITS, 0, 9));
        // 32 zero bytes (RFC 3720, B.4)
        assertEquals(0x8A9136AA, TfRecord.crc32c(new byte[32], 0, 32));
        // rotate right by 15: 0xE3069283 -> 0x2507C60D; plus 0xa282ead8 -> 0xC78AB0E5
        assertEquals(0xC78AB0E5, TfRecord.mask(0xE3069283));
        // the JDK's CRC32C and a bit-by-bit one agree on arbitrary data
        Random r = new Random(7);
        for (int n : new int[] {0, 1, 7, 8, 63, 1000}) {
            byte[] b = new byte[n];
            r.nextBytes(b);
            assertEquals(EventsDecoder.crc32c(b, 0, n), TfRecord.crc32c(b, 0, n), "length " + n);
        }
    }

    @Test
    void aRecordIsLengthChecksumDataChecksum() {
        byte[] expected = {
            // uint64 length 9, little-endian
            0x09, 0, 0, 0, 0, 0, 0, 0,
            // masked CRC-32C of those 8 bytes: 0x3971F937, little-endian
            0x37, (byte) 0xF9, 0x71, 0x39,
            // the data
            '1', '2', '3', '4', '5', '6', '7', '8', '9',
            // masked CRC-32C of the data: 0xC78AB0E5, little-endian
            (byte) 0xE5, (byte) 0xB0, (byte) 0x8A, (byte) 0xC7,
        };
        assertArrayEquals(expected, TfRecord.frame(DIGITS));
        assertArrayEquals(DIGITS, EventsDecoder.records(expected).get(0));
        byte[] broken = expected.clone();
        broken[15] ^= 1;
        assertThrows(AssertionError.class, () -> EventsDecoder.records(broken));
    }

    @Test
    void theFileVersionEventHasItsCanonicalBytes() {
        // field 1 (wall_time, fixed64): key 0x09, 1.5 = 0x3FF8000000000000 little-endian;
        // field 3 (file_version, bytes): key 0x1A, length 13, "brain.Event:2"
        byte[] expected = new byte[1 + 8 + 2 + 13];
        expected[0] = 0x09;
        expected[7] = (byte) 0xF8;
        expected[8] = 0x3F;
        expected[9] = 0x1A;
        expected[10] = 13;
        System.arraycopy("brain.Event:2".getBytes(StandardCharsets.US_ASCII), 0, expected, 11, 13);
        assertArrayEquals(expected, Events.fileVersion(1.5));
    }

    @Test
    void aScalarEventNestsValueInSummaryInEvent() {
        // Event { step = 300 (key 0x10, varint AC 02); summary (key 0x2A) { value (key 0x0A) {
        //   tag (key 0x0A) "a"; simple_value (key 0x15) 1.0f = 0x3F800000 } } }; wall_time 0 is left out
        byte[] expected = {0x10, (byte) 0xAC, 0x02, 0x2A, 0x0A, 0x0A, 0x08, 0x0A, 0x01, 'a', 0x15, 0, 0, (byte) 0x80, 0x3F};
        assertArrayEquals(expected, Events.scalars(0, 300, Map.of("a", 1.0)));
        // a zero value is still written: it is a member of a oneof
        EventsDecoder.Event e = EventsDecoder.event(Events.scalars(2, 5, Map.of("z", 0.0)));
        assertEquals(0f, e.values().get(0).simple());
        assertEquals(5, e.step());
        assertEquals(2.0, e.wallTime());
    }

    @Test
    void aRestartIsSessionLogStartInField7() {
        // Event { step = 101 (0x10 0x65); session_log (key 7<<3|2 = 0x3A) { status (0x08) START = 1 } }
        assertArrayEquals(new byte[] {0x10, 0x65, 0x3A, 0x02, 0x08, 0x01}, Events.sessionStart(0, 101));
    }

    @Test
    void pngHeaderGivesSizeAndColourSpace() {
        Png.Header h = Png.header(TensorBoardFixtureTest.PNG);
        assertEquals(3, h.width());
        assertEquals(2, h.height());
        assertEquals(3, h.colorspace());
        assertThrows(IllegalArgumentException.class, () -> Png.header(new byte[40]));
    }

    @Test
    void histogramsHaveEqualWidthBucketsThatAddUp() {
        Histogram h = Histogram.of(List.of(new float[] {0, 1, 2, 3}, new float[] {4, Float.NaN}), 4);
        assertEquals(0, h.min());
        assertEquals(4, h.max());
        assertEquals(5, h.num());
        assertEquals(10, h.sum());
        assertEquals(30, h.sumSquares());
        assertArrayEquals(new double[] {1, 2, 3, 4}, h.bucketLimit());
        assertArrayEquals(new double[] {1, 1, 1, 2}, h.bucket());
        Histogram flat = Histogram.of(List.of(new float[] {-0f, 0f}), 30);
        assertArrayEquals(new double[] {2}, flat.bucket());
        assertEquals(0L, Double.doubleToRawLongBits(flat.min()), "-0.0 is stored as 0.0");
        assertEquals(null, Histogram.of(List.of(new float[] {Float.NaN}), 30));
    }
}
