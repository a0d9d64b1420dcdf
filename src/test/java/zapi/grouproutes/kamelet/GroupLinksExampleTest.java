package zapi.grouproutes.kamelet;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static zapi.grouproutes.kamelet.KameletFlow.CLIENT_TOKEN;
import static zapi.grouproutes.kamelet.KameletFlow.INSTANCE;
import static zapi.grouproutes.kamelet.KameletFlow.INSTANCE_PATH;
import static zapi.grouproutes.kamelet.KameletFlow.TOKEN;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import org.apache.camel.CamelContext;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.camel.component.kamelet.KameletComponent;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import zapi.grouproutes.support.CapturedLogs;

/** The example flow of docs/kamelets.md, kamelets/examples/group-links.camel.yaml, run from its file with the Kamelets' files. */
class GroupLinksExampleTest {

    @RegisterExtension
    static WireMockExtension zapi = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @Test
    void eachGroupOfTheFileGetsItsLinkThenItsMetadata(@TempDir Path inbox) throws Exception {
        for (String group : new String[] {"120363019502650977-group", "5511999999999-1623281429"}) {
            zapi.stubFor(post(INSTANCE_PATH + "/group-invitation-link/" + group)
                    .willReturn(okJson("{\"phone\":\"" + group + "\",\"invitationLink\":\"https://chat.whatsapp.com/L" + group.substring(0, 4) + "\"}")));
        }
        zapi.stubFor(get(urlPathEqualTo(INSTANCE_PATH + "/group-invitation-metadata")).willReturn(okJson("{\"subject\":\"Meu grupo\"}")));
        Properties settings = new Properties();
        settings.put("groups.inbox", inbox.toString());
        for (String kamelet : new String[] {"zapi-group-invitation-link-action", "zapi-group-metadata-action"}) {
            settings.putAll(KameletFlow.credentialsFor(kamelet));
            settings.put("camel.kamelet." + kamelet + ".instanceId", INSTANCE);
            settings.put("camel.kamelet." + kamelet + ".baseUrl", zapi.baseUrl());
        }
        // the example's log steps log under its route ID at INFO; this build's root logger is at WARN
        Configurator.setLevel("group-links", Level.INFO);
        CamelContext context = new DefaultCamelContext();
        try (CapturedLogs logs = new CapturedLogs()) {
            context.getPropertiesComponent().setInitialProperties(settings);
            context.getComponent("kamelet", KameletComponent.class).setLocation("file:kamelets");
            PluginHelper.getRoutesLoader(context).loadRoutes(
                    PluginHelper.getResourceLoader(context).resolveResource("file:kamelets/examples/group-links.camel.yaml"));
            context.start();
            Files.writeString(inbox.resolve("groups.txt"), "120363019502650977-group\n5511999999999-1623281429\n");
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(logs.text())
                    .containsPattern("(?s)link of 1: https://chat.whatsapp.com/L5511.*metadata: .*Meu grupo"));
            assertThat(logs.text()).contains("link of 0: https://chat.whatsapp.com/L1203", "link of 1: https://chat.whatsapp.com/L5511")
                    .doesNotContain(TOKEN).doesNotContain(CLIENT_TOKEN);
        } finally {
            context.stop();
        }
        zapi.verify(4, anyRequestedFor(anyUrl()));
        zapi.verify(getRequestedFor(urlEqualTo(INSTANCE_PATH + "/group-invitation-metadata?url=https%3A%2F%2Fchat.whatsapp.com%2FL5511")));
    }
}
