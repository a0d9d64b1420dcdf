package zapi.grouproutes.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * A group notification whose people Z-API names by {@code @lid} (on-message-received: {@code chatLid},
 * {@code senderLid}, {@code participantLid}, and {@code participantPhone} itself a LID) still names its group by
 * {@code phone}: it re-checks that group, and no LID is taken for the group or for a malformed callback.
 */
class ZapiCallbackLidTest {

    @Test
    void aGroupNotificationFromAPersonNamedByLidRechecksTheGroup() throws Exception {
        ZapiCallback callback = ZapiCallback.read("""
                {"isStatusReply":false,"chatLid":"81896604192873@lid","senderLid":"81896604192873@lid","connectedPhone":"554499999999",
                 "waitingMessage":false,"isEdit":false,"isGroup":true,"isNewsletter":false,"instanceId":"A20DA9C0183A2D35A260F53F5D2B9244",
                 "messageId":"A20DA9C0183A2D35A260F53F5D2B9244","phone":"120363019502650977-group","fromMe":false,"momment":1632228638000,
                 "status":"RECEIVED","chatName":"Vendas SP","senderName":"name","participantPhone":"65998849469@lid",
                 "participantLid":"65998849469@lid","notification":"GROUP_PARTICIPANT_ADD","notificationParameters":["999999999999999@lid"],
                 "broadcast":false,"type":"ReceivedCallback"}""");

        assertThat(callback.recheck()).isTrue();
        assertThat(callback.groupId()).isEqualTo("120363019502650977-group");
        assertThat(callback.notification()).isEqualTo("GROUP_PARTICIPANT_ADD");
    }

    @Test
    void aChatNamedOnlyByLidIsAContactNotAGroup() throws Exception {
        ZapiCallback callback = ZapiCallback.read("""
                {"chatLid":"65998849469@lid","phone":"65998849469@lid","isGroup":false,"type":"ReceivedCallback",
                 "notification":"GROUP_PARTICIPANT_ADD"}""");

        assertThat(callback.recheck()).isFalse();
        assertThat(callback.dropped()).isEqualTo("not-group");
    }
}
