package zapi.grouproutes.secret;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;

import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import zapi.grouproutes.support.CapturedLogs;

/** Every log event is masked: its message, its exception's messages, their causes and suppressed ones. */
class MaskingLogEventFactoryTest {

    static final String SECRET = "MaSkEdSeCrEt7f3k9q2w8e";
    static final Logger LOG = LoggerFactory.getLogger("zapi.grouproutes.masking-test");

    @Test
    void messagesAndExceptionChainsAreMaskedWithTheirClassesAndStackTracesKept() {
        LoggedSecrets.add(SECRET);
        URISyntaxException cause = new URISyntaxException("http://x/token/" + SECRET + "/y z", "Illegal character in path");
        RuntimeException thrown = new IllegalStateException("calling /token/" + SECRET, new UncheckedIOException(new IOException("wrapped", cause)));
        thrown.addSuppressed(new IOException("closing " + SECRET));
        try (CapturedLogs logs = new CapturedLogs()) {
            LOG.warn("request to /token/{} failed", SECRET, thrown);
            LOG.info("nothing secret here");
            assertThat(logs.text()).doesNotContain(SECRET)
                    .contains("request to /token/**** failed")
                    .contains("java.lang.IllegalStateException: calling /token/****")
                    .contains("java.net.URISyntaxException: Illegal character in path: http://x/token/****/y z")
                    .contains("Suppressed: ").contains("java.io.IOException: closing ****")
                    .contains("at zapi.grouproutes.secret.MaskingLogEventFactoryTest.messagesAndExceptionChainsAreMasked")
                    .contains("nothing secret here");
        }
    }
}
