package com.shopsense.tools.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.shopsense.event.EventLimits;
import com.shopsense.event.FraudRule;
import com.shopsense.event.RuleParser;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** The local run's demo rule is a rule the job accepts (a refused one would go to the DLQ and the demo show nothing). */
class DemoFraudRuleTest {
    @Test
    void theBundledRuleIsAValidAlertRule() throws Exception {
        FraudRule rule = new RuleParser(EventLimits.defaults(), System::currentTimeMillis)
                .parse(Files.readAllBytes(DemoFraudRule.FILE));
        assertThat(rule.key()).isEqualTo("demo-new-device-jump@1");
        assertThat(rule.enabled()).isTrue();
        assertThat(rule.action().wireName()).isEqualTo("alert");
    }
}
