package zapi.grouproutes.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import zapi.grouproutes.group.ListedGroup;

class GroupListFileTest {

    private static List<ListedGroup> read(String name, byte[] content) throws IOException {
        List<ListedGroup> out = new ArrayList<>();
        try (GroupListFile file = GroupListFile.open(new ByteArrayInputStream(content), name)) {
            file.forEachRemaining(out::add);
        }
        return out;
    }

    private static List<ListedGroup> read(String name, String content) throws IOException {
        return read(name, content.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void textWithBomCrlfCommentsBlanksAndSpaces() throws IOException {
        List<ListedGroup> entries = read("groups.txt",
                "\uFEFF120363019502650977-group\r\n# a comment\r\n\r\n   5511999999999-1623281429  \r\n\t\r\nnot-a-group\r\n");
        assertThat(entries).extracting(ListedGroup::raw)
                .containsExactly("120363019502650977-group", "5511999999999-1623281429", "not-a-group");
        assertThat(entries).extracting(ListedGroup::line).containsExactly(1L, 4L, 6L);
        assertThat(entries.get(2).isValid()).isFalse();
    }

    @Test
    void theSameGroupTwiceIsListedOnceEvenInAnotherSpelling() throws IOException {
        List<ListedGroup> entries = read("groups.txt",
                "120363019502650977-group\n120363019502650977@g.us\n120363019502650977-group\nbad\nbad\n");
        assertThat(entries).extracting(ListedGroup::raw).containsExactly("120363019502650977-group", "bad");
    }

    @Test
    void csvFindsTheIdColumnByAnyOfItsNames() throws IOException {
        assertThat(read("a.csv", "name,group_id\nx,120363019502650977-group\n")).extracting(ListedGroup::raw)
                .containsExactly("120363019502650977-group");
        assertThat(read("a.csv", "\uFEFFgroupId;x\r\n")).extracting(ListedGroup::raw).isEmpty();
        assertThat(read("a.CSV", "GroupId,name\r\n\"120363019502650977-group\",\"Sales, \"\"north\"\"\"\r\n"))
                .extracting(ListedGroup::raw).containsExactly("120363019502650977-group");
        assertThat(read("a.csv", "phone\n 5511999999999-1623281429 \n# skipped\n\n")).extracting(ListedGroup::raw)
                .containsExactly("5511999999999-1623281429");
    }

    @Test
    void csvRowsWithoutAnIdAreRejectedNotDropped() throws IOException {
        List<ListedGroup> entries = read("a.csv", "name,group_id\norphan,\nok,120363019502650977-group\nshort\n");
        assertThat(entries).hasSize(3);
        assertThat(entries.get(0).rejection()).contains("empty group_id value");
        assertThat(entries.get(1).isValid()).isTrue();
        assertThat(entries.get(2).rejection()).contains("no group_id value");
    }

    @Test
    void csvWithoutAnIdColumnRejectsTheFile() {
        assertThat(rejection("a.csv", "name,owner\nA,1\nB,2\n"))
                .satisfies(r -> assertThat(r.problem()).contains("no group ID column").contains("name, owner"))
                .satisfies(r -> assertThat(r.where()).isEqualTo("line 1"));
    }

    @Test
    void anUnclosedQuoteRejectsTheFileNamingTheLineWhereItOpened() {
        InputRejection rejection = rejection("a.csv", "# exported\ngroup_id\n120363019502650977-group\n\"unclosed,\n120363019502650978-group\n");
        assertThat(rejection.problem()).contains("never closed");
        assertThat(rejection.where()).isEqualTo("line 4");
    }

    @Test
    void bytesThatAreNotUtf8RejectTheFileNamingTheLine() {
        byte[] content = concat("120363019502650977-group\n120363019502650978-group\n12".getBytes(StandardCharsets.UTF_8),
                new byte[] {(byte) 0xC3, (byte) 0x28}, "-group\n".getBytes(StandardCharsets.UTF_8));
        InputRejection rejection = rejection("groups.txt", content);
        assertThat(rejection.problem()).contains("not UTF-8");
        assertThat(rejection.where()).isEqualTo("line 3");
    }

    @Test
    void latin1FromAnOldSpreadsheetIsNotUtf8() {
        InputRejection rejection = rejection("a.csv", "grupo;descri\u00e7\u00e3o\n120363019502650977-group;S\u00e3o Paulo\n".getBytes(StandardCharsets.ISO_8859_1));
        assertThat(rejection.problem()).contains("not UTF-8");
        assertThat(rejection.where()).isEqualTo("line 1");
    }

    @Test
    void utf16AndBinaryFilesAreRejectedByName() {
        assertThat(rejection("a.csv", "group_id\n120363019502650977-group\n".getBytes(StandardCharsets.UTF_16)).problem()).contains("UTF-16");
        assertThat(rejection("a.txt", "120363019502650977-group\n".getBytes(StandardCharsets.UTF_16LE)).problem()).contains("UTF-16");
        assertThat(rejection("a.txt", new byte[] {'1', '2', '\n', (byte) 0x89, 'P', 'N', 'G', 0, 0, 0, 13}).problem()).contains("binary");
        assertThat(rejection("a.txt", new byte[] {'1', '\n', '2', '\n', 0, 1, 2, 3}).where()).isEqualTo("line 3");
    }

    @Test
    void csvDelimiterComesFromTheHeaderLine() throws IOException {
        assertThat(read("pt.csv", "Nome;Group ID;Link\r\n\"Vendas; SP\";120363019502650977-group;x\r\n")).extracting(ListedGroup::raw)
                .containsExactly("120363019502650977-group");
        assertThat(read("tab.csv", "name\tgroup-id\nA, B\t120363019502650977-group\n")).extracting(ListedGroup::raw)
                .containsExactly("120363019502650977-group");
        assertThat(read("one.csv", "GROUP_ID\n120363019502650977-group\n")).extracting(ListedGroup::raw)
                .containsExactly("120363019502650977-group");
    }

    @Test
    void headerNamesMatchLooselyMostSpecificFirst() throws IOException {
        for (String header : List.of("Group ID", "group-id", "GROUP_ID", "groupId", "id_grupo", "ID do grupo", "Grupo", "phone")) {
            assertThat(read("a.csv", "x," + header + "\nz,120363019502650977-group\n")).as(header).extracting(ListedGroup::raw)
                    .containsExactly("120363019502650977-group");
        }
        assertThat(read("a.csv", "phone,grupo,group id\n5511988887777,Vendas,120363019502650977-group\n")).extracting(ListedGroup::raw)
                .containsExactly("120363019502650977-group");
    }

    @Test
    void aCsvWithoutHeaderHasItsIdsInTheFirstColumn() throws IOException {
        List<ListedGroup> entries = read("a.csv", "120363019502650977-group;Vendas\n5511999999999-1623281429;Suporte\n");
        assertThat(entries).extracting(ListedGroup::raw).containsExactly("120363019502650977-group", "5511999999999-1623281429");
        assertThat(entries).extracting(ListedGroup::line).containsExactly(1L, 2L);
    }

    @Test
    void zeroWidthCharactersAndNoBreakSpacesAreStripped() throws IOException {
        assertThat(read("a.txt", "\u200B120363019502650977-group\u00A0\n\u202F5511999999999-\u200D1623281429\u2060\uFEFF\n"))
                .extracting(ListedGroup::raw).containsExactly("120363019502650977-group", "5511999999999-1623281429");
        assertThat(read("a.csv", "\uFEFF\u200BGroup\u00A0ID,x\n\u00A0120363019502650977-group\u2007,y\n"))
                .allSatisfy(e -> assertThat(e.isValid()).isTrue());
        // inside a value a no-break space is white space, which no group ID has
        assertThat(read("a.txt", "120363019502650977\u00A0-group\n")).singleElement().satisfies(e -> assertThat(e.isValid()).isFalse());
    }

    @Test
    void csvLineNumbersAreTheFilesLines() throws IOException {
        List<ListedGroup> entries = read("a.csv", "# list\n\ngroup_id,note\n120363019502650977-group,\"two\nlines\"\nbad");
        assertThat(entries).extracting(ListedGroup::line).containsExactly(5L, 6L);
    }

    @Test
    void aLineOverTheCapIsOneRejectedEntryAndTheRestIsRead() throws IOException {
        String longLine = "9".repeat(10_000);
        List<ListedGroup> entries = read("a.txt", "120363019502650977-group\n" + longLine + "\n" + longLine + "\n120363019502650978-group\n");
        assertThat(entries).hasSize(4);
        assertThat(entries.get(1).rejection()).isEqualTo("the line is longer than 4096 characters");
        assertThat(entries.get(1).line()).isEqualTo(2);
        assertThat(entries.get(1).raw()).hasSize(ListedGroup.ECHO_LIMIT + ListedGroup.CUT_MARK.length()).endsWith(ListedGroup.CUT_MARK);
        assertThat(entries.get(2).line()).isEqualTo(3);
        assertThat(entries.get(3).isValid()).isTrue();
    }

    @Test
    void aQuotedCsvFieldCutAtTheCapDoesNotSwallowTheLinesAfterIt() throws IOException {
        String huge = "\"" + "x".repeat(9_000) + "\"\"quoted\"\" end\"";
        List<ListedGroup> entries = read("a.csv", "group_id,description\n120363019502650977-group," + huge
                + "\n120363019502650978-group,short\n");
        assertThat(entries).extracting(ListedGroup::line).containsExactly(2L, 3L);
        assertThat(entries.get(0).rejection()).contains("longer than 4096");
        assertThat(entries.get(0).raw()).isEqualTo("120363019502650977-group");
        assertThat(entries.get(1).isValid()).isTrue();
    }

    @Test
    void longRejectedValuesAreEchoedShortButKeptApart() throws IOException {
        String prefix = "y".repeat(300);
        List<ListedGroup> entries = read("a.txt", prefix + "1\n" + prefix + "2\n" + prefix + "1\n");
        assertThat(entries).hasSize(2).allSatisfy(e -> assertThat(e.raw()).isEqualTo("y".repeat(200) + ListedGroup.CUT_MARK));
    }

    private static InputRejection rejection(String name, String content) {
        return rejection(name, content.getBytes(StandardCharsets.UTF_8));
    }

    private static InputRejection rejection(String name, byte[] content) {
        Throwable thrown = catchThrowable(() -> read(name, content));
        assertThat(thrown).as("rejected").isNotNull();
        InputRejection rejection = RejectedInputException.findIn(thrown);
        assertThat(rejection).as("a rejection in %s", thrown).isNotNull();
        return rejection;
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    /**
     * The reader streams: 4,000,000 lines (100 MB of text) go through it in a JVM of 32 MB heap. It keeps
     * one thing per distinct ID (the set that drops a repeated one), so the lines repeat 1,000 IDs: what is
     * proved is that lines, entries and the text are not held. A reader that read the whole input first,
     * or kept its entries, runs out of memory.
     */
    @Test
    void streamsAnInputManyTimesItsHeap() throws Exception {
        Path out = Files.createTempFile("group-list-small-heap", ".log");
        try {
            Process child = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-Xmx32m", "-XX:+UseSerialGC",
                    "-cp", System.getProperty("java.class.path"), GroupListReadInSmallHeap.class.getName(), "4000000", "1000")
                    .redirectErrorStream(true).redirectOutput(out.toFile()).start();
            assertThat(child.waitFor(3, TimeUnit.MINUTES)).as("the child ended").isTrue();
            String output = Files.readString(out);
            assertThat(child.exitValue()).as("the child's exit (its output: %s)", output).isZero();
            assertThat(output).contains("4000000 lines, 1000 entries");
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
