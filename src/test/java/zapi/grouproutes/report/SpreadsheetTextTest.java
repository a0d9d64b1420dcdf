package zapi.grouproutes.report;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SpreadsheetTextTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "=HYPERLINK(\"http://x\")|'=HYPERLINK(\"http://x\")",
        "+5511999999999|'+5511999999999",
        "-1+2|'-1+2",
        "@SUM(A1)|'@SUM(A1)",
        "Grupo = bom|Grupo = bom",
        "120363019502650977-group|120363019502650977-group",
    })
    void formulasBecomeText(String in, String out) {
        assertThat(SpreadsheetText.neutralize(in)).isEqualTo(out);
    }

    @org.junit.jupiter.api.Test
    void tabAndCarriageReturnLeadersToo() {
        assertThat(SpreadsheetText.neutralize("\t=1")).isEqualTo("'\t=1");
        assertThat(SpreadsheetText.neutralize("\r=1")).isEqualTo("'\r=1");
        assertThat(SpreadsheetText.neutralize("")).isEmpty();
        assertThat(SpreadsheetText.neutralize(null)).isNull();
    }
}
