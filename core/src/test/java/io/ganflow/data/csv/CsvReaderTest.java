package io.ganflow.data.csv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ganflow.BadInputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvReaderTest {
    @TempDir
    Path dir;

    Path write(String name, String content) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, content, StandardCharsets.UTF_8);
        return p;
    }

    String error(String content) throws IOException {
        Path p = write("data.csv", content);
        return assertThrows(BadInputException.class, () -> CsvReader.read(p)).getMessage();
    }

    @Test
    void readsHeaderAndRows() throws IOException {
        CsvTable t = CsvReader.read(write("ok.csv", "\uFEFFx,y\n1,2.5\n-3e2, .5\n\n\"4\",+5\n"));
        assertEquals(List.of("x", "y"), t.header());
        assertEquals(3, t.rows().length);
        assertArrayEquals(new double[] {-300, 0.5}, t.rows()[1]);
        assertArrayEquals(new double[] {4, 5}, t.rows()[2]);
    }

    @Test
    void readsHeaderlessFilesAndOtherDelimiters() throws IOException {
        CsvTable t = CsvReader.read(write("semi.csv", "1;2\n3;4\n"));
        assertEquals(List.of("c1", "c2"), t.header());
        assertArrayEquals(new double[] {3, 4}, t.rows()[1]);
        CsvTable tab = CsvReader.read(write("tab.csv", "a\tb\n1\t2\n"));
        assertArrayEquals(new double[] {1, 2}, tab.rows()[0]);
    }

    @Test
    void raggedRowNamesFileLineAndCounts() throws IOException {
        String m = error("x,y\n1,2\n3,4,5\n");
        assertEquals(dir.resolve("data.csv") + ":3: ragged row: 3 cells, expected 2 (as in line 1)", m);
    }

    @Test
    void nonNumericCellNamesLineColumnAndValue() throws IOException {
        String m = error("x,y\n1,2\n3,abc\n");
        assertEquals(dir.resolve("data.csv") + ":3:2: column 'y': 'abc' is not a number"
                + " (categorical columns are not supported yet)", m);
    }

    @Test
    void nanAndInfinityAreRejected() throws IOException {
        assertEquals(dir.resolve("data.csv") + ":2:1: column 'x': 'NaN' is not finite; expected a finite number",
                error("x,y\nNaN,1\n"));
        assertEquals(dir.resolve("data.csv") + ":3:2: column 'y': '-inf' is not finite; expected a finite number",
                error("x,y\n1,2\n1,-inf\n"));
        assertEquals(dir.resolve("data.csv") + ":2:2: column 'y': '1e999' overflows a double; expected a finite number",
                error("x,y\n1,1e999\n"));
    }

    @Test
    void emptyCellIsAnError() throws IOException {
        assertEquals(dir.resolve("data.csv") + ":2:2: column 'y': empty cell; expected a finite number",
                error("x,y\n1,\n"));
    }

    @Test
    void emptyFileAndHeaderOnlyAreErrors() throws IOException {
        assertEquals(dir.resolve("data.csv") + ": the file is empty (no header and no data rows)", error(""));
        assertEquals(dir.resolve("data.csv") + ": the file is empty (no header and no data rows)", error("\n  \n"));
        assertEquals(dir.resolve("data.csv") + ": no data rows (only a header line)", error("x,y\n"));
    }

    @Test
    void missingFileIsAnError() {
        Path p = dir.resolve("nope.csv");
        assertEquals(p + ": file not found", assertThrows(BadInputException.class, () -> CsvReader.read(p)).getMessage());
    }

    @Test
    void binaryFileIsAnError() throws IOException {
        Path p = dir.resolve("bin.csv");
        Files.write(p, new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1, (byte) 0xc3, 0x28});
        String m = assertThrows(BadInputException.class, () -> CsvReader.read(p)).getMessage();
        assertEquals(p + ": not UTF-8 text (is it a binary file?)", m);
    }
}
