package org.iopoutcomes.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.StringReader;
import java.lang.reflect.Method;
import org.iopoutcomes.cli.stats.CsvOutput;
import org.iopoutcomes.cli.stats.FlatCsv;
import org.iopoutcomes.stats.Na;
import org.junit.jupiter.api.Test;

/** The CSV conventions of the reference: NA empty, NaN/Infinity as words, doubles that read back exactly. */
class StatsCsvFormatTest {

    @Test
    void numbersAreWrittenLikeTheReference() {
        assertEquals("", CsvOutput.format(Na.NA));
        assertEquals("NaN", CsvOutput.format(Double.NaN));
        assertEquals("Infinity", CsvOutput.format(Double.POSITIVE_INFINITY));
        assertEquals("-Infinity", CsvOutput.format(Double.NEGATIVE_INFINITY));
        assertEquals("80", CsvOutput.format(80.0));
        assertEquals("-3", CsvOutput.format(-3.0));
        double third = 1.0 / 3;
        assertEquals(third, Double.parseDouble(CsvOutput.format(third)));
        assertEquals(2.4041655639113433E-11, Double.parseDouble(CsvOutput.format(2.4041655639113433E-11)));
        assertEquals("\"a,b\"", CsvOutput.format("a,b"));
        assertEquals("1", CsvOutput.format(true));
    }

    @Test
    void readsQuotedFieldsAndCrLf() throws Exception {
        Method parse = FlatCsv.class.getDeclaredMethod("parse", String.class, java.io.Reader.class);
        parse.setAccessible(true);
        FlatCsv csv = (FlatCsv) parse.invoke(null, "t.csv",
                new StringReader("id,note,x\r\n1,\"a, \"\"quoted\"\" note\",2.5\r\n2,,\r\n"));
        assertEquals(2, csv.size());
        assertEquals("a, \"quoted\" note", csv.value(0, "note"));
        assertEquals("", csv.value(1, "x"));
    }
}
