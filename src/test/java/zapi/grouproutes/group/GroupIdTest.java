package zapi.grouproutes.group;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class GroupIdTest {

    @ParameterizedTest
    @CsvSource({
        "120363019502650977-group, 120363019502650977-group",
        "5511999999999-1623281429, 5511999999999-1623281429",
        "120363019502650977@g.us, 120363019502650977-group",
        "120363019502650977@G.US, 120363019502650977-group",
        "120363019502650977-GROUP, 120363019502650977-group",
        "5511999999999-1623281429@g.us, 5511999999999-1623281429",
    })
    void acceptsBothZapiFormatsAndNormalizesJids(String input, String expected) {
        GroupId.Parsed parsed = GroupId.parse(input);
        assertThat(parsed.isValid()).as(parsed.rejection()).isTrue();
        assertThat(parsed.groupId().value()).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "120363019502650977-group/../../status",
        "../120363019502650977-group",
        "120363019502650977-group?x=1",
        "120363019502650977-group%2F..",
        "120363019502650977-group;rm",
        "120363019502650977-group#frag",
        "120363019502650977-group&a=b",
        "1203630195 02650977-group",
        "120363019502650977\\group",
    })
    void neverLetsUrlSyntaxThrough(String input) {
        GroupId.Parsed parsed = GroupId.parse(input);
        assertThat(parsed.isValid()).isFalse();
        assertThat(parsed.rejection()).contains("never part of a group ID");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "5511999999999 | is a contact, not a group ID",
        "+5511999999999 | is a contact, not a group ID",
        "5511999999999@s.whatsapp.net | is a contact, not a group ID",
        // Z-API's @lid: a person's linked ID (docs/tips/lid.md), never a group's
        "81896604192873@lid | is a contact, not a group ID",
        "999999999999999@lid | is a contact, not a group ID",
        "hello | is not a group ID",
        "12-group | is not a group ID",
        "120363019502650977-grupo | is not a group ID",
        "１２０３６３０１９５０２６５０９７-group | non-ASCII",
    })
    void rejectsWithAReason(String input, String reason) {
        GroupId.Parsed parsed = GroupId.parse(input);
        assertThat(parsed.isValid()).isFalse();
        assertThat(parsed.rejection()).contains(reason);
    }

    @org.junit.jupiter.api.Test
    void rejectsOverlongValuesBeforeMatching() {
        assertThat(GroupId.parse("1".repeat(100) + "-group").rejection()).contains("longer than 64");
    }
}
