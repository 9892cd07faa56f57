package io.ganflow.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ganflow.BadInputException;
import io.ganflow.data.csv.CsvReader;
import io.ganflow.data.idx.IdxReader;
import io.ganflow.engine.Ops;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Values that passed the readers and broke training later: refused at load, naming the place. */
class InputLimitsTest {
    @TempDir
    Path dir;

    @Test
    void csvValuesMustStayBelow1e30() throws IOException {
        Path p = Files.writeString(dir.resolve("big.csv"), "a,b\n1,2\n3,-1e300\n");
        assertEquals(p + ":3:2: column 'b': value -1e300 is too large; allowed: |x| < 1e30 (rescale the column)",
                assertThrows(BadInputException.class, () -> CsvReader.read(p)).getMessage());
        Path edge = Files.writeString(dir.resolve("edge.csv"), "1e30\n");
        assertTrue(assertThrows(BadInputException.class, () -> CsvReader.read(edge)).getMessage()
                .startsWith(edge + ":1:1: value 1e30 is too large"));
        Path ok = Files.writeString(dir.resolve("ok.csv"), "9.99e29\n-9.99e29\n");
        assertEquals(2, CsvReader.read(ok).rows().length);
        // standardising the largest allowed values stays finite and small
        Standardizer st = Standardizer.fit(CsvReader.read(ok).rows());
        assertEquals(1.0, Math.abs(st.toModel(new double[] {9.99e29})[0]), 1e-12);
    }

    @Test
    void unstandardisedDataMustStayBelow1e9InModelSpace() {
        double[][] rows = {{1, 2}, {3e9, 4}, {5, 6}};
        String m = assertThrows(BadInputException.class, () -> new TensorDataset("csv:x.csv", Ops.fromRows(rows), 0.1, 0,
                Standardizer.identity(2))).getMessage();
        assertEquals("csv:x.csv: values reach 3.00e+09 in model space (data.standardize=false); allowed: |x| < 1e9,"
                + " beyond which training overflows float32; set data.standardize=true or rescale the data", m);
        Standardizer st = Standardizer.fit(rows);
        double[][] z = new double[3][];
        for (int i = 0; i < 3; i++) {
            z[i] = st.toModel(rows[i]);
        }
        new TensorDataset("csv:x.csv", Ops.fromRows(z), 0.1, 0, st);
    }

    @Test
    void tooFewRowsToHoldOutAreReported() {
        double[][] rows = {{1, 2}, {3, 4}, {5, 6}};
        TensorDataset d = new TensorDataset("csv:x.csv", Ops.fromRows(rows), 0.1, 0, Standardizer.identity(2));
        assertTrue(d.evaluatesOnTrainingData().orElseThrow().startsWith("csv:x.csv: data.holdout=0.1 of 3 rows holds"
                + " out none (it rounds to 0)"));
        d = new TensorDataset("csv:x.csv", Ops.fromRows(rows), 0, 0, Standardizer.identity(2));
        assertTrue(d.evaluatesOnTrainingData().orElseThrow().contains("data.holdout=0 of 3 rows holds out no rows"));
        d = new TensorDataset("csv:x.csv", Ops.fromRows(rows), 0.5, 0, Standardizer.identity(2));
        assertTrue(d.evaluatesOnTrainingData().isEmpty());
    }

    static byte[] idx(int type, int[] dims, byte[] payload) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(b);
        d.write(new byte[] {0, 0, (byte) type, (byte) dims.length});
        for (int x : dims) {
            d.writeInt(x);
        }
        d.write(payload);
        return b.toByteArray();
    }

    @Test
    void idxFloatsMustBeFiniteAndBelow1e30() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(b);
        d.writeFloat(1f);
        d.writeFloat(Float.NaN);
        Path p = Files.write(dir.resolve("nan.idx"), idx(0x0D, new int[] {2, 1}, b.toByteArray()));
        assertEquals(p + ": value 2 of 2 is NaN; allowed: finite, |x| < 1e30",
                assertThrows(BadInputException.class, () -> IdxReader.read(p)).getMessage());
        b.reset();
        d.writeDouble(1e300);
        Path q = Files.write(dir.resolve("huge.idx"), idx(0x0E, new int[] {1}, b.toByteArray()));
        assertEquals(q + ": value 1 of 1 is 1.0E300; allowed: finite, |x| < 1e30",
                assertThrows(BadInputException.class, () -> IdxReader.read(q)).getMessage());
    }

    @Test
    void idxHeadersThatLieAreRefusedBeforeAllocating() throws IOException {
        // 2^31-9 announced values in a 20-byte plain file
        Path p = Files.write(dir.resolve("lie.idx"), idx(0x08, new int[] {Integer.MAX_VALUE - 8}, new byte[4]));
        assertEquals(p + ": truncated: the header announces 2147483639 = 2147483639 values, the file holds 4",
                assertThrows(BadInputException.class, () -> IdxReader.read(p)).getMessage());
        // the same in gzip: read as the values arrive, so it fails on the truncation, not out of memory
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream o = new GZIPOutputStream(gz)) {
            o.write(idx(0x08, new int[] {Integer.MAX_VALUE - 8}, new byte[4]));
        }
        Path q = Files.write(dir.resolve("lie.idx.gz"), gz.toByteArray());
        assertTrue(assertThrows(BadInputException.class, () -> IdxReader.read(q)).getMessage()
                .endsWith("the file holds 4"));
        // dimensions whose product overflows a long, and zero dimensions
        Path r = Files.write(dir.resolve("many.idx"), idx(0x08, new int[] {65536, 65536, 65536, 65536, 65536}, new byte[0]));
        assertTrue(assertThrows(BadInputException.class, () -> IdxReader.read(r)).getMessage()
                .startsWith(r + ": header announces more than 2^63 values"));
        Path z = Files.write(dir.resolve("zero.idx"), idx(0x08, new int[] {5, 0}, new byte[0]));
        assertEquals(z + ": dimension 2 is 0; allowed: >= 1 (an IDX data set needs at least one item of at least one"
                + " value)", assertThrows(BadInputException.class, () -> IdxReader.read(z)).getMessage());
    }
}
