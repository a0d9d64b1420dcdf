package zapi.grouproutes.operations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class ProgressIntervalTest {

    @Test
    void aPlainNumberIsSeconds() {
        assertThat(ProgressInterval.parse("30")).isEqualTo(Duration.ofSeconds(30));
        assertThat(ProgressInterval.parse(" 5 ")).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void unitsAreReadAsWritten() {
        assertThat(ProgressInterval.parse("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(ProgressInterval.parse("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(ProgressInterval.parse("1m30s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(ProgressInterval.parse("1h")).isEqualTo(Duration.ofHours(1));
        assertThat(ProgressInterval.parse("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(ProgressInterval.parse("30S")).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void nonsenseAndZeroAreRefusedNamingTheSetting() {
        for (String wrong : new String[] {"", "abc", "30x", "-5", "0", "0s", "1.5s", "s"}) {
            assertThatThrownBy(() -> ProgressInterval.parse(wrong)).as(wrong)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("zapi.progress-interval");
        }
    }
}
