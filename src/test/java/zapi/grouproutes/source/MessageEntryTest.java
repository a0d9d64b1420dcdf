package zapi.grouproutes.source;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import zapi.grouproutes.group.ListedGroup;

class MessageEntryTest {

    @ParameterizedTest
    @ValueSource(strings = {"120363019502650977-group", " 120363019502650977-group\n", "\u200b120363019502650977-group",
            "{\"groupId\":\"120363019502650977-group\"}", "{\"group_id\":\"120363019502650977-group\",\"x\":1}",
            "{\"phone\":\"120363019502650977-group\"}", "120363019502650977@g.us"})
    void aGroupIdAsTextOrInAJsonFieldNamesTheGroup(String value) {
        ListedGroup entry = MessageEntry.of(value, 7);
        assertThat(entry.isValid()).as(entry.rejection()).isTrue();
        assertThat(entry.groupId().value()).isEqualTo("120363019502650977-group");
        assertThat(entry.line()).isEqualTo(7);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "''|empty message",
            "'   '|empty message",
            "5511999999999@s.whatsapp.net|is a contact",
            "120363019502650977-group/../status|never part of a group ID",
            "{\"groupId\": |not valid JSON",
            "{\"name\":\"x\"}|without a groupId, group_id or phone field",
            "{\"groupId\":{\"a\":1}}|is not text",
            "{\"groupId\":\"abc\"}|is not a group ID"})
    void anythingElseIsRejectedWithItsReasonNeverAnException(String value, String reason) {
        ListedGroup entry = MessageEntry.of(value, 1);
        assertThat(entry.isValid()).isFalse();
        assertThat(entry.rejection()).contains(reason);
    }

    @ParameterizedTest
    @ValueSource(ints = {5_000, 5_000_000})
    void aHugeValueIsRejectedAndEchoedShort(int length) {
        ListedGroup entry = MessageEntry.of("9".repeat(length), 1);
        assertThat(entry.rejection()).contains(length + " characters");
        assertThat(entry.raw().length()).isLessThanOrEqualTo(ListedGroup.ECHO_LIMIT + ListedGroup.CUT_MARK.length());
    }

    @org.junit.jupiter.api.Test
    void aNullBodyIsRejected() {
        assertThat(MessageEntry.of(null, 3).rejection()).contains("empty message");
    }
}
