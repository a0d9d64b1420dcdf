package zapi.grouproutes.support;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A database test skips only outside CI: every usual spelling of "CI is on" makes a missing server a failure. */
class TestDatabaseTest {

    @Test
    void theUsualTruthyValuesOfCiMeanCi() {
        for (String on : new String[] {"true", "TRUE", "True", "1", "yes", "YES", "on", "On", " true "}) {
            assertThat(TestDatabase.isCi(on)).as("CI=%s", on).isTrue();
        }
    }

    @Test
    void anythingElseDoesNot() {
        for (String off : new String[] {null, "", "false", "0", "no", "off", "maybe"}) {
            assertThat(TestDatabase.isCi(off)).as("CI=%s", off).isFalse();
        }
    }
}
