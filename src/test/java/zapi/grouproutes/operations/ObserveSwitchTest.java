package zapi.grouproutes.operations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import zapi.grouproutes.app.RunMode;

class ObserveSwitchTest {

    @Test
    void autoServesInServiceModeOnly() {
        assertThat(ObserveSwitch.serves("auto", RunMode.SERVICE)).isTrue();
        assertThat(ObserveSwitch.serves("auto", RunMode.BATCH)).isFalse();
    }

    @Test
    void trueAndFalseWinOverTheMode() {
        assertThat(ObserveSwitch.serves("true", RunMode.BATCH)).isTrue();
        assertThat(ObserveSwitch.serves(" FALSE ", RunMode.SERVICE)).isFalse();
    }

    @Test
    void anythingElseIsRefusedNamingTheSetting() {
        assertThatThrownBy(() -> ObserveSwitch.serves("yes", RunMode.SERVICE)).hasMessageContaining("zapi.observe.enabled");
        assertThatThrownBy(() -> ObserveSwitch.port("80a")).hasMessageContaining("zapi.observe.port");
        assertThatThrownBy(() -> ObserveSwitch.port("70000")).hasMessageContaining("zapi.observe.port");
        assertThat(ObserveSwitch.port("0")).isZero();
    }
}
