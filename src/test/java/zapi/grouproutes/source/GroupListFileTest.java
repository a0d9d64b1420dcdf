package zapi.grouproutes.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

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
        assertThat(entries.get(0).rejection()).contains("empty group_id");
        assertThat(entries.get(1).isValid()).isTrue();
        assertThat(entries.get(2).rejection()).contains("no group_id value");
    }

    @Test
    void csvWithoutAnIdColumnRejectsEveryRowWithTheReason() throws IOException {
        List<ListedGroup> entries = read("a.csv", "name,owner\nA,1\nB,2\n");
        assertThat(entries).hasSize(2).allSatisfy(e -> assertThat(e.rejection()).contains("no group_id, groupId or phone column"));
    }

    @Test
    void malformedCsvIsReportedOnce() throws IOException {
        List<ListedGroup> entries = read("a.csv", "group_id\n120363019502650977-group\n\"unclosed,\n120363019502650978-group\n");
        assertThat(entries).hasSize(2);
        assertThat(entries.get(1).rejection()).contains("malformed CSV");
    }

    @Test
    void undecodableBytesAreRejectedNotFatal() throws IOException {
        byte[] content = {'1', '2', (byte) 0xC3, (byte) 0x28, '-', 'g', 'r', 'o', 'u', 'p', '\n', '1', '2', '0', '3', '6', '3', '0', '1', '9', '5', '-', 'g', 'r', 'o', 'u', 'p', '\n'};
        List<ListedGroup> entries = read("groups.txt", content);
        assertThat(entries).hasSize(2);
        assertThat(entries.get(0).isValid()).isFalse();
        assertThat(entries.get(1).isValid()).isTrue();
    }

    /** A million lines go through a reader that never holds them: only the generator knows them all. */
    @Test
    void streamsAMillionLines() throws IOException {
        int lines = 1_000_000;
        InputStream generated = new InputStream() {
            private int line;
            private byte[] current = new byte[0];
            private int pos;

            @Override
            public int read() {
                if (pos == current.length) {
                    if (line == lines) {
                        return -1;
                    }
                    current = String.format("%018d-group%n", 120363000000000000L + line++).getBytes(StandardCharsets.US_ASCII);
                    pos = 0;
                }
                return current[pos++];
            }
        };
        long count = 0;
        try (GroupListFile file = GroupListFile.open(generated, "big.txt")) {
            while (file.hasNext()) {
                assertThat(file.next().isValid()).isTrue();
                count++;
            }
        }
        assertThat(count).isEqualTo(lines);
    }
}
