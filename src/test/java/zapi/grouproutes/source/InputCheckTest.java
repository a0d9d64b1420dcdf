package zapi.grouproutes.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InputCheckTest {

    @TempDir
    Path dir;

    @Test
    void countsTheEntriesTheBatchWillHave() throws IOException {
        // 2 groups (one in two spellings), 1 rejected line twice, a comment and a blank line: 3 report rows
        Path file = write("groups.txt", "# list\n120363019502650977-group\n120363019502650977@g.us\n\nbad\nbad\n5511999999999-1623281429\n");
        InputCheck check = InputCheck.of(file, 4096);
        assertThat(check.isRejected()).isFalse();
        assertThat(check.entries()).isEqualTo(3);
    }

    /** The batch's pass keeps a bit per line from the check, not a key per group, and gives the same entries. */
    @Test
    void theBatchPassSkipsTheDuplicatesTheCheckFound() throws IOException {
        Path txt = write("groups.txt", "# list\n120363019502650977-group\n120363019502650977@g.us\n\nbad\nbad\n5511999999999-1623281429\n"
                + "120363019502650978-group\n5511999999999-1623281429\n");
        Path csv = write("groups.csv", "group_id;name\n120363019502650977-group;a\n\"120363019502650977@g.us\";\"b\nc\"\n;empty\n"
                + "120363019502650978-group;d\n120363019502650977-group;e\n");
        for (Path file : java.util.List.of(txt, csv)) {
            InputCheck check = InputCheck.of(file, 4096);
            assertThat(check.firstEntries()).isNotNull();
            java.util.List<String> keyed = entries(GroupListFile.open(file, 4096));
            java.util.List<String> noted = entries(GroupListFile.open(file, 4096, check.firstEntries()));
            assertThat(noted).hasSize((int) check.entries()).isEqualTo(keyed).doesNotHaveDuplicates();
        }
    }

    private static java.util.List<String> entries(GroupListFile list) throws IOException {
        java.util.List<String> out = new java.util.ArrayList<>();
        try (list) {
            list.forEachRemaining(group -> out.add(group.line() + ":" + group));
        }
        return out;
    }

    @Test
    void anEmptyFileIsRejected() throws IOException {
        InputCheck check = InputCheck.of(write("empty.csv", ""), 4096);
        assertThat(check.rejection().problem()).contains("empty (0 bytes)");
        assertThat(check.rejection().remedy()).contains("temporary name");
    }

    @Test
    void aSymbolicLinkIsRejectedNamingItsTargetAndNeverRead() throws IOException {
        Path outside = Files.writeString(Files.createTempFile("zapi-outside", ".txt"), "120363019502650977-group\n");
        try {
            Path link = Files.createSymbolicLink(dir.resolve("evil.txt"), outside);
            InputCheck check = InputCheck.of(link, 4096);
            assertThat(check.rejection().problem()).contains("symbolic link").contains(outside.toString());
            assertThat(check.entries()).isZero();
        } finally {
            Files.delete(outside);
        }
    }

    @Test
    void opensWithoutFollowingALinkEvenWhenAskedDirectly() throws IOException {
        Path target = write("real.txt", "120363019502650977-group\n");
        Path link = Files.createSymbolicLink(dir.resolve("link.txt"), target);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> GroupListFile.open(link, 4096)).isInstanceOf(IOException.class);
    }

    @Test
    void aDirectoryIsNotAList() throws IOException {
        Path folder = Files.createDirectory(dir.resolve("odd.csv"));
        assertThat(InputCheck.of(folder, 4096).rejection().problem()).contains("not a regular file");
    }

    @Test
    void aStructuralProblemComesWithWhereAndWhatToDo() throws IOException {
        InputCheck check = InputCheck.of(write("a.csv", "name,owner\nA,1\n"), 4096);
        assertThat(check.rejection().where()).isEqualTo("line 1");
        assertThat(check.rejection().reasonText("a.csv", "/in/.rejected/a-x.csv", "20260101T000000000Z"))
                .contains("File:       a.csv").contains("no group ID column").contains("Where:      line 1")
                .contains("What to do: name the column").contains("Nothing from this file was sent to Z-API");
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
    }
}
